# Sourced by scripts/setup, scripts/test and scripts/e2e: where the Python 3.14 environments live and
# how to run a command in them. Python 3.14 comes from the host when it has one, else from a Debian
# unstable root built once with debootstrap and kept outside the work tree.
# shellcheck shell=bash

CC_CACHE=${CONTACT_CENTER_CACHE:-/var/cache/contact-center}
SID_ROOT=$CC_CACHE/sid-root
SID_MIRROR=${CONTACT_CENTER_SID_MIRROR:-http://deb.debian.org/debian}
SID_PACKAGES=python3.14,python3.14-venv,python3.14-dev,gcc,libc6-dev
# Added to a root when missing: Home Assistant 2026.11's voice pipeline builds C++ extensions
# that have no Python 3.14 wheels (g++); the wallboard's own tests run its module in Node.js, on
# each environment the suite runs on (nodejs).
SID_EXTRA_PACKAGES=(g++ nodejs)
TREE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# A python3.14 on the host that answers (pyenv's shim fails unless a version is selected).
find_host_python314() {
  local candidate
  if command -v python3.14 >/dev/null 2>&1 && python3.14 -c 'import sys' >/dev/null 2>&1; then
    command -v python3.14
    return 0
  fi
  for candidate in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.14*/bin/python3.14 \
    /usr/local/bin/python3.14; do
    [ -x "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1 && { echo "$candidate"; return 0; }
  done
  return 1
}

if [ -z "${PY314_HOST+set}" ]; then
  PY314_HOST=$(find_host_python314 || true)
fi
if [ -n "$PY314_HOST" ]; then
  PY314=$PY314_HOST
  HARNESS_VENV=$CC_CACHE/py314/venv-harness
  HA_VENV=$CC_CACHE/py314/venv-ha
else
  PY314=/usr/bin/python3.14
  HARNESS_VENV=/opt/venv-harness
  HA_VENV=/opt/venv-ha
fi

# Run a command in the Python 3.14 environment, in the work tree (same path inside the root).
# The root is entered in a private mount namespace: proc, /dev, the work tree and pip's files are
# mounted there only, and the kernel drops every such mount when the last process in it exits.
run314() {
  if [ -n "$PY314_HOST" ]; then
    (cd "$TREE" && "$@")
    return
  fi
  unshare --mount --propagation private -- bash "$TREE/scripts/lib/enter-root" "$SID_ROOT" "$TREE" "$@"
}

# Build the Debian root when missing: into a temporary directory, renamed into place only when
# debootstrap succeeded, so a half-built root is never used.
ensure_sid_root() {
  [ -z "$PY314_HOST" ] || return 0
  [ -x "$SID_ROOT/usr/bin/python3.14" ] && return 0
  [ "$(id -u)" -eq 0 ] || { echo "Building the Python 3.14 root needs root (debootstrap, chroot)" >&2; return 1; }
  mkdir -p "$CC_CACHE"
  (
    flock 9
    [ -x "$SID_ROOT/usr/bin/python3.14" ] && exit 0
    # Holding the lock, any partial root left is from a run that died.
    rm -rf "$CC_CACHE"/sid-root.partial.*
    if ! command -v debootstrap >/dev/null 2>&1; then
      echo "Installing debootstrap ..."
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    fi
    partial=$(mktemp -d "$CC_CACHE/sid-root.partial.XXXXXX")
    echo "Building a Debian sid root with Python 3.14 in $partial (log: $partial.log) ..."
    if ! debootstrap --variant=minbase --include="$SID_PACKAGES,$(IFS=,; echo "${SID_EXTRA_PACKAGES[*]}")" sid "$partial" "$SID_MIRROR" \
      >"$partial.log" 2>&1; then
      tail -n 20 "$partial.log" >&2
      rm -rf "$partial"
      exit 1
    fi
    mv "$partial" "$SID_ROOT"
    rm -f "$partial.log"
  ) 9>"$CC_CACHE/.sid-root.lock"
}

# Install what a root built without them lacks (an older recipe, or the bare debootstrap line).
ensure_sid_packages() {
  [ -z "$PY314_HOST" ] || return 0
  local missing=() package
  for package in "${SID_EXTRA_PACKAGES[@]}"; do
    run314 dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "Installing ${missing[*]} into $SID_ROOT ..."
  (
    flock 9
    # The mirror's sid Release may be past its Valid-Until by this machine's clock; debootstrap
    # does not check it either.
    run314 apt-get -o Acquire::Check-Valid-Until=false update -qq
    run314 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  ) 9>"$CC_CACHE/.sid-root.lock"
}

# A venv named by its stamp: the stamp holds what was installed, so a re-run with the same inputs
# skips pip entirely.
venv_current() {  # venv stamp
  run314 test -x "$1/bin/python" && [ "$(run314 cat "$1/.cc-stamp" 2>/dev/null)" = "$2" ]
}
