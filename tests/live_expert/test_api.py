"""The Live Expert client against the simulator over real HTTP: tokens, scopes, targets, export."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
import io
from typing import Any
from unittest.mock import MagicMock, patch
from urllib.parse import quote
import zipfile

import aiohttp
from hypothesis import given, settings, strategies as st
import pytest
from yarl import URL

from custom_components.contact_center.api import (
    AgentStatus,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterMissingScopeError,
    ContactCenterResponseError,
    ContactCenterTargetError,
)
from custom_components.contact_center.api.client import RawResponse
from custom_components.contact_center.api.live_expert import (
    _COUNTERS as _COUNTER_KEYS,
    AVAILABILITY_PATH,
    GET_FILE_PATH,
    LIST_FILES_PATH,
    TOKEN_PATH,
    LiveExpertClient,
    LiveExpertSettings,
    Target,
    _result_for,
    _TargetError,
    derive_status,
    normalize_url,
    parse_category_languages,
    parse_expert_ids,
    summarize_export,
)
from simulator import Fault, Simulator, run_simulator

EPOCH = 1_795_420_800.0  # 2026-11-23 08:00 UTC, a Monday


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The client library needs no Home Assistant instance."""


class FakeClock:
    """One clock for the simulator (seconds) and the client (datetime), moved by hand."""

    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> float:
        return self.now

    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def tick(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Served:
    sim: Simulator
    clock: FakeClock
    url: str
    session: aiohttp.ClientSession

    def client(self, request_timeout: float | None = None, **settings: Any) -> LiveExpertClient:
        values: dict[str, Any] = {
            "url": self.url,
            "client_id": self.sim.live_expert.client_id,
            "client_secret": self.sim.live_expert.client_secret,
            "expert_ids": "1001,1003",
            "category_languages": "12:1,17:2",
            **settings,
        }
        return LiveExpertClient(
            self.session,
            LiveExpertSettings(**values),
            clock=self.clock.moment,
            request_timeout=request_timeout,
        )

    def paths(self) -> list[str]:
        return [request.path for request in self.sim.requests]


@pytest.fixture
async def served(socket_enabled: None) -> AsyncIterator[Served]:
    clock = FakeClock()
    sim = Simulator(seed=3, clock=clock)
    sim.live_expert.freeze()
    sim.slow_seconds = 5.0
    async with (
        run_simulator(sim) as url,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
    ):
        yield Served(sim, clock, url, session)


TOKEN_OK = RawResponse(200, "application/json", b'{"access_token": "abc"}')


def scripted_client(
    status: int,
    body: bytes,
    *,
    token: RawResponse | None = TOKEN_OK,
    seen: list[dict[str, Any]] | None = None,
    **settings: str,
) -> LiveExpertClient:
    """Return a client whose requests get ``status`` and ``body`` (the token ``token``).

    ``token=None`` answers the token request with ``status`` and ``body`` too; ``seen`` collects
    the path and keyword arguments of every other request.
    """
    values = {"client_id": "c", "client_secret": "s", "expert_ids": "1", **settings}
    client = LiveExpertClient(MagicMock(spec=[]), LiveExpertSettings(**values))

    async def answer(_method: str, url: URL, **kwargs: Any) -> RawResponse:
        if url.path == TOKEN_PATH and token is not None:
            return token
        if seen is not None:
            seen.append({"path": url.path, **kwargs})
        return RawResponse(status, "application/json", body)

    client._request = answer  # type: ignore[method-assign]
    return client


# --- settings and parsing ---------------------------------------------------------------


def test_parse_expert_ids() -> None:
    assert parse_expert_ids("") == ()
    assert parse_expert_ids(" 1001 , 1002,,1001, a.b@c ") == ("1001", "1002", "a.b@c")
    for bad in ("10 01", "1001:2", "1001;1002"):
        with pytest.raises(ValueError, match="expert id"):
            parse_expert_ids(bad)


def test_parse_category_languages() -> None:
    assert parse_category_languages(" ") == ()
    assert parse_category_languages("12:1, 12 : 2,12:1") == (("12", "1"), ("12", "2"))
    for bad in ("12", "12:", ":1", "12:1:2", "12-1", "1 2:1"):
        with pytest.raises(ValueError, match="pair"):
            parse_category_languages(bad)


def test_normalize_url() -> None:
    assert normalize_url("liveexpert.net") == URL("https://liveexpert.net/")
    assert normalize_url(
        "https://le.example.com/base/liveexpert/enterprise/ExpertAvailability?expertID=1"
    ) == URL("https://le.example.com/base")
    assert normalize_url("https://le.example.com/dataexport/listFiles") == URL(
        "https://le.example.com/"
    )
    with pytest.raises(ValueError, match="host"):
        normalize_url("https://")


@pytest.mark.parametrize(
    ("logged_in", "active", "available", "status"),
    [
        (1, 0, 1, AgentStatus.AVAILABLE),
        (1, 1, 0, AgentStatus.BUSY),
        (0, 0, 0, AgentStatus.OFFLINE),
        (1, 0, 0, AgentStatus.AWAY),
        (None, None, None, None),
        (None, 1, None, AgentStatus.BUSY),
        (2, 1, 1, AgentStatus.AVAILABLE),
    ],
)
def test_derive_status(
    logged_in: int | None, active: int | None, available: int | None, status: AgentStatus | None
) -> None:
    assert derive_status(logged_in, active, available) is status


def test_result_for_tolerates_shapes() -> None:
    expert = Target(expert_id="7")
    pair = Target(category_id="12", language_id="1")
    assert _result_for([{"expertID": 7, "queueLength": 1}], expert, "h") == {
        "expertID": 7,
        "queueLength": 1,
    }
    # One result without ids still answers the question asked; a lone object is a list of one.
    assert _result_for({"expertID": None, "queueLength": "2"}, pair, "h") == {
        "expertID": None,
        "queueLength": "2",
    }
    both = [
        {"categoryID": "12", "languageID": "2"},
        {"categoryID": 12, "languageID": 1, "queueLength": 4},
    ]
    assert _result_for(both, pair, "h") == both[1]


@pytest.mark.parametrize(
    ("data", "target", "match"),
    [
        ([{"expertID": 1}, {"expertID": 2}], Target(expert_id="7"), "another target"),
        ([{"expertID": 8, "availableExperts": 1}], Target(expert_id="7"), "another target"),
        (
            [{"categoryID": 12, "languageID": 2}],
            Target(category_id="12", language_id="1"),
            "another target",
        ),
        (
            [{"expertID": 7, "categoryID": 12, "languageID": 1}],
            Target(category_id="12", language_id="1"),
            "another target",
        ),
        ([{"expertID": 7}, {"expertID": "7"}], Target(expert_id="7"), "more than one"),
        (["x", 3], Target(expert_id="7"), "unexpected shape"),
        ([{"expertID": 7}, "x"], Target(expert_id="7"), "unexpected shape"),
        ([], Target(expert_id="7"), "without a result"),
        ("busy", Target(expert_id="7"), "unexpected shape"),
    ],
)
def test_result_for_another_target_is_an_error(data: Any, target: Target, match: str) -> None:
    with pytest.raises(ContactCenterResponseError, match=match):
        _result_for(data, target, "h")


def test_parse_reads_strings_and_sums_only_customers() -> None:
    client = LiveExpertClient(
        MagicMock(spec=[]),
        LiveExpertSettings(
            client_id="c", client_secret="s", expert_ids="9", category_languages="1:1,2:1"
        ),
    )
    snapshot = client.parse(
        {
            Target(category_id="1", language_id="1"): {
                "queueLength": "3",
                "loggedInExperts": "4",
                "availableExperts": 1,
                "activeExperts": "3",
            },
            Target(category_id="2", language_id="1"): {"queueLength": None},
            Target(expert_id="9"): {"loggedInExperts": 1, "activeExperts": 0},
        }
    )
    # A category without its queue length: the total would be too low, so it is unknown.
    assert snapshot.totals.waiting is None
    assert snapshot.totals.agents_logged_in is None
    assert snapshot.queues["1:1"].agents_busy == 3
    assert snapshot.queues["1:1"].name == "Category 1, language 1"
    assert snapshot.queues["2:1"].waiting is None
    # Without availableExperts nothing says the expert is not available: no status, not away.
    assert snapshot.agents["9"].status is None
    # Nothing readable at all: the total is unknown rather than zero.
    assert client.parse({}).totals.waiting is None


def test_capabilities_follow_the_targets() -> None:
    only_experts = LiveExpertClient(
        MagicMock(spec=[]), LiveExpertSettings(client_id="c", client_secret="s", expert_ids="1")
    )
    capabilities = only_experts.capabilities
    assert capabilities.totals == frozenset()
    assert capabilities.queue == frozenset()
    assert capabilities.agent == {"status"}
    assert capabilities.agent_ids == {"1"}
    assert capabilities.queue_ids == frozenset()
    assert capabilities.slow_totals_extras == ()
    assert only_experts.scopes is None
    assert "client_secret" not in repr(only_experts.settings)


# --- tokens -----------------------------------------------------------------------------


async def test_identify_gets_a_token_and_asks_every_target(served: Served) -> None:
    client = served.client()
    identity = await client.async_identify()
    host = URL(served.url).host
    assert identity.unique_id == f"homeassistant@{host}:{URL(served.url).port}"
    assert identity.title == "Live Expert homeassistant"
    token_request = served.sim.requests[0]
    assert token_request.method == "POST"
    assert token_request.path == TOKEN_PATH
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(pair.split("=") for pair in token_request.body.decode().split("&")) == {
        "grant_type": "client_credentials",
        "client_id": "homeassistant",
        "client_secret": served.sim.live_expert.client_secret,
    }
    asks = served.sim.requests[1:]
    assert sorted(tuple(sorted(r.query.items())) for r in asks) == [
        (("categoryID", "12"), ("languageID", "1")),
        (("categoryID", "17"), ("languageID", "2")),
        (("expertID", "1001"),),
        (("expertID", "1003"),),
    ]
    assert {r.headers["Authorization"].split(" ")[0] for r in asks} == {"LEAccess"}
    assert client.scopes == {"expertAvailabilityCheck", "dataExport"}
    assert client.supports_export
    assert [e.key for e in client.capabilities.slow_totals_extras] == ["latest_export"]


async def test_snapshot_matches_the_simulator(served: Served) -> None:
    le = served.sim.live_expert
    le.set_expert("1001", "available")
    le.set_expert("1003", "unavailable")
    le.set_queue("12", "1", 4)
    le.set_queue("17", "2", 1)
    snapshot = await served.client().async_get_snapshot()
    assert snapshot.agents["1001"].status is AgentStatus.AVAILABLE
    assert snapshot.agents["1003"].status is AgentStatus.AWAY
    assert snapshot.totals.waiting == 5
    figures = le.figures({"categoryID": "12", "languageID": "1"})
    queue = snapshot.queues["12:1"]
    assert (queue.agents_logged_in, queue.agents_busy, queue.agents_available) == (
        figures["loggedInExperts"],
        figures["activeExperts"],
        figures["availableExperts"],
    )
    le.set_expert("1001", "offline")
    le.set_expert("1003", "active")
    le.numbers_as_strings = True
    snapshot = await served.client().async_get_snapshot()
    assert snapshot.agents["1001"].status is AgentStatus.OFFLINE
    assert snapshot.agents["1003"].status is AgentStatus.BUSY
    assert snapshot.totals.waiting == 5


async def test_token_is_cached_and_renewed_shortly_before_expiry(served: Served) -> None:
    served.sim.live_expert.token_lifetime = 100
    client = served.client(expert_ids="1001", category_languages="")
    await client.async_get_snapshot()
    await client.async_get_snapshot()
    assert served.paths().count(TOKEN_PATH) == 1
    # Renewed at half the lifetime for a short token (a minute before for a long one).
    served.clock.tick(49)
    await client.async_get_snapshot()
    assert served.paths().count(TOKEN_PATH) == 1
    served.clock.tick(2)
    await client.async_get_snapshot()
    assert served.paths().count(TOKEN_PATH) == 2
    assert served.sim.requests[-1].path == AVAILABILITY_PATH

    served.sim.live_expert.token_lifetime = 3600
    served.clock.tick(60)
    await client.async_get_snapshot()
    served.clock.tick(3600 - 61)
    await client.async_get_snapshot()
    assert served.paths().count(TOKEN_PATH) == 3
    served.clock.tick(2)
    await client.async_get_snapshot()
    assert served.paths().count(TOKEN_PATH) == 4


async def test_expired_token_is_renewed_once_on_401(served: Served) -> None:
    client = served.client(expert_ids="1001,1003,1004", category_languages="12:1,12:2,17:1")
    await client.async_get_snapshot()
    served.sim.reset_log()
    served.sim.live_expert.expire_tokens()
    snapshot = await client.async_get_snapshot()
    assert len(snapshot.agents) == 3
    assert len(snapshot.queues) == 3
    # The requests in flight met the 401 together; one new token serves all of them.
    assert served.paths().count(TOKEN_PATH) == 1
    assert 6 < served.paths().count(AVAILABILITY_PATH) <= 12


async def test_expiry_the_server_decides_is_a_401(served: Served) -> None:
    """A server whose clock runs ahead ends the token early: the 401 renews it."""
    served.sim.live_expert.token_lifetime = 100
    client = served.client(expert_ids="1001", category_languages="")
    await client.async_get_snapshot()
    served.sim.advance(100)
    await client.async_get_snapshot()
    assert served.paths() == [
        TOKEN_PATH,
        AVAILABILITY_PATH,
        AVAILABILITY_PATH,
        TOKEN_PATH,
        AVAILABILITY_PATH,
    ]


async def test_401_after_renewal_is_an_auth_error(served: Served) -> None:
    client = served.client(expert_ids="1001", category_languages="")
    await client.async_get_snapshot()
    served.sim.reset_log()
    served.sim.set_fault("live_expert", Fault.UNAUTHORIZED)
    with pytest.raises(ContactCenterAuthError, match="HTTP 401"):
        await client.async_get_snapshot()
    assert served.paths() == [AVAILABILITY_PATH, TOKEN_PATH]


async def test_revoked_credentials_are_an_auth_error(served: Served) -> None:
    client = served.client(expert_ids="1001", category_languages="")
    await client.async_get_snapshot()
    served.sim.reset_log()
    served.sim.set_fault("live_expert", Fault.TOKEN_REVOKED)
    with pytest.raises(ContactCenterAuthError, match="Client authentication failed"):
        await client.async_get_snapshot()
    assert served.paths() == [AVAILABILITY_PATH, TOKEN_PATH]


async def test_new_secret_refuses_the_old_one(served: Served) -> None:
    client = served.client()
    served.sim.live_expert.set_secret("homeassistant", "N" * 40)
    with pytest.raises(ContactCenterAuthError) as caught:
        await client.async_identify()
    assert served.sim.live_expert.client_secret not in str(caught.value)
    assert client.settings.client_secret not in str(caught.value)
    await served.client(client_secret="N" * 40).async_identify()


@pytest.mark.parametrize(
    ("status", "body", "error", "match"),
    [
        (400, b'{"error": "invalid_request"}', ContactCenterAuthError, "invalid_request"),
        (500, b"oops", ContactCenterConnectionError, "HTTP 500"),
        (200, b"<html>sign in</html>", ContactCenterResponseError, "HTML"),
        (200, b"", ContactCenterResponseError, "empty"),
        (200, b'{"token_type": "LEAccess"}', ContactCenterResponseError, "without a token"),
        (200, b'{"access_token": ""}', ContactCenterResponseError, "empty token"),
        (302, b"", ContactCenterResponseError, "HTTP 302"),
    ],
)
async def test_token_endpoint_answers(
    status: int, body: bytes, error: type[Exception], match: str
) -> None:
    client = scripted_client(status, body, token=None, client_secret="SECRET-0123")
    with pytest.raises(error, match=match) as caught:
        await client.async_get_snapshot()
    assert "SECRET-0123" not in str(caught.value)


async def test_token_without_lifetime_or_type_gets_defaults() -> None:
    seen: list[dict[str, Any]] = []
    client = scripted_client(200, b'[{"loggedInExperts": 0}]', seen=seen)
    snapshot = await client.async_get_snapshot()
    assert snapshot.agents["1"].status is AgentStatus.OFFLINE
    assert [request["headers"] for request in seen] == [{"Authorization": "LEAccess abc"}]
    assert client.scopes == frozenset()


# --- scopes -----------------------------------------------------------------------------


async def test_availability_only_client_has_no_export(served: Served) -> None:
    le = served.sim.live_expert
    client = served.client(
        client_id="availability-only", client_secret=le.clients["availability-only"].secret
    )
    await client.async_identify()
    assert not client.supports_export
    assert client.capabilities.slow_totals_extras == ()
    with pytest.raises(ContactCenterMissingScopeError, match="dataExport"):
        await client.async_list_exports()


async def test_export_only_client_is_refused(served: Served) -> None:
    le = served.sim.live_expert
    client = served.client(client_id="export-only", client_secret=le.clients["export-only"].secret)
    with pytest.raises(ContactCenterMissingScopeError, match="expertAvailabilityCheck"):
        await client.async_identify()
    # Polling with such a token is refused the same way (a scope taken away later).
    with pytest.raises(ContactCenterMissingScopeError, match="requires the scope"):
        await client.async_get_snapshot()


# --- targets and error bodies -----------------------------------------------------------


async def test_one_failing_target_leaves_the_others(served: Served) -> None:
    client = served.client()
    served.sim.live_expert.fail_target("1003", "Expert is being migrated")
    snapshot = await client.async_get_snapshot()
    assert set(snapshot.agents) == {"1001"}
    assert set(snapshot.queues) == {"12:1", "17:2"}
    # The form is strict: a target that does not answer is named with the vendor's words.
    with pytest.raises(ContactCenterResponseError, match=r"\(1003\).*Expert is being migrated"):
        await client.async_identify()


async def test_unknown_target_is_the_vendors_message(served: Served) -> None:
    client = served.client(expert_ids="4242", category_languages="")
    with pytest.raises(ContactCenterTargetError, match="Unknown expert: 4242") as caught:
        await client.async_get_snapshot()
    # Named with its field, so the form shows the error there.
    assert (caught.value.field, caught.value.target) == ("expert_ids", "4242")
    client = served.client(expert_ids="", category_languages="99:1")
    with pytest.raises(ContactCenterTargetError, match="Unknown category 99") as caught:
        await client.async_identify()
    assert (caught.value.field, caught.value.target) == ("category_languages", "99:1")


async def test_vendor_message_never_holds_a_secret(served: Served) -> None:
    client = served.client(expert_ids="1001", category_languages="")
    secret = served.sim.live_expert.client_secret
    served.sim.live_expert.fail_target("1001", f"bad client secret {secret} " + "x" * 300)
    with pytest.raises(ContactCenterResponseError) as caught:
        await client.async_get_snapshot()
    text = str(caught.value)
    assert secret not in text
    assert "***" in text
    assert text.endswith("...")


@pytest.mark.parametrize(
    ("status", "body", "error", "match"),
    [
        (200, b'{"success": false}', ContactCenterResponseError, "unexpected shape"),
        (200, b"[]", ContactCenterResponseError, "without a result"),
        (
            200,
            b'[{"success": "false", "errorMessage": "Down"}]',
            ContactCenterResponseError,
            "Down",
        ),
        (404, b"", ContactCenterResponseError, "HTTP 404"),
        (429, b"", ContactCenterConnectionError, "HTTP 429"),
        (
            503,
            b'{"success": false, "errorMessage": "Maint"}',
            ContactCenterConnectionError,
            "Maint",
        ),
        (403, b"", ContactCenterAuthError, "HTTP 403"),
        (403, b'{"errorMessage": "No scope"}', ContactCenterMissingScopeError, "No scope"),
    ],
)
async def test_availability_answers(
    status: int, body: bytes, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await scripted_client(status, body).async_get_snapshot()


async def test_at_most_four_targets_at_once(served: Served) -> None:
    client = served.client(
        request_timeout=5.0,
        expert_ids=",".join(str(1001 + n) for n in range(10)),
        category_languages="12:1,12:2,14:1,14:2,17:1,17:2",
    )
    await client.async_identify()
    served.sim.reset_log()
    served.sim.set_fault("live_expert", Fault.SLOW)
    task = asyncio.create_task(client.async_get_snapshot())
    async with asyncio.timeout(5):
        await served.sim.wait_for_requests(4)
    await asyncio.sleep(0.05)
    # Four answers are held; the other twelve targets wait for a free slot.
    assert len(served.sim.requests) == 4
    served.sim.set_fault("live_expert", None)
    snapshot = await task
    assert len(snapshot.agents) + len(snapshot.queues) == 16
    assert served.sim.max_concurrent["live_expert"] == 4


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.TOKEN_REVOKED, ContactCenterAuthError),
        (Fault.UNAUTHORIZED, ContactCenterAuthError),
        (Fault.FORBIDDEN, ContactCenterAuthError),
        (Fault.SERVER_ERROR, ContactCenterConnectionError),
        (Fault.SLOW, ContactCenterConnectionError),
        (Fault.MALFORMED, ContactCenterResponseError),
        (Fault.TRUNCATED, ContactCenterResponseError),
        (Fault.EMPTY, ContactCenterResponseError),
        (Fault.HTML, ContactCenterResponseError),
        (Fault.OVERSIZED, ContactCenterResponseError),
    ],
    ids=str,
)
@pytest.mark.parametrize("with_token", [True, False], ids=["cached", "fresh"])
async def test_each_fault_is_one_client_error(
    served: Served, fault: Fault, error: type[Exception], with_token: bool
) -> None:
    # Several 16 MiB answers at once can outlast the tests' short timeout on a busy machine.
    client = (
        served.client(expert_ids="1001", category_languages="")
        if fault is Fault.OVERSIZED
        else served.client()
    )
    if with_token:
        await client.async_get_snapshot()
    served.sim.set_fault("live_expert", fault)
    with pytest.raises(error) as caught:
        await client.async_get_snapshot()
    assert served.sim.live_expert.client_secret not in str(caught.value)
    served.sim.clear_faults()
    assert "1001" in (await client.async_get_snapshot()).agents


# --- data export ------------------------------------------------------------------------


async def test_list_and_download_exports(served: Served) -> None:
    client = served.client()
    days = await client.async_list_exports()
    assert days == sorted(days)
    assert days[-1] == date(2026, 11, 20)  # Friday: the weekend before Monday has no export
    assert all(day.weekday() < 5 for day in days)
    assert len(days) == len(served.sim.live_expert.export_days())
    extras = await client.async_get_slow_extras()
    assert extras == {"latest_export": date(2026, 11, 20)}

    export = await client.async_download_export(days[-1])
    assert export is not None
    assert export.filename == "summary.2026-11-20.zip"
    assert export.content == served.sim.live_expert.export_zip(days[-1])
    assert served.sim.requests[-1].path == GET_FILE_PATH
    assert served.sim.requests[-1].query == {"date": "2026-11-20"}
    tables = summarize_export(export.content)
    expected = served.sim.live_expert.export_tables(days[-1])
    assert {name.split(".")[0]: table.rows for name, table in tables.items()} == {
        name: len(rows) for name, rows in expected.items()
    }
    assert tables["sessions.2026-11-20.csv"].columns[0] == "sessionID"

    assert await client.async_download_export(date(2026, 11, 21)) is None


async def test_empty_list_has_no_latest_export(served: Served) -> None:
    le = served.sim.live_expert
    for day in le.export_days():
        le.set_export(day, None)
    client = served.client()
    assert await client.async_list_exports() == []
    assert await client.async_get_slow_extras() == {"latest_export": None}


@pytest.mark.parametrize(
    ("status", "body", "error", "match"),
    [
        (400, b'{"success": false, "errorMessage": "Bad date"}', ContactCenterResponseError, "Bad"),
        (200, b'{"success": false, "errorMessage": "Later"}', ContactCenterResponseError, "Later"),
        (200, b"<html></html>", ContactCenterResponseError, "ZIP"),
        (500, b"", ContactCenterConnectionError, "HTTP 500"),
    ],
)
async def test_download_answers(
    status: int, body: bytes, error: type[Exception], match: str
) -> None:
    seen: list[dict[str, Any]] = []
    with pytest.raises(error, match=match):
        await scripted_client(status, body, seen=seen).async_download_export(date(2026, 11, 20))
    # A download may be larger and slower than a poll.
    assert seen[0]["max_body_bytes"] > 8 * 1024 * 1024
    assert seen[0]["request_timeout"] > 0.5


@pytest.mark.parametrize(
    ("status", "body", "match"),
    [
        (200, b'{"success": false, "errorMessage": "Disabled"}', "Disabled"),
        (200, b"<html>login</html>", "page instead"),
        (200, b"\xff\xfe\x00", "unreadable"),
        (400, b"", "HTTP 400"),
    ],
)
async def test_list_answers(status: int, body: bytes, match: str) -> None:
    with pytest.raises(ContactCenterResponseError, match=match):
        await scripted_client(status, body).async_list_exports()


async def test_list_is_read_tolerantly() -> None:
    body = (
        b"summary.2014-10-25.zip  \r\n\r\nsummary.2014-10-24.zip\n"
        b"notes.txt\nsummary.2014-02-30.zip\n"
    )
    seen: list[dict[str, Any]] = []
    client = scripted_client(200, body, seen=seen)
    assert await client.async_list_exports() == [date(2014, 10, 24), date(2014, 10, 25)]
    assert seen[0]["path"] == LIST_FILES_PATH


def test_summarize_export_reads_headers_and_quoted_rows() -> None:
    content = _zip(
        {
            "sessions.csv": '\ufeffid,note\r\n1,"two\nlines"\r\n2,plain\r\n\r\n',
            "empty.csv": "",
            "folder/": "",
            "readme.txt": "not a table",
        }
    )
    tables = summarize_export(content)
    assert set(tables) == {"sessions.csv", "empty.csv"}
    assert tables["sessions.csv"].columns == ("id", "note")
    assert tables["sessions.csv"].rows == 2
    assert tables["empty.csv"].rows == 0
    assert tables["empty.csv"].columns == ()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken", b"not a zip"])
def test_summarize_export_refuses_broken_zips(content: bytes) -> None:
    with pytest.raises(ContactCenterResponseError, match="not a readable ZIP"):
        summarize_export(content)


def test_target_keys_and_params() -> None:
    assert Target(expert_id="5").key == "5"
    assert Target(expert_id="5").params == {"expertID": "5"}
    pair = Target(category_id="12", language_id="1")
    assert pair.key == "12:1"
    assert pair.params == {"categoryID": "12", "languageID": "1"}


async def test_unexpected_errors_are_not_swallowed() -> None:
    """A bug in one target's request is raised as itself, not hidden behind a vendor error."""
    client = LiveExpertClient(
        MagicMock(spec=[]),
        LiveExpertSettings(client_id="c", client_secret="s", expert_ids="1,2"),
    )

    async def broken(_target: Target) -> dict[str, Any]:
        raise RuntimeError("bug")

    client._async_availability = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="bug"):
        await client.async_get_snapshot()


async def test_clients_without_slow_figures_have_none() -> None:
    """The base client's slow figures are empty: only clients that declare some are asked."""
    from custom_components.contact_center.api.live_guide import LiveGuideClient, LiveGuideSettings

    client = LiveGuideClient(
        MagicMock(spec=[]), LiveGuideSettings(url="https://chat.example.com", token="t")
    )
    assert client.capabilities.slow_totals_extras == ()
    assert await client.async_get_slow_extras() == {}


def test_plain_data_writes_days_and_moments_as_text() -> None:
    """Diagnostics get ISO text for date and timestamp extras alike."""
    from custom_components.contact_center.api import Figures, Snapshot
    from custom_components.contact_center.api.models import as_plain_data

    snapshot = Snapshot(
        totals=Figures(
            extras={"day": date(2026, 11, 20), "moment": datetime(2026, 11, 20, 1, 30, tzinfo=UTC)}
        )
    )
    assert as_plain_data(snapshot)["totals"]["extras"] == {
        "day": "2026-11-20",
        "moment": "2026-11-20T01:30:00+00:00",
    }


# --- wrong shapes (issue: never a figure the answer does not support) -------------------

LE_SECRET = "Le/Secret+0123=xyz"
_FULL = {"loggedInExperts": 1, "activeExperts": 0, "availableExperts": 1, "queueLength": 0}


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            b'[{"expertID": 2, "loggedInExperts": 1, "activeExperts": 0, "availableExperts": 1}]',
            "another target",
        ),
        (b'[{"categoryID": 12, "languageID": 1, "availableExperts": 1}]', "another target"),
        (b'[{"expertID": 1}, {"expertID": 1}]', "more than one"),
        (b'[{"expertID": 1, "loggedInExperts": 1, "availableExperts": "n/a"}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": 1, "availableExperts": "2.6"}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": 1, "availableExperts": -1}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": 1, "availableExperts": true}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": 1, "availableExperts": [1]}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": {"n": 1}}]', "unexpected shape"),
        (b'[{"expertID": 1, "loggedInExperts": 2}]', "above 1"),
        (b'[{"expertID": 1, "message": "busy"}]', "without figures"),
        (b'{"message": "busy"}', "without figures"),
        (b'"temporarily unavailable"', "unexpected shape"),
        (b"42", "unexpected shape"),
        (b"[1, 2]", "unexpected shape"),
        (b"[]", "without a result"),
        (b"{not json", "malformed"),
        (b"<html><body>maintenance</body></html>", "HTML page"),
        (b'{"success": false}', "unexpected shape"),
        (
            b'[{"success": "false", "errorMessage": "bad secret '
            + quote(LE_SECRET, safe="").lower().encode()
            + b" or "
            + LE_SECRET.upper().encode()
            + b'"}]',
            "bad secret \\*\\*\\* or \\*\\*\\*",
        ),
    ],
)
async def test_wrong_shapes_are_errors(body: bytes, match: str) -> None:
    """Each of these shapes is the library's error for the target; the secret never shows."""
    client = scripted_client(200, body, client_secret=LE_SECRET)
    with pytest.raises(ContactCenterResponseError, match=match) as caught:
        await client.async_get_snapshot()
    for text in (str(caught.value), repr(caught.value.__context__), repr(caught.value.__cause__)):
        assert LE_SECRET.lower() not in text.lower()
        assert quote(LE_SECRET, safe="").lower() not in text.lower()


async def test_wrong_shape_for_one_target_leaves_the_others() -> None:
    """The target that sent garbage is listed unavailable, with why; its siblings are read."""
    client = scripted_client(200, b"", expert_ids="1,2", category_languages="12:1")

    async def answer(target: Target) -> dict[str, Any]:
        if target.key == "2":
            raise _TargetError("h (2) sent a result for another target")
        return {**_FULL, "expertID": target.expert_id}

    client._async_availability = answer  # type: ignore[method-assign]
    snapshot = await client.async_get_snapshot()
    assert set(snapshot.agents) == {"1"}
    assert snapshot.agents["1"].status is AgentStatus.AVAILABLE
    assert set(snapshot.queues) == {"12:1"}
    assert snapshot.unavailable_agents == {"2": "h (2) sent a result for another target"}
    assert snapshot.totals.waiting == 0
    # The form (strict) wants every target right.
    with pytest.raises(ContactCenterResponseError, match="another target"):
        await client._async_poll(strict=True)


async def test_partial_total_is_unknown() -> None:
    """A category that could not be read leaves the total unknown, never too low."""
    client = scripted_client(200, b"", expert_ids="", category_languages="12:1,12:2")

    async def answer(target: Target) -> dict[str, Any]:
        if target.key == "12:2":
            return {**_FULL, "queueLength": "many"}
        return {**_FULL, "queueLength": 4}

    client._async_availability = answer  # type: ignore[method-assign]
    snapshot = await client.async_get_snapshot()
    assert snapshot.queues["12:1"].waiting == 4
    assert "12:2" in snapshot.unavailable_queues
    assert snapshot.totals.waiting is None


@pytest.mark.parametrize(
    ("expires_in", "renewed_after"),
    [("251606865660", 86400 - 60), ("10" * 400, 86400 - 60), (5, 30), ("3600", 3540)],
)
async def test_token_lifetime_is_clamped(expires_in: Any, renewed_after: float) -> None:
    token = RawResponse(
        200, "application/json", orjson_dumps({"access_token": "abc", "expires_in": expires_in})
    )
    clock = FakeClock()
    client = scripted_client(200, b'[{"loggedInExperts": 0}]', token=token)
    client._clock = clock.moment
    await client.async_get_snapshot()
    assert client._token is not None
    assert (client._token.renew_at - clock.moment()).total_seconds() == renewed_after


@pytest.mark.parametrize("expires_in", [-1, "soon", [1]])
async def test_unreadable_token_lifetime_is_an_error(expires_in: Any) -> None:
    token = RawResponse(
        200, "application/json", orjson_dumps({"access_token": "abc", "expires_in": expires_in})
    )
    with pytest.raises(ContactCenterResponseError, match="token lifetime"):
        await scripted_client(200, b"[]", token=token).async_get_snapshot()


def orjson_dumps(data: Any) -> bytes:
    import json

    return json.dumps(data).encode()


def _damaged(kind: str) -> bytes:
    content = bytearray(_zip({"sessions.csv": "id,note\n" + "1,hello world\n" * 2000}))
    if kind == "encrypted":
        content[6] |= 0x01  # general purpose flag of the local header
        central = content.find(b"PK\x01\x02")
        content[central + 8] |= 0x01
    elif kind == "compression":
        for offset in (8, content.find(b"PK\x01\x02") + 10):
            content[offset : offset + 2] = (99).to_bytes(2, "little")
    elif kind == "deflate":
        content[40] ^= 0xFF
    elif kind == "directory":
        end = content.rfind(b"PK\x05\x06")
        content[end + 16 : end + 20] = (len(content) * 3).to_bytes(4, "little")
    return bytes(content)


def _zip(files: dict[str, str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["encrypted", "compression", "deflate", "directory"])
def test_summarize_export_damaged_zips_are_response_errors(kind: str) -> None:
    with pytest.raises(ContactCenterResponseError, match="not a readable ZIP"):
        summarize_export(_damaged(kind))


def test_summarize_export_stops_at_the_size_cap() -> None:
    """A small ZIP holding a large CSV is refused once the cap is read, not read whole."""
    row = "1001,2026-11-20T10:00:00Z,chat,answered,0042,some free text of a session\n"
    content = _zip({"sessions.csv": "id,at,kind,result,n,note\n" + row * 200_000})
    assert len(content) < 256 * 1024
    with (
        patch("custom_components.contact_center.api.live_expert.EXPORT_MAX_CSV_BYTES", 4 << 20),
        pytest.raises(ContactCenterResponseError, match="too large"),
    ):
        summarize_export(content)
    assert summarize_export(content)["sessions.csv"].rows == 200_000


def test_summarize_export_stops_at_the_deadline() -> None:
    content = _zip({"a.csv": "id\n1\n", "b.csv": "id\n2\n"})
    with (
        patch("custom_components.contact_center.api.live_expert.EXPORT_MAX_SECONDS", -1.0),
        pytest.raises(ContactCenterResponseError, match="too large"),
    ):
        summarize_export(content)


def test_summarize_export_refuses_too_many_files() -> None:
    content = _zip({f"{n}.csv": "id\n" for n in range(3)})
    with (
        patch("custom_components.contact_center.api.live_expert.EXPORT_MAX_FILES", 2),
        pytest.raises(ContactCenterResponseError, match="too large"),
    ):
        summarize_export(content)


_VALID_EXPORT = _zip({"sessions.csv": "id,note\n1,a\n2,b\n", "events.csv": "x\n3\n"})


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, len(_VALID_EXPORT) - 1), st.integers(0, 255)), max_size=4))
def test_summarize_export_mutated_bytes(mutations: list[tuple[int, int]]) -> None:
    """Either the library's error, or tables whose rows the archive's files really hold."""
    content = bytearray(_VALID_EXPORT)
    for offset, value in mutations:
        content[offset] = value
    try:
        tables = summarize_export(bytes(content))
    except ContactCenterResponseError:
        return
    assert set(tables) <= {"sessions.csv", "events.csv"}
    for table in tables.values():
        assert table.rows >= 0


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.sampled_from([*_COUNTER_KEYS, "expertID", "categoryID", "languageID", "other"]),
        st.none()
        | st.booleans()
        | st.integers(-3, 3)
        | st.floats()
        | st.text(max_size=4)
        | st.sampled_from(["0", "1", "2", " 1 ", "", "2.6", "1.0"]),
    )
)
def test_availability_parse_property(item: dict[str, Any]) -> None:
    """Either the library's error, or figures that are exactly the counts the result holds."""
    client = LiveExpertClient(
        MagicMock(spec=[]),
        LiveExpertSettings(
            client_id="c", client_secret="s", expert_ids="1", category_languages="2:3"
        ),
    )
    for target in client.targets:
        try:
            result = _result_for([item], target, "h")
            snapshot = client.parse({target: result})
        except ContactCenterResponseError:
            continue
        if target.key in {**snapshot.unavailable_agents, **snapshot.unavailable_queues}:
            continue

        def count(name: str) -> int | None:
            raw = item.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                return None
            assert not isinstance(raw, bool)
            # Accepted counts are whole numbers, also written as "3." or "3.0": never rounded.
            value = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
            assert value.is_integer()
            return int(value)

        if target.expert_id is not None:
            agent = snapshot.agents["1"]
            expected = derive_status(
                count("loggedInExperts"), count("activeExperts"), count("availableExperts")
            )
            assert agent.status is expected
            assert count("availableExperts") != 1 or agent.status is AgentStatus.AVAILABLE
        else:
            queue = snapshot.queues["2:3"]
            assert queue.waiting == count("queueLength")
            assert queue.agents_available == count("availableExperts")
            assert queue.agents_busy == count("activeExperts")
            assert queue.agents_logged_in == count("loggedInExperts")
            assert snapshot.totals.waiting == queue.waiting
