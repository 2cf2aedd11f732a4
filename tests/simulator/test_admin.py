"""The admin endpoint, with good and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Fault

from .conftest import Served


async def post(served: Served, path: str, payload: Any = None, raw: bytes | None = None) -> Any:
    kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": payload}
    async with served.session.post(f"{served.url}/_simulator/{path}", **kwargs) as response:
        return response.status, await response.json()


async def test_show(served: Served) -> None:
    served.sim.set_fault("live_guide", Fault.HTML)
    async with served.session.get(f"{served.url}/_simulator") as response:
        assert response.status == 200
        state = await response.json()
    assert state["seed"] == 0
    assert state["offset"] == 0
    assert state["faults"] == [str(fault) for fault in Fault]
    live_guide = state["vendors"]["live_guide"]
    assert live_guide["title"] == "Live Guide"
    assert live_guide["credentials"] == {"token": served.sim.live_guide.token}
    # What to type, for the address the simulator was reached at (scripts/develop prints it).
    assert live_guide["forms"] == [{"url": served.url, "token": served.sim.live_guide.token}]
    assert live_guide["fault"] == "html"
    assert live_guide["state"] == served.sim.live_guide.summary()
    assert set(live_guide["state"]) >= {"waiting", "max_waiting", "operators_logged_in"}
    assert served.sim.requests == []


async def test_set_and_clear_fault(served: Served) -> None:
    status, state = await post(served, "fault", {"vendor": "live_guide", "fault": "server_error"})
    assert status == 200
    assert state["vendors"]["live_guide"]["fault"] == "server_error"
    assert served.sim.fault_for("live_guide") is Fault.SERVER_ERROR
    async with served.session.get(served.status_url, params=served.params()) as response:
        assert response.status == 500
    status, state = await post(served, "fault", {"vendor": "live_guide", "fault": None})
    assert status == 200
    assert state["vendors"]["live_guide"]["fault"] is None
    assert served.sim.fault_for("live_guide") is None


async def test_advance(served: Served) -> None:
    before = served.sim.live_guide.render("json", per_department=True)
    status, state = await post(served, "advance", {"seconds": 60})
    assert status == 200
    assert state["offset"] == 60
    status, state = await post(served, "advance", {"seconds": 1.5})
    assert state["offset"] == 61.5
    assert served.sim.offset == 61.5
    assert served.sim.live_guide.render("json", per_department=True) != before


@pytest.mark.parametrize(
    ("path", "payload", "raw", "message"),
    [
        ("fault", None, b"{not json", "JSON object"),
        ("fault", None, b"\xff\xfe", "JSON object"),
        ("fault", ["live_guide"], None, "JSON object"),
        ("fault", {"vendor": "nobody", "fault": "slow"}, None, "'vendor' must be one of"),
        ("fault", {"vendor": 3, "fault": "slow"}, None, "'vendor'"),
        ("fault", {"vendor": "live_guide"}, None, "'fault' is missing"),
        ("fault", {"vendor": "live_guide", "fault": "sideways"}, None, "'fault' must be"),
        ("fault", {"vendor": "live_guide", "fault": 5}, None, "'fault' must be"),
        ("advance", {"seconds": -1}, None, "'seconds'"),
        ("advance", {"seconds": "60"}, None, "'seconds'"),
        ("advance", {"seconds": True}, None, "'seconds'"),
        ("advance", {}, None, "'seconds'"),
        ("advance", None, b'{"seconds": NaN}', "'seconds'"),
    ],
)
async def test_bad_input(
    served: Served, path: str, payload: Any, raw: bytes | None, message: str
) -> None:
    served.sim.set_fault("live_guide", Fault.EMPTY)
    status, answer = await post(served, path, payload, raw)
    assert status == 400
    assert message in answer["error"]
    assert served.sim.fault_for("live_guide") is Fault.EMPTY
    assert served.sim.offset == 0


async def test_serve_and_restore_a_body(served: Served) -> None:
    body = '{"operators": "temporarily unavailable"}'
    status, state = await post(served, "body", {"vendor": "live_guide", "body": body})
    assert status == 200
    assert state["vendors"]["live_guide"]["served_body"] == len(body)
    assert state["vendors"]["cobrowser"]["served_body"] is None
    async with served.session.get(served.status_url, params=served.params()) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        assert await response.read() == body.encode()
    status, state = await post(served, "body", {"vendor": "live_guide", "body": None})
    assert state["vendors"]["live_guide"]["served_body"] is None
    assert served.sim.body_for("live_guide") is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"vendor": "nobody", "body": "{}"}, "'vendor' must be one of"),
        ({"vendor": "live_guide"}, "'body' is missing"),
        ({"vendor": "live_guide", "body": {"operators": 3}}, "'body' must be null or"),
    ],
)
async def test_bad_body_input(served: Served, payload: Any, message: str) -> None:
    status, answer = await post(served, "body", payload)
    assert status == 400
    assert message in answer["error"]
    assert served.sim.body_for("live_guide") is None
