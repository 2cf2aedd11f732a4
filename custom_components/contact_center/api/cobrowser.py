"""CoBrowser.net live chat: the Account API (``/api/Account.php``).

One GET per poll: ``getOnlineAgents`` (signed-in agents, including those whose status is
"offline") or ``getAllAgents`` (every agent of the account). The user name and API key travel in
the query string, so no URL ever reaches a log line or an error text (``client._request`` names
only the host). The answer sits in an object named after the command; numbers and 1/0 flags may
arrive as strings or numbers. The error shape is not published: an ``error`` key anywhere near the
top, a missing result and non-JSON bodies are all handled, and words about the user or key mean
the credentials were refused. Anything else that is not the documented agent list is refused (the
rule in ``parsing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
import re
from typing import Any, ClassVar

from yarl import URL

from .client import ContactCenterClient, Vendor, base_url, host_id
from .errors import ContactCenterAuthError, ContactCenterResponseError
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    ExtraFigure,
    ExtraKind,
    ExtraValue,
    Figures,
    Snapshot,
)
from .parsing import is_empty, load_json, read_int, read_records, read_text, to_text

DEFAULT_URL = "https://client.cobrowser.net"
DEFAULT_HOST = "client.cobrowser.net"
ACCOUNT_PATH = "/api/Account.php"
ONLINE_AGENTS = "getOnlineAgents"
ALL_AGENTS = "getAllAgents"

_AUTH_WORDS = re.compile(
    r"api ?key|user|auth|credential|denied|permission|forbidden|login", re.IGNORECASE
)
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no"})
_STATUS_WORDS = frozenset({"online", "offline"})

# The slot-duration fields, by the key their entity uses. Units are not published; seconds are
# assumed (README says so).
SLOT_DURATIONS: Mapping[str, str] = {
    f"{stat}_{state}_duration": f"{stat}{state.capitalize()}Duration"
    for stat in ("avg", "min", "max")
    for state in ("open", "closed", "new", "burning", "sleeping")
}

LAST_ACTIVE = "last_active"
CLOSED_SLOTS = "closed_slots"
FREE_SLOTS_TOTAL = "free_slots_total"
OPEN_CHATS_TOTAL = "open_chats_total"

_AGENT_EXTRAS = (
    ExtraFigure(key=LAST_ACTIVE, kind=ExtraKind.TIMESTAMP),
    ExtraFigure(
        key=CLOSED_SLOTS,
        kind=ExtraKind.COUNT,
        diagnostic=True,
        enabled_by_default=False,
    ),
    *(
        # They grow by themselves between polls: reported only while an entity shows them, so an
        # account where nothing happens still gives equal snapshots (``volatile``).
        ExtraFigure(
            key=key,
            kind=ExtraKind.DURATION,
            diagnostic=True,
            enabled_by_default=False,
            volatile=True,
        )
        for key in SLOT_DURATIONS
    ),
)
# Units come from the translations (``unit_of_measurement``), like the generic counts.
_TOTALS_EXTRAS = (
    ExtraFigure(key=FREE_SLOTS_TOTAL, kind=ExtraKind.COUNT),
    ExtraFigure(key=OPEN_CHATS_TOTAL, kind=ExtraKind.COUNT),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CoBrowserSettings:
    """What the user enters; field names are the config entry keys."""

    url: str = DEFAULT_URL
    username: str
    api_key: str = field(repr=False)
    all_agents: bool = False


def normalize_url(raw: str) -> URL:
    """Turn what a user pastes into the base URL; empty means CoBrowser.net's own server.

    A full ``Account.php`` address is accepted; its path and query (which may hold the key) are
    dropped. Raises ``ValueError`` when no host is left.
    """
    return base_url(raw.strip() or DEFAULT_URL, ACCOUNT_PATH)


def account_id(username: str, url: URL) -> str:
    """Return the stable identity of an account: the user name, with the host when not default."""
    user = username.strip().lower()
    host = host_id(url)
    return user if host == DEFAULT_HOST else f"{user}@{host}"


class CoBrowserClient(ContactCenterClient[CoBrowserSettings]):
    """Client for one CoBrowser.net account (user name and API key)."""

    vendor: ClassVar[str] = "cobrowser"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prepare the request; no I/O happens here."""
        super().__init__(*args, **kwargs)
        base = normalize_url(self.settings.url)
        self._url = base.with_path(base.path.rstrip("/") + ACCOUNT_PATH)
        self._host = host_id(base)
        self._command = ALL_AGENTS if self.settings.all_agents else ONLINE_AGENTS
        self._params = {
            "user": self.settings.username.strip(),
            "apiKey": self.settings.api_key.strip(),
            "c": self._command,
        }
        self._account = account_id(self.settings.username, base)

    @property
    def capabilities(self) -> Capabilities:
        """Agents and chat slots; CoBrowser.net has no queues."""
        return Capabilities(
            totals=frozenset({"agents_logged_in", "agents_available", "agents_busy"}),
            agent=frozenset({"status", "active_conversations", "capacity", "free_slots"}),
            totals_extras=_TOTALS_EXTRAS,
            agent_extras=_AGENT_EXTRAS,
            opt_in=frozenset({"capacity_available"}),
        )

    async def async_identify(self) -> AccountIdentity:
        """Fetch the agents once; a readable answer proves the user name and key."""
        await self.async_get_snapshot()
        return AccountIdentity(
            unique_id=self._account, title=f"CoBrowser.net {self.settings.username.strip()}"
        )

    async def async_get_snapshot(self) -> Snapshot:
        """Fetch the agent list once and normalize it."""
        response = await self._request("GET", self._url, params=self._params)
        self.raise_for_status(response, self._host)
        return self.parse(load_json(response.body, self._host))

    def parse(self, data: Any) -> Snapshot:
        """Normalize a decoded answer, read whole or refused (the rule in ``parsing``).

        A total is ``None`` when one agent's part of it is unknown: never a sum that counts the
        unknown part as 0.
        """
        result = self._result(data)
        shown = [key for key in SLOT_DURATIONS if self.shows_extra(key)]
        agents: dict[str, Agent] = {}
        for item in read_records(result, self._host, "agents"):
            agent = _agent(item, shown, self._host)
            if agent.id in agents:
                raise ContactCenterResponseError(f"{self._host} sent two agents with one id")
            agents[agent.id] = agent
        online = [agent for agent in agents.values() if _is_online(agent)]
        known = all((agent.raw_status or "").lower() in _STATUS_WORDS for agent in agents.values())
        roomy = all(agent.status is not None for agent in online)
        totals = Figures(
            agents_logged_in=len(online) if known else None,
            agents_available=_count(online, AgentStatus.AVAILABLE) if known and roomy else None,
            agents_busy=_count(online, AgentStatus.BUSY) if known and roomy else None,
            extras={
                FREE_SLOTS_TOTAL: _sum(agent.free_slots for agent in online) if known else None,
                OPEN_CHATS_TOTAL: _sum(agent.active_conversations for agent in agents.values()),
            },
        )
        return Snapshot(totals=totals, agents=agents)

    def _result(self, data: Any) -> Any:
        """Return the result object, or raise what the answer says instead."""
        if not isinstance(data, dict):
            raise ContactCenterResponseError(f"{self._host} sent an answer of an unexpected shape")
        result = data.get(self._command)
        error = _error_text(data)
        if error is None and isinstance(result, dict):
            error = _error_text(result)
        if error is not None:
            if _AUTH_WORDS.search(error):
                raise ContactCenterAuthError(f"{self._host} refused the user name or API key")
            raise ContactCenterResponseError(f"{self._host} reported an error")
        if self._command not in data:
            raise ContactCenterResponseError(f"{self._host} sent an answer without {self._command}")
        if result is False:
            # PHP's "no result" without a reason: not an agent list, and nothing to go by.
            raise ContactCenterResponseError(f"{self._host} sent no {self._command} result")
        # The document promises a list: PHP writes an empty one as [] or {} and one with gaps
        # as an object keyed by index. Anything else (a text, a number, one object) is not one.
        if not (type(result) is list or (type(result) is dict and _keyed_by_index(result))):
            raise ContactCenterResponseError(
                f"{self._host} sent a {self._command} result of an unexpected shape"
            )
        return result


def _keyed_by_index(value: dict[str, Any]) -> bool:
    return all(key.isdigit() for key in value)


def _is_online(agent: Agent) -> bool:
    return agent.raw_status is not None and agent.raw_status.lower() == "online"


def _count(agents: list[Agent], status: AgentStatus) -> int:
    return sum(1 for agent in agents if agent.status is status)


def _sum(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _error_text(data: dict[str, Any]) -> str | None:
    """Return the text of an ``error`` (or ``errors``) entry, ``"error"`` when it has none."""
    for key in ("error", "errors", "Error"):
        if key not in data:
            continue
        value = data[key]
        if value in (None, False, "", 0, [], {}):
            continue
        if isinstance(value, dict):
            value = value.get("message") or value.get("msg") or value.get("text")
        elif isinstance(value, list):
            value = " ".join(str(item) for item in value)
        return to_text(value) or "error"
    if str(data.get("status", "")).lower() in ("error", "fail", "failed"):
        return to_text(data.get("message")) or to_text(data.get("msg")) or "error"
    return None


def _flag(value: Any, where: str) -> bool | None:
    """Read a 1/0 flag sent as a number, a string or a boolean; ``None`` for no value."""
    if type(value) is bool:
        return value
    if is_empty(value):
        return None
    word = str(value).strip().lower() if type(value) in (int, str) else ""
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ContactCenterResponseError(f"{where} sent a free-slot flag of an unexpected shape")


def _from_timestamp(value: Any, where: str) -> datetime | None:
    seconds = read_int(value, where, "a last-activity time")
    if not seconds:  # 0 or missing: never active
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _status(raw: str, free: int | None, has_free: bool | None) -> AgentStatus | None:
    """Online with a free slot is available, online and full is busy, offline is offline."""
    word = raw.lower()
    if word == "offline":
        return AgentStatus.OFFLINE
    if word != "online":
        return None
    has_room = has_free if free is None else free > 0
    if has_room is None:
        return None
    return AgentStatus.AVAILABLE if has_room else AgentStatus.BUSY


def _agent(item: dict[str, Any], durations: list[str], where: str) -> Agent:
    agent_id = read_text(item.get("id"), where, "an agent id") or read_text(
        item.get("username"), where, "an agent user name"
    )
    if agent_id is None:
        raise ContactCenterResponseError(f"{where} sent an agent without an id")
    first = read_text(item.get("firstname"), where, "an agent name")
    last = read_text(item.get("name"), where, "an agent name")
    name = " ".join(part for part in (first, last) if part) or read_text(
        item.get("username"), where, "an agent user name"
    )
    raw_status = read_text(item.get("status"), where, "an agent status")
    if raw_status is None:
        raise ContactCenterResponseError(f"{where} sent an agent without a status")
    free = read_int(item.get("numFree"), where, "a free-slot count")
    extras: dict[str, ExtraValue] = {
        LAST_ACTIVE: _from_timestamp(item.get("lastactive"), where),
        CLOSED_SLOTS: read_int(item.get("numClosed"), where, "a closed-slot count"),
    }
    for key in durations:
        extras[key] = read_int(item.get(SLOT_DURATIONS[key]), where, "a slot duration")
    return Agent(
        id=agent_id,
        name=name or agent_id,
        status=_status(raw_status, free, _flag(item.get("hasFree"), where)),
        raw_status=raw_status,
        active_conversations=read_int(item.get("numOpen"), where, "an open-chat count"),
        capacity=read_int(item.get("slot_num"), where, "a slot count"),
        free_slots=free,
        extras=extras,
    )


VENDOR = Vendor(
    key="cobrowser",
    name="CoBrowser.net",
    client_class=CoBrowserClient,
    settings_class=CoBrowserSettings,
    queue_model="Queue",
    agent_model="Agent",
    position=3,
)
