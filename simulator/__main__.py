"""``python -m simulator``: serve every simulated vendor API on one port until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
import json
import logging
import shlex
import signal

from .admin import ADMIN_PATH, ADVANCE_PATH, FAULT_PATH
from .core import Simulator
from .faults import Fault
from .forms import form_lines, load_translations
from .server import run_simulator

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read ``--host``, ``--port`` and ``--seed``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Serve simulated contact-center APIs for the Home Assistant integration.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 picks a free one)")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="scenario seed; the same seed gives the same credentials on every start",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="do not print a line for every API request"
    )
    return parser.parse_args(argv)


def describe(sim: Simulator, base_url: str) -> str:
    """Return the text shown at start: per vendor what to type into Home Assistant, and admin."""
    lines = [f"Contact-center simulator listening on {base_url} (seed {sim.seed})", ""]
    translations = load_translations()
    for vendor in sim.vendors.values():
        lines.append(f"{vendor.title} ({vendor.key})")
        lines.append("  In Home Assistant: Settings > Devices & services > Add integration >")
        lines.append(f"  Contact Center > {vendor.title}, then enter:")
        lines.extend(form_lines(vendor.key, vendor.config_forms(base_url), translations))
        sample = vendor.sample_url(base_url)
        if sample is not None:
            lines.append(f"  Try it: curl {shlex.quote(sample)}")
        lines.append("")

    first = next(iter(sim.vendors))
    lines.append("Admin endpoint:")
    lines.append(f"  curl {base_url}{ADMIN_PATH}")
    for payload, path in (
        ({"vendor": first, "fault": str(Fault.SERVER_ERROR)}, FAULT_PATH),
        ({"vendor": first, "fault": None}, FAULT_PATH),
        ({"seconds": 600}, ADVANCE_PATH),
    ):
        body = shlex.quote(json.dumps(payload))
        lines.append(
            f"  curl -X POST -H 'Content-Type: application/json' -d {body} {base_url}{path}"
        )
    lines.append(f"  Faults: {', '.join(Fault)}")
    lines.append("")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


async def serve(
    sim: Simulator,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    ready: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
    handle_signals: bool = True,
) -> None:
    """Serve ``sim`` until ``stop`` is set (or SIGINT/SIGTERM); ``ready`` gets the base URL."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    if handle_signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            # Windows has no loop signal handlers; Ctrl-C then ends asyncio.run instead.
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
                installed.append(signum)
    try:
        async with run_simulator(sim, host, port) as base_url:
            if ready is not None:
                ready(base_url)
            await stop.wait()
    finally:
        for installed_signal in installed:
            loop.remove_signal_handler(installed_signal)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator from the command line; returns the exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
    )
    sim = Simulator(seed=args.seed)

    def ready(base_url: str) -> None:
        print(describe(sim, base_url), flush=True)

    try:
        asyncio.run(serve(sim, args.host, args.port, ready=ready))
    except KeyboardInterrupt:
        pass
    except OSError as err:
        print(f"Cannot listen on {args.host}:{args.port}: {err.strerror or err}")
        return 1
    print("Simulator stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
