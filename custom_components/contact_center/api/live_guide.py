"""Live Guide (Netop / Impero) real-time ``status.php``.

One GET per poll answers everything: global queue, per-department queues (``perDepartment=true``,
online departments only) and the logged-in operators. The JSON is a mechanical conversion of XML, so
every section may arrive as a list, as an object holding a list, or collapsed to one object, and
numbers often arrive as strings. Units are not published; seconds are assumed (README says so).
Anything beyond those quirks is refused (the rule in ``parsing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import re
from typing import Any, ClassVar, Literal

from yarl import URL

from .client import ContactCenterClient, Vendor, base_url, host_id
from .errors import (
    ContactCenterAuthError,
    ContactCenterResponseError,
    ContactCenterUnidentifiedError,
)
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    Figures,
    Queue,
    Snapshot,
)
from .parsing import (
    is_empty,
    load_json,
    load_xml,
    read_int,
    read_object,
    read_records,
    read_text,
    to_text,
)

STATUS_PATH = "/lg/export/status.php"

_STATUS_MAP: Mapping[str, AgentStatus] = {
    "available": AgentStatus.AVAILABLE,
    "online": AgentStatus.AVAILABLE,
    "busy": AgentStatus.BUSY,
    "away": AgentStatus.AWAY,
    "brb": AgentStatus.AWAY,
    "not available": AgentStatus.AWAY,
    "unavailable": AgentStatus.AWAY,
    "offline": AgentStatus.OFFLINE,
}

# onlineFor is relative to the server's clock; "now - onlineFor" jitters by a second or two from
# poll to poll. Within this tolerance the earlier timestamp is kept, so the entity does not change.
_SINCE_TOLERANCE_SECONDS = 5
_AUTH_WORDS = re.compile(r"token|auth|access|denied|permission|forbidden", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveGuideSettings:
    """What the user enters; field names are the config entry keys."""

    url: str
    token: str = field(repr=False)
    per_department: bool = True
    verify_ssl: bool = True
    response_format: Literal["json", "xml"] = "json"


def normalize_url(raw: str) -> URL:
    """Turn what a user pastes into the server's base URL.

    Accepts a bare host, a base URL, or a full status URL with or without its query (the query is
    dropped, so a pasted token never lands in the stored URL). Raises ``ValueError`` when no host is
    left.
    """
    return base_url(raw, STATUS_PATH)


def settings_identity(
    settings: LiveGuideSettings, department_ids: Iterable[str]
) -> AccountIdentity:
    """Return the identity of a Live Guide account: its server and its departments' ids.

    Live Guide's answer names no company, and a hosted server serves many; the departments' ids
    are the one thing in it that differs between companies on one server. Without any, the
    unique id is empty: nothing tells the account apart.
    """
    host = host_id(normalize_url(settings.url))
    ids = sorted(set(department_ids), key=lambda key: (len(key), key))
    return AccountIdentity(
        unique_id=f"live_guide_{host}_{'-'.join(ids)}" if ids else "",
        title=f"Live Guide {host}",
        names_account=False,
        server=host,
        queue_ids=frozenset(ids),
    )


class LiveGuideClient(ContactCenterClient[LiveGuideSettings]):
    """Client for one Live Guide server and access token."""

    vendor: ClassVar[str] = "live_guide"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prepare the status URL; no I/O happens here."""
        super().__init__(*args, **kwargs)
        base = normalize_url(self.settings.url)
        self._status_url = base.with_path(base.path.rstrip("/") + STATUS_PATH)
        self._host = host_id(base)
        self._params = {
            "token": self.settings.token,
            "format": self.settings.response_format,
            "perDepartment": "true" if self.settings.per_department else "false",
        }
        self._since: dict[str, tuple[int, datetime]] = {}
        self._last: tuple[bytes, Snapshot] | None = None

    @property
    def capabilities(self) -> Capabilities:
        """Queue figures exist only when the per-department breakdown is asked for."""
        return Capabilities(
            totals=frozenset(
                {"waiting", "longest_wait", "agents_logged_in", "agents_available", "agents_busy"}
            ),
            queue=(
                frozenset({"waiting", "longest_wait"})
                if self.settings.per_department
                else frozenset()
            ),
            agent=frozenset({"status", "active_conversations", "logged_in_since", "queues"}),
        )

    async def async_identify(self) -> AccountIdentity:
        """Fetch the status once, with departments whatever the settings say (they identify).

        A readable answer proves the token. Departments that are offline are absent, so an
        account with none online cannot be told apart from the server's other companies.
        """
        probe = self
        if not self.settings.per_department:
            probe = type(self)(self._session, replace(self.settings, per_department=True))
        departments = (await probe.async_get_snapshot()).queues
        identity = settings_identity(self.settings, departments)
        if not identity.unique_id:
            raise ContactCenterUnidentifiedError(f"{self._host} lists no online department")
        names = ", ".join(departments[key].name for key in sorted(departments))
        return replace(identity, detail=names)

    async def async_get_snapshot(self) -> Snapshot:
        """Fetch ``status.php`` once and normalize it."""
        response = await self._request("GET", self._status_url, params=self._params)
        self.raise_for_status(response, self._host)
        if self._last is not None and response.body == self._last[0]:
            # The same bytes as last time (a caching server, or a quiet account with nobody
            # logged in): the same snapshot, without decoding anything.
            return self._last[1]
        if self.settings.response_format == "xml":
            data = load_xml(response.body, self._host)
        else:
            data = load_json(response.body, self._host)
        snapshot = self.parse(data)
        self._last = (response.body, snapshot)
        return snapshot

    def parse(self, data: Any) -> Snapshot:
        """Normalize a decoded answer (JSON, or XML converted to the same shape).

        Read whole or refused, by the rule in ``parsing``: a section of the wrong shape, an
        operator or department without its id, or a figure that is not a whole number makes the
        answer a ``ContactCenterResponseError``.
        """
        if not isinstance(data, dict):
            raise ContactCenterResponseError(f"{self._host} sent an answer of an unexpected shape")
        if "error" in data and not ({"global", "operators"} & data.keys()):
            message = to_text(data["error"]) or "error"
            if _AUTH_WORDS.search(message):
                raise ContactCenterAuthError(f"{self._host} refused the access token")
            raise ContactCenterResponseError(f"{self._host} reported an error")
        if not ({"global", "departments", "operators"} & data.keys()):
            raise ContactCenterResponseError(f"{self._host} sent an answer without status data")

        # Read even when not shown: a broken section means a broken answer.
        queues = self._parse_departments(data.get("departments"))
        agents = self._parse_operators(data.get("operators"))
        global_figures = self._customers(data.get("global"), "global figures")
        available = busy = logged_in = 0
        for agent in agents.values():
            if agent.status is AgentStatus.OFFLINE:
                continue
            logged_in += 1
            if agent.status is AgentStatus.AVAILABLE:
                available += 1
            elif agent.status is AgentStatus.BUSY:
                busy += 1
        totals = Figures(
            waiting=read_int(global_figures.get("inqueue"), self._host, "customers in queue"),
            longest_wait=read_int(global_figures.get("maxWaiting"), self._host, "a waiting time"),
            agents_logged_in=logged_in,
            agents_available=available,
            agents_busy=busy,
        )
        return Snapshot(
            totals=totals, queues=queues if self.settings.per_department else {}, agents=agents
        )

    def _customers(self, section: Any, what: str) -> dict[str, Any]:
        """Return the object holding ``inqueue`` and ``maxWaiting`` (maybe under ``customers``)."""
        figures = read_object(section, self._host, what)
        customers = figures.get("customers")
        if is_empty(customers):
            return figures
        return read_object(customers, self._host, what)

    def _parse_departments(self, section: Any) -> dict[str, Queue]:
        host = self._host
        queues: dict[str, Queue] = {}
        for item in read_records(section, host, "departments", "department"):
            attributes = self._attributes(item, "a department")
            queue_id = read_text(attributes.get("id"), host, "a department id")
            if queue_id is None or queue_id in queues:
                raise ContactCenterResponseError(f"{host} sent a department without a unique id")
            figures = self._customers(item, "department figures")
            queues[queue_id] = Queue(
                id=queue_id,
                name=read_text(attributes.get("name"), host, "a department name") or queue_id,
                waiting=read_int(figures.get("inqueue"), host, "customers in queue"),
                longest_wait=read_int(figures.get("maxWaiting"), host, "a waiting time"),
            )
        return queues

    def _attributes(self, item: dict[str, Any], what: str) -> dict[str, Any]:
        attributes = item.get("@attributes")
        if attributes is None:
            return item
        if type(attributes) is not dict:
            raise ContactCenterResponseError(f"{self._host} sent {what} of an unexpected shape")
        return attributes

    def _parse_operators(self, section: Any) -> dict[str, Agent]:
        # The hot loop of a poll (thousands of operators every few seconds): plain types take
        # the fast paths; anything else goes through the strict readers.
        host = self._host
        now = int(self._clock().timestamp())
        previous_since = self._since
        since_by_id: dict[str, tuple[int, datetime]] = {}
        agents: dict[str, Agent] = {}
        status_map = _STATUS_MAP
        for item in read_records(section, host, "operators", "operator"):
            attributes = item.get("@attributes")
            if type(attributes) is not dict:
                attributes = self._attributes(item, "an operator")
            name = _text(attributes.get("name"), host, "an operator name")
            email = _text(attributes.get("email"), host, "an operator email")
            agent_id = (email or name or "").lower()
            if not agent_id or agent_id in agents:
                raise ContactCenterResponseError(f"{host} sent an operator without a unique name")
            raw_status = _status(item.get("status"), host)
            online_for = _int(item.get("onlineFor"), host, "an online time")
            logged_in_since: datetime | None = None
            if online_for is not None:
                since = now - online_for
                earlier = previous_since.get(agent_id)
                if earlier is None or abs(since - earlier[0]) > _SINCE_TOLERANCE_SECONDS:
                    moment = _from_timestamp(since)
                    earlier = None if moment is None else (since, moment)
                if earlier is not None:
                    since_by_id[agent_id] = earlier
                    logged_in_since = earlier[1]
            agents[agent_id] = Agent(
                agent_id,
                name or email or agent_id,
                status_map.get(raw_status.lower()) if raw_status else None,
                raw_status,
                _int(item.get("chats"), host, "a chat count"),
                None,
                None,
                None,
                logged_in_since,
                None,
                None,
                _department_names(item.get("departments"), host),
            )
        # Only operators of this answer are remembered, so the cache never grows with history.
        self._since = since_by_id
        return agents


def _int(value: Any, where: str, what: str) -> int | None:
    if type(value) is str and value.isdecimal() and value.isascii() and len(value) < 19:
        return int(value)
    return read_int(value, where, what)


def _text(value: Any, where: str, what: str) -> str | None:
    if type(value) is str:
        return value.strip() or None
    return read_text(value, where, what)


def _status(value: Any, where: str) -> str | None:
    """Return the operator's status word; a number or a structure is not one."""
    if type(value) is str:
        return value.strip() or None
    if is_empty(value):
        return None
    raise ContactCenterResponseError(f"{where} sent an operator status of an unexpected shape")


def _from_timestamp(seconds: int) -> datetime | None:
    """Return the moment ``seconds`` after the epoch; ``None`` when off the calendar."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _department_names(section: Any, where: str) -> tuple[str, ...]:
    names: list[str] = []
    for item in read_records(section, where, "an operator's departments", "department"):
        attributes = item.get("@attributes")
        if attributes is None:
            attributes = item
        elif type(attributes) is not dict:
            raise ContactCenterResponseError(
                f"{where} sent an operator's department of an unexpected shape"
            )
        name = _text(attributes.get("name"), where, "a department name")
        if name is None:
            raise ContactCenterResponseError(
                f"{where} sent an operator's department without a name"
            )
        names.append(name)
    # Sorted so a server that lists them in another order does not count as a change.
    return tuple(sorted(set(names))) if len(names) > 1 else tuple(names)


VENDOR = Vendor(
    key="live_guide",
    name="Live Guide",
    client_class=LiveGuideClient,
    settings_class=LiveGuideSettings,
    queue_model="Department",
    agent_model="Operator",
    position=1,
    settings_identity=settings_identity,
)
