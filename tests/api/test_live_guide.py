"""The Live Guide client: URL handling, every shape quirk of status.php, timestamps, and HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import random
import socket
import time
import traceback
from typing import Any
from unittest.mock import MagicMock

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from yarl import URL

from custom_components.contact_center.api import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ContactCenterUnidentifiedError,
    Figures,
    Queue,
    Snapshot,
    client as client_module,
)
from custom_components.contact_center.api.live_guide import (
    _SINCE_TOLERANCE_SECONDS,
    STATUS_PATH,
    LiveGuideClient,
    LiveGuideSettings,
    host_id,
    normalize_url,
)
from custom_components.contact_center.api.parsing import as_list, load_json, load_xml

from .conftest import NOW_S, TOKEN, Clock, fixture_bytes, fixture_json, parse_client, since

HOST = "chat.example.com"

# --- expected snapshots of the fixture files -----------------------------------------------

SEED_SNAPSHOT = Snapshot(
    totals=Figures(
        waiting=0, longest_wait=0, agents_logged_in=1, agents_available=1, agents_busy=0
    ),
    queues={
        "1": Queue(id="1", name="Sales", waiting=0, longest_wait=0),
        "2": Queue(id="2", name="Support", waiting=0, longest_wait=0),
    },
    agents={
        "johnsmith@mycompany.com": Agent(
            id="johnsmith@mycompany.com",
            name="John Smith",
            status=AgentStatus.AVAILABLE,
            raw_status="available",
            active_conversations=1,
            logged_in_since=datetime(2026, 11, 23, 11, 59, 4, tzinfo=UTC),
            queues=("Sales", "Support"),
        )
    },
)
CENTER_AGENTS = {
    "ann@example.com": Agent(
        id="ann@example.com",
        name="Ann Available",
        status=AgentStatus.AVAILABLE,
        raw_status="available",
        active_conversations=0,
        logged_in_since=since(3600),
        queues=("Sales", "Support"),
    ),
    "bob@example.com": Agent(
        id="bob@example.com",
        name="Bob Busy",
        status=AgentStatus.BUSY,
        raw_status="busy",
        active_conversations=3,
        logged_in_since=since(120),
        queues=("Support",),
    ),
    "cleo@example.com": Agent(
        id="cleo@example.com",
        name="Cleo Away",
        status=AgentStatus.AWAY,
        raw_status="Away",
        active_conversations=0,
        logged_in_since=since(59),
    ),
    "dan@example.com": Agent(
        id="dan@example.com",
        name="Dan Offline",
        status=AgentStatus.OFFLINE,
        raw_status="offline",
        active_conversations=0,
        logged_in_since=NOW_S,
    ),
    "eve@example.com": Agent(
        id="eve@example.com",
        name="Eve Lunch",
        status=None,
        raw_status="lunch",
        active_conversations=1,
        logged_in_since=since(7200),
        queues=("Billing",),
    ),
}
CENTER_TOTALS = Figures(
    waiting=4, longest_wait=95, agents_logged_in=4, agents_available=1, agents_busy=1
)
CENTER_SNAPSHOT = Snapshot(
    totals=CENTER_TOTALS,
    queues={
        "1": Queue(id="1", name="Sales", waiting=3, longest_wait=95),
        "2": Queue(id="2", name="Support", waiting=1, longest_wait=12),
        "3": Queue(id="3", name="Billing", waiting=0, longest_wait=0),
    },
    agents=CENTER_AGENTS,
)
SINGLE_SNAPSHOT = Snapshot(
    totals=Figures(
        waiting=1, longest_wait=30, agents_logged_in=1, agents_available=0, agents_busy=1
    ),
    queues={"7": Queue(id="7", name="Helpdesk", waiting=1, longest_wait=30)},
    agents={
        "solo@example.com": Agent(
            id="solo@example.com",
            name="Solo Operator",
            status=AgentStatus.BUSY,
            raw_status="busy",
            active_conversations=2,
            logged_in_since=since(600),
            queues=("Helpdesk",),
        )
    },
)
EMPTY_SNAPSHOT = Snapshot(
    totals=Figures(waiting=0, longest_wait=0, agents_logged_in=0, agents_available=0, agents_busy=0)
)
TWINS = [
    pytest.param("live_guide_seed", SEED_SNAPSHOT, id="seed"),
    pytest.param("live_guide_center", CENTER_SNAPSHOT, id="center"),
    pytest.param("live_guide_single", SINGLE_SNAPSHOT, id="single-collapsed"),
    pytest.param("live_guide_empty", EMPTY_SNAPSHOT, id="empty-sections"),
]


NO_AGENTS: dict[str, Any] = {"agents_logged_in": 0, "agents_available": 0, "agents_busy": 0}
"""The agent counts of an answer without operators: zero, never ``None``."""


# --- normalize_url / host_id ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("chat.example.com", "https://chat.example.com/", id="bare-host"),
        pytest.param("  chat.example.com\n", "https://chat.example.com/", id="bare-host-padded"),
        pytest.param("https://chat.example.com", "https://chat.example.com/", id="https-base"),
        pytest.param("https://chat.example.com/", "https://chat.example.com/", id="trailing-slash"),
        pytest.param(
            "https://chat.example.com/lg/export/status.php",
            "https://chat.example.com/",
            id="status-url",
        ),
        pytest.param(
            f"https://chat.example.com/lg/export/status.php?token={TOKEN}&format=json",
            "https://chat.example.com/",
            id="status-url-with-query",
        ),
        pytest.param(
            "https://chat.example.com/lg/export/status.php/",
            "https://chat.example.com/",
            id="status-url-trailing-slash",
        ),
        pytest.param(
            f"chat.example.com:8443/lg/export/status.php?token={TOKEN}#top",
            "https://chat.example.com:8443/",
            id="bare-host-port-query-fragment",
        ),
        pytest.param(
            f"HTTPS://Chat.Example.COM/LG/Export/Status.PHP?token={TOKEN}",
            "https://chat.example.com/",
            id="upper-case",
        ),
        pytest.param(
            f"https://chat.example.com/support/lg/export/status.php?token={TOKEN}",
            "https://chat.example.com/support",
            id="path-prefix",
        ),
        pytest.param(
            "https://chat.example.com/support/",
            "https://chat.example.com/support",
            id="prefix-only",
        ),
        pytest.param("http://10.0.0.5:8080", "http://10.0.0.5:8080/", id="http-with-port"),
        pytest.param("http://chat.example.com:80/", "http://chat.example.com/", id="default-port"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    url = normalize_url(raw)
    assert str(url) == expected
    assert url.query_string == ""
    assert TOKEN not in str(url)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces"),
        pytest.param("https://", id="scheme-only"),
        pytest.param("://chat.example.com", id="no-scheme-name"),
        pytest.param("/lg/export/status.php", id="path-only"),
        pytest.param("ftp://chat.example.com", id="ftp"),
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("https://chat.example.com:99999", id="port-out-of-range"),
    ],
)
def test_normalize_url_refuses(raw: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the contract is a plain ValueError
        normalize_url(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("https://Chat.Example.com", "chat.example.com", id="https-default-port"),
        pytest.param("https://chat.example.com:443", "chat.example.com", id="https-explicit-443"),
        pytest.param("http://chat.example.com", "chat.example.com", id="http-default-port"),
        pytest.param("https://chat.example.com:8443", "chat.example.com:8443", id="https-8443"),
        pytest.param("http://10.0.0.5:8080", "10.0.0.5:8080", id="http-8080"),
        pytest.param("http://chat.example.com:443", "chat.example.com:443", id="http-on-443"),
    ],
)
def test_host_id(raw: str, expected: str) -> None:
    assert host_id(URL(raw)) == expected
    assert host_id(normalize_url(raw)) == expected


def test_client_refuses_a_url_without_host() -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        parse_client(url="ftp://chat.example.com")


# --- capabilities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_department", "queue"),
    [
        pytest.param(True, frozenset({"waiting", "longest_wait"}), id="per-department"),
        pytest.param(False, frozenset(), id="global-only"),
    ],
)
def test_capabilities(per_department: bool, queue: frozenset[str]) -> None:
    client = parse_client(per_department=per_department)
    assert client.capabilities == Capabilities(
        totals=frozenset(
            {"waiting", "longest_wait", "agents_logged_in", "agents_available", "agents_busy"}
        ),
        queue=queue,
        agent=frozenset({"status", "active_conversations", "logged_in_since", "queues"}),
    )


# --- parse: the fixture answers, JSON and XML ----------------------------------------------


@pytest.mark.parametrize(("name", "expected"), TWINS)
def test_parse_json_fixture(name: str, expected: Snapshot) -> None:
    assert parse_client().parse(fixture_json(f"{name}.json")) == expected


@pytest.mark.parametrize(("name", "expected"), TWINS)
def test_parse_xml_twin_equals_json(name: str, expected: Snapshot) -> None:
    from_xml = parse_client(response_format="xml").parse(
        load_xml(fixture_bytes(f"{name}.xml"), HOST)
    )
    from_json = parse_client().parse(load_json(fixture_bytes(f"{name}.json"), HOST))
    assert from_xml == from_json == expected


def test_parse_seed_without_per_department() -> None:
    client = parse_client(per_department=False)
    snapshot = client.parse(fixture_json("live_guide_seed.json"))
    assert snapshot == Snapshot(totals=SEED_SNAPSHOT.totals, agents=SEED_SNAPSHOT.agents)
    assert snapshot.queues == {}
    assert client.capabilities.queue == frozenset()


def test_parse_center_without_per_department_keeps_operator_departments() -> None:
    snapshot = parse_client(per_department=False).parse(fixture_json("live_guide_center.json"))
    assert snapshot == Snapshot(totals=CENTER_TOTALS, agents=CENTER_AGENTS)


# --- parse: departments --------------------------------------------------------------------

GLOBAL = {"customers": {"inqueue": "4", "maxWaiting": "40"}}
SALES = {"@attributes": {"id": "1", "name": "Sales"}, "inqueue": "3", "maxWaiting": "40"}
SUPPORT = {
    "@attributes": {"id": "2", "name": "Support"},
    "customers": {"inqueue": 1, "maxWaiting": 12},
}
Q_SALES = Queue(id="1", name="Sales", waiting=3, longest_wait=40)
Q_SUPPORT = Queue(id="2", name="Support", waiting=1, longest_wait=12)
ABSENT = object()


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        pytest.param([SALES, SUPPORT], {"1": Q_SALES, "2": Q_SUPPORT}, id="list"),
        pytest.param(
            {"department": [SALES, SUPPORT]}, {"1": Q_SALES, "2": Q_SUPPORT}, id="wrapped-list"
        ),
        pytest.param({"department": SALES}, {"1": Q_SALES}, id="wrapped-one"),
        pytest.param({"department": SUPPORT}, {"2": Q_SUPPORT}, id="wrapped-one-customers"),
        pytest.param(SALES, {"1": Q_SALES}, id="collapsed-one"),
        pytest.param(SUPPORT, {"2": Q_SUPPORT}, id="collapsed-one-customers"),
        pytest.param(
            {"0": SALES, "1": SUPPORT}, {"1": Q_SALES, "2": Q_SUPPORT}, id="keyed-by-index"
        ),
        pytest.param(ABSENT, {}, id="absent"),
        pytest.param({}, {}, id="empty-object"),
        pytest.param("", {}, id="empty-text"),
        pytest.param(None, {}, id="null"),
        pytest.param([], {}, id="empty-list"),
    ],
)
def test_departments_shapes(section: Any, expected: dict[str, Queue]) -> None:
    data: dict[str, Any] = {"global": GLOBAL}
    if section is not ABSENT:
        data["departments"] = section
    snapshot = parse_client().parse(data)
    assert snapshot.queues == expected
    assert snapshot.totals == Figures(waiting=4, longest_wait=40, **NO_AGENTS)


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        pytest.param(
            {"id": 5, "name": "Direct", "inqueue": 2, "maxWaiting": 9.0},
            {"5": Queue(id="5", name="Direct", waiting=2, longest_wait=9)},
            id="no-attributes-numbers",
        ),
        pytest.param(
            {"@attributes": {"id": "6"}, "inqueue": "1"},
            {"6": Queue(id="6", name="6", waiting=1)},
            id="no-name-uses-id",
        ),
        pytest.param(
            {"@attributes": {"id": "1", "name": "Sales"}, "customers": "", "inqueue": "2"},
            {"1": Queue(id="1", name="Sales", waiting=2)},
            id="customers-not-an-object",
        ),
    ],
)
def test_department_fields(department: Any, expected: dict[str, Queue]) -> None:
    assert parse_client().parse({"departments": department}).queues == expected


@pytest.mark.parametrize(
    ("section", "waiting", "longest_wait"),
    [
        pytest.param(
            {"customers": {"inqueue": "2", "maxWaiting": "7"}}, 2, 7, id="customers-strings"
        ),
        pytest.param(
            {"customers": {"inqueue": 2, "maxWaiting": 7.0}}, 2, 7, id="customers-numbers"
        ),
        pytest.param({"inqueue": "2", "maxWaiting": "7"}, 2, 7, id="direct"),
        pytest.param({"customers": ""}, None, None, id="empty-customers"),
        pytest.param("", None, None, id="empty-text"),
        pytest.param(ABSENT, None, None, id="absent"),
    ],
)
def test_global_figures(section: Any, waiting: int | None, longest_wait: int | None) -> None:
    data: dict[str, Any] = {"operators": []}
    if section is not ABSENT:
        data["global"] = section
    totals = parse_client().parse(data).totals
    assert totals == Figures(waiting=waiting, longest_wait=longest_wait, **NO_AGENTS)


# --- parse: operators ----------------------------------------------------------------------


def operator(
    name: Any = "Ann Smith", email: Any = "ann@example.com", **fields: Any
) -> dict[str, Any]:
    """An operator the way status.php shapes it; ``None`` leaves an attribute out."""
    attributes = {
        key: value for key, value in (("name", name), ("email", email)) if value is not None
    }
    return {
        "@attributes": attributes,
        "status": "available",
        "chats": "1",
        "onlineFor": "60",
        **fields,
    }


ANN = operator()
BOB = operator("Bob", "bob@example.com", status="busy", chats="2", onlineFor="30")
A_ANN = Agent(
    id="ann@example.com",
    name="Ann Smith",
    status=AgentStatus.AVAILABLE,
    raw_status="available",
    active_conversations=1,
    logged_in_since=since(60),
)
A_BOB = Agent(
    id="bob@example.com",
    name="Bob",
    status=AgentStatus.BUSY,
    raw_status="busy",
    active_conversations=2,
    logged_in_since=since(30),
)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        pytest.param([ANN, BOB], {"ann@example.com": A_ANN, "bob@example.com": A_BOB}, id="list"),
        pytest.param(
            {"operator": [ANN, BOB]},
            {"ann@example.com": A_ANN, "bob@example.com": A_BOB},
            id="wrapped-list",
        ),
        pytest.param({"operator": ANN}, {"ann@example.com": A_ANN}, id="wrapped-one"),
        pytest.param(ANN, {"ann@example.com": A_ANN}, id="collapsed-one"),
        pytest.param(ABSENT, {}, id="absent"),
        pytest.param({}, {}, id="empty-object"),
        pytest.param("", {}, id="empty-text"),
        pytest.param(None, {}, id="null"),
    ],
)
def test_operators_shapes(section: Any, expected: dict[str, Agent]) -> None:
    data: dict[str, Any] = {"global": GLOBAL}
    if section is not ABSENT:
        data["operators"] = section
    assert parse_client().parse(data).agents == expected


@pytest.mark.parametrize(
    ("item", "agent_id", "name"),
    [
        pytest.param(
            operator("Ann Smith", "Ann@Example.COM"),
            "ann@example.com",
            "Ann Smith",
            id="attributes",
        ),
        pytest.param(
            {"name": "Ann Smith", "email": "Ann@Example.COM", "status": "available"},
            "ann@example.com",
            "Ann Smith",
            id="no-attributes-wrapper",
        ),
        pytest.param(
            operator("Ann Smith", None), "ann smith", "Ann Smith", id="no-email-id-from-name"
        ),
        pytest.param(operator("Ann Smith", " "), "ann smith", "Ann Smith", id="blank-email"),
        pytest.param(
            operator(None, "Ann@Example.com"), "ann@example.com", "Ann@Example.com", id="no-name"
        ),
        pytest.param(operator(4711, None), "4711", "4711", id="numeric-name"),
    ],
)
def test_operator_identity(item: dict[str, Any], agent_id: str, name: str) -> None:
    agents = parse_client().parse({"operators": [item]}).agents
    assert list(agents) == [agent_id]
    assert agents[agent_id].id == agent_id
    assert agents[agent_id].name == name


@pytest.mark.parametrize(
    ("raw", "status", "raw_status"),
    [
        pytest.param("available", AgentStatus.AVAILABLE, "available", id="available"),
        pytest.param("Available", AgentStatus.AVAILABLE, "Available", id="available-capitalized"),
        pytest.param("online", AgentStatus.AVAILABLE, "online", id="online"),
        pytest.param("busy", AgentStatus.BUSY, "busy", id="busy"),
        pytest.param(" BUSY ", AgentStatus.BUSY, "BUSY", id="busy-upper-padded"),
        pytest.param("Away", AgentStatus.AWAY, "Away", id="away"),
        pytest.param("brb", AgentStatus.AWAY, "brb", id="brb"),
        pytest.param("Not available", AgentStatus.AWAY, "Not available", id="not-available"),
        pytest.param("unavailable", AgentStatus.AWAY, "unavailable", id="unavailable"),
        pytest.param("offline", AgentStatus.OFFLINE, "offline", id="offline"),
        pytest.param("lunch", None, "lunch", id="unknown-word"),
        pytest.param("", None, None, id="empty"),
        pytest.param({}, None, None, id="empty-element"),
        pytest.param(ABSENT, None, None, id="absent"),
    ],
)
def test_status_mapping(raw: Any, status: AgentStatus | None, raw_status: str | None) -> None:
    item = operator()
    if raw is ABSENT:
        del item["status"]
    else:
        item["status"] = raw
    agent = parse_client().parse({"operators": item}).agents["ann@example.com"]
    assert agent.status is status
    assert agent.raw_status == raw_status


def test_totals_count_logged_in_available_and_busy() -> None:
    statuses = ["available", "Available", "busy", "away", "offline", "OFFLINE", "lunch", ""]
    items = [
        operator(f"Op {i}", f"op{i}@example.com", status=word) for i, word in enumerate(statuses)
    ]
    snapshot = parse_client().parse({"global": GLOBAL, "operators": {"operator": items}})
    assert snapshot.totals == Figures(
        waiting=4, longest_wait=40, agents_logged_in=6, agents_available=2, agents_busy=1
    )
    assert len(snapshot.agents) == 8


@pytest.mark.parametrize(
    ("chats", "expected"),
    [
        pytest.param("2", 2, id="string"),
        pytest.param(2, 2, id="int"),
        pytest.param(2.0, 2, id="float"),
        pytest.param(" 2.0 ", 2, id="float-string"),
        pytest.param("", None, id="empty"),
        pytest.param(ABSENT, None, id="absent"),
    ],
)
def test_active_conversations(chats: Any, expected: int | None) -> None:
    item = operator()
    if chats is ABSENT:
        del item["chats"]
    else:
        item["chats"] = chats
    agent = parse_client().parse({"operators": [item]}).agents["ann@example.com"]
    assert agent.active_conversations == expected


SALES_M = {"id": "14101", "name": "Sales"}
SUPPORT_M = {"id": "14111", "name": "Support"}


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        pytest.param([SALES_M, SUPPORT_M], ("Sales", "Support"), id="list-of-id-name"),
        pytest.param(
            [{"@attributes": SUPPORT_M}, {"@attributes": SALES_M}],
            ("Sales", "Support"),
            id="list-of-attributes-sorted",
        ),
        pytest.param([SALES_M, {"@attributes": SALES_M}], ("Sales",), id="duplicates-merged"),
        pytest.param(SALES_M, ("Sales",), id="collapsed-id-name"),
        pytest.param({"@attributes": SALES_M}, ("Sales",), id="collapsed-attributes"),
        pytest.param(
            {"department": [{"@attributes": SALES_M}, {"@attributes": SUPPORT_M}]},
            ("Sales", "Support"),
            id="wrapped-list",
        ),
        pytest.param({"department": {"@attributes": SUPPORT_M}}, ("Support",), id="wrapped-one"),
        pytest.param({"department": SALES_M}, ("Sales",), id="wrapped-one-id-name"),
        pytest.param(ABSENT, (), id="absent"),
        pytest.param("", (), id="empty-text"),
        pytest.param({}, (), id="empty-object"),
        pytest.param(None, (), id="null"),
    ],
)
def test_operator_departments(section: Any, expected: tuple[str, ...]) -> None:
    item = operator()
    if section is not ABSENT:
        item["departments"] = section
    agent = parse_client().parse({"operators": [item]}).agents["ann@example.com"]
    assert agent.queues == expected


# --- parse: errors and wrong shapes --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        pytest.param(
            {"error": "Invalid token"},
            ContactCenterAuthError,
            f"{HOST} refused the access token",
            id="invalid-token",
        ),
        pytest.param(
            {"error": "Access denied: invalid token"},
            ContactCenterAuthError,
            f"{HOST} refused the access token",
            id="access-denied",
        ),
        pytest.param(
            {"error": "PERMISSION missing"},
            ContactCenterAuthError,
            f"{HOST} refused the access token",
            id="permission",
        ),
        pytest.param(
            {"error": f"Invalid token {TOKEN}"},
            ContactCenterAuthError,
            f"{HOST} refused the access token",
            id="token-echoed",
        ),
        pytest.param(
            {"error": "Invalid token", "departments": {}},
            ContactCenterAuthError,
            f"{HOST} refused the access token",
            id="error-beside-departments",
        ),
        pytest.param(
            {"error": "Something else"},
            ContactCenterResponseError,
            f"{HOST} reported an error",
            id="other-error",
        ),
        pytest.param(
            {"error": ""}, ContactCenterResponseError, f"{HOST} reported an error", id="empty-error"
        ),
        pytest.param(
            {"error": {"@attributes": {"code": "1"}}},
            ContactCenterResponseError,
            f"{HOST} reported an error",
            id="error-object",
        ),
        pytest.param(
            [],
            ContactCenterResponseError,
            f"{HOST} sent an answer of an unexpected shape",
            id="empty-list",
        ),
        pytest.param(
            [{"global": GLOBAL}],
            ContactCenterResponseError,
            f"{HOST} sent an answer of an unexpected shape",
            id="list",
        ),
        pytest.param(
            "status",
            ContactCenterResponseError,
            f"{HOST} sent an answer of an unexpected shape",
            id="string",
        ),
        pytest.param(
            5,
            ContactCenterResponseError,
            f"{HOST} sent an answer of an unexpected shape",
            id="number",
        ),
        pytest.param(
            None,
            ContactCenterResponseError,
            f"{HOST} sent an answer of an unexpected shape",
            id="null",
        ),
        pytest.param(
            {},
            ContactCenterResponseError,
            f"{HOST} sent an answer without status data",
            id="empty-object",
        ),
        pytest.param(
            {"status": "ok", "Global": {}},
            ContactCenterResponseError,
            f"{HOST} sent an answer without status data",
            id="unknown-sections",
        ),
    ],
)
def test_parse_refuses(data: Any, error: type[ContactCenterError], message: str) -> None:
    with pytest.raises(ContactCenterError) as caught:
        parse_client().parse(data)
    assert type(caught.value) is error
    assert str(caught.value) == message
    assert TOKEN not in repr(caught.value)


def good_answer(**sections: Any) -> dict[str, Any]:
    """A readable answer with every section, some replaced; ``ABSENT`` leaves one out."""
    data = {"global": GLOBAL, "departments": [SALES, SUPPORT], "operators": [ANN, BOB]}
    data.update(sections)
    return {key: value for key, value in data.items() if value is not ABSENT}


def with_operator(**fields: Any) -> dict[str, Any]:
    return good_answer(operators=[ANN, {**BOB, **fields}])


def with_department(**fields: Any) -> dict[str, Any]:
    return good_answer(departments=[SALES, {**SUPPORT, **fields}])


WRONG_SHAPES = [
    # The shapes of issue 9: each one read as zeros, "everyone offline" or nothing before.
    pytest.param(good_answer(operators="temporarily unavailable"), id="operators-text"),
    pytest.param(good_answer(operators=3), id="operators-number"),
    pytest.param(good_answer(operators=[1, 2, 3]), id="operators-list-of-numbers"),
    pytest.param(good_answer(operators=True), id="operators-true"),
    pytest.param(good_answer(operators={"operator": "busy"}), id="operators-wrapping-text"),
    pytest.param(good_answer(operators={"operator": None}), id="operators-wrapping-null"),
    pytest.param(good_answer(departments="temporarily unavailable"), id="departments-text"),
    pytest.param(good_answer(departments=2), id="departments-number"),
    pytest.param(good_answer(departments=[SALES, "junk"]), id="departments-junk-item"),
    pytest.param(good_answer(departments={"department": [SALES, 3]}), id="department-number"),
    pytest.param(good_answer(**{"global": "temporarily unavailable"}), id="global-text"),
    pytest.param(good_answer(**{"global": ["2"]}), id="global-list"),
    pytest.param(good_answer(**{"global": {"customers": "busy"}}), id="customers-text"),
    pytest.param(good_answer(**{"global": {"customers": [4]}}), id="customers-list"),
    pytest.param(good_answer(**{"global": {"inqueue": "2.6"}}), id="waiting-fraction"),
    pytest.param(good_answer(**{"global": {"inqueue": 2.6}}), id="waiting-fraction-number"),
    pytest.param(good_answer(**{"global": {"inqueue": "-1"}}), id="waiting-negative"),
    pytest.param(good_answer(**{"global": {"inqueue": "n/a"}}), id="waiting-word"),
    pytest.param(good_answer(**{"global": {"inqueue": True}}), id="waiting-true"),
    pytest.param(good_answer(**{"global": {"inqueue": ["4"]}}), id="waiting-list"),
    pytest.param(good_answer(**{"global": {"maxWaiting": "1e3"}}), id="wait-exponent"),
    pytest.param(good_answer(**{"global": {"maxWaiting": "9.6"}}), id="wait-fraction"),
    pytest.param(good_answer(**{"global": {"inqueue": float("nan")}}), id="waiting-nan"),
    # Departments: the id names the queue; without one the figures belong to nobody.
    pytest.param(with_department(**{"@attributes": {"name": "Support"}}), id="department-no-id"),
    pytest.param(with_department(**{"@attributes": {"id": " "}}), id="department-blank-id"),
    pytest.param(with_department(**{"@attributes": {"id": "1"}}), id="department-duplicate-id"),
    pytest.param(with_department(**{"@attributes": "oops"}), id="department-attributes-text"),
    pytest.param(with_department(**{"@attributes": {"id": ["2"]}}), id="department-id-list"),
    pytest.param(with_department(customers={"inqueue": "1.5"}), id="department-fraction"),
    pytest.param(with_department(customers="closed"), id="department-customers-text"),
    pytest.param(with_department(inqueue="many", customers=""), id="department-word"),
    # Operators: the name or e-mail is the agent; without it the counts cannot be trusted.
    pytest.param(with_operator(**{"@attributes": {}}), id="operator-no-identity"),
    pytest.param(with_operator(**{"@attributes": {"name": " "}}), id="operator-blank-identity"),
    pytest.param(with_operator(**{"@attributes": "Bob"}), id="operator-attributes-text"),
    pytest.param(with_operator(**{"@attributes": ANN["@attributes"]}), id="operator-duplicate"),
    pytest.param(with_operator(**{"@attributes": {"name": ["Bob"]}}), id="operator-name-list"),
    pytest.param(with_operator(status=2), id="status-number"),
    pytest.param(with_operator(status=["busy"]), id="status-list"),
    pytest.param(with_operator(status=True), id="status-true"),
    pytest.param(with_operator(chats="2.5"), id="chats-fraction"),
    pytest.param(with_operator(chats="-1"), id="chats-negative"),
    pytest.param(with_operator(chats="many"), id="chats-word"),
    pytest.param(with_operator(onlineFor="56.4"), id="online-for-fraction"),
    pytest.param(with_operator(onlineFor="soon"), id="online-for-word"),
    pytest.param(with_operator(onlineFor=-5), id="online-for-negative"),
    pytest.param(with_operator(departments="Sales"), id="operator-departments-text"),
    pytest.param(with_operator(departments=[SALES_M, 3]), id="operator-department-number"),
    pytest.param(with_operator(departments=[{"id": "3"}]), id="operator-department-nameless"),
    pytest.param(
        with_operator(departments=[{"@attributes": "Sales"}]), id="operator-department-attrs-text"
    ),
]


@pytest.mark.parametrize("per_department", [True, False], ids=["per-department", "totals-only"])
@pytest.mark.parametrize("data", WRONG_SHAPES)
def test_wrong_shapes_are_errors(data: dict[str, Any], per_department: bool) -> None:
    client = parse_client(per_department=per_department)
    with pytest.raises(ContactCenterResponseError) as caught:
        client.parse(data)
    assert type(caught.value) is ContactCenterResponseError
    assert str(caught.value).startswith(f"{HOST} sent ")
    assert TOKEN not in repr(caught.value)


def test_the_good_answer_of_the_wrong_shapes_table_is_read() -> None:
    """The table's base answer is valid, so each case fails for its own change only."""
    snapshot = parse_client().parse(good_answer())
    assert snapshot.totals == Figures(
        waiting=4, longest_wait=40, agents_logged_in=2, agents_available=1, agents_busy=1
    )
    assert snapshot.queues == {"1": Q_SALES, "2": Q_SUPPORT}


XML_GOOD_OPERATORS = (
    b'<operators><operator name="Ann" email="ann@example.com"><status>available</status>'
    b"<chats>1</chats><onlineFor>60</onlineFor></operator></operators>"
)


def xml_answer(
    operators: bytes = XML_GOOD_OPERATORS,
    departments: bytes = b'<departments><department id="1" name="Sales"><customers>'
    b"<inqueue>3</inqueue><maxWaiting>40</maxWaiting></customers></department></departments>",
    global_: bytes = b"<global><customers><inqueue>3</inqueue><maxWaiting>40</maxWaiting>"
    b"</customers></global>",
) -> bytes:
    return b"<status>" + global_ + departments + operators + b"</status>"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            xml_answer(operators=b"<operators>temporarily unavailable</operators>"),
            id="operators-text",
        ),
        pytest.param(xml_answer(operators=b"<operators>0</operators>"), id="operators-number"),
        pytest.param(
            xml_answer(
                operators=b"<operators><operator>1</operator><operator>2</operator></operators>"
            ),
            id="operators-list-of-numbers",
        ),
        pytest.param(
            xml_answer(departments=b"<departments>temporarily unavailable</departments>"),
            id="departments-text",
        ),
        pytest.param(xml_answer(global_=b"<global>unavailable</global>"), id="global-text"),
        pytest.param(
            xml_answer(global_=b"<global><customers><inqueue>2.6</inqueue></customers></global>"),
            id="waiting-fraction",
        ),
        pytest.param(
            xml_answer(
                departments=b'<departments><department name="Sales"><inqueue>1</inqueue>'
                b"</department></departments>"
            ),
            id="department-no-id",
        ),
        pytest.param(
            xml_answer(
                operators=b"<operators><operator><status>busy</status></operator></operators>"
            ),
            id="operator-no-identity",
        ),
    ],
)
def test_wrong_xml_shapes_are_errors(body: bytes) -> None:
    client = parse_client(response_format="xml")
    with pytest.raises(ContactCenterResponseError) as caught:
        client.parse(load_xml(body, HOST))
    assert TOKEN not in repr(caught.value)


def test_the_good_xml_answer_of_the_table_is_read() -> None:
    snapshot = parse_client(response_format="xml").parse(load_xml(xml_answer(), HOST))
    assert snapshot.totals == Figures(
        waiting=3, longest_wait=40, agents_logged_in=1, agents_available=1, agents_busy=0
    )
    assert list(snapshot.queues) == ["1"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"error": "Invalid token", "global": GLOBAL}, id="beside-global"),
        pytest.param({"error": "Invalid token", "operators": ""}, id="beside-operators"),
    ],
)
def test_error_key_beside_status_data_is_ignored(data: dict[str, Any]) -> None:
    assert isinstance(parse_client().parse(data), Snapshot)


@pytest.mark.parametrize(
    "section",
    [
        pytest.param("global", id="global"),
        pytest.param("departments", id="departments"),
        pytest.param("operators", id="operators"),
    ],
)
def test_any_one_section_is_enough(section: str) -> None:
    snapshot = parse_client().parse({section: ""})
    assert snapshot == Snapshot(totals=Figures(**NO_AGENTS))


# --- parse: logged_in_since ----------------------------------------------------------------


def ann_online_for(online_for: Any) -> dict[str, Any]:
    return {"operators": [operator(onlineFor=online_for)]}


def since_cache(client: LiveGuideClient) -> dict[str, datetime]:
    """Return the remembered login times by operator."""
    return {key: value[1] for key, value in client._since.items()}


def ann_since(client: LiveGuideClient, online_for: Any) -> datetime | None:
    return client.parse(ann_online_for(online_for)).agents["ann@example.com"].logged_in_since


@pytest.mark.parametrize(
    ("online_for", "expected"),
    [
        pytest.param("56", datetime(2026, 11, 23, 11, 59, 4, tzinfo=UTC), id="string"),
        pytest.param(56, datetime(2026, 11, 23, 11, 59, 4, tzinfo=UTC), id="int"),
        pytest.param("0", datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC), id="zero"),
        pytest.param("90061", datetime(2026, 11, 22, 10, 58, 59, tzinfo=UTC), id="over-a-day"),
        pytest.param("", None, id="empty"),
        pytest.param("99999999999999", None, id="before-year-one"),
        pytest.param(10**20, None, id="beyond-timedelta"),
    ],
)
def test_logged_in_since_is_clock_minus_online_for(
    online_for: Any, expected: datetime | None
) -> None:
    client = parse_client()
    assert ann_since(client, online_for) == expected
    if expected is not None:
        assert expected.microsecond == 0
    assert since_cache(client) == ({} if expected is None else {"ann@example.com": expected})


def test_logged_in_since_absent_when_online_for_missing() -> None:
    item = operator()
    del item["onlineFor"]
    assert (
        parse_client().parse({"operators": item}).agents["ann@example.com"].logged_in_since is None
    )


TOLERANCE = _SINCE_TOLERANCE_SECONDS


@pytest.mark.parametrize(
    "jitter",
    [
        pytest.param(0, id="exact"),
        pytest.param(1, id="plus-1s"),
        pytest.param(-1, id="minus-1s"),
        pytest.param(2, id="plus-2s"),
        pytest.param(-2, id="minus-2s"),
        pytest.param(TOLERANCE, id="plus-tolerance"),
        pytest.param(-TOLERANCE, id="minus-tolerance"),
    ],
)
def test_logged_in_since_is_stable_within_tolerance(jitter: int) -> None:
    clock = Clock()
    client = parse_client(clock)
    first = client.parse(ann_online_for(56))
    clock.tick(30)
    second = client.parse(ann_online_for(56 + 30 + jitter))
    assert second.agents["ann@example.com"].logged_in_since == since(56)
    assert second == first


def test_logged_in_since_stays_anchored_over_many_polls() -> None:
    clock = Clock()
    client = parse_client(clock)
    first = client.parse(ann_online_for(100))
    online_for = 100
    for jitter in (1, -2, 2, 0, -1, 2, -2, 1):
        clock.tick(15)
        online_for += 15
        assert client.parse(ann_online_for(online_for + jitter)) == first


@pytest.mark.parametrize(
    ("online_for", "expected"),
    [
        pytest.param(3, NOW_S + timedelta(seconds=27), id="relogin-reset"),
        pytest.param(86 + TOLERANCE + 1, since(56 + TOLERANCE + 1), id="beyond-plus"),
        pytest.param(86 - TOLERANCE - 1, since(56 - TOLERANCE - 1), id="beyond-minus"),
    ],
)
def test_logged_in_since_moves_beyond_tolerance(online_for: int, expected: datetime) -> None:
    clock = Clock()
    client = parse_client(clock)
    assert ann_since(client, 56) == since(56)
    clock.tick(30)
    assert ann_since(client, online_for) == expected
    clock.tick(10)
    assert ann_since(client, online_for + 10) == expected


def test_operators_absent_from_an_answer_are_forgotten() -> None:
    clock = Clock()
    client = parse_client(clock)
    client.parse({"operators": [ANN, BOB]})
    assert since_cache(client) == {"ann@example.com": since(60), "bob@example.com": since(30)}
    clock.tick(10)
    client.parse({"operators": [operator(onlineFor="70")]})
    assert since_cache(client) == {"ann@example.com": since(60)}
    # Bob returns one second off his old timestamp: remembered, it would be kept;
    # forgotten, it is computed anew.
    clock.tick(10)
    snapshot = client.parse({"operators": [operator(onlineFor="80"), {**BOB, "onlineFor": "51"}]})
    assert snapshot.agents["bob@example.com"].logged_in_since == since(31)
    assert since_cache(client) == {"ann@example.com": since(60), "bob@example.com": since(31)}


def test_operator_losing_online_for_is_forgotten() -> None:
    clock = Clock()
    client = parse_client(clock)
    assert ann_since(client, 60) == since(60)
    assert ann_since(client, "") is None
    assert since_cache(client) == {}
    assert ann_since(client, 61) == since(61)


def test_empty_answer_clears_the_cache() -> None:
    client = parse_client()
    client.parse({"operators": [ANN, BOB]})
    client.parse({"global": GLOBAL})
    assert since_cache(client) == {}


# --- parse: never anything but the client's own errors -------------------------------------

NASTY: list[Any] = [
    None,
    "",
    " ",
    "x",
    "-1",
    "1e999",
    "\u00b2",
    "9" * 5000,
    "99999999999999",
    0,
    -5,
    10**20,
    1.5,
    float("nan"),
    float("inf"),
    True,
    [],
    [1, "a", None, {}],
    {},
    {"@attributes": "x"},
    {"@attributes": {"id": None, "name": []}},
    {"department": None},
    {"operator": {"operator": {}}},
    {"0": {}, "1": {}},
    {"customers": []},
    {"error": "Invalid token"},
]


def _slots(node: Any) -> list[tuple[Any, Any]]:
    """Return (container, key) for every value below ``node``."""
    slots: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        keys = current.keys() if isinstance(current, dict) else range(len(current))
        for key in list(keys):
            slots.append((current, key))
            if isinstance(current[key], dict | list):
                stack.append(current[key])
    return slots


def _mutate(payload: Any, rng: random.Random) -> Any:
    data = copy.deepcopy(payload)
    for _ in range(rng.randint(1, 6)):
        slots = _slots(data) if isinstance(data, dict | list) else []
        if not slots or rng.random() < 0.02:
            return copy.deepcopy(rng.choice(NASTY))
        container, key = rng.choice(slots)
        value = container[key]
        action = rng.randrange(8)
        if action == 0:
            del container[key]
        elif action == 1:
            container[key] = str(value)
        elif action == 2:
            container[key] = len(value) if isinstance(value, dict | list | str) else 1
        elif action == 3:
            container[key] = [value]
        elif action == 4:
            container[key] = None
        elif action == 5:
            container[key] = {rng.choice(["department", "operator", "0", "x"]): value}
        else:
            container[key] = copy.deepcopy(rng.choice(NASTY))
    return data


def test_mutated_answers_parse_or_raise_client_errors() -> None:
    rng = random.Random(20261123)  # noqa: S311 - reproducible test data
    clock = Clock()
    bases = [
        fixture_json("live_guide_seed.json"),
        fixture_json("live_guide_center.json"),
        fixture_json("live_guide_single.json"),
        load_xml(fixture_bytes("live_guide_center.xml"), HOST),
    ]
    clients = [parse_client(clock), parse_client(clock, per_department=False)]
    outcomes = {"parsed": 0, "refused": 0}
    for round_ in range(3000):
        data = _mutate(bases[round_ % len(bases)], rng)
        client = clients[round_ % 2]
        clock.tick(rng.choice([0, 1, 30]))
        try:
            snapshot = client.parse(data)
        except ContactCenterError:
            outcomes["refused"] += 1
            continue
        outcomes["parsed"] += 1
        counted = [a for a in snapshot.agents.values() if a.status is not AgentStatus.OFFLINE]
        assert snapshot.totals.agents_logged_in == len(counted)
        for key, agent in snapshot.agents.items():
            assert key == agent.id == agent.id.lower() != ""
        for key, queue in snapshot.queues.items():
            assert key == queue.id != ""
        assert set(since_cache(client)) <= set(snapshot.agents)
    # The mutations must exercise both outcomes, or the test proves little.
    assert outcomes["parsed"] > 300
    assert outcomes["refused"] > 50


@pytest.mark.parametrize(
    ("name", "response_format"),
    [
        pytest.param("live_guide_center.json", "json", id="json"),
        pytest.param("live_guide_center.xml", "xml", id="xml"),
    ],
)
def test_damaged_bodies_decode_and_parse_or_raise_client_errors(
    name: str, response_format: str
) -> None:
    rng = random.Random(7)  # noqa: S311 - reproducible test data
    body = fixture_bytes(name)
    loader = load_xml if response_format == "xml" else load_json
    client = parse_client(response_format=response_format)
    for _ in range(400):
        damaged = bytearray(body)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(damaged))
            if rng.random() < 0.3:
                del damaged[position:]
                if not damaged:
                    break
            else:
                damaged[position] = rng.randrange(256)
        with contextlib.suppress(ContactCenterError):
            client.parse(loader(bytes(damaged), HOST))


# --- HTTP ----------------------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class FakeServer:
    """A status.php stand-in on 127.0.0.1 whose answer each test chooses."""

    release: asyncio.Event
    url: str = ""
    port: int = 0
    handler: Handler | None = None
    seen: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path, list(request.query.items())))
        assert self.handler is not None
        return await self.handler(request)

    def answer(
        self, body: bytes | str, status: int = 200, content_type: str = "application/json"
    ) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(body=body, status=status, content_type=content_type)

        self.handler = handler


@pytest.fixture
async def server(socket_enabled: None) -> AsyncIterator[FakeServer]:
    fake = FakeServer(release=asyncio.Event())
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.dispatch)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    fake.url = str(test_server.make_url("/"))
    assert test_server.port is not None
    fake.port = test_server.port
    try:
        yield fake
    finally:
        fake.release.set()  # let a deliberately slow handler finish before the server stops
        await test_server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def http_client(
    session: aiohttp.ClientSession, url: str, request_timeout: float | None = None, **settings: Any
) -> LiveGuideClient:
    return LiveGuideClient(
        session,
        LiveGuideSettings(url=url, token=TOKEN, **settings),
        request_timeout=request_timeout,
        clock=Clock(),
    )


def assert_secret_safe(err: BaseException, *, from_transport: bool = False) -> None:
    """Nothing reachable from ``err`` holds the token, and no cause or context is shown."""
    assert err.__cause__ is None
    assert err.__suppress_context__ or err.__context__ is None
    if from_transport:
        # Raised for an aiohttp failure: ``from None``, and the aiohttp error is not even kept.
        assert err.__suppress_context__ is True
        assert err.__context__ is None
    texts = ["".join(traceback.format_exception(err))]
    chain: list[BaseException | None] = [err]
    while chain:
        current = chain.pop()
        if current is None:
            continue
        texts += [str(current), repr(current), *map(str, current.args)]
        chain += [current.__cause__, current.__context__]
    for text in texts:
        assert TOKEN not in text


async def test_http_json_snapshot_and_query(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    server.answer(fixture_bytes("live_guide_seed.json"))
    snapshot = await http_client(session, server.url).async_get_snapshot()
    assert snapshot == SEED_SNAPSHOT
    assert server.seen == [
        ("GET", STATUS_PATH, [("token", TOKEN), ("format", "json"), ("perDepartment", "true")])
    ]


async def test_http_xml_without_departments(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    server.answer(fixture_bytes("live_guide_center.xml"), content_type="text/xml")
    client = http_client(session, server.url, response_format="xml", per_department=False)
    assert await client.async_get_snapshot() == Snapshot(totals=CENTER_TOTALS, agents=CENTER_AGENTS)
    assert server.seen == [
        ("GET", STATUS_PATH, [("token", TOKEN), ("format", "xml"), ("perDepartment", "false")])
    ]


async def test_http_pasted_status_url_keeps_prefix_and_drops_its_query(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    server.answer(fixture_bytes("live_guide_empty.json"))
    pasted = f"{server.url}chat/lg/export/status.php?token=pasted-token&format=xml"
    assert await http_client(session, pasted).async_get_snapshot() == EMPTY_SNAPSHOT
    assert server.seen == [
        (
            "GET",
            "/chat" + STATUS_PATH,
            [("token", TOKEN), ("format", "json"), ("perDepartment", "true")],
        )
    ]


async def test_http_identify(server: FakeServer, session: aiohttp.ClientSession) -> None:
    server.answer(fixture_bytes("live_guide_seed.json"))
    client = http_client(session, f"http://127.0.0.1:{server.port}", per_department=False)
    identity = await client.async_identify()
    # Departments are asked for whatever the settings say: they tell companies apart.
    assert server.seen[0][2][2] == ("perDepartment", "true")
    assert identity == AccountIdentity(
        unique_id=f"live_guide_127.0.0.1:{server.port}_1-2",
        title=f"Live Guide 127.0.0.1:{server.port}",
        names_account=False,
        server=f"127.0.0.1:{server.port}",
        queue_ids=frozenset({"1", "2"}),
        detail="Sales, Support",
    )


async def test_http_identify_without_departments(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    server.answer(fixture_bytes("live_guide_empty.json"))
    with pytest.raises(ContactCenterUnidentifiedError, match="no online department"):
        await http_client(session, server.url).async_identify()


def test_identity_on_default_port() -> None:
    client = parse_client(url=f"https://Chat.Example.com/lg/export/status.php?token={TOKEN}")
    assert (client._host, client._status_url) == (HOST, URL(f"https://{HOST}{STATUS_PATH}"))


@pytest.mark.parametrize(
    ("body", "response_format", "error", "message"),
    [
        pytest.param(
            fixture_bytes("live_guide_error.json"),
            "json",
            ContactCenterAuthError,
            "refused the access token",
            id="json-error-token",
        ),
        pytest.param(
            fixture_bytes("live_guide_error.xml"),
            "xml",
            ContactCenterAuthError,
            "refused the access token",
            id="xml-error-token",
        ),
        pytest.param(
            b'{"error": "Database offline"}',
            "json",
            ContactCenterResponseError,
            "reported an error",
            id="json-other-error",
        ),
        pytest.param(
            b"<!DOCTYPE html><html>" + TOKEN.encode(),
            "json",
            ContactCenterResponseError,
            "sent an HTML page instead of data",
            id="html-page",
        ),
        pytest.param(b"", "json", ContactCenterResponseError, "sent an empty answer", id="empty"),
        pytest.param(
            b"", "xml", ContactCenterResponseError, "sent an empty answer", id="empty-xml"
        ),
        pytest.param(
            f'{{"token": "{TOKEN}", "global": '.encode(),
            "json",
            ContactCenterResponseError,
            "sent JSON that is cut off or malformed",
            id="truncated",
        ),
        pytest.param(
            fixture_bytes("live_guide_center.json"),
            "xml",
            ContactCenterResponseError,
            "sent JSON that is cut off or malformed",
            id="json-when-xml-asked",
        ),
        pytest.param(
            b"[1, 2]",
            "json",
            ContactCenterResponseError,
            "sent an answer of an unexpected shape",
            id="list",
        ),
    ],
)
async def test_http_unusable_answers(
    server: FakeServer,
    session: aiohttp.ClientSession,
    body: bytes,
    response_format: str,
    error: type[ContactCenterError],
    message: str,
) -> None:
    server.answer(body)
    client = http_client(session, server.url, response_format=response_format)
    with pytest.raises(ContactCenterError) as caught:
        await client.async_get_snapshot()
    assert type(caught.value) is error
    assert str(caught.value) == f"127.0.0.1:{server.port} {message}"
    assert_secret_safe(caught.value)


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        pytest.param(401, ContactCenterAuthError, "refused the credentials (HTTP 401)", id="401"),
        pytest.param(403, ContactCenterAuthError, "refused the credentials (HTTP 403)", id="403"),
        pytest.param(404, ContactCenterResponseError, "answered HTTP 404", id="404"),
        pytest.param(400, ContactCenterResponseError, "answered HTTP 400", id="400"),
        pytest.param(429, ContactCenterResponseError, "answered HTTP 429", id="429"),
        pytest.param(204, ContactCenterResponseError, "answered HTTP 204", id="204"),
        pytest.param(500, ContactCenterServerError, "answered HTTP 500", id="500"),
        pytest.param(502, ContactCenterServerError, "answered HTTP 502", id="502"),
        pytest.param(503, ContactCenterServerError, "answered HTTP 503", id="503"),
    ],
)
async def test_http_status(
    server: FakeServer,
    session: aiohttp.ClientSession,
    status: int,
    error: type[ContactCenterError],
    message: str,
) -> None:
    server.answer(b"" if status == 204 else f"token={TOKEN} refused".encode(), status=status)
    client = http_client(session, server.url)
    with pytest.raises(ContactCenterError) as caught:
        await client.async_get_snapshot()
    assert type(caught.value) is error
    assert str(caught.value) == f"127.0.0.1:{server.port} {message}"
    assert_secret_safe(caught.value)
    with pytest.raises(error):
        await client.async_identify()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_http_redirect_is_not_followed(
    server: FakeServer, session: aiohttp.ClientSession, status: int
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.path == STATUS_PATH:
            return web.Response(status=status, headers={"Location": f"/login?next={TOKEN}"})
        return web.Response(
            body=fixture_bytes("live_guide_seed.json"), content_type="application/json"
        )

    server.handler = handler
    with pytest.raises(ContactCenterResponseError) as caught:
        await http_client(session, server.url).async_get_snapshot()
    assert str(caught.value) == f"127.0.0.1:{server.port} answered HTTP {status}"
    assert [path for _, path, _ in server.seen] == [STATUS_PATH]
    assert_secret_safe(caught.value)


def _padded_seed(size: int) -> bytes:
    body = fixture_bytes("live_guide_seed.json").strip()
    assert len(body) <= size
    return body + b" " * (size - len(body))


def _chunked(body: bytes) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(body)
        await response.write_eof()
        return response

    return handler


@pytest.mark.parametrize(
    "declared", [pytest.param(True, id="content-length"), pytest.param(False, id="chunked")]
)
async def test_http_body_at_the_limit_is_read(
    server: FakeServer,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    declared: bool,
) -> None:
    monkeypatch.setattr(client_module, "MAX_BODY_BYTES", 1024)
    body = _padded_seed(1024)
    if declared:
        server.answer(body)
    else:
        server.handler = _chunked(body)
    assert await http_client(session, server.url).async_get_snapshot() == SEED_SNAPSHOT


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        pytest.param(True, "is too large (1025 bytes)", id="content-length"),
        pytest.param(False, "is too large (over 1024 bytes)", id="chunked"),
    ],
)
async def test_http_body_over_the_limit_is_refused(
    server: FakeServer,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    declared: bool,
    message: str,
) -> None:
    monkeypatch.setattr(client_module, "MAX_BODY_BYTES", 1024)
    body = _padded_seed(1025)
    if declared:
        server.answer(body)
    else:
        server.handler = _chunked(body)
    with pytest.raises(ContactCenterResponseError) as caught:
        await http_client(session, server.url).async_get_snapshot()
    assert str(caught.value) == f"Answer from 127.0.0.1 {message}"
    assert_secret_safe(caught.value)


async def test_http_timeout(server: FakeServer, session: aiohttp.ClientSession) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        await server.release.wait()
        return web.Response(body=b"{}")

    server.handler = handler
    client = http_client(session, server.url, request_timeout=0.2)
    started = time.monotonic()
    with pytest.raises(ContactCenterConnectionError) as caught:
        await client.async_get_snapshot()
    assert time.monotonic() - started < 2
    assert str(caught.value) == "Timed out talking to 127.0.0.1"
    assert_secret_safe(caught.value, from_transport=True)


def test_default_timeout_is_read_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", 1.25)
    assert parse_client()._timeout.total == 1.25
    client = LiveGuideClient(
        MagicMock(spec=[]), LiveGuideSettings(url=HOST, token=TOKEN), request_timeout=0.2
    )
    assert client._timeout.total == 0.2


def test_default_clock_is_aware_utc() -> None:
    now = client_module.utcnow()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


async def test_http_connection_refused(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ContactCenterConnectionError) as caught:
        await http_client(session, f"http://127.0.0.1:{port}").async_get_snapshot()
    assert str(caught.value) == "Cannot connect to 127.0.0.1 (ClientConnectorError)"
    assert_secret_safe(caught.value, from_transport=True)


async def test_http_tls_to_a_plain_server(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    server.answer(fixture_bytes("live_guide_seed.json"))
    with pytest.raises(ContactCenterConnectionError) as caught:
        await http_client(session, f"https://127.0.0.1:{server.port}").async_get_snapshot()
    assert str(caught.value) == "TLS certificate of 127.0.0.1 was not accepted"
    assert_secret_safe(caught.value, from_transport=True)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        pytest.param(
            b"NOT HTTP AT ALL\r\n\r\n",
            "Request to 127.0.0.1 failed (ClientResponseError)",
            id="garbage-status-line",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: nine\r\n\r\n{}",
            "Request to 127.0.0.1 failed (ClientResponseError)",
            id="bad-header",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + b'{"global"',
            "Request to 127.0.0.1 failed (ClientPayloadError)",
            id="body-cut-off",
        ),
        pytest.param(
            b"", "Cannot connect to 127.0.0.1 (ServerDisconnectedError)", id="closed-without-answer"
        ),
    ],
)
async def test_http_broken_server(
    socket_enabled: None, session: aiohttp.ClientSession, reply: bytes, message: str
) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    raw_server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = raw_server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(ContactCenterConnectionError) as caught:
            await http_client(session, f"http://127.0.0.1:{port}").async_get_snapshot()
    finally:
        raw_server.close()
        await raw_server.wait_closed()
    assert str(caught.value) == message
    assert_secret_safe(caught.value, from_transport=True)


def test_host_id_brackets_ipv6() -> None:
    """An IPv6 host keeps its brackets, so the port stays readable."""
    assert host_id(URL("http://[::1]:8080/")) == "[::1]:8080"
    assert host_id(URL("https://[2001:db8::1]/")) == "[2001:db8::1]"


def test_wrapper_with_its_own_attributes_still_unwraps() -> None:
    """``{"@attributes": ..., "department": [...]}`` holds the items, not one item."""
    wrapped = {"@attributes": {"count": "2"}, "department": [{"id": "1"}, {"id": "2"}]}
    assert as_list(wrapped, "department") == [{"id": "1"}, {"id": "2"}]


async def test_http_identical_answer_reuses_the_snapshot(
    server: FakeServer, session: aiohttp.ClientSession
) -> None:
    """The same bytes again give the very same snapshot, without decoding; new bytes do not."""
    server.answer(fixture_bytes("live_guide_seed.json"))
    client = http_client(session, server.url)
    first = await client.async_get_snapshot()
    assert await client.async_get_snapshot() is first
    server.answer(fixture_bytes("live_guide_center.json"))
    third = await client.async_get_snapshot()
    assert third is not first
    assert third.agents == CENTER_AGENTS
