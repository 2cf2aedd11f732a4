"""End-to-end run of the integration in a real Home Assistant process, against the simulator.

Run with the Python of the environment that holds Home Assistant (scripts/e2e picks it): it starts
the simulator and ``hass`` with a fresh configuration directory, onboards through the HTTP API,
adds every vendor through the config-flow API and drives reconfigure, reauth, a fault and its
recovery, unload and removal. It fails on any deprecation report about the integration, any
ERROR with a traceback from it, and any entry that is not loaded when it should be.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

TREE = Path(__file__).resolve().parent.parent
DOMAIN = "contact_center"
# What the Home Assistant process loads besides its core: the HTTP APIs the run drives.
COMPONENTS = ("http", "api", "auth", "config", "onboarding", "websocket_api")
# What scripts/browser.py adds: the frontend, and with it lovelace and the pages it serves.
BROWSER_COMPONENTS = ("frontend",)
VENDORS = ("live_guide", "wolkvox", "cobrowser", "live_expert", "bright_pattern")
URL_FIELDS = ("url", "server")
# Home Assistant's onboarding sets these up (as for every user); their requirements are
# installed beforehand so that the process installs nothing itself.
ONBOARDING_INTEGRATIONS = ("google_translate", "met", "radio_browser", "shopping_list")
DEPRECATION = "Detected that custom integration 'contact_center'"
START_TIMEOUT = 300
WAIT_TIMEOUT = 90


def e2e_requirements() -> list[str]:
    """Return the requirements of every integration the e2e Home Assistant process loads."""
    from homeassistant import bootstrap
    import homeassistant.components

    base = Path(homeassistant.components.__file__).parent
    todo = {*COMPONENTS, *BROWSER_COMPONENTS, *ONBOARDING_INTEGRATIONS}
    # What Home Assistant sets up with any configuration (bootstrap's names, stable since 2023).
    for name in ("CORE_INTEGRATIONS", "DEFAULT_INTEGRATIONS", "LOGGING_AND_HTTP_DEPS_INTEGRATIONS"):
        todo |= set(getattr(bootstrap, name, ()))
    seen: set[str] = set()
    requirements: set[str] = set()
    while todo:
        domain = todo.pop()
        seen.add(domain)
        manifest_path = base / domain / "manifest.json"
        if not manifest_path.is_file():
            continue
        manifest = json.loads(manifest_path.read_text())
        requirements.update(manifest.get("requirements", []))
        todo |= set(manifest.get("dependencies", [])) - seen
    return sorted(requirements)


class E2EError(Exception):
    """A check of the run failed."""


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log(message: str) -> None:
    """Say what the run does, with the time since start."""
    print(f"[{time.monotonic() - START:6.1f}s] {message}", flush=True)


START = time.monotonic()


async def wait_for(
    what: str, check: Callable[[], Awaitable[bool]], seconds: float = WAIT_TIMEOUT
) -> None:
    """Call check every second until it is true; fail after the given seconds."""
    deadline = time.monotonic() + seconds
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise E2EError(f"timed out waiting for {what}")
        await asyncio.sleep(1)


class Run:
    """One Home Assistant process, its simulator and the HTTP and websocket clients."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        config: Path,
        vendors: tuple[str, ...],
        *,
        hass_python: tuple[str, ...] = (sys.executable,),
        components: tuple[str, ...] = COMPONENTS,
    ) -> None:
        """Pick ports; nothing starts yet.

        hass_python runs Home Assistant (a command prefix: scripts/browser.py drives a browser
        from .venv and runs Home Assistant 2026.11 in the Python 3.14 environment).
        """
        self.session = session
        self.hass_python = hass_python
        self.components = components
        self.vendors = vendors
        self.config = config
        self.hass_port = free_port()
        self.sim_port = free_port()
        self.hass_url = f"http://127.0.0.1:{self.hass_port}"
        # A host name, not an address: the integration must resolve names in every environment.
        self.sim_url = f"http://localhost:{self.sim_port}"
        self.token = ""
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ws_id = 0
        self.processes: list[subprocess.Popen[bytes]] = []
        self.credentials: dict[str, dict[str, str]] = {}
        self.entries: dict[str, str] = {}

    # --- processes ------------------------------------------------------------------------

    def write_config(self) -> None:
        """Write a configuration with only the APIs the run needs, and link the integration."""
        lines = [
            "homeassistant:",
            "  name: e2e",
            "http:",
            "  server_host: 127.0.0.1",
            f"  server_port: {self.hass_port}",
            "logger:",
            "  default: warning",
            *[f"{component}:" for component in self.components if component != "http"],
        ]
        (self.config / "configuration.yaml").write_text("\n".join(lines) + "\n")
        (self.config / "custom_components").mkdir()
        (self.config / "custom_components" / DOMAIN).symlink_to(TREE / "custom_components" / DOMAIN)

    def start(self) -> None:
        """Start the simulator and Home Assistant, each in its own process group."""
        sim_log = (self.config / "simulator.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    *("-m", "simulator", "--host", "127.0.0.1"),
                    *("--port", str(self.sim_port), "--quiet"),
                ],
                cwd=TREE,
                stdout=sim_log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        hass_out = (self.config / "hass.out").open("wb")
        # -P keeps the working directory off sys.path: the integration comes from config/.
        self.processes.append(
            subprocess.Popen(
                [*self.hass_python, "-P", "-m", "homeassistant", "--config", str(self.config)],
                cwd=self.config,
                stdout=hass_out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )

    def stop(self) -> None:
        """Stop both process groups: SIGTERM, then SIGKILL after 60 s."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def check_alive(self) -> None:
        """Fail when the simulator or Home Assistant exited."""
        for process, name in zip(self.processes, ("simulator", "Home Assistant"), strict=True):
            if process.poll() is not None:
                raise E2EError(f"{name} exited with {process.returncode}")

    # --- HTTP and websocket -----------------------------------------------------------------

    async def request(
        self, method: str, path: str, payload: Any = None, *, expect: int = 200, auth: bool = True
    ) -> Any:
        """Call Home Assistant's HTTP API and return the JSON answer."""
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        async with self.session.request(
            method, self.hass_url + path, json=payload, headers=headers
        ) as response:
            text = await response.text()
            if response.status != expect:
                raise E2EError(f"{method} {path}: HTTP {response.status} {text[:500]}")
            return json.loads(text) if text else None

    async def ws_call(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result."""
        assert self.ws is not None
        self.ws_id += 1
        await self.ws.send_json({"id": self.ws_id, **message})
        while True:
            answer = await self.ws.receive_json(timeout=60)
            if answer.get("id") == self.ws_id and answer.get("type") == "result":
                break
        if not answer["success"]:
            raise E2EError(f"websocket {message['type']}: {answer.get('error')}")
        return answer["result"]

    async def sim(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the simulator's admin endpoint."""
        async with self.session.request(method, self.sim_url + path, json=payload) as response:
            response.raise_for_status()
            return await response.json()

    # --- steps ------------------------------------------------------------------------------

    async def wait_ready(self) -> None:
        """Wait until the simulator and Home Assistant's onboarding answer."""

        async def answers(url: str) -> bool:
            self.check_alive()
            try:
                async with self.session.get(url) as response:
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        await wait_for("the simulator", lambda: answers(self.sim_url + "/_simulator"), 60)
        await wait_for(
            "Home Assistant", lambda: answers(self.hass_url + "/api/onboarding"), START_TIMEOUT
        )

    async def onboard(self) -> None:
        """Create the owner, sign in, and finish every onboarding step through the HTTP API."""
        client_id = self.hass_url + "/"
        user = await self.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": client_id,
                "name": "E2E",
                "username": "e2e",
                "password": "e2e-password",
                "language": "en",
            },
            auth=False,
        )
        async with self.session.post(
            self.hass_url + "/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": user["auth_code"],
                "client_id": client_id,
            },
        ) as response:
            if response.status != 200:
                raise E2EError(f"/auth/token: HTTP {response.status} {await response.text()}")
            self.token = (await response.json())["access_token"]
        await self.request("POST", "/api/onboarding/core_config", {})
        await self.request(
            "POST",
            "/api/onboarding/integration",
            {"client_id": client_id, "redirect_uri": client_id + "?auth_callback=1"},
        )
        steps = await self.request("GET", "/api/onboarding", auth=False)
        if any(step["step"] == "analytics" and not step["done"] for step in steps):
            await self.request("POST", "/api/onboarding/analytics", {})
        steps = await self.request("GET", "/api/onboarding", auth=False)
        if not all(step["done"] for step in steps):
            raise E2EError(f"onboarding not finished: {steps}")
        self.ws = await self.session.ws_connect(self.hass_url + "/api/websocket")
        await self.ws.receive_json()
        await self.ws.send_json({"type": "auth", "access_token": self.token})
        if (await self.ws.receive_json())["type"] != "auth_ok":
            raise E2EError("websocket authentication refused")
        log("onboarded")

    def form_input(
        self, vendor: str, schema: list[dict[str, Any]], secrets_only: bool
    ) -> dict[str, Any]:
        """Fill a config-flow form from the simulator's credentials."""
        credentials = self.credentials[vendor]
        values: dict[str, Any] = {}
        for field in schema:
            name = field["name"]
            if name in URL_FIELDS:
                values[name] = self.sim_url
            elif vendor == "bright_pattern" and name == "password":
                # The default (OAuth) sign-in takes the API secret; the tenant defaults to the
                # server's host name, which is what the simulator expects.
                values[name] = credentials["api_secret"]
            elif name == "auth_method":
                values[name] = "oauth"
            elif name in credentials:
                values[name] = credentials[name]
            elif not secrets_only and "suggested_value" in (field.get("description") or {}):
                values[name] = field["description"]["suggested_value"]
        return values

    async def add_vendor(self, vendor: str) -> None:
        """Add the vendor's account through the config-flow API: menu, then its form."""
        flow = await self.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        if flow["type"] != "menu" or vendor not in flow["menu_options"]:
            raise E2EError(f"unexpected first step: {flow}")
        flow = await self.request(
            "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": vendor}
        )
        flow = await self.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            self.form_input(vendor, flow["data_schema"], secrets_only=False),
        )
        if flow["type"] != "create_entry":
            raise E2EError(f"{vendor}: the flow did not create an entry: {flow}")
        self.entries[vendor] = flow["result"]["entry_id"]
        log(f"{vendor}: added ({flow['title']})")

    async def entry_states(self) -> dict[str, str]:
        """Return each of the integration's entries with its state."""
        entries = await self.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
        return {entry["entry_id"]: entry["state"] for entry in entries}

    async def wait_loaded(self, vendor: str) -> None:
        """Wait until the vendor's entry is loaded."""

        async def loaded() -> bool:
            return (await self.entry_states()).get(self.entries[vendor]) == "loaded"

        await wait_for(f"{vendor} to be loaded", loaded)

    async def entity_ids(self, vendor: str) -> list[str]:
        """Return the entity ids of the vendor's entry, from the entity registry."""
        entities = await self.ws_call({"type": "config/entity_registry/list"})
        return sorted(
            entity["entity_id"]
            for entity in entities
            if entity["config_entry_id"] == self.entries[vendor] and not entity["disabled_by"]
        )

    async def states(self, entity_ids: list[str]) -> dict[str, str]:
        """Return the states of the given entities."""
        wanted = set(entity_ids)
        return {
            state["entity_id"]: state["state"]
            for state in await self.request("GET", "/api/states")
            if state["entity_id"] in wanted
        }

    async def poll_now(self, entity_ids: list[str]) -> None:
        """Ask Home Assistant to poll the entry now (homeassistant.update_entity)."""
        await self.request(
            "POST",
            "/api/services/homeassistant/update_entity",
            {"entity_id": entity_ids[:1]},
        )

    async def check_entities_move(self, vendor: str) -> list[str]:
        """Check that the entry has entities, that they are available, and that states change."""
        entity_ids = await self.entity_ids(vendor)
        if not entity_ids:
            raise E2EError(f"{vendor}: no entities")
        before = await self.states(entity_ids)
        missing = set(entity_ids) - set(before)
        if missing:
            raise E2EError(f"{vendor}: entities without a state: {sorted(missing)}")
        if all(state == "unavailable" for state in before.values()):
            raise E2EError(f"{vendor}: every entity is unavailable: {before}")

        async def moved() -> bool:
            await self.sim("POST", "/_simulator/advance", {"seconds": 30})
            await self.poll_now(entity_ids)
            await asyncio.sleep(2)
            return await self.states(entity_ids) != before

        try:
            await wait_for(f"{vendor}'s states to change", moved)
        except E2EError:
            log(f"{vendor}: states stayed {before}")
            raise
        log(f"{vendor}: {len(entity_ids)} entities, states move")
        return entity_ids

    async def continue_flow(self, vendor: str, flow: dict[str, Any], secrets_only: bool) -> Any:
        """Answer a reauth or reconfigure form with the simulator's credentials."""
        return await self.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            self.form_input(vendor, flow["data_schema"], secrets_only=secrets_only),
        )

    async def reconfigure(self, vendor: str) -> None:
        """Run a reconfigure flow with the same server; the entry must reload and stay loaded."""
        flow = await self.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False, "entry_id": self.entries[vendor]},
        )
        result = await self.continue_flow(vendor, flow, secrets_only=False)
        if result.get("reason") != "reconfigure_successful":
            raise E2EError(f"{vendor}: reconfigure ended with {result}")
        await self.wait_loaded(vendor)
        log(f"{vendor}: reconfigured")

    async def reauth(self, vendor: str, entity_ids: list[str]) -> None:
        """Revoke the token in the simulator; Home Assistant must ask again, and take the answer."""
        await self.sim("POST", "/_simulator/fault", {"vendor": vendor, "fault": "token_revoked"})
        found: list[dict[str, Any]] = []

        async def asked() -> bool:
            with contextlib.suppress(E2EError):  # the entity may be gone while reloading
                await self.poll_now(entity_ids)
            flows = await self.ws_call({"type": "config_entries/flow/progress"})
            found[:] = [
                flow
                for flow in flows
                if flow["handler"] == DOMAIN
                and flow["context"].get("source") == "reauth"
                and flow["context"].get("entry_id") == self.entries[vendor]
            ]
            return bool(found)

        await wait_for(f"{vendor}'s reauth flow", asked)
        await self.sim("POST", "/_simulator/fault", {"vendor": vendor, "fault": None})
        flow = await self.request("GET", f"/api/config/config_entries/flow/{found[0]['flow_id']}")
        result = await self.continue_flow(vendor, flow, secrets_only=True)
        if result.get("reason") != "reauth_successful":
            raise E2EError(f"{vendor}: reauth ended with {result}")
        await self.wait_loaded(vendor)

        async def working() -> bool:
            states = await self.states(entity_ids)
            if any(state != "unavailable" for state in states.values()):
                return True
            # Only when needed: each poll asked for starts a 10 s pause for the next one.
            with contextlib.suppress(E2EError):
                await self.poll_now(entity_ids)
            return False

        await wait_for(f"{vendor}'s entities after reauth", working)
        log(f"{vendor}: reauthenticated")

    async def fault_and_recovery(self, vendor: str, entity_ids: list[str]) -> None:
        """A server error makes the polled entities unavailable; they come back when it clears.

        Entities read by another coordinator (slow account figures) or events keep their state.
        """
        available = [
            entity_id
            for entity_id, state in (await self.states(entity_ids)).items()
            if state != "unavailable"
        ]
        await self.sim("POST", "/_simulator/fault", {"vendor": vendor, "fault": "server_error"})
        down: list[str] = []

        async def went_down() -> bool:
            await self.poll_now(entity_ids)
            await asyncio.sleep(1)
            states = await self.states(available)
            down[:] = [entity_id for entity_id in available if states[entity_id] == "unavailable"]
            return bool(down)

        async def came_back() -> bool:
            await self.poll_now(entity_ids)
            await asyncio.sleep(1)
            states = await self.states(available)
            return all(states[entity_id] != "unavailable" for entity_id in available)

        await wait_for(f"{vendor}'s entities to become unavailable", went_down)
        await self.sim("POST", "/_simulator/fault", {"vendor": vendor, "fault": None})
        await wait_for(f"{vendor}'s entities to come back", came_back)
        log(f"{vendor}: fault made {len(down)} of {len(available)} entities unavailable; all back")

    async def unload_and_remove(self, vendor: str) -> None:
        """Unload the entry (by disabling it), then remove it."""
        entry_id = self.entries[vendor]
        await self.ws_call(
            {"type": "config_entries/disable", "entry_id": entry_id, "disabled_by": "user"}
        )
        if (await self.entry_states()).get(entry_id) != "not_loaded":
            raise E2EError(f"{vendor}: not unloaded")
        await self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")
        if entry_id in await self.entry_states():
            raise E2EError(f"{vendor}: not removed")
        if await self.entity_ids(vendor):
            raise E2EError(f"{vendor}: entities left after removal")
        del self.entries[vendor]
        log(f"{vendor}: unloaded and removed")

    async def check_all_loaded(self) -> None:
        """Fail on any entry of the integration that is not loaded."""
        states = await self.entry_states()
        bad = {entry: state for entry, state in states.items() if state != "loaded"}
        if bad or set(states) != set(self.entries.values()):
            raise E2EError(f"entries not loaded: {bad or states}")

    async def start_and_onboard(self) -> str:
        """Start both processes, onboard, read the simulator's credentials; return the version."""
        self.write_config()
        self.start()
        await self.wait_ready()
        await self.onboard()
        state = await self.sim("GET", "/_simulator")
        self.credentials = {
            vendor: info["credentials"] for vendor, info in state["vendors"].items()
        }
        return str((await self.request("GET", "/api/config"))["version"])

    async def scenario(self) -> None:
        """Everything the run checks, in order."""
        version = await self.start_and_onboard()
        log(f"Home Assistant {version} on Python {sys.version.split()[0]}")
        for vendor in self.vendors:
            await self.add_vendor(vendor)
        for vendor in self.vendors:
            await self.wait_loaded(vendor)
        await self.check_all_loaded()
        for vendor in self.vendors:
            entity_ids = await self.check_entities_move(vendor)
            await self.reconfigure(vendor)
            await self.reauth(vendor, entity_ids)
            await self.fault_and_recovery(vendor, entity_ids)
        await self.check_all_loaded()
        await self.unload_and_remove(self.vendors[0])
        await self.check_all_loaded()


# 2025.4 writes "2025-05-01 12:00:00.123 ERROR", 2026.x adds the UTC offset.
ERROR_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\S* (ERROR|CRITICAL) ")


def log_findings(text: str) -> list[str]:
    """Return every deprecation report about the integration and every error traceback from it.

    A record starts with a timestamp; an ERROR record followed by a traceback that passes
    through the integration (its logger or its files) counts.
    """
    findings = [line for line in text.splitlines() if DEPRECATION in line]
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    for record in records:
        if not ERROR_RECORD.match(record) or "Traceback" not in record:
            continue
        if re.search(r"custom_components[./]contact_center", record):
            findings.append(record[:3000])
    return findings


async def run_and_report(
    run: Run,
    scenario: Callable[[], Awaitable[None]],
    errors: tuple[type[Exception], ...] = (),
) -> tuple[str | None, list[str]]:
    """Run a scenario, stop the processes and print what went wrong.

    Return the failure (None when the scenario passed) and the findings in Home Assistant's log.
    """
    failure: str | None = None
    caught: tuple[type[Exception], ...] = (E2EError, aiohttp.ClientError, TimeoutError, *errors)
    try:
        await scenario()
    except caught as err:
        failure = f"{type(err).__name__}: {err}"
    finally:
        if run.ws is not None:
            await run.ws.close()
        run.stop()
    hass_log = run.config / "home-assistant.log"
    text = hass_log.read_text(errors="replace") if hass_log.exists() else ""
    findings = log_findings(text)
    for finding in findings:
        print(f"LOG: {finding}")
    if failure:
        print(f"FAILED: {failure}")
        print("--- last lines of the Home Assistant log")
        print("\n".join(text.splitlines()[-60:]))
    return failure, findings


async def run(keep: bool, vendors: tuple[str, ...]) -> int:
    """Run the scenario in a fresh configuration directory; report and clean up."""
    config = Path(tempfile.mkdtemp(prefix="contact-center-e2e-"))
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        e2e = Run(session, config, vendors)
        failure, findings = await run_and_report(e2e, e2e.scenario)
    ok = failure is None and not findings
    if ok and not keep:
        shutil.rmtree(config, ignore_errors=True)
    else:
        print(f"Configuration and logs kept in {config}")
    log("passed" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--print-requirements",
        action="store_true",
        help="print what the e2e Home Assistant process needs installed, and exit",
    )
    parser.add_argument("--keep", action="store_true", help="keep the configuration directory")
    parser.add_argument(
        "--vendor",
        action="append",
        choices=VENDORS,
        help="run only this vendor (repeatable; default: all five)",
    )
    args = parser.parse_args()
    if args.print_requirements:
        print("\n".join(e2e_requirements()))
        return 0
    return asyncio.run(run(args.keep, tuple(args.vendor or VENDORS)))


if __name__ == "__main__":
    sys.exit(main())
