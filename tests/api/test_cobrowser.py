"""The CoBrowser.net client: URL handling, the answer's quirks, error shapes, HTTP and the key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
import traceback
from typing import Any
from unittest.mock import MagicMock

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from yarl import URL

from custom_components.contact_center.api import (
    VENDORS,
    AccountIdentity,
    Agent,
    AgentStatus,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ExtraKind,
    Figures,
    Snapshot,
)
from custom_components.contact_center.api.cobrowser import (
    ACCOUNT_PATH,
    SLOT_DURATIONS,
    CoBrowserClient,
    CoBrowserSettings,
    account_id,
    normalize_url,
)

from .conftest import fixture_bytes, fixture_json

API_KEY = "SECRET-APIKEY-0123456789abcdef0123"
"""A distinctive key, so a leak into any text is easy to find."""
LAST_ACTIVE = datetime(2026, 11, 23, 3, 59, tzinfo=UTC)
NO_DURATIONS = {
    "last_active": LAST_ACTIVE,
    "closed_slots": 2,
}

ONLINE_AGENTS = {
    "17": Agent(
        id="17",
        name="Anna de Vries",
        status=AgentStatus.AVAILABLE,
        raw_status="online",
        active_conversations=1,
        capacity=3,
        free_slots=2,
        extras=NO_DURATIONS,
    ),
    "18": Agent(
        id="18",
        name="Bram Jansen",
        status=AgentStatus.BUSY,
        raw_status="online",
        active_conversations=2,
        capacity=2,
        free_slots=0,
        extras={"last_active": datetime(2026, 11, 23, 3, 59, 50, tzinfo=UTC), "closed_slots": 0},
    ),
    "19": Agent(
        id="19",
        name="Chloé Dubois",
        status=AgentStatus.OFFLINE,
        raw_status="offline",
        active_conversations=0,
        capacity=4,
        free_slots=0,
        extras={"last_active": datetime(2026, 11, 23, 3, 36, 40, tzinfo=UTC), "closed_slots": 4},
    ),
}
ONLINE_SNAPSHOT = Snapshot(
    totals=Figures(
        agents_logged_in=2,
        agents_available=1,
        agents_busy=1,
        extras={"free_slots_total": 2, "open_chats_total": 3},
    ),
    agents=ONLINE_AGENTS,
)


def parse_client(**settings: Any) -> CoBrowserClient:
    """Return a client for ``parse`` only: its session is a mock that no test may touch."""
    values: dict[str, Any] = {"username": "desk", "api_key": API_KEY, **settings}
    return CoBrowserClient(MagicMock(spec=[]), CoBrowserSettings(**values))


def agent_item(**fields: Any) -> dict[str, Any]:
    """Return one agent of the answer, with the fields given."""
    return {"id": "1", "username": "agent", "status": "offline", **fields}


def parse_agent(command: str = "getOnlineAgents", **fields: Any) -> Agent:
    client = parse_client(all_agents=command == "getAllAgents")
    return client.parse({command: [agent_item(**fields)]}).agents["1"]


# --- settings, URL and identity ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "https://client.cobrowser.net/"),
        ("client.cobrowser.net", "https://client.cobrowser.net/"),
        ("https://client.cobrowser.net/", "https://client.cobrowser.net/"),
        (
            "https://client.cobrowser.net/api/Account.php?user=x&apiKey=k&c=getAllAgents",
            "https://client.cobrowser.net/",
        ),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
        ("http://127.0.0.1:8080/prefix/api/account.php", "http://127.0.0.1:8080/prefix"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert str(normalize_url(raw)) == expected


@pytest.mark.parametrize("raw", ["ftp://client.cobrowser.net", "https://", "http:///x"])
def test_normalize_url_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        normalize_url(raw)


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        (" Desk ", "https://client.cobrowser.net", "desk"),
        ("Desk", "https://client.cobrowser.net:443/", "desk"),
        ("Desk", "http://127.0.0.1:8080", "desk@127.0.0.1:8080"),
        ("Desk", "https://eu.cobrowser.example", "desk@eu.cobrowser.example"),
    ],
)
def test_account_id(username: str, url: str, expected: str) -> None:
    assert account_id(username, URL(url)) == expected


def test_settings_hide_the_key_and_default_to_the_public_server() -> None:
    settings = CoBrowserSettings(username="desk", api_key=API_KEY)
    assert settings.url == "https://client.cobrowser.net"
    assert settings.all_agents is False
    assert API_KEY not in repr(settings)


def test_registered_vendor() -> None:
    vendor = VENDORS["cobrowser"]
    assert vendor.client_class is CoBrowserClient
    assert vendor.name == "CoBrowser.net"
    settings = vendor.settings_from(
        {"vendor": "cobrowser", "url": "x", "username": "u", "api_key": "k", "all_agents": True}
    )
    assert settings == CoBrowserSettings(url="x", username="u", api_key="k", all_agents=True)


def test_capabilities() -> None:
    capabilities = parse_client().capabilities
    assert capabilities.totals == {"agents_logged_in", "agents_available", "agents_busy"}
    assert capabilities.queue == frozenset()
    assert capabilities.agent == {"status", "active_conversations", "capacity", "free_slots"}
    assert capabilities.opt_in == {"capacity_available"}
    assert [e.key for e in capabilities.totals_extras] == ["free_slots_total", "open_chats_total"]
    extras = {e.key: e for e in capabilities.agent_extras}
    assert extras["last_active"].kind is ExtraKind.TIMESTAMP
    assert extras["last_active"].enabled_by_default
    durations = [e for e in capabilities.agent_extras if e.kind is ExtraKind.DURATION]
    assert [e.key for e in durations] == list(SLOT_DURATIONS)
    assert len(durations) == 15
    assert all(e.diagnostic and not e.enabled_by_default and e.volatile for e in durations)
    assert SLOT_DURATIONS["max_burning_duration"] == "maxBurningDuration"


# --- parsing -------------------------------------------------------------------------------


def test_parse_fixture_mixed_strings_and_numbers() -> None:
    """Strings in one agent, numbers in the next: the same figures."""
    assert parse_client().parse(fixture_json("cobrowser_online.json")) == ONLINE_SNAPSHOT


def test_durations_only_while_shown() -> None:
    """Slot durations grow by themselves: reported only while something shows them."""
    client = parse_client()
    data = fixture_json("cobrowser_online.json")
    hide_max = client.show_extra("max_open_duration")
    hide_max_again = client.show_extra("max_open_duration")
    hide_avg = client.show_extra("avg_new_duration")
    agents = client.parse(data).agents
    assert agents["17"].extras == {
        **NO_DURATIONS,
        "max_open_duration": 95,
        "avg_new_duration": 0,
    }
    assert agents["18"].extras["max_open_duration"] == 31
    assert agents["18"].extras["avg_new_duration"] == 12
    hide_avg()
    hide_avg()  # a second call changes nothing
    hide_max()
    assert client.shows_extra("max_open_duration")
    assert "avg_new_duration" not in client.parse(data).agents["17"].extras
    hide_max_again()
    assert not client.shows_extra("max_open_duration")
    assert client.parse(data) == ONLINE_SNAPSHOT


def test_all_durations_read_their_vendor_field() -> None:
    client = parse_client()
    for key in SLOT_DURATIONS:
        client.show_extra(key)
    item = agent_item(**{field: str(index) for index, field in enumerate(SLOT_DURATIONS.values())})
    extras = client.parse({"getOnlineAgents": [item]}).agents["1"].extras
    assert [extras[key] for key in SLOT_DURATIONS] == list(range(15))


def test_all_agents_reads_its_own_result() -> None:
    data = {"getAllAgents": fixture_json("cobrowser_online.json")["getOnlineAgents"]}
    assert parse_client(all_agents=True).parse(data) == ONLINE_SNAPSHOT
    with pytest.raises(ContactCenterResponseError, match="without getOnlineAgents"):
        parse_client().parse(data)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"status": "online", "numFree": "1", "hasFree": "1"}, AgentStatus.AVAILABLE),
        ({"status": "Online", "numFree": 2}, AgentStatus.AVAILABLE),
        ({"status": "online", "numFree": "0", "hasFree": "1"}, AgentStatus.BUSY),
        ({"status": "online", "hasFree": "1"}, AgentStatus.AVAILABLE),
        ({"status": "online", "hasFree": 0}, AgentStatus.BUSY),
        ({"status": "online", "hasFree": True}, AgentStatus.AVAILABLE),
        ({"status": "online", "hasFree": "true"}, AgentStatus.AVAILABLE),
        ({"status": "online", "hasFree": "no"}, AgentStatus.BUSY),
        ({"status": "online", "hasFree": "0"}, AgentStatus.BUSY),
        ({"status": "online"}, None),
        ({"status": "online", "hasFree": ""}, None),
        ({"status": "offline", "numFree": "3"}, AgentStatus.OFFLINE),
        ({"status": "OFFLINE"}, AgentStatus.OFFLINE),
        ({"status": "away", "numFree": "1"}, None),
    ],
)
def test_status(fields: dict[str, Any], status: AgentStatus | None) -> None:
    assert parse_agent(**fields).status is status


@pytest.mark.parametrize(
    ("fields", "agent_id", "name"),
    [
        ({"id": "5", "firstname": "Ann", "name": "Lee"}, "5", "Ann Lee"),
        ({"id": 5, "name": "Lee"}, "5", "Lee"),
        ({"id": "5", "firstname": " Ann ", "name": ""}, "5", "Ann"),
        ({"id": "5", "username": "ann"}, "5", "ann"),
        ({"id": None, "username": "ann"}, "ann", "ann"),
        ({"id": "5", "username": None}, "5", "5"),
    ],
)
def test_identity(fields: dict[str, Any], agent_id: str, name: str) -> None:
    agents = parse_client().parse({"getOnlineAgents": [{"status": "online", **fields}]}).agents
    assert list(agents) == [agent_id]
    assert agents[agent_id].name == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1795406340", LAST_ACTIVE),
        (1795406340, LAST_ACTIVE),
        ("1795406340.0", LAST_ACTIVE),
        ("0", None),
        ("", None),
        (None, None),
        ("99999999999999", None),
    ],
)
def test_last_active(value: Any, expected: datetime | None) -> None:
    assert parse_agent(lastactive=value).extras["last_active"] == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), (3, 3), ("3.0", 3), ("", None), (None, None)]
)
def test_slot_counters(value: Any, expected: int | None) -> None:
    agent = parse_agent(slot_num=value, numOpen=value, numFree=value, numClosed=value)
    assert agent.capacity == agent.active_conversations == agent.free_slots == expected
    assert agent.extras["closed_slots"] == expected


@pytest.mark.parametrize(
    "result",
    [[], {}, {"0": agent_item(status="online", numFree="1")}],
    ids=["list", "object", "keyed"],
)
def test_result_shapes(result: Any) -> None:
    """An empty result is a quiet account; an object keyed by index is a list."""
    snapshot = parse_client().parse({"getOnlineAgents": result})
    assert len(snapshot.agents) == (1 if isinstance(result, dict) and result else 0)
    assert snapshot.totals.agents_available == len(snapshot.agents)


def test_totals() -> None:
    agents = [
        agent_item(id="1", status="online", numFree="2", numOpen="1"),
        agent_item(id="2", status="online", numFree="0", numOpen="3"),
        agent_item(id="3", status="offline", numFree="4", numOpen="1"),
        agent_item(id="4", status="online", numFree="1", numOpen="0", hasFree="1"),
    ]
    totals = parse_client().parse({"getOnlineAgents": agents}).totals
    assert totals == Figures(
        agents_logged_in=3,
        agents_available=2,
        agents_busy=1,
        extras={"free_slots_total": 3, "open_chats_total": 5},
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            agent_item(id="9", status="online", hasFree="1", numOpen="1"),
            Figures(
                agents_logged_in=2,
                agents_available=2,
                agents_busy=0,
                extras={"free_slots_total": None, "open_chats_total": 2},
            ),
            id="online-without-free-count",
        ),
        pytest.param(
            agent_item(id="9", status="online", numFree="1"),
            Figures(
                agents_logged_in=2,
                agents_available=2,
                agents_busy=0,
                extras={"free_slots_total": 3, "open_chats_total": None},
            ),
            id="without-open-count",
        ),
        pytest.param(
            agent_item(id="9", status="online", numOpen="1"),
            Figures(
                agents_logged_in=2,
                agents_available=None,
                agents_busy=None,
                extras={"free_slots_total": None, "open_chats_total": 2},
            ),
            id="online-room-unknown",
        ),
        pytest.param(
            agent_item(id="9", status="away", numFree="1", numOpen="0"),
            Figures(
                agents_logged_in=None,
                agents_available=None,
                agents_busy=None,
                extras={"free_slots_total": None, "open_chats_total": 1},
            ),
            id="undocumented-status",
        ),
        pytest.param(
            agent_item(id="9", status="offline"),
            Figures(
                agents_logged_in=1,
                agents_available=1,
                agents_busy=0,
                extras={"free_slots_total": 2, "open_chats_total": None},
            ),
            id="offline-without-counts",
        ),
    ],
)
def test_a_total_with_an_unknown_part_is_unknown(extra: dict[str, Any], expected: Figures) -> None:
    """Never a sum that counts an unknown part as 0, nor a count that skips an unknown status."""
    agents = [agent_item(id="1", status="online", numFree="2", numOpen="1"), extra]
    assert parse_client().parse({"getOnlineAgents": agents}).totals == expected


def online_agents(*agents: Any) -> dict[str, Any]:
    return {"getOnlineAgents": list(agents)}


GOOD_AGENT = agent_item(status="online", numFree="1", numOpen="1", slot_num="2", hasFree="1")


def with_agent(**fields: Any) -> dict[str, Any]:
    return online_agents(GOOD_AGENT, {**GOOD_AGENT, "id": "2", **fields})


COBROWSER_WRONG_SHAPES = [
    # The shapes of issue 9: each one read as "nobody logged in" before.
    pytest.param({"getOnlineAgents": "temporarily unavailable"}, id="result-text"),
    pytest.param({"getOnlineAgents": 0}, id="result-zero"),
    pytest.param({"getOnlineAgents": 503}, id="result-number"),
    pytest.param({"getOnlineAgents": True}, id="result-true"),
    pytest.param({"getOnlineAgents": [1, 2, 3]}, id="result-list-of-numbers"),
    pytest.param({"getOnlineAgents": {"message": "busy"}}, id="result-message-object"),
    pytest.param({"getOnlineAgents": None}, id="result-null"),
    pytest.param({"getOnlineAgents": ""}, id="result-empty-text"),
    pytest.param({"getOnlineAgents": GOOD_AGENT}, id="result-one-object"),
    pytest.param(online_agents(GOOD_AGENT, "junk"), id="junk-item"),
    pytest.param(online_agents(GOOD_AGENT, None), id="null-item"),
    pytest.param(online_agents(GOOD_AGENT, [GOOD_AGENT]), id="nested-list-item"),
    pytest.param({"getOnlineAgents": {"0": GOOD_AGENT, "1": 5}}, id="keyed-number-item"),
    pytest.param(with_agent(numFree="many"), id="num-free-word"),
    pytest.param(with_agent(numFree="1.5"), id="num-free-fraction"),
    pytest.param(with_agent(numFree=-1), id="num-free-negative"),
    pytest.param(with_agent(numFree=True), id="num-free-true"),
    pytest.param(with_agent(numOpen="n/a"), id="num-open-word"),
    pytest.param(with_agent(numOpen=[1]), id="num-open-list"),
    pytest.param(with_agent(slot_num="x"), id="slot-num-word"),
    pytest.param(with_agent(numClosed="-2"), id="num-closed-negative"),
    pytest.param(with_agent(hasFree="maybe"), id="has-free-word"),
    pytest.param(with_agent(hasFree=2), id="has-free-two"),
    pytest.param(with_agent(hasFree=[1]), id="has-free-list"),
    pytest.param(with_agent(lastactive="yesterday"), id="last-active-word"),
    pytest.param(with_agent(lastactive="1795406340.4"), id="last-active-fraction"),
    pytest.param(with_agent(lastactive="9" * 30), id="last-active-huge"),
    pytest.param(with_agent(status=None), id="status-missing"),
    pytest.param(with_agent(status=""), id="status-empty"),
    pytest.param(with_agent(status=["online"]), id="status-list"),
    pytest.param(with_agent(maxOpenDuration="long"), id="shown-duration-word"),
    pytest.param(with_agent(id=None, username=None), id="no-identity"),
    pytest.param(with_agent(id=" ", username=""), id="blank-identity"),
    pytest.param(with_agent(id="1"), id="duplicate-id"),
    pytest.param(with_agent(id={"value": 2}), id="id-object"),
    pytest.param(with_agent(name=["Lee"]), id="name-list"),
]


@pytest.mark.parametrize("data", COBROWSER_WRONG_SHAPES)
def test_wrong_shapes_are_errors(data: dict[str, Any]) -> None:
    client = parse_client()
    client.show_extra("max_open_duration")
    with pytest.raises(ContactCenterResponseError) as caught:
        client.parse(data)
    assert type(caught.value) is ContactCenterResponseError
    assert str(caught.value).startswith("client.cobrowser.net sent ")
    assert API_KEY not in repr(caught.value)


def test_the_good_answer_of_the_wrong_shapes_table_is_read() -> None:
    snapshot = parse_client().parse(with_agent())
    assert snapshot.totals.agents_available == 2
    assert list(snapshot.agents) == ["1", "2"]


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ({"error": "Invalid apiKey"}, ContactCenterAuthError, "refused the user name or API key"),
        ({"error": "Unknown user"}, ContactCenterAuthError, "refused the user name or API key"),
        (
            {"error": {"code": 401, "message": "Authentication failed"}},
            ContactCenterAuthError,
            "refused the user name or API key",
        ),
        (
            {"getOnlineAgents": {"error": "Access denied"}},
            ContactCenterAuthError,
            "refused the user name or API key",
        ),
        (
            {"status": "error", "message": "Wrong API key"},
            ContactCenterAuthError,
            "refused the user name or API key",
        ),
        ({"errors": ["invalid", "apiKey"]}, ContactCenterAuthError, "refused"),
        ({"error": "Unknown command"}, ContactCenterResponseError, "reported an error"),
        ({"error": True}, ContactCenterResponseError, "reported an error"),
        ({"status": "failed"}, ContactCenterResponseError, "reported an error"),
        ({}, ContactCenterResponseError, "sent an answer without getOnlineAgents"),
        ({"getAllAgents": []}, ContactCenterResponseError, "without getOnlineAgents"),
        ({"getOnlineAgents": False}, ContactCenterResponseError, "sent no getOnlineAgents result"),
        ([], ContactCenterResponseError, "sent an answer of an unexpected shape"),
        ("error", ContactCenterResponseError, "sent an answer of an unexpected shape"),
    ],
)
def test_parse_refuses(data: Any, error: type[ContactCenterError], message: str) -> None:
    with pytest.raises(ContactCenterError) as caught:
        parse_client().parse(data)
    assert type(caught.value) is error
    assert message in str(caught.value)
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize("empty", [None, False, "", 0, [], {}])
def test_empty_error_key_beside_a_result_is_ignored(empty: Any) -> None:
    snapshot = parse_client().parse({"error": empty, "getOnlineAgents": []})
    assert snapshot.agents == {}


# --- HTTP ----------------------------------------------------------------------------------


class FakeServer:
    """A local server answering whatever a test sets, and recording the queries it got."""

    def __init__(self) -> None:
        self.status = 200
        self.body = fixture_bytes("cobrowser_online.json")
        self.content_type = "application/json"
        self.queries: list[dict[str, str]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.queries.append(dict(request.query))
        assert request.path == ACCOUNT_PATH
        return web.Response(status=self.status, body=self.body, content_type=self.content_type)


@pytest.fixture
async def server(socket_enabled: None) -> AsyncIterator[FakeServer]:
    fake = FakeServer()
    app = web.Application()
    app.router.add_get(ACCOUNT_PATH, fake.handle)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    fake.url = str(test_server.make_url("/"))
    try:
        yield fake
    finally:
        await test_server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def http_client(session: aiohttp.ClientSession, url: str, **settings: Any) -> CoBrowserClient:
    values: dict[str, Any] = {"url": url, "username": "Desk", "api_key": API_KEY, **settings}
    return CoBrowserClient(session, CoBrowserSettings(**values), request_timeout=0.5)


def assert_key_safe(err: BaseException) -> None:
    """Nothing reachable from ``err`` holds the key."""
    texts = ["".join(traceback.format_exception(err))]
    current: BaseException | None = err
    while current is not None:
        texts += [str(current), repr(current)]
        current = current.__cause__ or current.__context__
    assert not any(API_KEY in text for text in texts)


@pytest.mark.parametrize(
    ("all_agents", "command"), [(False, "getOnlineAgents"), (True, "getAllAgents")]
)
async def test_http_query_and_identity(
    server: FakeServer, session: aiohttp.ClientSession, all_agents: bool, command: str
) -> None:
    if all_agents:
        server.body = server.body.replace(b"getOnlineAgents", b"getAllAgents")
    client = http_client(session, server.url, all_agents=all_agents)
    assert await client.async_get_snapshot() == ONLINE_SNAPSHOT
    identity = await client.async_identify()
    host = server.url.removeprefix("http://").rstrip("/")
    assert identity == AccountIdentity(unique_id=f"desk@{host}", title="CoBrowser.net Desk")
    assert server.queries == [{"user": "Desk", "apiKey": API_KEY, "c": command}] * 2


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (200, b"", ContactCenterResponseError, "sent an empty answer"),
        (200, b"Invalid apiKey " + API_KEY.encode(), ContactCenterResponseError, "unreadable"),
        (200, b'{"getOnlineAgents": [', ContactCenterResponseError, "cut off or malformed"),
        (200, b"<html><body>login</body></html>", ContactCenterResponseError, "HTML page"),
        (200, b'{"error": "Invalid user"}', ContactCenterAuthError, "refused the user name"),
        (401, b"no", ContactCenterAuthError, "refused the credentials (HTTP 401)"),
        (403, b"no", ContactCenterAuthError, "refused the credentials (HTTP 403)"),
        (404, b"no", ContactCenterResponseError, "answered HTTP 404"),
        (500, API_KEY.encode(), ContactCenterServerError, "answered HTTP 500"),
        (503, b"", ContactCenterServerError, "answered HTTP 503"),
    ],
)
async def test_http_errors_are_mapped_and_key_safe(
    server: FakeServer,
    session: aiohttp.ClientSession,
    status: int,
    body: bytes,
    error: type[ContactCenterError],
    message: str,
) -> None:
    server.status = status
    server.body = body
    with pytest.raises(ContactCenterError) as caught:
        await http_client(session, server.url).async_get_snapshot()
    assert type(caught.value) is error
    assert message in str(caught.value)
    assert_key_safe(caught.value)


async def test_http_connection_refused_is_key_safe(
    session: aiohttp.ClientSession, socket_enabled: None, unused_tcp_port: int
) -> None:
    client = http_client(session, f"http://127.0.0.1:{unused_tcp_port}")
    with pytest.raises(ContactCenterConnectionError) as caught:
        await client.async_get_snapshot()
    assert str(caught.value).startswith("Cannot connect to 127.0.0.1")
    assert_key_safe(caught.value)
