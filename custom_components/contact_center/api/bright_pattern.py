"""Bright Pattern Contact Center: the Real-Time Statistics API (``/statsapi``).

The API works by subscription: the client describes the statistics it wants once (``POST
/statsapi/subscription``), then reads them (``GET /statsapi/subscription/data``). One client has one
subscription; the tenant has a limit on them (409). Data answers 204 while the server is still
collecting, and 404 when the subscription is gone (expired, or replaced by another login).

Two ways to sign in: OAuth client credentials (``/configapi/v2/oauth/token``, a Bearer token; the
current method) and the legacy ``/statsapi/auth`` login with session cookies, which servers from
5.36 refuse with 403 "illegal login attempt".

Every value arrives as a string; an empty string means no value. Durations may be whole seconds or
``HH:MM:SS``. The data is read whole: the totals and both grids that were subscribed must be
there, under this client's app id and grid ids, every row with its id and every value readable;
otherwise the poll is a response error (a string where a grid should be is not "no services").
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import logging
import math
import re
from typing import Any, ClassVar, Literal

from yarl import URL

from .client import ContactCenterClient, RawResponse, Vendor, base_url, token_lifetime
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
)
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    Figures,
    Message,
    Problem,
    Queue,
    Snapshot,
)
from .parsing import load_json, read_int, read_percent, to_seconds, to_text

_LOGGER = logging.getLogger(__name__)

TOKEN_PATH = "/configapi/v2/oauth/token"  # noqa: S105 - a path, not a secret
AUTH_PATH = "/statsapi/auth"
SUBSCRIPTION_PATH = "/statsapi/subscription"
ACTIVE_SUBSCRIPTION_PATH = "/statsapi/subscription/active"
DATA_PATH = "/statsapi/subscription/data"
DISPOSITIONS_PATH = "/statsapi/cfg/dispositions"
DISPOSITION_PARAMS: Mapping[str, str] = {
    "agentCanSelect": "1",
    "inbound": "1",
    "outbound": "1",
    "preview": "1",
}

APP_ID = "home_assistant"
"""The key the subscription is filed under; the server echoes it back in the data."""
SERVICE_GRID = "services"
AGENT_GRID = "agents"
CHAT_LIMIT = 20
SESSION_COOKIES = ("X-STATSAPI-TOKEN", "X-STATSAPI-TENANT", "X-STATSAPI-LOGIN")
LEGACY_REFUSAL = "illegal login attempt"
SUBSCRIPTION_LIMIT_ISSUE = "subscription_limit"

TOKEN_RENEW_MARGIN = 60
"""Seconds before a token's expiry at which it is renewed."""
DEFAULT_TOKEN_LIFETIME = 3600
FIRST_DATA_ATTEMPTS = 4
"""Reads of a new subscription that may answer 204 (not ready) at setup before giving up."""
FIRST_DATA_DELAY = 1.0
"""Seconds between those reads."""
SUBSCRIBE_BACKOFF = 60.0
SUBSCRIBE_BACKOFF_MAX = 1800.0
"""Seconds to wait before creating yet another subscription, after new ones were lost twice in a
row (doubling from ``SUBSCRIBE_BACKOFF`` up to this): see ``_lost_new_subscription``."""

TOTALS_STATS: Mapping[str, str] = {
    "in_calls_waiting": "waiting",
    "in_max_wait_time": "longest_wait",
    "service_level": "service_level",
    "agents_logged": "agents_logged_in",
    "agents_ready": "agents_available",
    "in_calls_received_per_day": "offered",
    "in_calls_abandoned_in_queue_per_day": "abandoned",
}
SERVICE_STATS: Mapping[str, str] = {
    "in_calls_waiting": "waiting",
    "in_max_wait_time": "longest_wait",
    "service_level": "service_level",
    "agents_logged": "agents_logged_in",
    "agents_ready": "agents_available",
    "agents_busy": "agents_busy",
    "in_calls_received_per_day": "offered",
    "in_calls_abandoned_total_per_day": "abandoned",
    "in_calls_abandoned_percent_per_day": "abandoned_pct",
}
AGENT_STATS = (
    "login_id",
    "first_last_name",
    "firstname",
    "lastname",
    "acd_state",
    "state_duration",
    "reason",
    "team_name",
)
_DURATIONS = frozenset({"longest_wait"})
_PERCENTS = frozenset({"service_level", "abandoned_pct"})

_STATUS_MAP: Mapping[str, AgentStatus] = {
    "ready": AgentStatus.AVAILABLE,
    "available": AgentStatus.AVAILABLE,
    "busy": AgentStatus.BUSY,
    "talking": AgentStatus.BUSY,
    "on call": AgentStatus.BUSY,
    "in call": AgentStatus.BUSY,
    "supervising": AgentStatus.BUSY,
    "not ready": AgentStatus.AWAY,
    "break": AgentStatus.AWAY,
    "away": AgentStatus.AWAY,
    "after call work": AgentStatus.AFTER_CALL_WORK,
    "acw": AgentStatus.AFTER_CALL_WORK,
    "wrap up": AgentStatus.AFTER_CALL_WORK,
    "wrapup": AgentStatus.AFTER_CALL_WORK,
    "logged out": AgentStatus.OFFLINE,
    "logout": AgentStatus.OFFLINE,
    "offline": AgentStatus.OFFLINE,
}
_SEPARATORS = re.compile(r"[\s_\-]+")

# state_duration is relative to the server's clock: "now - duration" jitters by a second or two
# from poll to poll. Within this tolerance the earlier moment is kept, so the entity is quiet.
_SINCE_TOLERANCE_SECONDS = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class BrightPatternSettings:
    """What the user enters; field names are the config entry keys."""

    url: str
    username: str
    password: str = field(repr=False)
    """The API secret (``oauth``) or the user's password (``legacy``)."""
    tenant_url: str = ""
    """The tenant's host name; empty means the host of ``url``."""
    auth_method: Literal["oauth", "legacy"] = "oauth"
    verify_ssl: bool = True


class BrightPatternLegacyRefusedError(ContactCenterAuthError):
    """The server (5.36 or newer) refuses the legacy login: an API secret is needed."""

    form_error: ClassVar[str] = "legacy_login_refused"


class BrightPatternNotReadyError(ContactCenterConnectionError):
    """A new subscription has no data yet (204)."""


class BrightPatternSubscriptionLimitError(ContactCenterRateLimitError):
    """The tenant's limit of active subscriptions is reached (409); a repair issue says so."""


def normalize_url(raw: str) -> URL:
    """Turn what a user pastes into the server's origin (scheme, host and port).

    The statistics API lives at the root of the tenant's host, so any path (an agent desktop or
    portal address) is dropped. Raises ``ValueError`` when no host is left.
    """
    return base_url(raw, "").with_path("/").with_user(None)


def normalize_tenant(raw: str, url: URL) -> str:
    """Return the tenant host: what the user typed (a host or a URL), else the URL's host."""
    text = raw.strip()
    if not text:
        return (url.host or "").lower()
    if "://" in text:
        text = URL(text).host or ""
    return text.strip().strip("/").lower()


def subscription_definition(column_key: str = "stat_name") -> dict[str, Any]:
    """Return the subscription this client asks for, keyed by ``APP_ID``.

    Column ids are the statistic names, so the data reads the same way the definition is
    written; ``column_key`` is ``statName`` for very old servers.
    """

    def columns(names: Any) -> list[dict[str, str]]:
        return [{"id": name, column_key: name} for name in names]

    return {
        APP_ID: {
            "stats_totals": list(TOTALS_STATS),
            "service_grids": [
                {
                    "id": SERVICE_GRID,
                    "columns": columns(("name", *SERVICE_STATS)),
                    "order_by": "name",
                    "order_dir": "ASC",
                }
            ],
            "agent_grids": [
                {
                    "id": AGENT_GRID,
                    "columns": columns(AGENT_STATS),
                    "order_by": "login_id",
                    "order_dir": "ASC",
                }
            ],
            "chat_messages": {"filter": "", "limit": str(CHAT_LIMIT)},
        }
    }


class BrightPatternClient(ContactCenterClient[BrightPatternSettings]):
    """Client for one Bright Pattern tenant and user; holds one subscription."""

    vendor: ClassVar[str] = "bright_pattern"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prepare the URLs; no I/O happens here."""
        super().__init__(*args, **kwargs)
        self._base = normalize_url(self.settings.url)
        self._tenant = normalize_tenant(self.settings.tenant_url, self._base)
        self._username = self.settings.username.strip()
        self._where = self._base.host or "server"
        self._access_token: str | None = None
        self._token_expires: datetime | None = None
        # The legacy session's cookies, sent by this client itself: its session and cookie jar
        # must be its own (``Vendor.needs_own_cookie_jar``), so entries never mix sessions.
        self._cookies: dict[str, str] = {}
        self._auth_lock = asyncio.Lock()
        self._session_number = 0
        self._subscribed = False
        self._problems: tuple[Problem, ...] = ()
        self._column_key = "stat_name"
        self._last: Snapshot | None = None
        self._since: dict[str, tuple[int, datetime, str | None]] = {}
        self._lost_in_a_row = 0
        self._subscribe_after: datetime | None = None

    @property
    def capabilities(self) -> Capabilities:
        """Totals, a service grid and an agent grid, chat messages and dispositions."""
        return Capabilities(
            totals=frozenset(TOTALS_STATS.values()),
            queue=frozenset(SERVICE_STATS.values()),
            agent=frozenset({"status", "status_since", "reason", "team"}),
            messages=True,
            dispositions=True,
        )

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The subscription limit, while the tenant refuses a subscription."""
        return self._problems

    @property
    def identity(self) -> AccountIdentity:
        """Return the account's identity: the tenant and the user."""
        return AccountIdentity(
            unique_id=f"{self._tenant}_{self._username.lower()}",
            title=f"Bright Pattern {self._tenant}",
        )

    async def async_identify(self) -> AccountIdentity:
        """Sign in and read the dispositions: proves the credentials and the API privilege."""
        await self.async_get_dispositions()
        return self.identity

    # --- authentication -----------------------------------------------------------------------

    def _url(self, path: str) -> URL:
        return self._base.with_path(path)

    def _signed_in(self) -> bool:
        if self.settings.auth_method == "legacy":
            return bool(self._cookies)
        return (
            self._access_token is not None
            and self._token_expires is not None
            and self._clock() < self._token_expires
        )

    def _forget_session(self) -> None:
        self._access_token = None
        self._token_expires = None
        self._cookies = {}

    async def _ensure_session(self, refused: int | None) -> int:
        """Sign in when there is no session, or when the session ``refused`` is still current.

        One sign-in at a time: a poll and an action that both meet a 401 sign in once, so the
        second legacy login does not end the session the first one just made.
        """
        async with self._auth_lock:
            if refused == self._session_number or not self._signed_in():
                self._forget_session()
                if self.settings.auth_method == "legacy":
                    await self._legacy_login()
                else:
                    await self._oauth_token()
                self._session_number += 1
            return self._session_number

    async def _oauth_token(self) -> None:
        response = await self._request(
            "POST",
            self._url(TOKEN_PATH),
            data={
                "grant_type": "client_credentials",
                "client_id": self._username,
                "client_secret": self.settings.password,
                "scope": self._tenant,
            },
        )
        if response.status in (400, 401, 403):
            # OAuth servers answer a wrong client 400/401 "invalid_client".
            raise ContactCenterAuthError(
                f"{self._where} refused the API secret (HTTP {response.status})"
            )
        self.raise_for_status(response, self._where)
        data = load_json(response.body, self._where)
        token = to_text(data.get("access_token")) if isinstance(data, dict) else None
        if token is None or not isinstance(data, dict):
            raise ContactCenterResponseError(f"{self._where} sent a token answer without a token")
        lifetime = token_lifetime(data.get("expires_in"), self._where, DEFAULT_TOKEN_LIFETIME)
        margin = min(TOKEN_RENEW_MARGIN, lifetime / 2)
        self._access_token = token
        self._token_expires = self._clock() + timedelta(seconds=lifetime - margin)

    async def _legacy_login(self) -> None:
        response = await self._request(
            "POST",
            self._url(AUTH_PATH),
            json={
                "tenant_url": self._tenant,
                "username": self._username,
                "password": self.settings.password,
            },
        )
        if response.status == 403 and LEGACY_REFUSAL in response.body.decode(errors="replace"):
            raise BrightPatternLegacyRefusedError(
                f"{self._where} no longer accepts the legacy login; use an API secret"
            )
        self.raise_for_status(response, self._where)
        cookies = {
            name: value for name, value in response.cookies.items() if name in SESSION_COOKIES
        }
        if "X-STATSAPI-TOKEN" not in cookies:
            raise ContactCenterResponseError(f"{self._where} signed in without a session cookie")
        self._cookies = cookies

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> RawResponse:
        """Send a statsapi request signed in; on 401 sign in again once and repeat it."""
        session = await self._ensure_session(None)
        for attempt in range(2):
            if attempt:
                session = await self._ensure_session(session)
            headers = (
                {"Authorization": f"Bearer {self._access_token}"}
                if self.settings.auth_method == "oauth"
                else None
            )
            response = await self._request(
                method,
                self._url(path),
                params=params,
                json=json,
                headers=headers,
                cookies=self._cookies or None,
            )
            if response.status != 401:
                return response
            _LOGGER.debug("%s ended the session; signing in again", self._where)
        self._forget_session()
        raise ContactCenterAuthError(f"{self._where} refused the credentials (HTTP 401)")

    # --- subscription -------------------------------------------------------------------------

    def held_secrets(self) -> list[str]:
        """Return the Bearer token and the legacy session's cookies."""
        return [
            *([self._access_token] if self._access_token else []),
            *self._cookies.values(),
        ]

    def _lost_new_subscription(self) -> None:
        """Note that a subscription made in this poll was gone at once (the data answered 404).

        Each new subscription may still count against the tenant's limit of a few, whatever the
        data endpoint says: a server in that state must not get one per poll. The first loss may
        be an expiry racing the poll, so the next poll tries again; from the second loss in a row
        on, the client waits ``SUBSCRIBE_BACKOFF`` seconds, doubling up to the maximum.
        """
        self._lost_in_a_row += 1
        if self._lost_in_a_row >= 2:
            delay = min(SUBSCRIBE_BACKOFF * 2 ** (self._lost_in_a_row - 2), SUBSCRIBE_BACKOFF_MAX)
            self._subscribe_after = self._clock() + timedelta(seconds=delay)

    async def _subscribe_unless_backing_off(self) -> None:
        if self._subscribe_after is not None and self._clock() < self._subscribe_after:
            wait = (self._subscribe_after - self._clock()).total_seconds()
            raise ContactCenterResponseError(
                f"{self._where} keeps losing new subscriptions; the next one is made in "
                f"{math.ceil(wait)} s"
            )
        await self._subscribe()

    async def _subscribe(self) -> None:
        for column_key in dict.fromkeys((self._column_key, "statName")):
            response = await self._call(
                "POST", SUBSCRIPTION_PATH, json=subscription_definition(column_key)
            )
            if response.status == 409:
                self._problems = (Problem(key=SUBSCRIPTION_LIMIT_ISSUE),)
                raise BrightPatternSubscriptionLimitError(
                    f"{self._where} refused a new subscription: the tenant's limit of active "
                    "subscriptions is reached"
                )
            if response.status == 400:
                # Very old servers spell the column key statName: try that once.
                continue
            self.raise_for_status(response, self._where)
            self._problems = ()
            self._column_key = column_key
            self._subscribed = True
            return
        raise ContactCenterResponseError(f"{self._where} refused the subscription (HTTP 400)")

    async def async_get_snapshot(self) -> Snapshot:
        """Read the subscription's data, creating the subscription when there is none.

        At most one subscription is created per call (see ``_lost_new_subscription``).
        """
        created = False
        if not self._subscribed:
            await self._subscribe_unless_backing_off()
            created = True
        attempts = 1 if self._last is not None else FIRST_DATA_ATTEMPTS
        while True:
            response = await self._call("GET", DATA_PATH)
            if response.status == 404:
                self._subscribed = False
                if created:
                    self._lost_new_subscription()
                    raise ContactCenterResponseError(
                        f"{self._where} lost the subscription right after creating it"
                    )
                # Expired, or replaced by another login of the same user: subscribe again.
                _LOGGER.debug("%s has no active subscription; subscribing again", self._where)
                await self._subscribe_unless_backing_off()
                created = True
                continue
            if response.status != 204:
                break
            if self._last is not None:
                return self._last
            attempts -= 1
            if attempts <= 0:
                raise BrightPatternNotReadyError(
                    f"{self._where} has no statistics ready yet (HTTP 204)"
                )
            await asyncio.sleep(FIRST_DATA_DELAY)
        self.raise_for_status(response, self._where)
        snapshot = self.parse(load_json(response.body, self._where))
        self._lost_in_a_row = 0
        self._subscribe_after = None
        self._last = snapshot
        return snapshot

    async def async_close(self) -> None:
        """Delete the subscription, so it does not count against the tenant's limit."""
        if not self._subscribed:
            return
        self._subscribed = False
        try:
            response = await self._call("DELETE", ACTIVE_SUBSCRIPTION_PATH)
        except (ContactCenterAuthError, ContactCenterConnectionError) as err:
            _LOGGER.debug("Could not delete the subscription on %s: %s", self._where, err)
            return
        if response.status >= 400:
            _LOGGER.debug(
                "%s answered HTTP %s to deleting the subscription", self._where, response.status
            )

    async def async_get_dispositions(self) -> list[str]:
        """Return the disposition names of every supervised service."""
        response = await self._call("GET", DISPOSITIONS_PATH, params=DISPOSITION_PARAMS)
        self.raise_for_status(response, self._where)
        return parse_dispositions(load_json(response.body, self._where), self._where)

    # --- parsing ------------------------------------------------------------------------------

    def parse(self, data: Any) -> Snapshot:
        """Normalize a decoded data answer (one object keyed by the app id).

        Raises ``ContactCenterResponseError`` for any part that is not as subscribed.
        """
        where = self._where
        section = _app_section(data, where)
        totals_row = _totals(section["stats_totals"], where)
        totals = Figures(**_figure_values(totals_row, TOTALS_STATS, where))
        queues: dict[str, Queue] = {}
        for row in _grid_rows(section["service_grids"], SERVICE_GRID, where):
            name = _text(row, "name", where)
            if name is None:
                raise ContactCenterResponseError(f"{where} sent a service without a name")
            if name in queues:
                raise ContactCenterResponseError(f"{where} sent one service twice")
            queues[name] = Queue(id=name, name=name, **_figure_values(row, SERVICE_STATS, where))
        agents = self._parse_agents(_grid_rows(section["agent_grids"], AGENT_GRID, where))
        messages = parse_messages(section.get("chat_messages"), where)
        return Snapshot(totals=totals, queues=queues, agents=agents, messages=messages)

    def _parse_agents(self, rows: list[dict[str, Any]]) -> dict[str, Agent]:
        where = self._where
        now = int(self._clock().timestamp())
        previous = self._since
        since_by_id: dict[str, tuple[int, datetime, str | None]] = {}
        agents: dict[str, Agent] = {}
        for row in rows:
            agent_id = _text(row, "login_id", where)
            if agent_id is None:
                # Dropping the row would show the agent logged out.
                raise ContactCenterResponseError(f"{where} sent an agent without a login id")
            if agent_id in agents:
                raise ContactCenterResponseError(f"{where} sent one agent twice")
            name = _text(row, "first_last_name", where) or " ".join(
                part
                for part in (_text(row, "firstname", where), _text(row, "lastname", where))
                if part
            )
            raw_status = _text(row, "acd_state", where)
            status = _status(raw_status)
            status_since: datetime | None = None
            duration = _seconds(row.get("state_duration"), where, "state_duration")
            if duration is not None:
                since = now - duration
                earlier = previous.get(agent_id)
                if (
                    earlier is None
                    or earlier[2] != raw_status
                    or abs(since - earlier[0]) > _SINCE_TOLERANCE_SECONDS
                ):
                    moment = _moment(since)
                    earlier = None if moment is None else (since, moment, raw_status)
                if earlier is not None:
                    since_by_id[agent_id] = earlier
                    status_since = earlier[1]
            agents[agent_id] = Agent(
                id=agent_id,
                name=name or agent_id,
                status=status,
                raw_status=raw_status,
                status_since=status_since,
                reason=_text(row, "reason", where),
                team=_text(row, "team_name", where),
            )
        self._since = since_by_id
        return agents


def _status(raw: str | None) -> AgentStatus | None:
    if raw is None:
        return None
    return _STATUS_MAP.get(_SEPARATORS.sub(" ", raw.lower()).strip())


_SECTIONS = ("stats_totals", "service_grids", "agent_grids")


def _app_section(data: Any, where: str) -> dict[str, Any]:
    """Return the object under the app id; tolerate a body that is the object itself.

    Data under another app id is another client's, never this one's.
    """
    section = data.get(APP_ID, data) if isinstance(data, dict) else None
    if not isinstance(section, dict) or not section:
        raise ContactCenterResponseError(f"{where} sent data of an unexpected shape")
    missing = [name for name in _SECTIONS if name not in section]
    if missing:
        raise ContactCenterResponseError(f"{where} sent data without {', '.join(missing)}")
    return section


def _objects(value: Any, what: str, where: str) -> list[dict[str, Any]]:
    """Return a list of objects; one object stands for a list of one, ``{}`` for none."""
    if isinstance(value, dict):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    raise ContactCenterResponseError(f"{where} sent {what} of an unexpected shape")


def _totals(section: Any, where: str) -> dict[str, Any]:
    """Return totals by statistic name: an object, or a list of ``{stat_name, value}``."""
    if isinstance(section, dict):
        totals = section
    else:
        totals = {}
        for item in _objects(section, "totals", where):
            name = _text(item, "stat_name", where) or _text(item, "statName", where)
            if name is None or "value" not in item:
                raise ContactCenterResponseError(f"{where} sent a total without a name or value")
            totals[name] = item["value"]
    if not totals.keys() & TOTALS_STATS.keys():
        raise ContactCenterResponseError(f"{where} sent none of the totals asked for")
    return totals


def _grid_rows(section: Any, grid_id: str, where: str) -> list[dict[str, Any]]:
    """Return the rows of the grid ``grid_id``; a grid without an id counts when it is alone."""
    grids = _objects(section, "grids", where)
    found = [grid for grid in grids if _text(grid, "id", where) == grid_id]
    if not found and len(grids) == 1 and _text(grids[0], "id", where) is None:
        found = grids
    if len(found) != 1:
        raise ContactCenterResponseError(
            f"{where} sent {len(found)} {grid_id} grids instead of the one asked for"
        )
    if "values" not in found[0]:
        raise ContactCenterResponseError(f"{where} sent the {grid_id} grid without values")
    return _objects(found[0]["values"], f"{grid_id} rows", where)


def _text(row: Mapping[str, Any], key: str, where: str) -> str | None:
    """Return a text value, ``None`` for none; a list or an object there is an error."""
    value = row.get(key)
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return to_text(value)
    raise ContactCenterResponseError(f"{where} sent an unreadable {key}")


def _seconds(value: Any, where: str, what: str) -> int | None:
    """Read a duration (whole seconds or ``[[HH:]MM:]SS``); unreadable is an error."""
    if isinstance(value, str) and ":" in value:
        seconds = to_seconds(value)
        if seconds is None:
            raise ContactCenterResponseError(f"{where} sent {what} of an unexpected shape")
        return seconds
    return read_int(value, where, what)


def _figure_values(row: Mapping[str, Any], stats: Mapping[str, str], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for stat, figure in stats.items():
        raw = row.get(stat)
        if figure in _DURATIONS:
            values[figure] = _seconds(raw, where, stat)
        elif figure in _PERCENTS:
            values[figure] = read_percent(raw, where, stat)
        else:
            values[figure] = read_int(raw, where, stat)
    return values


def parse_messages(section: Any, where: str = "server") -> tuple[Message, ...]:
    """Return the chat messages oldest first; messages without an id are dropped.

    No section, ``""`` or ``{}`` is no messages; anything but a list of objects is an error.

    Sorted by send time, then by a numeric id (messages sent in the same second), then as
    listed: the document does not say in which order the server lists them.
    """
    messages: list[tuple[tuple[float, int, int], int, Message]] = []
    items = [] if section in (None, "") else _objects(section, "chat messages", where)
    for index, item in enumerate(items):
        message_id = to_text(item.get("id"))
        if message_id is None:
            continue
        sender = " ".join(
            part
            for part in (to_text(item.get("first_name")), to_text(item.get("last_name")))
            if part
        )
        sent_at = _moment(item.get("send_time"))
        order = (
            sent_at.timestamp() if sent_at is not None else math.inf,
            0 if message_id.isdecimal() else 1,
            int(message_id) if message_id.isdecimal() and len(message_id) < 19 else 0,
        )
        messages.append(
            (
                order,
                index,
                Message(
                    id=message_id,
                    text=to_text(item.get("content")) or "",
                    sender=sender or to_text(item.get("login_id")),
                    sender_id=to_text(item.get("login_id")),
                    urgent=to_text(item.get("is_urgent")) in ("1", "true", "True"),
                    sent_at=sent_at,
                ),
            )
        )
    messages.sort(key=lambda entry: (entry[0], entry[1]))
    return tuple(message for _, _, message in messages)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _moment(value: Any) -> datetime | None:
    """Read a UTC moment: seconds or milliseconds since the epoch, or ISO 8601."""
    number = _number(value)
    if number is not None:
        if number > 1e11:
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = to_text(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_dispositions(data: Any, where: str) -> list[str]:
    """Return disposition names from a list, or from ``{"dispositions": [...]}``."""
    if isinstance(data, dict):
        data = data.get("dispositions")
    if not isinstance(data, list):
        raise ContactCenterResponseError(f"{where} sent dispositions of an unexpected shape")
    names: list[str] = []
    for item in data:
        name = to_text(item.get("name")) if isinstance(item, dict) else to_text(item)
        if name is not None and name not in names:
            names.append(name)
    return names


VENDOR = Vendor(
    key="bright_pattern",
    name="Bright Pattern",
    client_class=BrightPatternClient,
    settings_class=BrightPatternSettings,
    queue_model="Service",
    agent_model="Agent",
    position=5,
    # The legacy login's session cookies.
    needs_own_cookie_jar=True,
    # The account counts calls abandoned in queue; a service counts every abandoned call.
    figure_names={"totals.abandoned": "abandoned_in_queue"},
)
