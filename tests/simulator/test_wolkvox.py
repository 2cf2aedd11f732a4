"""The wolkvox simulator: wire format, token rules, limits and the moving scenario."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from simulator import Fault, Simulator
from simulator.vendors.wolkvox import (
    INVALID_TOKEN,
    MAINTENANCE,
    MISSING_TOKEN,
    NO_SUCH_API,
    PARAMETERS_REQUIRED,
    QUOTA_EXCEEDED,
    SIMULTANEOUS,
)

from .conftest import FakeClock, Served

REAL_TIME = "/api/v2/real_time.php"
INFORMATION = "/api/v2/information.php"


async def get(
    served: Served,
    path: str = REAL_TIME,
    token: str | None = None,
    **params: str,
) -> tuple[int, dict[str, Any]]:
    headers = {"wolkvox-token": served.sim.wolkvox.token if token is None else token}
    query = params or {"api": "skills", "skill_id": "101"}
    async with served.session.get(f"{served.url}{path}", params=query, headers=headers) as response:
        return response.status, json.loads(await response.read())


def test_same_seed_same_token_and_figures() -> None:
    first, second = Simulator(seed=3, clock=FakeClock()), Simulator(seed=3, clock=FakeClock())
    assert first.wolkvox.token == second.wolkvox.token
    assert len(first.wolkvox.token) == 40
    assert Simulator(seed=4, clock=FakeClock()).wolkvox.token != first.wolkvox.token
    for sim in (first, second):
        sim.advance(3600)
        sim.wolkvox.advance_to(sim.now())
    records = [
        [sim.wolkvox.skill_record(skill) for skill in sim.wolkvox.skills.values()]
        for sim in (first, second)
    ]
    assert records[0] == records[1]


async def test_skill_answer_is_the_documented_envelope(served: Served) -> None:
    status, body = await get(served)
    assert status == 200
    assert set(body) == {"code", "error", "msg", "data"}
    assert body["error"] is None
    assert body["msg"] == "1 records were found"
    record = body["data"][0]
    assert set(record) == {
        "skill_id",
        "skill_name",
        "calls_in_queue_now",
        "stat_inbound",
        "stat_answer",
        "stat_abandon",
        "service_level_10seg",
        "service_level_20seg",
        "service_level_30seg",
        "by_abandon",
    }
    assert all(isinstance(value, str) for value in record.values())
    assert record["skill_id"] == "101"
    # Odd skill ids carry a % sign; ``code`` alternates between a number and a string.
    assert record["by_abandon"].endswith("%")
    _, even = await get(served, api="skills", skill_id="102")
    assert not even["data"][0]["by_abandon"].endswith("%")
    assert {type(body["code"]), type(even["code"])} == {int, str}


async def test_token_rules(served: Served) -> None:
    wolkvox = served.sim.wolkvox
    assert await get(served, token="") == (
        401,
        {"code": 401, "error": MISSING_TOKEN, "msg": MISSING_TOKEN, "data": None},
    )
    status, body = await get(served, token="wrong")
    assert (status, body["error"]) == (403, INVALID_TOKEN)
    served.sim.set_fault("wolkvox", Fault.TOKEN_REVOKED)
    status, body = await get(served)
    assert (status, body["error"]) == (403, INVALID_TOKEN)
    served.sim.set_fault("wolkvox", None)
    assert wolkvox.used_today == 0
    wolkvox.maintenance = True
    status, body = await get(served)
    assert (status, body["error"]) == (403, MAINTENANCE)


async def test_parameters(served: Served) -> None:
    wolkvox = served.sim.wolkvox
    status, body = await get(served, api="agents")
    assert (status, body["error"]) == (400, NO_SUCH_API)
    status, body = await get(served, api="skills")
    assert (status, body["error"]) == (400, PARAMETERS_REQUIRED)
    status, body = await get(served, api="skills", skill_id="999")
    assert (status, body["error"]) == (400, PARAMETERS_REQUIRED)
    wolkvox.invalid_skill_style = "empty"
    status, body = await get(served, api="skills", skill_id="999")
    assert (status, body["data"], body["msg"]) == (200, [], "0 records were found")
    status, body = await get(served, INFORMATION, api="nothing")
    assert (status, body["error"]) == (400, NO_SUCH_API)


async def test_quota_counts_and_renews_at_midnight(served: Served) -> None:
    wolkvox = served.sim.wolkvox
    wolkvox.quota_limit = 3
    status, body = await get(served, INFORMATION, api="token_info")
    assert status == 200
    assert body["data"] == [{"token_limit": "3", "token_use_today": "1", "all_token_today": "1"}]
    assert (await get(served))[0] == 200
    assert (await get(served))[0] == 200
    status, body = await get(served)
    assert (status, body["error"]) == (403, QUOTA_EXCEEDED)
    assert wolkvox.used_today == 3
    served.clock.tick(86_400)
    assert (await get(served))[0] == 200
    assert wolkvox.used_today == 1


async def test_a_third_simultaneous_request_is_refused(served: Served) -> None:
    wolkvox = served.sim.wolkvox
    wolkvox.latency = 0.2
    results = await asyncio.gather(*(get(served) for _ in range(3)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 200, 403]
    assert [body["error"] for status, body in results if status == 403] == [SIMULTANEOUS]
    assert wolkvox.max_in_flight == 2
    assert wolkvox.refused_simultaneous == 1
    assert wolkvox.used_today == 2
    assert served.sim.max_concurrent["wolkvox"] == 3


async def test_generic_faults_apply(served: Served) -> None:
    served.sim.set_fault("wolkvox", Fault.SERVER_ERROR)
    async with served.session.get(f"{served.url}{REAL_TIME}") as response:
        assert response.status == 500


def test_figures_move_and_reset(sim: Simulator, clock: FakeClock) -> None:
    wolkvox = sim.wolkvox
    before = {key: skill.inbound for key, skill in wolkvox.skills.items()}
    clock.tick(3600)
    wolkvox.advance_to(sim.now())
    after = {key: skill.inbound for key, skill in wolkvox.skills.items()}
    assert all(after[key] > before[key] for key in before)
    for skill in wolkvox.skills.values():
        assert skill.answered + skill.abandoned + len(skill.queue) <= skill.inbound + 300
        assert skill.within[10] <= skill.within[20] <= skill.within[30] <= skill.answered
    # An earlier time changes nothing; frozen, nothing moves.
    wolkvox.advance_to(sim.now() - 100)
    wolkvox.freeze()
    assert wolkvox.frozen
    clock.tick(600)
    wolkvox.advance_to(sim.now())
    assert {key: skill.inbound for key, skill in wolkvox.skills.items()} == after
    wolkvox.unfreeze()
    assert not wolkvox.frozen
    wolkvox.set_skill("101", inbound=1_000_000)
    clock.tick(86_400 * 2)
    wolkvox.advance_to(sim.now())
    assert wolkvox.skills["101"].inbound < 1_000_000


def test_controls(sim: Simulator) -> None:
    wolkvox = sim.wolkvox
    wolkvox.freeze()
    wolkvox.set_skill("101", waiting=2, inbound=10, answered=5, abandoned=3, within=(1, 2, 4))
    record = wolkvox.skill_record(wolkvox.skills["101"])
    assert record["calls_in_queue_now"] == "2"
    assert (record["service_level_10seg"], record["service_level_30seg"]) == ("20%", "80%")
    assert record["by_abandon"] == "30%"
    wolkvox.add_skill("200", "Nueva")
    assert wolkvox.skill_record(wolkvox.skills["200"])["service_level_20seg"] == "0"
    with pytest.raises(ValueError, match="exists"):
        wolkvox.add_skill("200", "Again")
    wolkvox.remove_skill("200")
    assert "200" not in wolkvox.skills
    assert wolkvox.credentials() == {"token": wolkvox.token, "skill_ids": "101,102,103"}
    assert wolkvox.config_forms("http://h:1")[0]["server"] == "http://h:1"
    assert wolkvox.sample_url("http://h:1") is None
    summary = wolkvox.summary()
    assert summary["skills"]["101"] == {"name": "Ventas", "waiting": 2, "inbound": 10}
    assert summary["quota_limit"] == 5000
    assert sim.admin_state()["vendors"]["wolkvox"]["title"] == "wolkvox"
