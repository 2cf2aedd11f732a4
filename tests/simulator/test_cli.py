"""``python -m simulator``: arguments, the start text, serving and stopping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
import os
import signal

import aiohttp
import pytest

from simulator import Simulator
import simulator.__main__ as cli

from .conftest import FakeClock


def test_parse_args_defaults_and_options() -> None:
    args = cli.parse_args([])
    assert (args.host, args.port, args.seed, args.quiet) == ("127.0.0.1", 8080, 0, False)
    args = cli.parse_args(["--host", "0.0.0.0", "--port", "0", "--seed", "42", "--quiet"])  # noqa: S104
    assert (args.host, args.port, args.seed, args.quiet) == ("0.0.0.0", 0, 42, True)  # noqa: S104
    with pytest.raises(SystemExit):
        cli.parse_args(["--port", "eighty"])


def test_describe_says_what_to_type() -> None:
    sim = Simulator(seed=3, clock=FakeClock())
    text = cli.describe(sim, "http://127.0.0.1:8080")
    token = sim.live_guide.token
    assert "listening on http://127.0.0.1:8080 (seed 3)" in text
    assert "Live Guide" in text
    assert "Server URL:   http://127.0.0.1:8080" in text
    assert f"Access token: {token}" in text
    assert f"/lg/export/status.php?token={token}&perDepartment=true" in text
    assert "curl http://127.0.0.1:8080/_simulator\n" in text
    assert (
        """-d '{"vendor": "live_guide", "fault": "server_error"}' """
        "http://127.0.0.1:8080/_simulator/fault"
    ) in text
    assert """-d '{"vendor": "live_guide", "fault": null}'""" in text
    assert """-d '{"seconds": 600}' http://127.0.0.1:8080/_simulator/advance""" in text
    assert "Ctrl-C" in text


async def test_serve_until_stopped(socket_enabled: None) -> None:
    sim = Simulator(clock=FakeClock())
    stop = asyncio.Event()
    ready = asyncio.Event()
    urls: list[str] = []

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    task = asyncio.create_task(
        cli.serve(sim, "127.0.0.1", 0, ready=on_ready, stop=stop, handle_signals=False)
    )
    await asyncio.wait_for(ready.wait(), 2)
    async with aiohttp.ClientSession() as session, session.get(f"{urls[0]}/_simulator") as response:
        assert response.status == 200
    stop.set()
    await asyncio.wait_for(task, 2)


async def test_serve_stops_on_ctrl_c(socket_enabled: None) -> None:
    sim = Simulator(clock=FakeClock())
    ready = asyncio.Event()
    task = asyncio.create_task(cli.serve(sim, "127.0.0.1", 0, ready=lambda _url: ready.set()))
    await asyncio.wait_for(ready.wait(), 2)
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(task, 2)
    # The loop's handler is gone again: Ctrl-C is back to raising KeyboardInterrupt.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def run_main(argv: Sequence[str]) -> int:
    """Run cli.main in a thread of its own.

    Its asyncio.run() leaves the thread without a current event loop; on the test's thread, from
    Python 3.14 on (no implicit loop any more), the harness's setup of the next test then fails
    with "There is no current event loop".
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(cli.main, argv).result()


def test_main_prints_and_returns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def fake_serve(
        sim: Simulator, host: str, port: int, *, ready: Callable[[str], None]
    ) -> None:
        assert (host, port, sim.seed) == ("127.0.0.1", 9999, 4)
        ready(f"http://{host}:{port}")

    monkeypatch.setattr(cli, "serve", fake_serve)
    assert run_main(["--port", "9999", "--seed", "4", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:9999" in out
    assert "Simulator stopped." in out


def test_main_reports_a_port_in_use(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def fake_serve(*_args: object, **_kwargs: object) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(cli, "serve", fake_serve)
    assert run_main(["--port", "80", "--quiet"]) == 1
    assert "Address already in use" in capsys.readouterr().out
