"""Live Guide (Netop / Impero) real-time ``status.php``, faithful to the vendor's document.

A small chat desk moves behind the token: four departments (Returns goes offline now and then),
eight operators with three chat slots each, customers arriving at random, waiting in FIFO queues,
giving up when nobody answers, and chats that end after a while. State moves in fixed ticks of
scenario time, driven by the vendor's own ``random.Random``, so a seed and a sequence of clock
readings always produce the same answers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import math
import random
import string
import time
from types import MappingProxyType
from typing import Any, ClassVar, Literal, get_args
from xml.etree import ElementTree as ET

from aiohttp import web

from ..vendor import TickedVendorSimulator
from ..xmljson import php_json, simplexml_data, xml_bytes

STATUS_PATH = "/lg/export/status.php"
TICK_SECONDS = 5.0
"""Ticks run at most per catch-up; older pending ticks are skipped so a day-long gap stays cheap."""
DEFAULT_CAPACITY = 3
BAD_TOKEN_MESSAGE = "Access denied: invalid token"  # noqa: S105 - an error text

JsonStyle = Literal["seed", "simplexml", "customers_wrapped"]
JSON_STYLES: tuple[JsonStyle, ...] = get_args(JsonStyle)

# Ages are differences of floats; without the epsilon "75 s ago" can read as 74.
_EPSILON = 1e-6

# (id, name, customers per minute while online, goes offline now and then)
_DEPARTMENTS: tuple[tuple[str, str, float, bool], ...] = (
    ("1", "Sales", 0.5, False),
    ("2", "Support", 1.0, False),
    ("3", "Billing", 0.3, False),
    ("4", "Returns", 0.2, True),
)
_OPERATORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("John Smith", "john.smith@example.com", ("1", "2")),
    ("Emma Jansen", "emma.jansen@example.com", ("2",)),
    ("Liam O'Brien", "liam.obrien@example.com", ("1", "3")),
    ("Sofia Rossi", "sofia.rossi@example.com", ("2", "4")),
    ("Jürgen Weber", "juergen.weber@example.com", ("2", "3", "4")),
    ("Zoë Martin", "zoe.martin@example.com", ("1",)),
    ("Amira Haddad", "amira.haddad@example.com", ("2", "3")),
    ("Kenji Watanabe", "kenji.watanabe@example.com", ("1", "4")),
)
_DEFAULT_ARRIVALS_PER_MINUTE = 0.3

# Chances per tick of 5 s, chosen so a person watching sees a change every few minutes.
_P_DEPARTMENT_OFFLINE = 1 / 720  # about once an hour
_P_DEPARTMENT_ONLINE = 1 / 120  # back after about ten minutes
_P_LOGOUT = 1 / 1000  # an idle operator leaves about every 80 minutes
_P_LOGIN = 1 / 100  # and is back after about eight
_P_BUSY = 1 / 240
_P_AVAILABLE = 1 / 60


@dataclass(slots=True)
class Customer:
    """A visitor waiting in a department's queue."""

    arrived: float
    ready_at: float
    """When an operator can take the chat (accepting one takes a few seconds)."""
    gives_up_at: float


@dataclass(slots=True)
class LiveGuideDepartment:
    """A department: online ones are listed with ``perDepartment=true``, offline ones are not."""

    id: str
    name: str
    online: bool = True
    arrivals_per_minute: float = _DEFAULT_ARRIVALS_PER_MINUTE
    flaps: bool = False
    """Whether the scenario takes this department offline and back now and then."""
    waiting: deque[Customer] = field(default_factory=deque)

    def max_waiting(self, now: float) -> int:
        """Return the age of the oldest waiting customer in whole seconds (0 when none wait)."""
        if not self.waiting:
            return 0
        return max(0, math.floor(now - self.waiting[0].arrived + _EPSILON))


@dataclass(slots=True)
class LiveGuideOperator:
    """An operator; only logged-in operators appear in the answer."""

    name: str
    email: str
    departments: list[str]
    """Department ids, in the order they were given."""
    status: str = "available"
    logged_in: bool = True
    login_at: float = 0.0
    chat_ends: list[float] = field(default_factory=list)
    """Scenario times at which the operator's current chats end."""
    capacity: int = DEFAULT_CAPACITY

    @property
    def chats(self) -> int:
        """Return the number of chats the operator is in."""
        return len(self.chat_ends)

    def online_for(self, now: float) -> int:
        """Return the whole seconds since the operator's login."""
        return max(0, math.floor(now - self.login_at + _EPSILON))


class LiveGuideSimulator(TickedVendorSimulator):
    """The Live Guide vendor: ``GET /lg/export/status.php`` behind a 32-character token.

    Test controls (``add_department`` and friends) act at the current scenario time: they first
    run the scenario up to the clock, then change the state. ``freeze()`` stops random movement;
    figures derived from time (``maxWaiting``, ``onlineFor``) still grow as the clock moves, as
    they would on a real server where nobody does anything.
    """

    tick_seconds: ClassVar[float] = TICK_SECONDS
    key: ClassVar[str] = "live_guide"
    title: ClassVar[str] = "Live Guide"
    position: ClassVar[int] = 1

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the fixed initial state for ``seed`` at the clock's current reading."""
        super().__init__(clock)
        # String seeds hash the same way on every run and platform; each vendor gets its own
        # stream, so adding randomness to one vendor never changes another's scenario.
        token_rng = random.Random(f"live_guide:token:{seed}")  # noqa: S311 - not a secret
        alphabet = string.ascii_letters + string.digits
        self._token = "".join(token_rng.choice(alphabet) for _ in range(32))
        self._rng = random.Random(f"live_guide:scenario:{seed}")  # noqa: S311 - a simulation
        self._json_style: JsonStyle = "seed"
        self._departments: dict[str, LiveGuideDepartment] = {}
        self._operators: dict[str, LiveGuideOperator] = {}
        self._populate()

    # --- state people and tests look at ---------------------------------------------------

    @property
    def token(self) -> str:
        """Return the access token the simulated server accepts."""
        return self._token

    @token.setter
    def token(self, token: str) -> None:
        """Replace the token, as regenerating it in Live Guide's administration does."""
        if not token:
            raise ValueError("the token cannot be empty")
        self._token = token

    @property
    def departments(self) -> Mapping[str, LiveGuideDepartment]:
        """Return every department by id, offline ones included (read-only view)."""
        return MappingProxyType(self._departments)

    @property
    def operators(self) -> Mapping[str, LiveGuideOperator]:
        """Return every operator on the roster by lower-case email, logged out ones included."""
        return MappingProxyType(self._operators)

    @property
    def json_style(self) -> JsonStyle:
        """Return how JSON answers are shaped: ``seed``, ``simplexml`` or ``customers_wrapped``.

        ``seed`` follows the document's sample (lists collapse to one object, queue figures are
        numbers); ``simplexml`` is PHP's ``json_encode(simplexml_load_string(...))``;
        ``customers_wrapped`` is ``seed`` with each department's figures under ``customers``, as
        the document's field table names them.
        """
        return self._json_style

    @json_style.setter
    def json_style(self, style: JsonStyle) -> None:
        for known in JSON_STYLES:
            if style == known:
                self._json_style = known
                return
        raise ValueError(f"unknown JSON style {style!r}; use one of {', '.join(JSON_STYLES)}")

    # --- test controls --------------------------------------------------------------------

    def add_department(self, department_id: str, name: str, online: bool = True) -> None:
        """Add a department; raises ``ValueError`` when the id exists."""
        self._sync()
        if department_id in self._departments:
            raise ValueError(f"department {department_id!r} exists")
        self._departments[department_id] = LiveGuideDepartment(department_id, name, online)

    def set_department_online(self, department_id: str, online: bool) -> None:
        """Bring a department online or take it offline (its waiting customers are let go)."""
        self._sync()
        department = self._departments[department_id]
        department.online = online
        if not online:
            department.waiting.clear()

    def remove_department(self, department_id: str) -> None:
        """Delete a department, its queue and every operator's membership of it."""
        self._sync()
        del self._departments[department_id]
        for operator in self._operators.values():
            if department_id in operator.departments:
                operator.departments.remove(department_id)

    def add_operator(
        self,
        name: str,
        email: str,
        departments: list[str],
        status: str = "available",
        chats: int = 0,
        online_for: int = 0,
        *,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        """Log a new operator in, ``online_for`` seconds ago, with ``chats`` running chats.

        ``departments`` are department ids; ``KeyError`` for an unknown one, ``ValueError`` when
        the email is on the roster already.
        """
        self._sync()
        key = email.lower()
        if key in self._operators:
            raise ValueError(f"operator {email!r} exists")
        for department_id in departments:
            if department_id not in self._departments:
                raise KeyError(department_id)
        if chats < 0 or online_for < 0:
            raise ValueError("chats and online_for cannot be negative")
        operator = LiveGuideOperator(
            name=name,
            email=email,
            departments=list(departments),
            status=status,
            login_at=self._now - online_for,
            capacity=capacity,
        )
        self._set_chats(operator, chats)
        self._operators[key] = operator

    def remove_operator(self, email: str) -> None:
        """Log an operator out for good: they leave the roster and never come back on their own.

        Use ``set_operator(email, logged_in=False)`` for a logout the scenario may undo.
        """
        self._sync()
        del self._operators[email.lower()]

    def set_operator(
        self,
        email: str,
        status: str | None = None,
        chats: int | None = None,
        *,
        logged_in: bool | None = None,
    ) -> None:
        """Change an operator's status, number of chats, or log them in or out.

        Logging in restarts ``onlineFor``; logging out ends their chats.
        """
        self._sync()
        operator = self._operators[email.lower()]
        if logged_in is not None and logged_in != operator.logged_in:
            if logged_in:
                self._log_in(operator, self._now)
            else:
                self._log_out(operator)
        if status is not None:
            operator.status = status
        if chats is not None:
            if chats < 0:
                raise ValueError("chats cannot be negative")
            self._set_chats(operator, chats)

    def set_waiting(self, department_id: str, count: int, max_wait_seconds: int) -> None:
        """Replace a department's queue: ``count`` customers, the oldest ``max_wait_seconds`` old.

        The global figures follow, as they are computed from every department's queue. The
        customers can be taken at once, so freeze the scenario to keep them waiting.
        """
        self._sync()
        department = self._departments[department_id]
        if count < 0 or max_wait_seconds < 0:
            raise ValueError("count and max_wait_seconds cannot be negative")
        if count and not department.online:
            raise ValueError(f"department {department_id!r} is offline; nobody can wait there")
        department.waiting.clear()
        for index in range(count):
            share = (count - 1 - index) / (count - 1) if count > 1 else 1.0
            arrived = self._now - max_wait_seconds * share
            department.waiting.append(Customer(arrived, arrived, self._now + 600.0))

    # --- VendorSimulator ------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """Return the access token, the only credential besides the URL."""
        return {"token": self._token}

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add ``GET /lg/export/status.php``."""
        router.add_get(STATUS_PATH, self._handle_status, allow_head=False)

    def summary(self) -> dict[str, Any]:
        """Return queue and operator counts, and the scenario's settings."""
        online = [d for d in self._departments.values() if d.online]
        logged_in = [o for o in self._operators.values() if o.logged_in]
        return {
            "departments_online": [d.name for d in online],
            "waiting": sum(len(d.waiting) for d in online),
            "max_waiting": max((d.max_waiting(self._now) for d in online), default=0),
            "operators_logged_in": len(logged_in),
            "operators_available": sum(o.status == "available" for o in logged_in),
            "operators_busy": sum(o.status == "busy" for o in logged_in),
            "chats": sum(o.chats for o in logged_in),
            "json_style": self._json_style,
            "frozen": self._frozen,
        }

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer as for a wrong token.

        Live Guide does not publish its error answer. HTTP 200 with an ``error`` member (or an
        ``<error>`` document) is the PHP habit the rest of the API follows; the text says what
        happened in the words a client would look for.
        """
        if _wants_xml(request):
            root = ET.Element("error")
            root.text = BAD_TOKEN_MESSAGE
            return web.Response(body=xml_bytes(root), content_type="application/xml")
        return web.Response(
            body=php_json({"error": BAD_TOKEN_MESSAGE}), content_type="application/json"
        )

    def sample_url(self, base_url: str) -> str | None:
        """Return the status URL with the token and the per-department breakdown."""
        return f"{base_url}{STATUS_PATH}?token={self._token}&perDepartment=true"

    # --- the answer -----------------------------------------------------------------------

    def render(self, response_format: str = "json", per_department: bool = False) -> bytes:
        """Return the status body for the current state, without moving the scenario.

        ``response_format`` is ``json`` or ``xml``; JSON follows ``json_style``.
        """
        if response_format == "xml":
            return xml_bytes(self.status_tree(per_department))
        if self._json_style == "simplexml":
            return php_json(simplexml_data(self.status_tree(per_department)))
        wrapped = self._json_style == "customers_wrapped"
        return php_json(seed_data(self.status_tree(per_department, customers_wrapped=wrapped)))

    def status_tree(self, per_department: bool, *, customers_wrapped: bool = False) -> ET.Element:
        """Build the answer as the XML tree the server converts to JSON."""
        now = self._now
        online = [d for d in self._departments.values() if d.online]
        root = ET.Element("status")
        customers = ET.SubElement(ET.SubElement(root, "global"), "customers")
        _figures(
            customers,
            sum(len(d.waiting) for d in online),
            max((d.max_waiting(now) for d in online), default=0),
        )
        if per_department:
            section = ET.SubElement(root, "departments")
            for department in online:
                element = ET.SubElement(
                    section, "department", id=department.id, name=department.name
                )
                holder = ET.SubElement(element, "customers") if customers_wrapped else element
                _figures(holder, len(department.waiting), department.max_waiting(now))
        operators = ET.SubElement(root, "operators")
        for operator in self._operators.values():
            if not operator.logged_in:
                continue
            element = ET.SubElement(operators, "operator", name=operator.name, email=operator.email)
            ET.SubElement(element, "status").text = operator.status
            ET.SubElement(element, "chats").text = str(operator.chats)
            ET.SubElement(element, "onlineFor").text = str(operator.online_for(now))
            memberships = ET.SubElement(element, "departments")
            for department_id in operator.departments:
                membership = self._departments.get(department_id)
                if membership is not None:
                    ET.SubElement(memberships, "department", id=membership.id, name=membership.name)
        return root

    async def _handle_status(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("token") != self._token:
            return self.bad_credentials_response(request)
        per_department = query.get("perDepartment", "false").lower() == "true"
        if _wants_xml(request):
            return web.Response(
                body=self.render("xml", per_department), content_type="application/xml"
            )
        return web.Response(
            body=self.render("json", per_department), content_type="application/json"
        )

    # --- the scenario ---------------------------------------------------------------------

    def _populate(self) -> None:
        rng = self._rng
        start = self._start
        for department_id, name, rate, flaps in _DEPARTMENTS:
            online = rng.random() < 0.8 if flaps else True
            self._departments[department_id] = LiveGuideDepartment(
                department_id, name, online, arrivals_per_minute=rate, flaps=flaps
            )
        for name, email, departments in _OPERATORS:
            operator = LiveGuideOperator(name, email, list(departments), logged_in=False)
            if rng.random() < 0.8:
                operator.logged_in = True
                operator.login_at = start - rng.uniform(300.0, 6 * 3600.0)
                operator.status = "busy" if rng.random() < 0.2 else "available"
                operator.chat_ends = sorted(
                    start + rng.uniform(20.0, 600.0) for _ in range(rng.randint(0, 2))
                )
            self._operators[email.lower()] = operator
        for department in self._departments.values():
            if department.online:
                count = self._poisson(department.arrivals_per_minute * 1.5)
                arrivals = sorted(start - rng.uniform(0.0, 90.0) for _ in range(count))
                department.waiting.extend(self._customer(arrived) for arrived in arrivals)

    def _tick(self, now: float) -> None:
        rng = self._rng
        for department in self._departments.values():
            if not department.flaps:
                continue
            if department.online and rng.random() < _P_DEPARTMENT_OFFLINE:
                department.online = False
                department.waiting.clear()
            elif not department.online and rng.random() < _P_DEPARTMENT_ONLINE:
                department.online = True

        for operator in self._operators.values():
            operator.chat_ends = [end for end in operator.chat_ends if end > now]
            if not operator.logged_in:
                if rng.random() < _P_LOGIN:
                    self._log_in(operator, now)
            elif not operator.chat_ends and rng.random() < _P_LOGOUT:
                self._log_out(operator)
            elif operator.status == "busy":
                if rng.random() < _P_AVAILABLE:
                    operator.status = "available"
            elif rng.random() < _P_BUSY:
                operator.status = "busy"

        for department in self._departments.values():
            if not department.online:
                continue
            count = self._poisson(department.arrivals_per_minute * TICK_SECONDS / 60.0)
            arrivals = sorted(now - rng.random() * TICK_SECONDS for _ in range(count))
            department.waiting.extend(self._customer(arrived) for arrived in arrivals)
            kept = [c for c in department.waiting if c.gives_up_at > now]
            if len(kept) != len(department.waiting):
                department.waiting = deque(kept)

        # Each operator accepts at most one new chat per tick, so a rush builds a queue.
        accepted: set[str] = set()
        for department in self._departments.values():
            while department.online and department.waiting:
                if department.waiting[0].ready_at > now:
                    break
                candidates = [
                    operator
                    for key, operator in self._operators.items()
                    if key not in accepted
                    and operator.logged_in
                    and operator.status == "available"
                    and department.id in operator.departments
                    and operator.chats < operator.capacity
                ]
                if not candidates:
                    break
                fewest = min(operator.chats for operator in candidates)
                chosen = rng.choice([o for o in candidates if o.chats == fewest])
                department.waiting.popleft()
                chosen.chat_ends.append(now + min(1800.0, 45.0 + rng.expovariate(1 / 200.0)))
                accepted.add(chosen.email.lower())

    def _customer(self, arrived: float) -> Customer:
        rng = self._rng
        return Customer(
            arrived=arrived,
            ready_at=arrived + rng.uniform(3.0, 40.0),
            gives_up_at=arrived + 60.0 + rng.expovariate(1 / 240.0),
        )

    @staticmethod
    def _log_in(operator: LiveGuideOperator, now: float) -> None:
        operator.logged_in = True
        operator.login_at = now
        operator.status = "available"

    @staticmethod
    def _log_out(operator: LiveGuideOperator) -> None:
        operator.logged_in = False
        operator.chat_ends = []

    def _set_chats(self, operator: LiveGuideOperator, chats: int) -> None:
        ends = sorted(operator.chat_ends)[:chats]
        # Chats added by hand end at fixed times, so setting them never draws from the scenario.
        ends.extend(self._now + 300.0 + 60.0 * index for index in range(chats - len(ends)))
        operator.chat_ends = ends


def _wants_xml(request: web.Request) -> bool:
    """Return whether ``format`` asks for XML; anything else, or nothing, means JSON."""
    return request.query.get("format", "json").strip().lower() == "xml"


def _figures(parent: ET.Element, inqueue: int, max_waiting: int) -> None:
    ET.SubElement(parent, "inqueue").text = str(inqueue)
    ET.SubElement(parent, "maxWaiting").text = str(max_waiting)


_SEED_LISTS = {"departments": "department", "operators": "operator"}
_SEED_NUMBERS = {"inqueue", "maxWaiting"}


def seed_data(element: ET.Element) -> Any:
    """Convert the status tree into the shape of the document's sample.

    Lists (``departments``, ``operators``, an operator's ``departments``) are JSON arrays that
    collapse to their single object when they hold one; queue figures are numbers and operator
    figures strings; attribute-only elements become their attributes.
    """
    children = list(element)
    item_tag = _SEED_LISTS.get(element.tag)
    if item_tag is not None and all(child.tag == item_tag for child in children):
        items = [seed_data(child) for child in children]
        return items[0] if len(items) == 1 else items
    if not children:
        if element.attrib:
            return dict(element.attrib)
        text = element.text or ""
        return int(text) if element.tag in _SEED_NUMBERS and text.isdigit() else text
    data: dict[str, Any] = {}
    if element.attrib:
        data["@attributes"] = dict(element.attrib)
    for child in children:
        data[child.tag] = seed_data(child)
    return data


SIMULATOR = LiveGuideSimulator
