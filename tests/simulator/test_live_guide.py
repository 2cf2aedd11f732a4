"""The Live Guide scenario and wire format, in-process and over HTTP."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from simulator import Simulator
from simulator.vendors.live_guide import BAD_TOKEN_MESSAGE, LiveGuideSimulator

from .conftest import FakeClock, Served, parse_xml


def body(sim: Simulator, response_format: str = "json", per_department: bool = True) -> bytes:
    sim.live_guide.advance_to(sim.now())
    return sim.live_guide.render(response_format, per_department)


def data(sim: Simulator, per_department: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(body(sim, "json", per_department))
    return result


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def bare(sim: Simulator) -> LiveGuideSimulator:
    """Return the Live Guide with nothing but Sales and nobody waiting, frozen."""
    live_guide = sim.live_guide
    live_guide.freeze()
    for email in list(live_guide.operators):
        live_guide.remove_operator(email)
    for department_id in ("2", "3", "4"):
        live_guide.remove_department(department_id)
    live_guide.set_waiting("1", 0, 0)
    return live_guide


# --- determinism and movement --------------------------------------------------------------


def test_same_seed_and_clock_readings_give_same_bodies() -> None:
    clocks = [FakeClock(), FakeClock()]
    sims = [Simulator(seed=5, clock=clock) for clock in clocks]
    assert sims[0].live_guide.token == sims[1].live_guide.token
    for step in (0, 7, 60, 300, 3600):
        for clock in clocks:
            clock.tick(step)
        for response_format in ("json", "xml"):
            assert body(sims[0], response_format) == body(sims[1], response_format)


def test_initial_state_is_fixed_for_a_seed_whatever_the_start_time() -> None:
    early = Simulator(seed=2, clock=FakeClock(1_000_000.0))
    late = Simulator(seed=2, clock=FakeClock(2_000_000.0))
    assert body(early) == body(late)


def test_different_seed_gives_different_token_and_bodies() -> None:
    one, two = Simulator(seed=1, clock=FakeClock()), Simulator(seed=2, clock=FakeClock())
    assert one.live_guide.token != two.live_guide.token
    assert len(one.live_guide.token) == 32
    assert one.live_guide.token.isalnum()
    assert body(one) != body(two)


def test_clock_that_does_not_move_changes_nothing(sim: Simulator) -> None:
    first = body(sim)
    for _ in range(20):
        assert body(sim) == first


def test_scenario_moves_over_ticks(sim: Simulator, clock: FakeClock) -> None:
    bodies = set()
    waiting_seen = returns_offline = logged_out = status_changes = 0
    statuses = {e: o.status for e, o in sim.live_guide.operators.items()}
    for _ in range(6 * 60):
        clock.tick(60)
        answer = data(sim)
        bodies.add(json.dumps(answer))
        if answer["global"]["customers"]["inqueue"] > 0:
            waiting_seen += 1
            assert answer["global"]["customers"]["maxWaiting"] >= 0
        names = {d["@attributes"]["name"] for d in as_list(answer["departments"])}
        returns_offline += "Returns" not in names
        operators = as_list(answer["operators"])
        logged_out += len(operators) < 8
        for operator in sim.live_guide.operators.values():
            if statuses[operator.email] != operator.status:
                status_changes += 1
                statuses[operator.email] = operator.status
    assert len(bodies) > 300
    assert waiting_seen > 10
    assert returns_offline > 0
    assert logged_out > 0
    assert status_changes > 5


def test_operators_stay_in_capacity_and_departments(sim: Simulator, clock: FakeClock) -> None:
    for _ in range(200):
        clock.tick(30)
        sim.live_guide.advance_to(sim.now())
        for operator in sim.live_guide.operators.values():
            assert 0 <= operator.chats <= operator.capacity
            assert 1 <= len(operator.departments) <= 3
            assert operator.email.endswith("@example.com")


def test_online_for_counts_seconds_since_login(sim: Simulator, clock: FakeClock) -> None:
    live_guide = sim.live_guide
    live_guide.freeze()
    live_guide.add_operator("New Person", "new.person@example.com", ["2"], online_for=56)
    clock.tick(10)
    answer = data(sim)
    new = next(o for o in as_list(answer["operators"]) if o["@attributes"]["name"] == "New Person")
    assert new["onlineFor"] == "66"


def test_freeze_stops_random_movement_but_not_time(sim: Simulator, clock: FakeClock) -> None:
    live_guide = sim.live_guide
    live_guide.freeze()
    before = {email: (o.status, o.chats, o.logged_in) for email, o in live_guide.operators.items()}
    online_for = {o["@attributes"]["email"]: int(o["onlineFor"]) for o in data(sim)["operators"]}
    clock.tick(3 * 3600)
    answer = data(sim)
    after = {email: (o.status, o.chats, o.logged_in) for email, o in live_guide.operators.items()}
    assert after == before
    for operator in answer["operators"]:
        email = operator["@attributes"]["email"]
        assert int(operator["onlineFor"]) == online_for[email] + 3 * 3600
    live_guide.set_operator("john.smith@example.com", status="busy", chats=3)
    assert live_guide.operators["john.smith@example.com"].status == "busy"
    assert live_guide.operators["john.smith@example.com"].chats == 3

    live_guide.unfreeze()
    assert not live_guide.frozen
    clock.tick(3 * 3600)
    live_guide.advance_to(sim.now())
    moved = {email: (o.status, o.chats, o.logged_in) for email, o in live_guide.operators.items()}
    assert moved != after


def test_catch_up_is_capped(
    sim: Simulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_guide = sim.live_guide
    ticks: list[float] = []
    original = live_guide._tick

    def counted(now: float) -> None:
        ticks.append(now)
        original(now)

    monkeypatch.setattr(live_guide, "_tick", counted)
    clock.tick(86_400)
    live_guide.advance_to(sim.now())
    assert len(ticks) == LiveGuideSimulator.max_catch_up_ticks
    assert ticks[-1] == pytest.approx(sim.now())
    ticks.clear()
    clock.tick(12)
    live_guide.advance_to(sim.now())
    assert len(ticks) == 2


def test_advance_moves_the_scenario_without_the_clock(sim: Simulator) -> None:
    first = body(sim)
    sim.advance(600)
    assert sim.offset == 600
    assert body(sim) != first
    with pytest.raises(ValueError, match="seconds"):
        sim.advance(-1)
    with pytest.raises(ValueError, match="seconds"):
        sim.advance(float("nan"))


# --- test controls -------------------------------------------------------------------------


def test_set_waiting_drives_department_and_global_figures(sim: Simulator) -> None:
    live_guide = sim.live_guide
    live_guide.freeze()
    for department_id in live_guide.departments:
        if live_guide.departments[department_id].online:
            live_guide.set_waiting(department_id, 0, 0)
    live_guide.set_department_online("4", online=True)
    live_guide.set_waiting("1", 1, 20)
    live_guide.set_waiting("2", 2, 75)
    answer = data(sim)
    assert answer["global"] == {"customers": {"inqueue": 3, "maxWaiting": 75}}
    figures = {
        d["@attributes"]["id"]: (d["inqueue"], d["maxWaiting"]) for d in answer["departments"]
    }
    assert figures == {"1": (1, 20), "2": (2, 75), "3": (0, 0), "4": (0, 0)}
    with pytest.raises(ValueError, match="negative"):
        live_guide.set_waiting("1", -1, 0)
    live_guide.set_department_online("4", online=False)
    with pytest.raises(ValueError, match="offline"):
        live_guide.set_waiting("4", 1, 10)


def test_offline_department_is_absent_and_its_queue_dropped(sim: Simulator) -> None:
    live_guide = sim.live_guide
    live_guide.freeze()
    live_guide.set_department_online("4", online=True)
    live_guide.set_waiting("4", 2, 30)
    assert data(sim)["global"]["customers"]["inqueue"] >= 2
    live_guide.set_department_online("4", online=False)
    answer = data(sim)
    ids = [d["@attributes"]["id"] for d in as_list(answer["departments"])]
    assert "4" not in ids
    assert "4" in live_guide.departments
    assert not live_guide.departments["4"].waiting
    # Membership is not online status: operators still list the department.
    sofia = next(o for o in answer["operators"] if o["@attributes"]["name"] == "Sofia Rossi")
    assert {"id": "4", "name": "Returns"} in as_list(sofia["departments"])


def test_roster_controls(sim: Simulator) -> None:
    live_guide = bare(sim)
    live_guide.add_department("9", "Partners")
    live_guide.add_operator(
        "Ana Lima", "Ana.Lima@example.com", ["1", "9"], status="busy", chats=2, online_for=5
    )
    operator = live_guide.operators["ana.lima@example.com"]
    assert (operator.status, operator.chats, operator.logged_in) == ("busy", 2, True)
    with pytest.raises(ValueError, match="exists"):
        live_guide.add_operator("Ana Lima", "ana.lima@example.com", ["1"])
    with pytest.raises(ValueError, match="exists"):
        live_guide.add_department("9", "Again")
    with pytest.raises(KeyError):
        live_guide.add_operator("X", "x@example.com", ["404"])
    with pytest.raises(KeyError):
        live_guide.set_operator("nobody@example.com", status="busy")

    live_guide.set_operator("ana.lima@example.com", chats=0)
    live_guide.set_operator("ana.lima@example.com", logged_in=False)
    assert data(sim)["operators"] == []
    live_guide.set_operator("ana.lima@example.com", logged_in=True)
    assert data(sim)["operators"]["onlineFor"] == "0"

    live_guide.remove_department("9")
    assert live_guide.operators["ana.lima@example.com"].departments == ["1"]
    live_guide.remove_operator("ana.lima@example.com")
    assert "ana.lima@example.com" not in live_guide.operators


# --- wire format ---------------------------------------------------------------------------


def test_seed_style_collapses_single_items_and_types_numbers(sim: Simulator) -> None:
    live_guide = bare(sim)
    live_guide.set_waiting("1", 3, 75)
    assert data(sim) == {
        "global": {"customers": {"inqueue": 3, "maxWaiting": 75}},
        "departments": {
            "@attributes": {"id": "1", "name": "Sales"},
            "inqueue": 3,
            "maxWaiting": 75,
        },
        "operators": [],
    }
    live_guide.add_operator("John Smith", "john.smith@example.com", ["1"], chats=1, online_for=56)
    assert data(sim)["operators"] == {
        "@attributes": {"name": "John Smith", "email": "john.smith@example.com"},
        "status": "available",
        "chats": "1",
        "onlineFor": "56",
        "departments": {"id": "1", "name": "Sales"},
    }
    live_guide.add_department("2", "Support")
    live_guide.add_operator("Emma Jansen", "emma.jansen@example.com", ["1", "2"])
    answer = data(sim)
    assert isinstance(answer["departments"], list)
    assert isinstance(answer["operators"], list)
    assert answer["operators"][1]["departments"] == [
        {"id": "1", "name": "Sales"},
        {"id": "2", "name": "Support"},
    ]


def test_simplexml_style_matches_php(sim: Simulator) -> None:
    live_guide = bare(sim)
    live_guide.json_style = "simplexml"
    live_guide.set_waiting("1", 3, 75)
    assert data(sim) == {
        "global": {"customers": {"inqueue": "3", "maxWaiting": "75"}},
        "departments": {
            "department": {
                "@attributes": {"id": "1", "name": "Sales"},
                "inqueue": "3",
                "maxWaiting": "75",
            }
        },
        "operators": {},
    }
    live_guide.add_department("2", "Support")
    live_guide.add_operator("John Smith", "john.smith@example.com", ["1"], chats=1, online_for=56)
    live_guide.add_operator("Emma Jansen", "emma.jansen@example.com", ["1", "2"])
    answer = data(sim)
    assert len(answer["departments"]["department"]) == 2
    john, emma = answer["operators"]["operator"]
    assert john == {
        "@attributes": {"name": "John Smith", "email": "john.smith@example.com"},
        "status": "available",
        "chats": "1",
        "onlineFor": "56",
        "departments": {"department": {"@attributes": {"id": "1", "name": "Sales"}}},
    }
    assert emma["departments"] == {
        "department": [
            {"@attributes": {"id": "1", "name": "Sales"}},
            {"@attributes": {"id": "2", "name": "Support"}},
        ]
    }


def test_customers_wrapped_style(sim: Simulator) -> None:
    live_guide = bare(sim)
    live_guide.json_style = "customers_wrapped"
    live_guide.set_waiting("1", 2, 40)
    assert data(sim)["departments"] == {
        "@attributes": {"id": "1", "name": "Sales"},
        "customers": {"inqueue": 2, "maxWaiting": 40},
    }
    # XML stays the documented shape whatever the JSON style.
    root = parse_xml(body(sim, "xml"))
    assert root.find("departments/department/inqueue") is not None
    with pytest.raises(ValueError, match="unknown JSON style"):
        cast(Any, live_guide).json_style = "yaml"


def test_json_is_php_encoded(sim: Simulator) -> None:
    live_guide = bare(sim)
    live_guide.add_operator("Zoë Martin", "zoe/martin@example.com", ["1"])
    raw = body(sim)
    assert b"Zo\\u00eb" in raw
    assert b"zoe\\/martin" in raw
    assert b" " not in raw.replace(b"Zo\\u00eb Martin", b"")


def test_xml_shape(sim: Simulator) -> None:
    raw = body(sim, "xml")
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = parse_xml(raw)
    assert root.tag == "status"
    assert [child.tag for child in root] == ["global", "departments", "operators"]
    customers = root.find("global/customers")
    assert customers is not None
    assert [child.tag for child in customers] == ["inqueue", "maxWaiting"]
    assert all((child.text or "").isdigit() for child in customers)
    departments = root.findall("departments/department")
    assert departments
    for department in departments:
        assert set(department.attrib) == {"id", "name"}
        assert [child.tag for child in department] == ["inqueue", "maxWaiting"]
    operators = root.findall("operators/operator")
    assert operators
    for operator in operators:
        assert set(operator.attrib) == {"name", "email"}
        assert [child.tag for child in operator] == ["status", "chats", "onlineFor", "departments"]
        assert operator.findtext("status") in ("available", "busy")
        memberships = operator.findall("departments/department")
        assert 1 <= len(memberships) <= 3
        assert all(set(m.attrib) == {"id", "name"} for m in memberships)
    assert "Jürgen Weber" in {operator.get("name") for operator in operators}
    without = parse_xml(body(sim, "xml", per_department=False))
    assert without.find("departments") is None


# --- over HTTP -----------------------------------------------------------------------------


async def test_token_is_checked(served: Served) -> None:
    for params in ({}, {"token": "wrong"}, {"token": served.sim.live_guide.token.lower()}):
        async with served.session.get(served.status_url, params=params) as response:
            assert response.status == 200
            assert response.content_type == "application/json"
            assert await response.json() == {"error": BAD_TOKEN_MESSAGE}
    old = served.sim.live_guide.token
    served.sim.live_guide.token = "N" * 32
    async with served.session.get(served.status_url, params={"token": old}) as response:
        assert await response.json() == {"error": BAD_TOKEN_MESSAGE}
    async with served.session.get(served.status_url, params=served.params()) as response:
        assert "operators" in await response.json()
    with pytest.raises(ValueError, match="empty"):
        served.sim.live_guide.token = ""
    params = {"token": "wrong", "format": "xml"}
    async with served.session.get(served.status_url, params=params) as response:
        assert response.content_type == "application/xml"
        root = parse_xml(await response.read())
        assert (root.tag, root.text) == ("error", BAD_TOKEN_MESSAGE)


async def test_formats_and_parameter_order(served: Served) -> None:
    token = served.sim.live_guide.token
    expected_json = served.sim.live_guide.render("json", per_department=True)
    expected_xml = served.sim.live_guide.render("xml", per_department=True)
    cases = [
        (f"perDepartment=true&token={token}", "application/json", expected_json),
        (f"format=json&perDepartment=TRUE&token={token}", "application/json", expected_json),
        (f"perDepartment=True&format=xml&token={token}", "application/xml", expected_xml),
        (f"token={token}&format=XML&perDepartment=true", "application/xml", expected_xml),
        (f"token={token}&format=csv&perDepartment=true", "application/json", expected_json),
    ]
    for query, content_type, expected in cases:
        async with served.session.get(f"{served.status_url}?{query}") as response:
            assert response.status == 200
            assert response.content_type == content_type
            assert await response.read() == expected


async def test_per_department_switch(served: Served) -> None:
    for value, present in (("true", True), ("false", False), ("yes", False), (None, False)):
        params = served.params() if value is None else served.params(perDepartment=value)
        async with served.session.get(served.status_url, params=params) as response:
            answer = await response.json()
        assert ("departments" in answer) is present
        assert {"global", "operators"} <= answer.keys()


async def test_frozen_clock_gives_identical_answers_over_http(served: Served) -> None:
    answers = set()
    for _ in range(5):
        params = served.params(perDepartment="true")
        async with served.session.get(served.status_url, params=params) as response:
            answers.add(await response.read())
    assert len(answers) == 1
    served.clock.tick(120)
    params = served.params(perDepartment="true")
    async with served.session.get(served.status_url, params=params) as response:
        assert await response.read() not in answers
