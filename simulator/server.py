"""Serving a simulator on a real TCP port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from .core import Simulator

# Bound the wait for in-flight handlers at shutdown; released handlers finish in milliseconds.
_SHUTDOWN_TIMEOUT = 5.0
_WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104


@asynccontextmanager
async def run_simulator(
    sim: Simulator, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``sim`` on ``host:port`` (0 picks a free port) and yield its base URL.

    On exit held ``slow`` answers are released and the runner is cleaned up completely, so no
    task or timer outlives the block.
    """
    runner = web.AppRunner(
        sim.build_app(), handle_signals=False, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        actual_port = runner.addresses[0][1]
        url_host = _WILDCARD_HOSTS.get(host, host)
        if ":" in url_host:
            url_host = f"[{url_host}]"
        yield f"http://{url_host}:{actual_port}"
    finally:
        sim.release_slow()
        await runner.cleanup()
