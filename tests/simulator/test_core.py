"""The core: request log, concurrency high-water mark, the app and serving."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
import pytest

from simulator import (
    Fault,
    RecordedRequest,
    Simulator,
    VendorSimulator,
    core,
    run_simulator,
)

from .conftest import EPOCH, Served


def test_vendors_are_keyed_and_typed(sim: Simulator) -> None:
    assert sim.vendors["live_guide"] is sim.live_guide
    assert sim.vendors["wolkvox"] is sim.wolkvox
    assert sim.vendors["cobrowser"] is sim.cobrowser
    assert sim.vendors["live_expert"] is sim.live_expert
    assert sim.vendors["bright_pattern"] is sim.bright_pattern
    assert all(key == vendor.key for key, vendor in sim.vendors.items())
    assert isinstance(sim.live_guide, VendorSimulator)
    assert sim.live_guide.credentials() == {"token": sim.live_guide.token}
    assert sim.live_guide.config_forms("http://h:1") == [
        {"url": "http://h:1", "token": sim.live_guide.token}
    ]
    assert sim.max_concurrent == dict.fromkeys(sim.vendors, 0)
    assert sim.slow_seconds == 30.0


def test_app_is_built_once(sim: Simulator) -> None:
    assert isinstance(sim.app, web.Application)
    assert sim.app is sim.app
    assert sim.build_app() is not sim.app


async def test_request_log(served: Served) -> None:
    served.clock.tick(3)
    params = served.params(perDepartment="true", format="xml")
    async with served.session.get(served.status_url, params=params) as response:
        assert response.status == 200
    async with served.session.get(f"{served.url}/_simulator") as response:
        assert response.status == 200
    async with served.session.get(f"{served.url}/nowhere") as response:
        assert response.status == 404
    assert served.sim.requests == [
        RecordedRequest(
            vendor="live_guide",
            method="GET",
            path="/lg/export/status.php",
            query=params,
            time=EPOCH + 3,
            headers=served.sim.requests[0].headers,
        )
    ]
    assert served.sim.requests[0].headers["Host"].startswith("127.0.0.1:")
    served.sim.reset_log()
    assert served.sim.requests == []
    assert served.sim.max_concurrent == dict.fromkeys(served.sim.vendors, 0)


async def test_max_concurrent(served: Served) -> None:
    sim = served.sim
    for _ in range(3):
        async with served.session.get(served.status_url, params=served.params()) as response:
            await response.read()
    assert sim.max_concurrent["live_guide"] == 1

    sim.set_fault("live_guide", Fault.SLOW)

    async def fetch() -> int:
        async with served.session.get(served.status_url, params=served.params()) as response:
            await response.read()
            return response.status

    tasks = [asyncio.create_task(fetch()) for _ in range(3)]
    await asyncio.wait_for(sim.wait_for_requests(6), 2)
    sim.release_slow()
    assert await asyncio.gather(*tasks) == [200, 200, 200]
    assert sim.max_concurrent["live_guide"] == 3
    sim.reset_log()
    assert sim.max_concurrent == dict.fromkeys(sim.vendors, 0)


async def test_served_more_than_once(socket_enabled: None, sim: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(2):
            async with (
                run_simulator(sim) as url,
                session.get(f"{url}/_simulator") as response,
            ):
                assert url.startswith("http://127.0.0.1:")
                assert response.status == 200


async def test_wildcard_host_gives_a_usable_url(socket_enabled: None, sim: Simulator) -> None:
    async with run_simulator(sim, host="0.0.0.0") as url:  # noqa: S104
        assert url.startswith("http://127.0.0.1:")


async def test_request_log_is_bounded(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "MAX_LOGGED_REQUESTS", 2)
    for step in range(3):
        served.clock.tick(1)
        async with served.session.get(served.status_url, params=served.params()) as response:
            assert response.status == 200
        assert len(served.sim.requests) == min(step + 1, 2)
    assert [r.time for r in served.sim.requests] == [EPOCH + 2, EPOCH + 3]


async def test_wait_for_requests_times_out(sim: Simulator) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(sim.wait_for_requests(1), 0.05)


async def test_served_body_replaces_the_answer_and_wins_over_a_fault(served: Served) -> None:
    sim = served.sim
    sim.set_fault("live_guide", Fault.SERVER_ERROR)
    sim.serve_body("live_guide", b"<status><operators>0</operators></status>")
    params = served.params(format="xml")
    async with served.session.get(served.status_url, params=params) as response:
        assert response.status == 200
        assert response.content_type == "application/xml"
        assert await response.read() == b"<status><operators>0</operators></status>"
    # The vendor still handled the request: a wrong token keeps its own status.
    async with served.session.get(served.status_url, params={"token": "wrong"}) as response:
        assert await response.read() == b"<status><operators>0</operators></status>"
    assert len(sim.requests) == 2
    sim.clear_faults()
    assert sim.body_for("live_guide") is None
    assert sim.fault_for("live_guide") is None
    async with served.session.get(served.status_url, params=params) as response:
        assert b"<global>" in await response.read()


def test_serve_body_for_an_unknown_vendor(sim: Simulator) -> None:
    with pytest.raises(KeyError):
        sim.serve_body("nobody", b"{}")
    with pytest.raises(KeyError):
        sim.body_for("nobody")
    sim.serve_body("wolkvox", b"{}")
    sim.serve_body("wolkvox", None)
    assert sim.body_for("wolkvox") is None
