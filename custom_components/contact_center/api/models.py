"""The normalized model shared by every vendor.

A client turns one vendor answer into one :class:`Snapshot`. Every figure is optional: a vendor that
does not report a figure leaves it ``None``. Objects are immutable and compare by value, so an
unchanged poll yields an equal snapshot and the integration can skip all work for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple


class AgentStatus(StrEnum):
    """An agent's state in the vendor-neutral vocabulary."""

    AVAILABLE = "available"
    BUSY = "busy"
    AWAY = "away"
    AFTER_CALL_WORK = "after_call_work"
    OFFLINE = "offline"


type ExtraValue = int | float | str | date | datetime | None


class ExtraKind(StrEnum):
    """How a vendor-specific figure is meant: it decides unit handling and statistics."""

    COUNT = "count"
    """A level that goes up and down (measurement)."""
    TOTAL = "total"
    """A counter that only grows, reset daily by the vendor (total_increasing)."""
    DURATION = "duration"
    """Seconds (measurement)."""
    PERCENT = "percent"
    """Percent (measurement)."""
    TIMESTAMP = "timestamp"
    """A moment (``datetime``)."""
    DATE = "date"
    """A calendar day (``date``), such as the day a daily file covers."""
    TEXT = "text"
    """Free text, no statistics."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtraFigure:
    """A figure only one vendor reports, declared by its client.

    The entity platforms turn each declaration into an entity without knowing the vendor: the
    ``key`` is the entity's translation key, so its name lives in the translations.
    """

    key: str
    kind: ExtraKind
    unit: str | None = None
    """Unit shown for COUNT and TOTAL figures (DURATION, PERCENT and TIMESTAMP bring their own)."""
    diagnostic: bool = False
    enabled_by_default: bool = True
    volatile: bool = False
    """The value grows by itself between polls (a duration measured up to now). Clients report
    a volatile figure only while something shows it (``ContactCenterClient.show_extra``), so an
    account where nothing happens still gives equal snapshots and costs no work."""


EMPTY_EXTRAS: Mapping[str, ExtraValue] = MappingProxyType({})


# Field names of the figures a queue or the account can carry; capabilities list these names.
QUEUE_FIGURES = (
    "waiting",
    "longest_wait",
    "agents_logged_in",
    "agents_available",
    "agents_busy",
    "service_level",
    "abandoned_pct",
    "offered",
    "answered",
    "abandoned",
)
AGENT_FIGURES = (
    "status",
    "active_conversations",
    "capacity",
    "free_slots",
    "status_since",
    "logged_in_since",
    "reason",
    "team",
    "queues",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """Live figures of a queue, or of the whole account."""

    waiting: int | None = None
    longest_wait: int | None = None
    """Seconds the oldest waiting customer has waited."""
    agents_logged_in: int | None = None
    agents_available: int | None = None
    agents_busy: int | None = None
    service_level: float | None = None
    """Percent answered within the vendor's target."""
    abandoned_pct: float | None = None
    offered: int | None = None
    answered: int | None = None
    abandoned: int | None = None
    extras: Mapping[str, ExtraValue] = field(default_factory=lambda: EMPTY_EXTRAS)
    """Vendor-specific figures by ``ExtraFigure.key``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue(Figures):
    """A queue: a department, a skill, a service or a category/language target."""

    id: str
    name: str


class Agent(NamedTuple):
    """An agent (operator, expert) with the figures the vendor reports about them.

    A named tuple rather than a frozen dataclass, unlike the other models: it is just as
    immutable and compares by value, and builds four times faster, which matters for accounts
    with thousands of agents polled every few seconds (scripts/bench).
    """

    id: str
    name: str
    status: AgentStatus | None = None
    raw_status: str | None = None
    """The vendor's own word for the state, kept for display and debugging."""
    active_conversations: int | None = None
    capacity: int | None = None
    free_slots: int | None = None
    status_since: datetime | None = None
    logged_in_since: datetime | None = None
    reason: str | None = None
    team: str | None = None
    queues: tuple[str, ...] = ()
    """Names of the queues the agent serves."""
    extras: Mapping[str, ExtraValue] = EMPTY_EXTRAS
    """Vendor-specific figures by ``ExtraFigure.key``."""


class Message(NamedTuple):
    """A message sent to the account's supervisors (an internal chat line), newest last."""

    id: str
    text: str
    sender: str | None = None
    sender_id: str | None = None
    urgent: bool = False
    sent_at: datetime | None = None


def _frozen_mapping[V](items: Mapping[str, V]) -> Mapping[str, V]:
    return items if isinstance(items, MappingProxyType) else MappingProxyType(dict(items))


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """Everything one poll learned about an account."""

    totals: Figures = field(default_factory=Figures)
    queues: Mapping[str, Queue] = field(default_factory=lambda: MappingProxyType({}))
    agents: Mapping[str, Agent] = field(default_factory=lambda: MappingProxyType({}))
    messages: tuple[Message, ...] = ()
    """The latest messages the vendor keeps (supervisor chat), oldest first."""
    unavailable_queues: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Queues whose own part of the answer could not be read this poll, with why (a text safe
    to log). They are not in ``queues``: their entities are unavailable, their devices stay."""
    unavailable_agents: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Agents whose own part of the answer could not be read this poll (as the queues)."""

    def __post_init__(self) -> None:
        """Make the mappings read-only so a snapshot cannot change after it is compared."""
        for name in ("queues", "agents", "unavailable_queues", "unavailable_agents"):
            object.__setattr__(self, name, _frozen_mapping(getattr(self, name)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """Which figures a client can report; entities exist only for these."""

    totals: frozenset[str] = frozenset()
    queue: frozenset[str] = frozenset()
    agent: frozenset[str] = frozenset()
    totals_extras: tuple[ExtraFigure, ...] = ()
    queue_extras: tuple[ExtraFigure, ...] = ()
    agent_extras: tuple[ExtraFigure, ...] = ()
    queue_ids: frozenset[str] | None = None
    """Every queue the client can ever report, when the settings name them (configured targets).

    Devices of other queues are removed at once instead of after ``STALE_AFTER``; ``None`` means
    queues come and go with the vendor's answers.
    """
    agent_ids: frozenset[str] | None = None
    """Every agent the client can ever report, when the settings name them; as ``queue_ids``."""
    slow_totals_extras: tuple[ExtraFigure, ...] = ()
    """Account figures read seldom by ``ContactCenterClient.async_get_slow_extras``."""
    opt_in: frozenset[str] = frozenset()
    """Keys of generic entities that exist only for clients asking for them (entities added
    after vendors shipped, so existing installations do not grow entities by surprise)."""
    messages: bool = False
    """The snapshot carries messages (an event entity announces each new one)."""
    dispositions: bool = False
    """The client can list disposition names (``async_get_dispositions``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountIdentity:
    """Who the credentials belong to: the entry's unique id, its title, and how to check it.

    The identity rule, for every vendor: the unique id is set once, when the entry is created, and
    every device and entity unique id of the entry starts with it. Nothing may change it later, so
    it never derives from a secret (tokens, keys and passwords get rotated) and never from a host
    name alone (one hosted server serves many companies). Reauthentication and reconfiguration
    check new settings against the entry and never write a new unique id.

    - ``names_account``: the unique id is the account's own name (a user name, an OAuth client, a
      tenant and user), so settings with another unique id belong to another account and are
      refused. CoBrowser.net, Live Expert and Bright Pattern.
    - Otherwise the vendor's answers name no account (Live Guide, wolkvox): the unique id is the
      ``server`` and what the answer or the settings carried at creation, new settings must only
      lead to the same ``server``, and ``queue_ids`` (Live Guide's departments) must share one id
      with the entry's known queues when both are known. That is all the vendor lets us check.
    """

    unique_id: str
    title: str
    names_account: bool = True
    server: str = ""
    """The host (or server code) the account lives on."""
    queue_ids: frozenset[str] = frozenset()
    """Queues the answer listed, when they are what tells accounts on one server apart."""
    detail: str = ""
    """Added to the title when another entry already has that title (two companies, one server)."""


def as_plain_data(snapshot: Snapshot) -> dict[str, Any]:
    """Return the snapshot as JSON-friendly data (diagnostics, debugging)."""

    def extras(obj: Figures | Agent) -> dict[str, Any]:
        if not obj.extras:
            return {}
        return {
            "extras": {
                key: value.isoformat() if isinstance(value, date) else value
                for key, value in sorted(obj.extras.items())
            }
        }

    def figures(obj: Figures) -> dict[str, Any]:
        return {**{name: getattr(obj, name) for name in QUEUE_FIGURES}, **extras(obj)}

    def agent(obj: Agent) -> dict[str, Any]:
        data: dict[str, Any] = {"id": obj.id, "name": obj.name, "raw_status": obj.raw_status}
        for name in AGENT_FIGURES:
            value = getattr(obj, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[name] = value
        return {**data, **extras(obj)}

    unavailable = {
        name: dict(sorted(getattr(snapshot, name).items()))
        for name in ("unavailable_queues", "unavailable_agents")
        if getattr(snapshot, name)
    }
    return {
        "totals": figures(snapshot.totals),
        "queues": {key: {"name": q.name, **figures(q)} for key, q in snapshot.queues.items()},
        "agents": {key: agent(a) for key, a in snapshot.agents.items()},
        **unavailable,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """Something only the user can fix, reported by a client; shown as a repair issue.

    ``key`` is the issue's translation key; ``subject`` tells several problems of one key apart
    (a skill id); ``placeholders`` fill the issue's text.
    """

    key: str
    subject: str = ""
    placeholders: tuple[tuple[str, str], ...] = ()
