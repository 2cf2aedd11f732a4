"""The Bright Pattern client: parsing quirks, both sign-ins and the subscription lifecycle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import MagicMock, patch

import aiohttp
from hypothesis import given, settings as examples, strategies as st
import pytest
from yarl import URL

from custom_components.contact_center.api import (
    VENDORS,
    AgentStatus,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
    Message,
    Problem,
    bright_pattern as bp_module,
)
from custom_components.contact_center.api.bright_pattern import (
    APP_ID,
    BrightPatternClient,
    BrightPatternLegacyRefusedError,
    BrightPatternNotReadyError,
    BrightPatternSettings,
    normalize_tenant,
    normalize_url,
    parse_dispositions,
    parse_messages,
    subscription_definition,
)
from custom_components.contact_center.api.parsing import to_percent, to_seconds
from simulator import Simulator, run_simulator

from .conftest import NOW, NOW_S, Clock

SECRET = "SECRET-api-0123456789abcdefghijklmnop"


def parse_client(clock: Clock | None = None, **settings: Any) -> BrightPatternClient:
    """A client for ``parse`` only: its session is a mock no test may touch."""
    values: dict[str, Any] = {
        "url": "https://acme.brightpattern.com",
        "username": "boss",
        "password": SECRET,
        **settings,
    }
    return BrightPatternClient(
        MagicMock(spec=[]), BrightPatternSettings(**values), clock=clock or Clock()
    )


def answer(**section: Any) -> dict[str, Any]:
    """A data answer; the parts not given are there and empty, as the server sends them."""
    return {
        APP_ID: {
            "stats_totals": {"in_calls_waiting": ""},
            "service_grids": [{"id": "services", "values": []}],
            "agent_grids": [{"id": "agents", "values": []}],
            **section,
        }
    }


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("75", 75),
        ("00:01:15", 75),
        ("1:15", 75),
        ("02:00:00", 7200),
        ("", None),
        ("  ", None),
        ("1:xx", None),
        ("1:2:3:4", None),
        (90, 90),
        (None, None),
    ],
)
def test_durations_as_seconds_or_clock_time(raw: Any, seconds: int | None) -> None:
    assert to_seconds(raw) == seconds


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("85.5", 85.5),
        ("85 %", 85.0),
        ("85,5", 85.5),
        ("", None),
        ("n/a", None),
        (7, 7.0),
        ("inf", None),
        (True, None),
        ([], None),
    ],
)
def test_percentages_as_strings(raw: Any, number: float | None) -> None:
    assert to_percent(raw) == number


def test_parse_all_strings_and_empty_values() -> None:
    client = parse_client()
    snapshot = client.parse(
        answer(
            stats_totals={
                "in_calls_waiting": "3",
                "in_max_wait_time": "00:02:05",
                "service_level": "87.5",
                "agents_logged": "5",
                "agents_ready": "",
                "in_calls_received_per_day": "120",
                "in_calls_abandoned_in_queue_per_day": "4",
            },
            service_grids=[
                {
                    "id": "services",
                    "values": [
                        {
                            "name": "Sales",
                            "in_calls_waiting": "1",
                            "in_max_wait_time": "40",
                            "service_level": "",
                            "agents_busy": "2",
                            "in_calls_abandoned_percent_per_day": "3.3",
                        },
                    ],
                }
            ],
            agent_grids=[
                {
                    "id": "agents",
                    "values": [
                        {
                            "login_id": "ann",
                            "first_last_name": "Ann Lee",
                            "acd_state": "Not Ready",
                            "state_duration": "00:05:00",
                            "reason": "Lunch",
                            "team_name": "Care",
                        },
                        {
                            "login_id": "bob",
                            "firstname": "Bob",
                            "lastname": "",
                            "acd_state": "Wrap-up",
                            "state_duration": "",
                            "reason": "",
                            "team_name": "",
                        },
                    ],
                }
            ],
        )
    )
    totals = snapshot.totals
    assert (totals.waiting, totals.longest_wait, totals.service_level) == (3, 125, 87.5)
    assert totals.agents_available is None
    assert (totals.offered, totals.abandoned, totals.agents_logged_in) == (120, 4, 5)
    assert list(snapshot.queues) == ["Sales"]
    sales = snapshot.queues["Sales"]
    assert (sales.waiting, sales.longest_wait, sales.service_level) == (1, 40, None)
    assert (sales.agents_busy, sales.abandoned_pct, sales.offered) == (2, 3.3, None)
    ann = snapshot.agents["ann"]
    assert ann.name == "Ann Lee"
    assert ann.status is AgentStatus.AWAY
    assert ann.raw_status == "Not Ready"
    assert ann.reason == "Lunch"
    assert ann.team == "Care"
    assert ann.status_since == NOW_S - timedelta(minutes=5)
    bob = snapshot.agents["bob"]
    assert bob.name == "Bob"
    assert bob.status is AgentStatus.AFTER_CALL_WORK
    assert (bob.status_since, bob.reason, bob.team) == (None, None, None)
    assert snapshot.messages == ()


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("Ready", AgentStatus.AVAILABLE),
        ("Busy", AgentStatus.BUSY),
        ("Talking", AgentStatus.BUSY),
        ("Not Ready", AgentStatus.AWAY),
        ("not_ready", AgentStatus.AWAY),
        ("Break", AgentStatus.AWAY),
        ("After Call Work", AgentStatus.AFTER_CALL_WORK),
        ("Wrap-up", AgentStatus.AFTER_CALL_WORK),
        ("Logged Out", AgentStatus.OFFLINE),
        ("Dancing", None),
    ],
)
def test_agent_states_map_to_the_normalized_status(raw: str, status: AgentStatus | None) -> None:
    snapshot = parse_client().parse(
        answer(agent_grids=[{"id": "agents", "values": [{"login_id": "a", "acd_state": raw}]}])
    )
    assert snapshot.agents["a"].status is status
    assert snapshot.agents["a"].raw_status == raw


def test_status_since_is_stable_between_polls() -> None:
    """The server's duration jitters; the moment stays until the state changes."""
    clock = Clock()
    client = parse_client(clock)

    def poll(state: str, duration: str) -> datetime | None:
        row = {"login_id": "a", "acd_state": state, "state_duration": duration}
        return (
            client.parse(answer(agent_grids=[{"id": "agents", "values": [row]}]))
            .agents["a"]
            .status_since
        )

    first = poll("Ready", "100")
    clock.tick(15)
    assert poll("Ready", "113") == first
    clock.tick(15)
    assert poll("Ready", "00:02:10") == first
    clock.tick(15)
    changed = poll("Busy", "2")
    assert changed == NOW_S + timedelta(seconds=43)
    clock.tick(600)
    assert poll("Busy", "999999999999") is None


def test_body_tolerance() -> None:
    """The object under the app id or the section itself; totals as a list; a lone grid."""
    client = parse_client()
    totals_list = [
        {"stat_name": "in_calls_waiting", "value": "2"},
        {"statName": "agents_ready", "value": "4"},
    ]
    grids = {
        "service_grids": [{"id": "services", "values": []}],
        "agent_grids": [{"id": "agents", "values": {}}],
    }
    for body in (
        {APP_ID: {"stats_totals": totals_list, **grids}},
        {"stats_totals": totals_list, **grids},
    ):
        totals = client.parse(body).totals
        assert (totals.waiting, totals.agents_available) == (2, 4)
    # A grid without an id is read when it is the only one; one object is a list of one.
    snapshot = client.parse(answer(service_grids={"values": [{"name": "S"}]}))
    assert list(snapshot.queues) == ["S"]


def test_messages_parsed_oldest_first() -> None:
    messages = parse_messages(
        [
            {
                "id": "7",
                "login_id": "jlee",
                "first_name": "Jordan",
                "last_name": "Lee",
                "send_time": "1795000100000",
                "is_urgent": "1",
                "content": "Queue!",
            },
            {"id": "6", "login_id": "mb", "send_time": "2026-11-01T11:00:00Z", "content": "Hi"},
            {"id": "8", "send_time": "not a time", "content": ""},
            {"id": "", "content": "no id"},
            {"id": "9", "send_time": "1e400", "content": "far"},
        ]
    )
    assert [m.id for m in messages] == ["6", "7", "8", "9"]
    assert messages[1] == Message(
        id="7",
        text="Queue!",
        sender="Jordan Lee",
        sender_id="jlee",
        urgent=True,
        sent_at=datetime.fromtimestamp(1_795_000_100, UTC),
    )
    assert messages[0].sender == "mb"
    assert messages[0].sent_at == datetime(2026, 11, 1, 11, 0, tzinfo=UTC)
    assert not messages[0].urgent
    assert messages[2].sent_at is None
    assert messages[3].sent_at is None


def test_message_time_without_zone_is_utc() -> None:
    (message,) = parse_messages([{"id": "1", "send_time": "2026-11-23T11:00:00"}])
    assert message.sent_at == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_dispositions_list_or_wrapped() -> None:
    assert parse_dispositions(["A", "B", "A", "", 3], "h") == ["A", "B", "3"]
    assert parse_dispositions({"dispositions": [{"name": "X"}, "Y"]}, "h") == ["X", "Y"]
    for bad in ({"other": []}, "A", None):
        with pytest.raises(ContactCenterResponseError):
            parse_dispositions(bad, "h")


def test_urls_and_tenant() -> None:
    url = normalize_url(" acme.brightpattern.com/agentdesktop/?x=1 ")
    assert str(url) == "https://acme.brightpattern.com/"
    assert normalize_tenant("", url) == "acme.brightpattern.com"
    assert normalize_tenant("https://Other.brightpattern.com/", url) == "other.brightpattern.com"
    assert normalize_tenant("Tenant.example ", url) == "tenant.example"
    for bad in ("ftp://x", "https://"):
        with pytest.raises(ValueError, match="not an http"):
            normalize_url(bad)


def test_definition_names_every_statistic() -> None:
    definition = subscription_definition()[APP_ID]
    assert "in_calls_waiting" in definition["stats_totals"]
    services = definition["service_grids"][0]
    assert services["id"] == "services"
    assert {"id": "agents_busy", "stat_name": "agents_busy"} in services["columns"]
    agents = definition["agent_grids"][0]
    assert [c["id"] for c in agents["columns"]][:1] == ["login_id"]
    assert definition["chat_messages"] == {"filter": "", "limit": "20"}
    old = subscription_definition("statName")[APP_ID]["agent_grids"][0]["columns"][0]
    assert old == {"id": "login_id", "statName": "login_id"}


def test_identity_and_registration() -> None:
    client = parse_client(tenant_url="", username=" Boss ")
    assert client.identity.unique_id == "acme.brightpattern.com_boss"
    assert client.identity.title == "Bright Pattern acme.brightpattern.com"
    assert "password" not in repr(client.settings)
    assert SECRET not in repr(client.settings)
    vendor = VENDORS["bright_pattern"]
    assert vendor.client_class is BrightPatternClient
    assert vendor.settings_from({"url": "u", "username": "x", "password": "p", "vendor": "v"})
    assert client.capabilities.messages
    assert client.capabilities.dispositions


# --- against the simulator -------------------------------------------------------------------


class SimClock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@dataclass
class Tenant:
    sim: Simulator
    clock: SimClock
    client_clock: Clock
    url: str
    session: aiohttp.ClientSession

    def client(self, method: str = "oauth", **settings: Any) -> BrightPatternClient:
        tenant = self.sim.bright_pattern
        values: dict[str, Any] = {
            "url": self.url,
            "username": tenant.username,
            "password": tenant.api_secret if method == "oauth" else tenant.password,
            "auth_method": method,
            **settings,
        }
        return BrightPatternClient(
            self.session, BrightPatternSettings(**values), clock=self.client_clock
        )

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.sim.requests]


@pytest.fixture
async def tenant(socket_enabled: None) -> AsyncIterator[Tenant]:
    clock = SimClock()
    sim = Simulator(seed=3, clock=clock)
    sim.bright_pattern.freeze()
    sim.bright_pattern.not_ready_polls = 0
    async with (
        run_simulator(sim) as url,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
    ):
        with patch.object(bp_module, "FIRST_DATA_DELAY", 0):
            yield Tenant(sim, clock, Clock(), url, session)


@pytest.mark.parametrize("method", ["oauth", "legacy"])
async def test_identify_and_snapshot(tenant: Tenant, method: str) -> None:
    client = tenant.client(method)
    identity = await client.async_identify()
    assert identity.unique_id == "127.0.0.1_supervisor"
    snapshot = await client.async_get_snapshot()
    assert set(snapshot.queues) == {"Sales", "Support", "Billing"}
    assert len(snapshot.agents) == 7
    assert snapshot.messages
    assert snapshot.totals.waiting is not None
    await client.async_close()
    assert tenant.sim.bright_pattern.deleted_subscriptions == 1
    assert tenant.sim.bright_pattern.subscriptions == {}
    # Closing twice, or without a subscription, sends nothing.
    count = len(tenant.sim.requests)
    await client.async_close()
    assert len(tenant.sim.requests) == count


async def test_oauth_request_shape(tenant: Tenant) -> None:
    client = tenant.client(tenant_url="127.0.0.1")
    await client.async_get_snapshot()
    token_request, subscribe, data = tenant.sim.requests[:3]
    assert token_request.path == "/configapi/v2/oauth/token"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(pair.split("=") for pair in token_request.body.decode().split("&"))
    assert form["grant_type"] == "client_credentials"
    assert form["client_id"] == "supervisor"
    assert form["scope"] == "127.0.0.1"
    assert subscribe.headers["Authorization"].startswith("Bearer ")
    assert "Cookie" not in subscribe.headers
    assert data.path == "/statsapi/subscription/data"


async def test_oauth_token_renewed_before_expiry(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.token_lifetime = 600
    client = tenant.client()
    await client.async_get_snapshot()
    tenant.client_clock.tick(500)
    await client.async_get_snapshot()
    assert tenant.paths().count(("POST", "/configapi/v2/oauth/token")) == 1
    tenant.client_clock.tick(60)  # within the renewal margin of the expiry
    await client.async_get_snapshot()
    assert tenant.paths().count(("POST", "/configapi/v2/oauth/token")) == 2


async def test_legacy_cookies_are_the_clients_own(tenant: Tenant) -> None:
    """The session cookies go with the legacy client's requests only, as sent by the client."""
    legacy = tenant.client("legacy")
    oauth = tenant.client("oauth")
    await legacy.async_get_snapshot()
    await oauth.async_get_snapshot()
    by_path = [(r.path, r.headers.get("Cookie", "")) for r in tenant.sim.requests]
    legacy_data = [c for p, c in by_path[:3] if p == "/statsapi/subscription/data"]
    assert legacy_data
    assert "X-STATSAPI-TOKEN=" in legacy_data[0]
    assert all("X-STATSAPI" not in cookie for _, cookie in by_path[3:])


async def test_legacy_refused_from_5_36(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.server_version = "5.36.1"
    with pytest.raises(BrightPatternLegacyRefusedError) as err:
        await tenant.client("legacy").async_identify()
    assert err.value.form_error == "legacy_login_refused"
    # OAuth keeps working.
    assert await tenant.client("oauth").async_identify()


@pytest.mark.parametrize("method", ["oauth", "legacy"])
async def test_wrong_secret_or_tenant(tenant: Tenant, method: str) -> None:
    for settings in ({"password": "nope"}, {"tenant_url": "other.example"}):
        with pytest.raises(ContactCenterAuthError) as err:
            await tenant.client(method, **settings).async_identify()
        assert "nope" not in str(err.value)


async def test_401_signs_in_again_once(tenant: Tenant) -> None:
    client = tenant.client("legacy")
    await client.async_get_snapshot()
    tenant.sim.bright_pattern.revoke_sessions()
    tenant.sim.reset_log()
    await client.async_get_snapshot()
    assert tenant.paths() == [
        ("GET", "/statsapi/subscription/data"),
        ("POST", "/statsapi/auth"),
        ("GET", "/statsapi/subscription/data"),
        ("POST", "/statsapi/subscription"),
        ("GET", "/statsapi/subscription/data"),
    ]


async def test_401_twice_is_an_auth_error(tenant: Tenant) -> None:
    client = tenant.client()
    await client.async_get_snapshot()
    tenant.sim.set_fault("bright_pattern", "unauthorized")
    with pytest.raises(ContactCenterAuthError):
        await client.async_get_snapshot()


async def test_404_subscribes_again_once(tenant: Tenant) -> None:
    client = tenant.client()
    first = await client.async_get_snapshot()
    tenant.sim.bright_pattern.expire_subscriptions()
    tenant.sim.reset_log()
    assert await client.async_get_snapshot() == first
    assert tenant.paths() == [
        ("GET", "/statsapi/subscription/data"),
        ("POST", "/statsapi/subscription"),
        ("GET", "/statsapi/subscription/data"),
    ]


async def test_404_again_after_subscribing_is_an_error(tenant: Tenant) -> None:
    client = tenant.client()
    await client.async_get_snapshot()
    with (
        patch.object(tenant.sim.bright_pattern, "subscription_idle_seconds", -1),
        pytest.raises(ContactCenterResponseError, match="lost the subscription"),
    ):
        await client.async_get_snapshot()
    # The next poll subscribes first.
    tenant.sim.reset_log()
    await client.async_get_snapshot()
    assert tenant.paths()[0] == ("POST", "/statsapi/subscription")


async def test_idle_subscription_expires(tenant: Tenant) -> None:
    client = tenant.client()
    await client.async_get_snapshot()
    tenant.clock.now += 301
    tenant.sim.reset_log()
    await client.async_get_snapshot()
    assert ("POST", "/statsapi/subscription") in tenant.paths()


async def test_409_is_an_action_for_the_user(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.subscription_limit = 0
    client = tenant.client()
    with pytest.raises(ContactCenterRateLimitError, match="limit of active subscriptions"):
        await client.async_get_snapshot()
    assert client.problems == (Problem(key="subscription_limit"),)
    tenant.sim.bright_pattern.subscription_limit = 1
    assert (await client.async_get_snapshot()).agents
    assert client.problems == ()


async def test_204_at_first_waits_then_not_ready(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.not_ready_polls = 10
    client = tenant.client()
    with pytest.raises(BrightPatternNotReadyError):
        await client.async_get_snapshot()
    assert tenant.paths().count(("GET", "/statsapi/subscription/data")) == 4


async def test_204_at_first_then_data(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.not_ready_polls = 2
    assert (await tenant.client().async_get_snapshot()).queues


async def test_204_later_keeps_the_previous_data(tenant: Tenant) -> None:
    client = tenant.client()
    first = await client.async_get_snapshot()
    tenant.sim.bright_pattern.expire_subscriptions()
    tenant.sim.bright_pattern.not_ready_polls = 1
    tenant.sim.bright_pattern.set_waiting("Sales", 5, 50)
    assert await client.async_get_snapshot() is first
    assert (await client.async_get_snapshot()).queues["Sales"].waiting == 5


async def test_old_server_column_key(tenant: Tenant) -> None:
    """A 400 to the definition is tried once more with statName, then remembered."""
    tenant.sim.bright_pattern.column_key = "statName"
    client = tenant.client()
    snapshot = await client.async_get_snapshot()
    assert snapshot.agents
    tenant.sim.bright_pattern.expire_subscriptions()
    tenant.sim.reset_log()
    await client.async_get_snapshot()
    assert tenant.paths().count(("POST", "/statsapi/subscription")) == 1


async def test_definition_refused_for_both_keys(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.column_key = "neither"
    with pytest.raises(ContactCenterResponseError, match="HTTP 400"):
        await tenant.client().async_get_snapshot()


async def test_dispositions_both_shapes(tenant: Tenant) -> None:
    client = tenant.client()
    wrapped = await client.async_get_dispositions()
    tenant.sim.bright_pattern.disposition_style = "list"
    assert await client.async_get_dispositions() == wrapped
    assert "Resolved" in wrapped
    request = tenant.sim.requests[-1]
    assert request.query == {"agentCanSelect": "1", "inbound": "1", "outbound": "1", "preview": "1"}


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("server_error", ContactCenterConnectionError),
        ("malformed", ContactCenterResponseError),
        ("empty", ContactCenterResponseError),
        ("html", ContactCenterResponseError),
        ("truncated", ContactCenterResponseError),
        ("forbidden", ContactCenterAuthError),
        ("token_revoked", ContactCenterAuthError),
    ],
)
async def test_faults_at_sign_in(tenant: Tenant, fault: str, error: type[Exception]) -> None:
    tenant.sim.set_fault("bright_pattern", fault)
    for method in ("oauth", "legacy"):
        with pytest.raises(error):
            await tenant.client(method).async_get_snapshot()


@pytest.mark.parametrize(
    ("method", "body", "match"),
    [
        ("oauth", b'{"token_type": "x"}', "without a token"),
        ("oauth", b"[]", "without a token"),
        ("legacy", b'{"token": "x"}', "session cookie"),
    ],
)
async def test_sign_in_answer_without_credential(
    tenant: Tenant, method: str, body: bytes, match: str
) -> None:
    client = tenant.client(method)
    answer = bp_module.RawResponse(200, "application/json", body)
    with (
        patch.object(client, "_request", return_value=answer),
        pytest.raises(ContactCenterResponseError, match=match),
    ):
        await client.async_identify()


async def test_close_survives_failures(tenant: Tenant) -> None:
    client = tenant.client()
    await client.async_get_snapshot()
    tenant.sim.set_fault("bright_pattern", "server_error")
    await client.async_close()
    client = tenant.client()
    tenant.sim.clear_faults()
    await client.async_get_snapshot()
    tenant.sim.set_fault("bright_pattern", "forbidden")
    await client.async_close()
    client = tenant.client()
    tenant.sim.clear_faults()
    await client.async_get_snapshot()
    tenant.sim.set_fault("bright_pattern", "unauthorized")
    await client.async_close()
    assert tenant.sim.bright_pattern.deleted_subscriptions == 0


def test_url_of_a_client() -> None:
    client = parse_client(url="http://10.0.0.5:8443/x")
    assert client._url("/statsapi/auth") == URL("http://10.0.0.5:8443/statsapi/auth")


async def test_concurrent_401s_sign_in_once(tenant: Tenant) -> None:
    """A poll and an action meeting an ended session at once sign in once, not twice."""
    client = tenant.client("legacy")
    await client.async_get_snapshot()
    tenant.sim.bright_pattern.revoke_sessions()
    tenant.sim.reset_log()
    first, second = await asyncio.gather(
        client.async_get_dispositions(), client.async_get_dispositions()
    )
    assert first == second
    assert tenant.paths().count(("POST", "/statsapi/auth")) == 1


# --- wrong shapes (issue: never a figure the answer does not support) ------------------------


def _section(**parts: Any) -> dict[str, Any]:
    return answer(**parts)[APP_ID]


_SERVICE = {"name": "Sales", "in_calls_waiting": "1"}
_AGENT = {"login_id": "ann", "acd_state": "Ready"}


def _services(*rows: Any) -> list[dict[str, Any]]:
    return [{"id": "services", "values": list(rows)}]


def _agents(*rows: Any) -> list[dict[str, Any]]:
    return [{"id": "agents", "values": list(rows)}]


WRONG_SHAPES: list[tuple[str, Any]] = [
    ("not an object", ["x"]),
    ("empty body object", {}),
    ("empty app object", {APP_ID: {}}),
    ("app section a string", {APP_ID: "temporarily unavailable"}),
    ("another app id", {"another_app": _section()}),
    ("no service grids", {APP_ID: {k: v for k, v in _section().items() if k != "service_grids"}}),
    ("no agent grids", {APP_ID: {k: v for k, v in _section().items() if k != "agent_grids"}}),
    ("no totals", {APP_ID: {k: v for k, v in _section().items() if k != "stats_totals"}}),
    ("service grids a string", answer(service_grids="temporarily unavailable")),
    ("agent grids a string", answer(agent_grids="temporarily unavailable")),
    ("service grids a number", answer(service_grids=0)),
    ("service grids numbers", answer(service_grids=[1, 2])),
    ("service values a string", answer(service_grids=[{"id": "services", "values": "x"}])),
    ("agent values a string", answer(agent_grids=[{"id": "agents", "values": "none"}])),
    ("agent values numbers", answer(agent_grids=[{"id": "agents", "values": [1]}])),
    ("grid without values", answer(agent_grids=[{"id": "agents"}])),
    ("no grid at all", answer(service_grids=[])),
    ("grid of another id", answer(service_grids=[{"id": "other", "values": [_SERVICE]}])),
    ("two grids of the id", answer(service_grids=_services() + _services())),
    ("totals a string", answer(stats_totals="temporarily unavailable")),
    ("totals a number", answer(stats_totals=7)),
    ("totals without any asked", answer(stats_totals={})),
    ("totals item without value", answer(stats_totals=[{"stat_name": "in_calls_waiting"}])),
    ("service without name", answer(service_grids=_services({"in_calls_waiting": "9"}))),
    ("service twice", answer(service_grids=_services(_SERVICE, _SERVICE))),
    ("agent without login", answer(agent_grids=_agents({"acd_state": "Ready"}))),
    ("agent with empty login", answer(agent_grids=_agents({"login_id": "", "acd_state": "x"}))),
    ("agent twice", answer(agent_grids=_agents(_AGENT, _AGENT))),
    ("waiting 2.6", answer(stats_totals={"in_calls_waiting": "2.6"})),
    ("waiting negative", answer(stats_totals={"in_calls_waiting": "-1"})),
    ("waiting a word", answer(service_grids=_services({"name": "S", "in_calls_waiting": "n/a"}))),
    ("waiting a list", answer(service_grids=_services({"name": "S", "agents_busy": ["1"]}))),
    ("service level over 100", answer(stats_totals={"service_level": "120"})),
    ("service level a word", answer(stats_totals={"service_level": "high"})),
    ("wait a word", answer(stats_totals={"in_max_wait_time": "soon"})),
    ("wait bad clock", answer(stats_totals={"in_max_wait_time": "1:xx"})),
    ("state duration bad", answer(agent_grids=_agents({**_AGENT, "state_duration": "1:2:3:4"}))),
    ("state a list", answer(agent_grids=_agents({**_AGENT, "acd_state": ["Ready"]}))),
    ("login an object", answer(agent_grids=_agents({"login_id": {"id": "a"}}))),
    ("messages a string", answer(chat_messages="none")),
    ("messages numbers", answer(chat_messages=[1, 2])),
]


@pytest.mark.parametrize(("shape", "data"), WRONG_SHAPES, ids=[s for s, _ in WRONG_SHAPES])
def test_wrong_shapes_are_errors(shape: str, data: Any) -> None:
    """Each shape is the library's error; never a snapshot, and never the secret in the text."""
    with pytest.raises(ContactCenterResponseError) as caught:
        parse_client().parse(data)
    assert SECRET not in str(caught.value)
    assert caught.value.__context__ is None or SECRET not in str(caught.value.__context__)


_STAT_VALUES = (
    st.none()
    | st.sampled_from(["", " ", "0", "3", "12", "2.6", "-1", "85.5", "85,5 %", "00:01:15", "1:xx"])
    | st.integers(-2, 200)
    | st.floats(allow_nan=True)
    | st.booleans()
    | st.lists(st.just("1"), max_size=1)
)


@examples(max_examples=100, deadline=None, derandomize=True)
@given(
    st.dictionaries(st.sampled_from([*bp_module.TOTALS_STATS, "other"]), _STAT_VALUES),
    st.lists(
        st.dictionaries(st.sampled_from(["name", *bp_module.SERVICE_STATS]), _STAT_VALUES),
        max_size=3,
    ),
)
def test_stats_parse_property(totals: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Either the library's error, or figures that are exactly the values the answer holds."""
    data = answer(stats_totals=totals, service_grids=_services(*rows))
    try:
        snapshot = parse_client().parse(data)
    except ContactCenterResponseError:
        return

    def expected(raw: Any, figure: str) -> Any:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if figure in ("service_level", "abandoned_pct"):
            text = str(raw).strip().removesuffix("%").strip().replace(",", ".")
            return float(text)
        if isinstance(raw, str) and ":" in raw:
            return to_seconds(raw)
        return int(raw)

    for stat, figure in bp_module.TOTALS_STATS.items():
        assert getattr(snapshot.totals, figure) == expected(totals.get(stat), figure)
    assert len(snapshot.queues) == len(rows)
    for row in rows:
        queue = snapshot.queues[str(row["name"]).strip()]
        for stat, figure in bp_module.SERVICE_STATS.items():
            assert getattr(queue, figure) == expected(row.get(stat), figure)


async def test_huge_token_lifetime_is_clamped(tenant: Tenant) -> None:
    tenant.sim.bright_pattern.token_lifetime = 251606865660
    client = tenant.client()
    await client.async_get_snapshot()
    assert client._token_expires == tenant.client_clock() + timedelta(seconds=86400 - 60)
    assert client.secrets() == [tenant.sim.bright_pattern.api_secret, client._access_token]


async def test_lost_subscriptions_back_off(tenant: Tenant) -> None:
    """While the data answers 404 even for new subscriptions: one per poll, then spaced out."""
    client = tenant.client()
    await client.async_get_snapshot()
    tenant.sim.bright_pattern.lose_subscriptions = True

    def subscriptions_made() -> int:
        return tenant.paths().count(("POST", "/statsapi/subscription"))

    made: list[int] = []
    for _ in range(8):
        tenant.sim.reset_log()
        with pytest.raises(ContactCenterResponseError, match="subscription"):
            await client.async_get_snapshot()
        made.append(subscriptions_made())
        tenant.client_clock.tick(15)
    # Poll 1: the old one is gone, a new one too; 2: lost again, then 60 s of waiting (4 polls).
    assert made == [1, 1, 0, 0, 0, 1, 0, 0]
    assert max(made) <= 1
    tenant.sim.bright_pattern.lose_subscriptions = False
    tenant.client_clock.tick(120)
    snapshot = await client.async_get_snapshot()
    assert snapshot.queues
    # Recovery resets the back-off: the next loss is retried at the next poll.
    assert client._subscribe_after is None
    assert client._lost_in_a_row == 0
