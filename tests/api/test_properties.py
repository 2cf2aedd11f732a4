"""Property tests of the parsers: either the library's error, or a snapshot true to the input.

Hypothesis builds answers from the documented shapes and the wrong ones next to them; whatever a
parser accepts must say what the input says (the same count, the same ids, the same numbers).
The budget is small and fixed, so ``scripts/test`` stays fast and every run tries the same cases.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
import json
from typing import Any
from unittest.mock import MagicMock

from hypothesis import event, given, settings, strategies as st

from custom_components.contact_center.api import AgentStatus, ContactCenterError
from custom_components.contact_center.api.client import RawResponse
from custom_components.contact_center.api.cobrowser import CoBrowserClient, CoBrowserSettings
from custom_components.contact_center.api.wolkvox import _envelope, parse_skill

from .conftest import parse_client

BUDGET = settings(max_examples=150, deadline=None, derandomize=True)

# Values a figure may arrive as: mostly documented ones, so enough answers are read, and the
# wrong ones beside them.
GOOD_FIGURES = st.one_of(
    st.integers(0, 40),
    st.integers(0, 40).map(str),
    st.integers(0, 40).map(lambda n: f" {n}.0 "),
    st.just(""),
)
BAD_FIGURES = st.one_of(
    st.integers(-2, -1),
    st.floats(-1, 40),
    st.just(float("nan")),
    st.sampled_from([" ", "2.6", "-1", "n/a", "1e3", "\u00b2"]),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 3), max_size=2),
    st.just({}),
)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Draw from ``good`` nineteen times in twenty, else from ``bad``."""
    return st.integers(0, 19).flatmap(lambda n: bad if n == 0 else good)


FIGURES = mostly(GOOD_FIGURES, BAD_FIGURES)
TEXTS = st.one_of(st.sampled_from(["Ann", "Bob", " Cleo ", "", "ann@x.io"]), st.integers(0, 9))
JUNK = st.one_of(
    st.text(max_size=5), st.integers(), st.booleans(), st.lists(st.integers(), max_size=2)
)


def same_number(raw: Any, parsed: float | None) -> bool:
    """Tell whether ``parsed`` is what ``raw`` says, exactly (no rounding, no default)."""
    if parsed is None:
        return raw is None or raw == {} or (isinstance(raw, str) and not raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return False
    try:
        return Decimal(str(raw).strip()) == Decimal(parsed)
    except InvalidOperation:
        return False


def records(section: Any, item_key: str) -> list[Any]:
    """The records a Live Guide section holds, by the documented XML-to-JSON shapes."""
    if section is None or section in ("", {}):
        return []
    if isinstance(section, dict) and set(section) == {item_key}:
        section = section[item_key]
    return section if isinstance(section, list) else [section]


# --- Live Guide ----------------------------------------------------------------------------

OPERATORS = st.fixed_dictionaries(
    {
        "@attributes": st.fixed_dictionaries(
            {
                "name": mostly(st.sampled_from(["Ann", " Bob ", "Cleo", 7]), TEXTS),
                "email": mostly(st.integers(0, 99).map(lambda n: f"op{n}@x.io"), TEXTS),
            }
        ),
        "status": mostly(st.sampled_from(["available", "busy", "away", "offline", ""]), JUNK),
        "chats": FIGURES,
        "onlineFor": FIGURES,
    }
)
DEPARTMENTS = st.fixed_dictionaries(
    {
        "@attributes": st.fixed_dictionaries(
            {"id": mostly(st.integers(0, 99), TEXTS), "name": TEXTS}
        ),
        "customers": st.fixed_dictionaries({"inqueue": FIGURES, "maxWaiting": FIGURES}),
    }
)


def section(items: st.SearchStrategy[Any], item_key: str) -> st.SearchStrategy[Any]:
    """A section in every documented shape, now and then in a wrong one."""
    listed = st.lists(items, max_size=4, unique_by=lambda item: str(item["@attributes"]))
    return mostly(
        st.one_of(
            listed,
            items,
            listed.map(lambda found: {item_key: found}),
            st.sampled_from(["", None, {}]),
        ),
        st.one_of(JUNK, st.lists(JUNK, min_size=1, max_size=2)),
    )


LIVE_GUIDE_ANSWERS = st.fixed_dictionaries(
    {
        "global": mostly(
            st.fixed_dictionaries(
                {"customers": st.fixed_dictionaries({"inqueue": FIGURES, "maxWaiting": FIGURES})}
            ),
            JUNK,
        ),
        "departments": section(DEPARTMENTS, "department"),
        "operators": section(OPERATORS, "operator"),
    }
)


@BUDGET
@given(LIVE_GUIDE_ANSWERS)
def test_live_guide_reads_what_the_answer_says_or_refuses_it(data: dict[str, Any]) -> None:
    try:
        snapshot = parse_client().parse(data)
    except ContactCenterError:
        event("refused")
        return
    event("read")
    customers = data["global"]["customers"] if data["global"] else {}
    assert same_number(customers.get("inqueue"), snapshot.totals.waiting)
    assert same_number(customers.get("maxWaiting"), snapshot.totals.longest_wait)
    operators = records(data["operators"], "operator")
    assert len(snapshot.agents) == len(operators)
    for item in operators:
        attributes = item["@attributes"]
        agent_id = (str(attributes["email"]).strip() or str(attributes["name"]).strip()).lower()
        agent = snapshot.agents[agent_id]
        assert same_number(item["chats"], agent.active_conversations)
    online = [a for a in snapshot.agents.values() if a.status is not AgentStatus.OFFLINE]
    assert snapshot.totals.agents_logged_in == len(online)
    departments = records(data["departments"], "department")
    assert len(snapshot.queues) == len(departments)
    for item in departments:
        queue = snapshot.queues[str(item["@attributes"]["id"]).strip()]
        assert same_number(item["customers"]["inqueue"], queue.waiting)
        assert same_number(item["customers"]["maxWaiting"], queue.longest_wait)


# --- CoBrowser.net -------------------------------------------------------------------------

COBROWSER_AGENTS = st.fixed_dictionaries(
    {
        "id": mostly(
            st.one_of(st.integers(1, 9).map(str), st.integers(1, 9)), st.sampled_from(["", None])
        ),
        "status": mostly(
            st.sampled_from(["online", "offline", "Online"]), st.one_of(JUNK, st.just("away"))
        ),
        "numFree": FIGURES,
        "numOpen": FIGURES,
        "slot_num": FIGURES,
        "hasFree": mostly(
            st.sampled_from(["1", "0", 1, 0, True, ""]), st.sampled_from(["maybe", [1], 2])
        ),
    }
)
COBROWSER_ANSWERS = st.fixed_dictionaries(
    {
        "getOnlineAgents": st.one_of(
            st.lists(COBROWSER_AGENTS, max_size=5, unique_by=lambda agent: str(agent["id"])),
            st.lists(COBROWSER_AGENTS, max_size=5, unique_by=lambda agent: str(agent["id"])),
            st.lists(COBROWSER_AGENTS, max_size=5),
            st.just({}),
            COBROWSER_AGENTS,
            JUNK,
            st.lists(JUNK, min_size=1, max_size=2),
            st.just({"message": "busy"}),
        )
    }
)


@BUDGET
@given(COBROWSER_ANSWERS)
def test_cobrowser_reads_what_the_answer_says_or_refuses_it(data: dict[str, Any]) -> None:
    client = CoBrowserClient(MagicMock(spec=[]), CoBrowserSettings(username="u", api_key="k"))
    try:
        snapshot = client.parse(data)
    except ContactCenterError:
        event("refused")
        return
    event("read")
    agents = data["getOnlineAgents"] or []
    assert isinstance(agents, list)
    assert len(snapshot.agents) == len(agents)
    online = [item for item in agents if str(item["status"]).lower() == "online"]
    known = all(str(item["status"]).lower() in ("online", "offline") for item in agents)
    assert snapshot.totals.agents_logged_in == (len(online) if known else None)
    for item in agents:
        agent = snapshot.agents[str(item["id"]).strip()]
        assert same_number(item["numFree"], agent.free_slots)
        assert same_number(item["numOpen"], agent.active_conversations)
        assert same_number(item["slot_num"], agent.capacity)
    free = snapshot.totals.extras["free_slots_total"]
    if free is not None:
        assert free == sum(int(Decimal(str(item["numFree"]).strip())) for item in online)


# --- wolkvox -------------------------------------------------------------------------------

WOLKVOX_RECORDS = st.fixed_dictionaries(
    {
        "skill_id": mostly(
            st.sampled_from(["101", "0101", " 101 ", 101]), st.sampled_from(["102", "", None, "x"])
        ),
        "calls_in_queue_now": FIGURES,
        "stat_inbound": FIGURES,
        "service_level_20seg": st.one_of(FIGURES, st.sampled_from(["85.5%", "85,5 %", "101"])),
    }
)
WOLKVOX_ANSWERS = st.one_of(
    st.fixed_dictionaries(
        {
            "code": mostly(st.sampled_from([200, "200"]), st.sampled_from([500, "OK", True])),
            "error": mostly(st.sampled_from([None, ""]), st.just("BUSY")),
            "data": st.one_of(
                st.lists(WOLKVOX_RECORDS, min_size=1, max_size=1),
                st.lists(WOLKVOX_RECORDS, max_size=2),
                WOLKVOX_RECORDS,
                JUNK,
            ),
        }
    ),
    st.just({}),
    WOLKVOX_RECORDS,
)


@BUDGET
@given(WOLKVOX_ANSWERS)
def test_wolkvox_reads_what_the_answer_says_or_refuses_it(answer: dict[str, Any]) -> None:
    response = RawResponse(200, "application/json", json.dumps(answer).encode())
    try:
        queue = parse_skill("101", _envelope(response, "w"), "w")
    except ContactCenterError:
        event("refused")
        return
    event("read")
    found = answer["data"] if isinstance(answer["data"], list) else [answer["data"]]
    if queue is None:
        assert found == [] or answer["data"] in ("", None)
        return
    (record,) = found
    assert int(str(record["skill_id"]).strip()) == 101
    assert queue.id == "101"
    assert same_number(record["calls_in_queue_now"], queue.waiting)
    assert same_number(record["stat_inbound"], queue.offered)
    level = str(record["service_level_20seg"]).strip().rstrip("%").strip().replace(",", ".")
    assert queue.service_level is None or Decimal(level) == Decimal(str(queue.service_level))
