"""ClairVista Live Expert Enterprise, faithful to the vendor's Web APIs Developer Guide 7.7.0.

Three OAuth clients with different scopes get tokens from ``POST /liveexpert/oauth/authorize``;
``GET /liveexpert/enterprise/ExpertAvailability`` answers for one expert or one category and
language; ``GET /dataexport/listFiles`` and ``GET|POST /liveexpert/enterprise/getFile`` serve the
nightly export ZIPs. Behind them ten experts serving three categories in two languages log in and
out, take calls and do after-call work, and customers queue per category and language. State
moves in fixed ticks of scenario time from the vendor's own ``random.Random``; exports are built
from a generator seeded by the day, so the same seed always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import io
import json
import random
import string
import time
from types import MappingProxyType
from typing import Any, ClassVar
import zipfile

from aiohttp import web

from ..vendor import TickedVendorSimulator

TOKEN_PATH = "/liveexpert/oauth/authorize"  # noqa: S105 - a path, not a secret
AVAILABILITY_PATH = "/liveexpert/enterprise/ExpertAvailability"
LIST_FILES_PATH = "/dataexport/listFiles"
GET_FILE_PATH = "/liveexpert/enterprise/getFile"
SCOPE_AVAILABILITY = "expertAvailabilityCheck"
SCOPE_EXPORT = "dataExport"
TOKEN_TYPE = "LEAccess"  # noqa: S105 - the token type the guide names
EXPORT_DAYS_KEPT = 60
DEFAULT_TOKEN_LIFETIME = 3600

# (client id, scopes): the first one is what ``python -m simulator`` tells people to use.
_CLIENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("homeassistant", (SCOPE_AVAILABILITY, SCOPE_EXPORT)),
    ("availability-only", (SCOPE_AVAILABILITY,)),
    ("export-only", (SCOPE_EXPORT,)),
)
CATEGORIES: Mapping[str, str] = MappingProxyType(
    {"12": "Tax advice", "14": "Legal help", "17": "Tech support"}
)
LANGUAGES: Mapping[str, str] = MappingProxyType({"1": "English", "2": "Spanish"})
# (expert id, (category, language) pairs served)
_EXPERTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("1001", (("12", "1"), ("12", "2"))),
    ("1002", (("12", "1"),)),
    ("1003", (("14", "1"), ("17", "1"))),
    ("1004", (("17", "1"), ("17", "2"))),
    ("1005", (("12", "2"), ("14", "2"))),
    ("1006", (("17", "1"),)),
    ("1007", (("14", "1"), ("14", "2"))),
    ("1008", (("12", "1"), ("17", "1"))),
    ("1009", (("17", "2"),)),
    ("1010", (("12", "1"), ("14", "1"), ("17", "1"))),
)
EXPORT_TYPES = ("sessions", "interactions", "session_events", "expert_status_changes")
_EXPORT_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sessions": (
            "sessionID",
            "categoryID",
            "languageID",
            "expertID",
            "startTime",
            "endTime",
            "queueSeconds",
        ),
        "interactions": ("interactionID", "sessionID", "channel", "startTime", "durationSeconds"),
        "session_events": ("sessionID", "eventTime", "eventType", "detail"),
        "expert_status_changes": ("expertID", "changeTime", "fromStatus", "toStatus"),
    }
)

# Chances per tick of 5 s.
_P_LOGIN = 1 / 120
_P_LOGOUT = 1 / 900
_P_UNAVAILABLE = 1 / 300
_P_BACK = 1 / 40
_ARRIVALS_PER_MINUTE = 0.4
_DIRECT_ARRIVALS_PER_MINUTE = 0.03

ExpertState = str
"""``offline``, ``available``, ``active`` (in a call or after-call work) or ``unavailable``."""
EXPERT_STATES = ("offline", "available", "active", "unavailable")


@dataclass(slots=True)
class LiveExpertClientAccount:
    """An OAuth client: its secret and the scopes its tokens carry."""

    client_id: str
    secret: str
    scopes: list[str]


@dataclass(slots=True)
class LiveExpertExpert:
    """An expert and the category/language pairs they serve."""

    id: str
    pairs: tuple[tuple[str, str], ...]
    state: ExpertState = "offline"
    busy_until: float = 0.0
    direct_queue: list[float] = field(default_factory=list)
    """Customers who asked for this expert by id (their give-up times)."""


class LiveExpertSimulator(TickedVendorSimulator):
    """The Live Expert vendor.

    Test controls act at the current scenario time; ``freeze()`` stops random movement.
    ``token_lifetime`` shortens new tokens (renewal tests); ``expire_tokens()`` ends every
    token now; ``fail_target`` makes one target answer an error body.
    """

    key: ClassVar[str] = "live_expert"
    title: ClassVar[str] = "Live Expert"
    position: ClassVar[int] = 4

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the fixed initial state for ``seed`` at the clock's current reading."""
        super().__init__(clock)
        self._seed = seed
        secret_rng = random.Random(f"live_expert:secrets:{seed}")  # noqa: S311 - not a secret
        alphabet = string.ascii_letters + string.digits
        self._clients: dict[str, LiveExpertClientAccount] = {
            client_id: LiveExpertClientAccount(
                client_id, "".join(secret_rng.choice(alphabet) for _ in range(40)), list(scopes)
            )
            for client_id, scopes in _CLIENTS
        }
        self._token_rng = random.Random(f"live_expert:tokens:{seed}")  # noqa: S311
        self._rng = random.Random(f"live_expert:scenario:{seed}")  # noqa: S311 - a simulation
        self.token_lifetime: int = DEFAULT_TOKEN_LIFETIME
        """Seconds a new token lives (``expires_in``)."""
        self.numbers_as_strings = False
        """Send the counters as strings ("3"), as some gateways re-encode them."""
        self._tokens: dict[str, tuple[str, float]] = {}
        self.tokens_issued = 0
        self._failing: dict[str, str] = {}
        self._reshaped: dict[str, Callable[[list[dict[str, Any]]], Any]] = {}
        self._exports: dict[date, dict[str, list[list[str]]] | None] = {}
        self._queues: dict[tuple[str, str], list[float]] = {
            (category, language): [] for category in CATEGORIES for language in LANGUAGES
        }
        self._experts: dict[str, LiveExpertExpert] = {
            expert_id: LiveExpertExpert(expert_id, pairs) for expert_id, pairs in _EXPERTS
        }
        self._populate()

    # --- state people and tests look at ---------------------------------------------------

    @property
    def client_id(self) -> str:
        """Return the id of the client with every scope."""
        return _CLIENTS[0][0]

    @property
    def client_secret(self) -> str:
        """Return the secret of the client with every scope."""
        return self._clients[self.client_id].secret

    @property
    def clients(self) -> Mapping[str, LiveExpertClientAccount]:
        """Return every OAuth client by id."""
        return MappingProxyType(self._clients)

    @property
    def experts(self) -> Mapping[str, LiveExpertExpert]:
        """Return every expert by id."""
        return MappingProxyType(self._experts)

    def figures(self, target: Mapping[str, str]) -> dict[str, int]:
        """Return the four counters of a target (``expertID``, or category and language)."""
        self._sync()
        return self._figures(target)

    # --- test controls --------------------------------------------------------------------

    def set_secret(self, client_id: str, secret: str) -> None:
        """Give a client a new secret, as ClairVista does after a leak; its tokens end."""
        if not secret:
            raise ValueError("the secret cannot be empty")
        self._clients[client_id].secret = secret
        self._tokens = {k: v for k, v in self._tokens.items() if v[0] != client_id}

    def set_scopes(self, client_id: str, scopes: list[str]) -> None:
        """Change what a client's new tokens may use (tokens already issued follow too)."""
        self._clients[client_id].scopes = list(scopes)

    def expire_tokens(self) -> None:
        """End every token now, as a server restart would."""
        self._tokens.clear()

    def set_expert(self, expert_id: str, state: ExpertState) -> None:
        """Put an expert in a state; ``active`` lasts until changed while frozen."""
        self._sync()
        if state not in EXPERT_STATES:
            raise ValueError(f"unknown state {state!r}")
        expert = self._experts[expert_id]
        expert.state = state
        expert.busy_until = self._now + 3600.0 if state == "active" else 0.0

    def set_queue(self, category_id: str, language_id: str, count: int) -> None:
        """Replace a category/language queue with ``count`` customers."""
        self._sync()
        if count < 0:
            raise ValueError("count cannot be negative")
        self._queues[(category_id, language_id)] = [self._now + 600.0] * count

    def set_direct_queue(self, expert_id: str, count: int) -> None:
        """Replace the queue of customers who asked for one expert."""
        self._sync()
        self._experts[expert_id].direct_queue = [self._now + 600.0] * count

    def fail_target(self, key: str, message: str | None) -> None:
        """Make a target (an expert id, or ``category:language``) answer an error; None heals."""
        if message is None:
            self._failing.pop(key, None)
        else:
            self._failing[key] = message

    def reshape_target(
        self, key: str, reshape: Callable[[list[dict[str, Any]]], Any] | None
    ) -> None:
        """Turn one target's answer (its list of results) into another; None heals (tests).

        ``bytes`` are sent as they are, anything else as JSON.
        """
        if reshape is None:
            self._reshaped.pop(key, None)
        else:
            self._reshaped[key] = reshape

    def set_export(self, day: date, tables: Mapping[str, list[list[str]]] | None) -> None:
        """Replace a day's export: data rows per type (types without rows are left out)."""
        self._exports[day] = None if tables is None else {k: list(v) for k, v in tables.items()}

    # --- VendorSimulator ------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """Return the client with every scope and targets worth following."""
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "expert_ids": "1001,1003,1004",
            "category_languages": "12:1,12:2,17:1",
        }

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add the token, availability and export routes."""
        router.add_post(TOKEN_PATH, self._handle_token)
        router.add_get(AVAILABILITY_PATH, self._handle_availability, allow_head=False)
        router.add_get(LIST_FILES_PATH, self._handle_list_files, allow_head=False)
        router.add_get(GET_FILE_PATH, self._handle_get_file, allow_head=False)
        router.add_post(GET_FILE_PATH, self._handle_get_file)

    def summary(self) -> dict[str, Any]:
        """Return expert states, queues and token settings."""
        states = [expert.state for expert in self._experts.values()]
        return {
            "experts": {state: states.count(state) for state in EXPERT_STATES},
            "queues": {f"{c}:{lang}": len(q) for (c, lang), q in self._queues.items()},
            "tokens": len(self._tokens),
            "token_lifetime": self.token_lifetime,
            "exports": len(self.export_days()),
            "frozen": self._frozen,
        }

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer as for a refused client (token endpoint) or a refused token (everything else)."""
        if request.path == TOKEN_PATH:
            return _json(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status=401,
            )
        return _error("Invalid or expired access token", status=401)

    # --- exports --------------------------------------------------------------------------

    def export_days(self) -> list[date]:
        """Return the days with an export file, oldest first (the last 60 days before today)."""
        today = datetime.fromtimestamp(self._now, UTC).date()
        days = [today - timedelta(days=back) for back in range(EXPORT_DAYS_KEPT, 0, -1)]
        return [day for day in days if self.export_tables(day)]

    def export_tables(self, day: date) -> dict[str, list[list[str]]]:
        """Return a day's data rows per type; empty when the day has nothing."""
        if day in self._exports:
            return dict(self._exports[day] or {})
        if day.weekday() >= 5:  # the guide's example of a day without content: a weekend
            return {}
        rng = random.Random(f"live_expert:export:{self._seed}:{day.isoformat()}")  # noqa: S311
        base = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        sessions: list[list[str]] = []
        interactions: list[list[str]] = []
        events: list[list[str]] = []
        for index in range(rng.randint(3, 12)):
            session_id = f"{day:%Y%m%d}{index:04d}"
            start = base + timedelta(minutes=rng.randint(0, 600))
            length = rng.randint(60, 1800)
            expert_id, pairs = rng.choice(_EXPERTS)
            category, language = rng.choice(pairs)
            sessions.append(
                [
                    session_id,
                    category,
                    language,
                    expert_id,
                    start.isoformat(),
                    (start + timedelta(seconds=length)).isoformat(),
                    str(rng.randint(0, 240)),
                ]
            )
            events.append([session_id, start.isoformat(), "connected", ""])
            if rng.random() < 0.3:
                events.append([session_id, start.isoformat(), "note", 'said "hello, again"'])
            if rng.random() < 0.6:
                interactions.append(
                    [
                        f"I{session_id}",
                        session_id,
                        rng.choice(("voice", "chat")),
                        start.isoformat(),
                        str(length),
                    ]
                )
        changes = [
            [expert_id, (base + timedelta(minutes=rng.randint(0, 600))).isoformat(), old, new]
            for expert_id, _ in _EXPERTS
            if rng.random() < 0.5
            for old, new in (("offline", "available"),)
        ]
        # Quiet days: nobody changed status, or no session had a recorded interaction.
        if rng.random() < 0.2:
            interactions = []
        if rng.random() < 0.2:
            changes = []
        tables = {
            "sessions": sessions,
            "interactions": interactions,
            "session_events": events,
            "expert_status_changes": changes,
        }
        return {name: rows for name, rows in tables.items() if rows}

    def export_zip(self, day: date) -> bytes | None:
        """Return a day's ZIP (the same bytes every time), or ``None`` when it has nothing."""
        tables = self.export_tables(day)
        if not tables:
            return None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in EXPORT_TYPES:
                rows = tables.get(name)
                if not rows:
                    continue
                text = io.StringIO()
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(_EXPORT_COLUMNS[name])
                writer.writerows(rows)
                info = zipfile.ZipInfo(
                    f"{name}.{day.isoformat()}.csv",
                    date_time=(day.year, day.month, day.day, 1, 30, 0),
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.getvalue().encode())
        return buffer.getvalue()

    # --- handlers -------------------------------------------------------------------------

    async def _handle_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return _json(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "Only client_credentials is supported",
                },
                status=400,
            )
        client = self._clients.get(str(form.get("client_id", "")))
        if client is None or form.get("client_secret") != client.secret:
            return self.bad_credentials_response(request)
        token = "".join(
            self._token_rng.choice(string.ascii_letters + string.digits) for _ in range(32)
        )
        self._tokens[token] = (client.client_id, self._now + self.token_lifetime)
        self.tokens_issued += 1
        return _json(
            {
                "token_type": TOKEN_TYPE,
                "access_token": token,
                "scope": ";".join(client.scopes),
                "expires_in": self.token_lifetime,
            }
        )

    def _authorize(self, request: web.Request, scope: str) -> web.Response | None:
        """Return the refusal for a missing, unknown, expired or too narrow token, or None."""
        kind, _, token = request.headers.get("Authorization", "").partition(" ")
        entry = self._tokens.get(token) if kind == TOKEN_TYPE else None
        if entry is None:
            return self.bad_credentials_response(request)
        client_id, expires_at = entry
        if self._now >= expires_at:
            del self._tokens[token]
            return _error("Access token expired", status=401)
        if scope not in self._clients[client_id].scopes:
            return _error(f"Access to this interface requires the scope {scope}", status=403)
        return None

    async def _handle_availability(self, request: web.Request) -> web.Response:
        refusal = self._authorize(request, SCOPE_AVAILABILITY)
        if refusal is not None:
            return refusal
        query = request.query
        expert_id = query.get("expertID")
        category_id = query.get("categoryID")
        language_id = query.get("languageID")
        if expert_id:
            target = {"expertID": expert_id}
            if expert_id not in self._experts:
                return _error(f"Unknown expert: {expert_id}", status=400)
            key = expert_id
        elif category_id and language_id:
            target = {"categoryID": category_id, "languageID": language_id}
            if (category_id, language_id) not in self._queues:
                return _error(
                    f"Unknown category {category_id} or language {language_id}", status=400
                )
            key = f"{category_id}:{language_id}"
        elif category_id:
            return _error("languageID must be specified with categoryID", status=400)
        else:
            return _error("Either expertID or categoryID and languageID are required", status=400)
        if key in self._failing:
            return _json({"success": False, "errorMessage": self._failing[key]})
        figures: dict[str, Any] = dict(self._figures(target))
        if self.numbers_as_strings:
            figures = {name: str(value) for name, value in figures.items()}
        result = {
            "expertID": _id(target.get("expertID")),
            "categoryID": _id(target.get("categoryID")),
            "languageID": _id(target.get("languageID")),
            **figures,
        }
        reshape = self._reshaped.get(key)
        if reshape is None:
            return _json([result])
        reshaped = reshape([result])
        if isinstance(reshaped, bytes):
            return web.Response(body=reshaped, content_type="application/json")
        return _json(reshaped)

    async def _handle_list_files(self, request: web.Request) -> web.Response:
        refusal = self._authorize(request, SCOPE_EXPORT)
        if refusal is not None:
            return refusal
        names = "".join(f"summary.{day.isoformat()}.zip\n" for day in self.export_days())
        return web.Response(body=names.encode(), content_type="text/plain", charset="utf-8")

    async def _handle_get_file(self, request: web.Request) -> web.Response:
        refusal = self._authorize(request, SCOPE_EXPORT)
        if refusal is not None:
            return refusal
        raw = request.query.get("date")
        if raw is None and request.method == "POST":
            raw = str((await request.post()).get("date", "")) or None
        if raw is None:
            return _error("The date parameter is required", status=400)
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return _error(f"Invalid date: {raw} (expected YYYY-MM-DD)", status=400)
        today = datetime.fromtimestamp(self._now, UTC).date()
        content = (
            self.export_zip(day)
            if today - timedelta(days=EXPORT_DAYS_KEPT) <= day < today
            else None
        )
        if content is None:
            return web.Response(status=204)
        return web.Response(
            body=content,
            headers={
                "Content-Type": "application/zip;charset=UTF-8",
                "Content-Disposition": f'attachment; filename="summary.{day.isoformat()}.zip"',
            },
        )

    # --- the scenario ---------------------------------------------------------------------

    def _figures(self, target: Mapping[str, str]) -> dict[str, int]:
        expert_id = target.get("expertID")
        if expert_id:
            expert = self._experts[expert_id]
            return {
                "loggedInExperts": int(expert.state != "offline"),
                "activeExperts": int(expert.state == "active"),
                "availableExperts": int(expert.state == "available"),
                "queueLength": len(expert.direct_queue),
            }
        pair = (target["categoryID"], target["languageID"])
        serving = [e for e in self._experts.values() if pair in e.pairs]
        return {
            "loggedInExperts": sum(e.state != "offline" for e in serving),
            "activeExperts": sum(e.state == "active" for e in serving),
            "availableExperts": sum(e.state == "available" for e in serving),
            "queueLength": len(self._queues[pair]),
        }

    def _populate(self) -> None:
        rng = self._rng
        for expert in self._experts.values():
            roll = rng.random()
            if roll < 0.2:
                expert.state = "offline"
            elif roll < 0.55:
                expert.state = "available"
            elif roll < 0.9:
                expert.state = "active"
                expert.busy_until = self._start + rng.uniform(30.0, 900.0)
            else:
                expert.state = "unavailable"
        for pair in self._queues:
            self._queues[pair] = [
                self._start + rng.uniform(60.0, 300.0) for _ in range(rng.randint(0, 2))
            ]

    def _tick(self, now: float) -> None:
        rng = self._rng
        for expert in self._experts.values():
            if expert.state == "offline":
                if rng.random() < _P_LOGIN:
                    expert.state = "available"
            elif expert.state == "active":
                if now >= expert.busy_until:
                    expert.state = "available"
            elif expert.state == "unavailable":
                if rng.random() < _P_BACK:
                    expert.state = "available"
            elif rng.random() < _P_LOGOUT:
                expert.state = "offline"
            elif rng.random() < _P_UNAVAILABLE:
                expert.state = "unavailable"
            expert.direct_queue = [gives_up for gives_up in expert.direct_queue if gives_up > now]
            if rng.random() < _DIRECT_ARRIVALS_PER_MINUTE * self.tick_seconds / 60.0:
                expert.direct_queue.append(now + rng.uniform(60.0, 300.0))
        for pair, queue in self._queues.items():
            kept = [gives_up for gives_up in queue if gives_up > now]
            if rng.random() < _ARRIVALS_PER_MINUTE * self.tick_seconds / 60.0:
                kept.append(now + rng.uniform(60.0, 300.0))
            self._queues[pair] = kept
        for expert in self._experts.values():
            if expert.state != "available":
                continue
            if expert.direct_queue:
                expert.direct_queue.pop(0)
            else:
                waiting = [pair for pair in expert.pairs if self._queues[pair]]
                if not waiting:
                    continue
                self._queues[rng.choice(waiting)].pop(0)
            expert.state = "active"
            expert.busy_until = now + 60.0 + rng.expovariate(1 / 240.0)


def _id(value: str | None) -> int | str | None:
    """Return an id as the server's JSON has it: numbers for numeric ids."""
    if value is None:
        return None
    return int(value) if value.isdecimal() else value


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(data).encode(), content_type="application/json"
    )


def _error(message: str, status: int) -> web.Response:
    return _json({"success": False, "errorMessage": message}, status=status)


SIMULATOR = LiveExpertSimulator
