"""Every fault mode through real HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from xml.etree import ElementTree as ET

import aiohttp
import pytest

from simulator import Fault, Simulator, run_simulator
from simulator.faults import malformed
from simulator.vendors.live_guide import BAD_TOKEN_MESSAGE

from .conftest import Served, parse_xml


async def get(served: Served, **params: str) -> tuple[aiohttp.ClientResponse, bytes]:
    async with served.session.get(
        served.status_url, params=served.params(perDepartment="true", **params)
    ) as response:
        return response, await response.read()


def test_fault_values() -> None:
    assert [str(fault) for fault in Fault] == [
        "token_revoked",
        "unauthorized",
        "forbidden",
        "server_error",
        "slow",
        "malformed",
        "truncated",
        "empty",
        "html",
        "oversized",
    ]


def test_set_fault_checks_its_input(sim: Simulator) -> None:
    with pytest.raises(KeyError):
        sim.set_fault("nobody", Fault.SLOW)
    with pytest.raises(ValueError, match="not a valid Fault"):
        sim.set_fault("live_guide", "sideways")
    with pytest.raises(KeyError):
        sim.fault_for("nobody")
    sim.set_fault("live_guide", "html")
    assert sim.fault_for("live_guide") is Fault.HTML
    sim.clear_faults()
    assert sim.fault_for("live_guide") is None


@pytest.mark.parametrize("response_format", ["json", "xml"])
async def test_token_revoked_answers_like_a_bad_token(served: Served, response_format: str) -> None:
    served.sim.set_fault("live_guide", Fault.TOKEN_REVOKED)
    _, revoked = await get(served, format=response_format)
    served.sim.set_fault("live_guide", None)
    async with served.session.get(
        served.status_url, params={"token": "bad", "format": response_format}
    ) as response:
        bad = await response.read()
    assert revoked == bad
    assert BAD_TOKEN_MESSAGE.encode() in revoked


@pytest.mark.parametrize(
    ("fault", "status"),
    [(Fault.UNAUTHORIZED, 401), (Fault.FORBIDDEN, 403), (Fault.SERVER_ERROR, 500)],
)
async def test_error_statuses(served: Served, fault: Fault, status: int) -> None:
    served.sim.set_fault("live_guide", fault)
    response, raw = await get(served)
    assert response.status == status
    assert 0 < len(raw) < 100


@pytest.mark.parametrize(
    ("response_format", "content_type"), [("json", "application/json"), ("xml", "application/xml")]
)
async def test_malformed(served: Served, response_format: str, content_type: str) -> None:
    served.sim.set_fault("live_guide", Fault.MALFORMED)
    response, raw = await get(served, format=response_format)
    assert response.status == 200
    assert response.content_type == content_type
    if response_format == "json":
        assert raw.startswith(b'{"global":')
        assert b",}" in raw
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)
    else:
        with pytest.raises(ET.ParseError):
            parse_xml(raw)


def test_malformed_never_parses() -> None:
    values: list[Any] = [{}, [], {"a": [1, {"b": None}]}, "text", 3]
    for value in values:
        with pytest.raises(json.JSONDecodeError):
            json.loads(malformed(json.dumps(value).encode(), "application/json"))
    assert malformed(b"{oops", "application/json") == b"{oops,}"
    assert b"\x00" in malformed(b"a,b\n1,2\n", "text/csv")


@pytest.mark.parametrize("response_format", ["json", "xml"])
async def test_truncated(served: Served, response_format: str) -> None:
    _, whole = await get(served, format=response_format)
    served.sim.set_fault("live_guide", Fault.TRUNCATED)
    response, raw = await get(served, format=response_format)
    assert response.status == 200
    assert raw == whole[: len(whole) // 2]
    assert response.headers["Content-Length"] == str(len(raw))


async def test_empty(served: Served) -> None:
    served.sim.set_fault("live_guide", Fault.EMPTY)
    response, raw = await get(served)
    assert (response.status, response.content_type, raw) == (200, "application/json", b"")
    assert response.headers["Content-Length"] == "0"


async def test_html(served: Served) -> None:
    served.sim.set_fault("live_guide", Fault.HTML)
    response, raw = await get(served, format="xml")
    assert (response.status, response.content_type) == (200, "text/html")
    assert raw.startswith(b"<!DOCTYPE html>")
    assert b"<form" in raw


@pytest.mark.parametrize("declare_length", [False, True])
async def test_oversized(served: Served, declare_length: bool) -> None:
    served.sim.oversized_bytes = 300_000
    served.sim.oversized_declare_length = declare_length
    served.sim.set_fault("live_guide", Fault.OVERSIZED)
    response, raw = await get(served)
    assert (response.status, response.content_type) == (200, "application/json")
    assert len(raw) == 300_000
    assert raw.startswith(b'{"status":"ok","items":[{"id":0,')
    if declare_length:
        assert response.headers["Content-Length"] == "300000"
    else:
        assert response.headers["Transfer-Encoding"] == "chunked"


async def test_oversized_default_size_and_a_client_that_gives_up(served: Served) -> None:
    assert served.sim.oversized_bytes == 16 * 1024 * 1024
    served.sim.set_fault("live_guide", Fault.OVERSIZED)
    async with served.session.get(served.status_url, params=served.params()) as response:
        first = await response.content.read(1024)
        assert first.startswith(b'{"status"')
        response.close()
    served.sim.clear_faults()
    response, raw = await get(served)
    assert response.status == 200
    assert json.loads(raw)["global"]


async def test_slow_holds_then_answers_normally(served: Served) -> None:
    _, normal = await get(served)
    served.sim.slow_seconds = 0.2
    served.sim.set_fault("live_guide", Fault.SLOW)
    started = time.monotonic()
    response, raw = await get(served)
    assert time.monotonic() - started >= 0.2
    assert (response.status, raw) == (200, normal)


async def test_slow_is_released_when_the_fault_is_cleared(served: Served) -> None:
    served.sim.set_fault("live_guide", Fault.SLOW)
    timeout = aiohttp.ClientTimeout(total=0.2)
    with pytest.raises(TimeoutError):
        async with served.session.get(
            served.status_url, params=served.params(), timeout=timeout
        ) as response:
            await response.read()
    task = asyncio.create_task(get(served))
    await asyncio.wait_for(served.sim.wait_for_requests(2), 2)
    assert not task.done()
    served.sim.set_fault("live_guide", None)
    response, raw = await asyncio.wait_for(task, 2)
    assert response.status == 200
    assert json.loads(raw)["operators"]


async def test_release_slow_lets_held_answers_go(served: Served) -> None:
    served.sim.set_fault("live_guide", Fault.SLOW)
    task = asyncio.create_task(get(served))
    await asyncio.wait_for(served.sim.wait_for_requests(1), 2)
    served.sim.release_slow()
    response, _ = await asyncio.wait_for(task, 2)
    assert response.status == 200
    assert served.sim.fault_for("live_guide") is Fault.SLOW


async def test_shutdown_releases_held_answers(socket_enabled: None, sim: Simulator) -> None:
    sim.set_fault("live_guide", Fault.SLOW)
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        async with run_simulator(sim) as url:
            task = asyncio.create_task(
                session.get(f"{url}/lg/export/status.php", params={"token": sim.live_guide.token})
            )
            await asyncio.wait_for(sim.wait_for_requests(1), 2)
        results = await asyncio.gather(task, return_exceptions=True)
        response = results[0]
        if isinstance(response, aiohttp.ClientResponse):
            response.release()
    assert time.monotonic() - started < 3
