"""The CoBrowser.net scenario and wire format, in-process and over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Fault, Simulator
from simulator.vendors.cobrowser import (
    ACCOUNT_PATH,
    BAD_CREDENTIALS_BODY,
    SLOT_STATES,
    UNKNOWN_COMMAND_BODY,
    CoBrowserSimulator,
)

from .conftest import FakeClock, Served

ONLINE = "getOnlineAgents"
ALL = "getAllAgents"
FIELDS = {
    "id",
    "name",
    "firstname",
    "username",
    "status",
    "lastactive",
    "slot_num",
    "hasFree",
    "numFree",
    "numOpen",
    "numClosed",
    *(
        f"{stat}{state.capitalize()}Duration"
        for stat in ("avg", "min", "max")
        for state in SLOT_STATES
    ),
}


def result(sim: Simulator, command: str = ONLINE) -> list[dict[str, Any]]:
    sim.cobrowser.advance_to(sim.now())
    return sim.cobrowser.result(command)


def by_id(sim: Simulator, command: str = ONLINE) -> dict[str, dict[str, Any]]:
    return {str(agent["id"]): agent for agent in result(sim, command)}


def params(served: Served, command: str = ONLINE, **extra: str) -> dict[str, str]:
    cobrowser = served.sim.cobrowser
    return {"user": cobrowser.username, "apiKey": cobrowser.api_key, "c": command, **extra}


# --- determinism and movement --------------------------------------------------------------


def test_same_seed_and_clock_readings_give_same_answers() -> None:
    clocks = [FakeClock(), FakeClock()]
    sims = [Simulator(seed=5, clock=clock) for clock in clocks]
    assert sims[0].cobrowser.api_key == sims[1].cobrowser.api_key
    for step in (0, 7, 60, 300, 3600):
        for clock in clocks:
            clock.tick(step)
        assert result(sims[0], ALL) == result(sims[1], ALL)


def test_different_seeds_differ() -> None:
    one, two = Simulator(seed=1, clock=FakeClock()), Simulator(seed=2, clock=FakeClock())
    assert one.cobrowser.api_key != two.cobrowser.api_key
    assert len(one.cobrowser.api_key) == 40
    assert one.cobrowser.credentials() == {
        "username": "demo-desk",
        "api_key": one.cobrowser.api_key,
    }


def test_clock_that_does_not_move_changes_nothing(sim: Simulator) -> None:
    first = result(sim, ALL)
    for _ in range(10):
        assert result(sim, ALL) == first


def test_scenario_moves_within_slot_limits(sim: Simulator, clock: FakeClock) -> None:
    """Over three hours agents sign in and out, go offline, and chats open and close."""
    signed_in_changes = status_changes = chat_changes = 0
    states_seen: set[str] = set()
    previous = by_id(sim, ALL)
    online_before = set(by_id(sim))
    for _ in range(3 * 720):
        clock.tick(5)
        current = by_id(sim, ALL)
        online_now = set(by_id(sim))
        signed_in_changes += len(online_before ^ online_now)
        online_before = online_now
        for agent_id, agent in current.items():
            slots = int(agent["slot_num"])
            free, open_, closed = (int(agent[k]) for k in ("numFree", "numOpen", "numClosed"))
            assert open_ + closed == slots
            assert 0 <= free <= closed
            assert agent["hasFree"] == ("1" if free else "0")
            if agent["status"] == "offline":
                assert free == 0
            if agent_id not in online_now:
                assert agent["status"] == "offline"
                assert open_ == 0
            status_changes += agent["status"] != previous[agent_id]["status"]
            chat_changes += agent["numOpen"] != previous[agent_id]["numOpen"]
        for agent in sim.cobrowser.agents.values():
            states_seen.update(slot.state for slot in agent.slots)
        previous = current
    assert signed_in_changes >= 2
    assert status_changes >= 4
    assert chat_changes >= 20
    assert states_seen == set(SLOT_STATES)


def test_durations_follow_slot_ages(sim: Simulator, clock: FakeClock) -> None:
    cobrowser = sim.cobrowser
    cobrowser.freeze()
    cobrowser.set_agent("101", signed_in=True, status="online", chats=0)
    cobrowser.set_agent("101", chats=2)
    clock.tick(30)
    agent = by_id(sim)["101"]
    assert agent["numOpen"] == "2"
    assert agent["minOpenDuration"] == agent["maxOpenDuration"] == "30"
    assert agent["avgNewDuration"] == "0"
    clock.tick(10)
    assert by_id(sim)["101"]["avgOpenDuration"] == "40"
    assert int(by_id(sim)["101"]["lastactive"]) == int(sim.now()) - 40


def test_freeze_stops_movement_but_not_durations(sim: Simulator, clock: FakeClock) -> None:
    sim.cobrowser.freeze()
    assert sim.cobrowser.frozen
    before = by_id(sim, ALL)
    clock.tick(3600)
    after = by_id(sim, ALL)
    for agent_id, agent in before.items():
        assert {k: v for k, v in agent.items() if "Duration" not in k} == {
            k: v for k, v in after[agent_id].items() if "Duration" not in k
        }
    sim.cobrowser.unfreeze()
    assert not sim.cobrowser.frozen
    clock.tick(3600)
    assert by_id(sim, ALL) != after


def test_controls(sim: Simulator) -> None:
    cobrowser = sim.cobrowser
    cobrowser.freeze()
    cobrowser.set_agent("102", signed_in=False)
    assert "102" not in by_id(sim)
    assert by_id(sim, ALL)["102"]["status"] == "offline"
    cobrowser.set_agent("102", signed_in=True)
    assert by_id(sim)["102"]["status"] == "online"
    cobrowser.set_agent("102", chats=2)
    agent = by_id(sim)["102"]
    assert (agent["hasFree"], agent["numFree"], agent["numOpen"]) == ("0", "0", "2")
    cobrowser.set_agent("102", status="offline")
    assert by_id(sim)["102"]["status"] == "offline"
    with pytest.raises(ValueError, match="between 0 and 2"):
        cobrowser.set_agent("102", chats=3)
    cobrowser.remove_agent("102")
    assert "102" not in by_id(sim, ALL)
    with pytest.raises(ValueError, match="empty"):
        cobrowser.api_key = ""
    cobrowser.api_key = "new-key"
    assert cobrowser.api_key == "new-key"


def test_numbers_as_strings_or_numbers(sim: Simulator) -> None:
    agent = result(sim, ALL)[0]
    assert set(agent) == FIELDS
    assert all(isinstance(agent[k], str) for k in FIELDS)
    sim.cobrowser.string_numbers = False
    agent = result(sim, ALL)[0]
    assert isinstance(agent["id"], int)
    assert isinstance(agent["hasFree"], int)
    assert isinstance(agent["maxClosedDuration"], int)
    assert isinstance(agent["status"], str)


def test_summary(sim: Simulator) -> None:
    summary = sim.cobrowser.summary()
    online = [a for a in result(sim) if a["status"] == "online"]
    assert summary["agents_signed_in"] == len(result(sim))
    assert summary["agents_online"] == len(online)
    assert summary["free_slots"] == sum(int(a["numFree"]) for a in online)
    assert summary["string_numbers"] is True


def test_sample_url_and_fields(sim: Simulator) -> None:
    cobrowser = sim.cobrowser
    assert isinstance(cobrowser, CoBrowserSimulator)
    assert cobrowser.sample_url("http://h:1") == (
        f"http://h:1{ACCOUNT_PATH}?user=demo-desk&apiKey={cobrowser.api_key}&c={ONLINE}"
    )
    assert cobrowser.config_forms("http://h:1") == [
        {"url": "http://h:1", "username": "demo-desk", "api_key": cobrowser.api_key}
    ]


# --- over HTTP -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", [ONLINE, ALL])
async def test_both_commands(served: Served, command: str) -> None:
    url = f"{served.url}{ACCOUNT_PATH}"
    async with served.session.get(url, params=params(served, command)) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        data = await response.json()
    assert list(data) == [command]
    assert data[command] == result(served.sim, command)


@pytest.mark.parametrize(
    "changes",
    [{"apiKey": "wrong"}, {"user": "someone-else"}, {"apiKey": ""}],
)
async def test_bad_credentials_answer_the_assumed_error(
    served: Served, changes: dict[str, str]
) -> None:
    url = f"{served.url}{ACCOUNT_PATH}"
    async with served.session.get(url, params=params(served, **changes)) as response:
        assert response.status == 200
        assert json.loads(await response.read()) == BAD_CREDENTIALS_BODY


async def test_unknown_command(served: Served) -> None:
    url = f"{served.url}{ACCOUNT_PATH}"
    async with served.session.get(url, params=params(served, "getEverything")) as response:
        assert json.loads(await response.read()) == UNKNOWN_COMMAND_BODY


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        (Fault.TOKEN_REVOKED, 200),
        (Fault.UNAUTHORIZED, 401),
        (Fault.FORBIDDEN, 403),
        (Fault.SERVER_ERROR, 500),
        (Fault.MALFORMED, 200),
        (Fault.TRUNCATED, 200),
        (Fault.EMPTY, 200),
        (Fault.HTML, 200),
    ],
)
async def test_generic_faults_apply_to_the_account_route(
    served: Served, fault: Fault, status: int
) -> None:
    served.sim.set_fault("cobrowser", fault)
    url = f"{served.url}{ACCOUNT_PATH}"
    async with served.session.get(url, params=params(served)) as response:
        assert response.status == status
        raw = await response.read()
    if fault is Fault.TOKEN_REVOKED:
        assert json.loads(raw) == BAD_CREDENTIALS_BODY
    elif fault in (Fault.MALFORMED, Fault.TRUNCATED):
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)
    elif fault is Fault.EMPTY:
        assert raw == b""
    assert served.sim.requests[-1].vendor == "cobrowser"
    assert served.sim.fault_for("live_guide") is None


def test_catch_up_is_capped(sim: Simulator, clock: FakeClock) -> None:
    """A day-long gap runs at most max_catch_up_ticks ticks; time itself still jumps."""
    cobrowser = sim.cobrowser
    ticks: list[float] = []
    original = cobrowser._tick

    def counting(now: float) -> None:
        ticks.append(now)
        original(now)

    cobrowser._tick = counting  # type: ignore[method-assign]
    clock.tick(86_400)
    cobrowser.advance_to(sim.now())
    assert len(ticks) == cobrowser.max_catch_up_ticks
    assert cobrowser.now == sim.now()
    cobrowser.advance_to(sim.now() - 10)
    assert cobrowser.now == sim.now()
