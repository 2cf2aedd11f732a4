"""Bright Pattern Contact Center Real-Time Statistics API (``/statsapi``), after its document.

A small call centre moves behind one tenant: three services with calls arriving, waiting, being
answered or abandoned, and seven agents moving between Ready, Busy, Not Ready (with a reason),
After Call Work and Logged Out. Supervisors now and then post an internal chat message.

What the API does that clients must cope with:
- two ways to sign in: OAuth client credentials (``/configapi/v2/oauth/token``, Bearer tokens
  that expire) and the legacy ``/statsapi/auth`` login with session cookies (one session per
  user: a new login ends the previous one); ``server_version`` 5.36 refuses the legacy login
  with 403 ``{"error": "illegal login attempt"}``;
- one subscription per session; a tenant-wide limit answers 409; a new subscription answers 204
  to its first ``not_ready_polls`` reads; a subscription nobody reads for
  ``subscription_idle_seconds`` expires (404), and ``expire_subscriptions()`` ends them at once;
- every value is a string, an empty string when there is none.
State moves in fixed ticks of scenario time from the vendor's own ``random.Random``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import json
import math
import random
import string
import time
from typing import Any, ClassVar, Literal

from aiohttp import web

from ..vendor import TickedVendorSimulator

TOKEN_PATH = "/configapi/v2/oauth/token"  # noqa: S105 - a path, not a secret
AUTH_PATH = "/statsapi/auth"
SUBSCRIPTION_PATH = "/statsapi/subscription"
ACTIVE_SUBSCRIPTION_PATH = "/statsapi/subscription/active"
DATA_PATH = "/statsapi/subscription/data"
DISPOSITIONS_PATH = "/statsapi/cfg/dispositions"
TEAMS_PATH = "/statsapi/cfg/teams"

COOKIE_TOKEN = "X-STATSAPI-TOKEN"  # noqa: S105 - a cookie's name
COOKIE_TENANT = "X-STATSAPI-TENANT"
COOKIE_LOGIN = "X-STATSAPI-LOGIN"
LEGACY_REFUSAL = {"error": "illegal login attempt"}
SERVICE_LEVEL_TARGET = 20.0
"""Seconds within which an answered call counts towards the service level."""

DurationStyle = Literal["seconds", "hms"]
DispositionStyle = Literal["list", "wrapped"]

# (name, calls per minute): about half of the agents' time, so some are Ready most of the time.
_SERVICES: tuple[tuple[str, float], ...] = (("Sales", 0.5), ("Support", 0.7), ("Billing", 0.3))
# (login id, first name, last name, team, services)
_AGENTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("asmith", "Alice", "Smith", "Front Office", ("Sales", "Support")),
    ("bjones", "Bob", "Jones", "Front Office", ("Sales",)),
    ("cgarcia", "Carla", "García", "Care", ("Support",)),
    ("dkim", "Daniel", "Kim", "Care", ("Support", "Billing")),
    ("emueller", "Eva", "Müller", "Care", ("Billing",)),
    ("fnguyen", "Felix", "Nguyen", "Front Office", ("Sales", "Billing")),
    ("grossi", "Giulia", "Rossi", "Care", ("Support",)),
)
_REASONS = ("Break", "Lunch", "Meeting", "Training")
_DISPOSITIONS = ("Resolved", "Callback requested", "Escalated", "Wrong number", "Sale")
_SUPERVISORS = (("jlee", "Jordan", "Lee"), ("mbrown", "Morgan", "Brown"))
_CHAT_LINES = (
    "Queue is building up in Support, please finish wrap-up quickly.",
    "Team meeting at 15:00 in room 2.",
    "System maintenance tonight at 22:00.",
    "Great job on the service level this morning!",
    "Please log your breaks with a reason.",
)

# Chances per tick of 5 s.
_P_LOGIN = 1 / 120
_P_LOGOUT = 1 / 1500
_P_NOT_READY = 1 / 200
_P_BACK_READY = 1 / 60
_P_CHAT = 1 / 120
_P_URGENT = 0.25


@dataclass(slots=True)
class BrightPatternCall:
    """A caller waiting in a service's queue."""

    arrived: float
    gives_up_at: float


@dataclass(slots=True)
class BrightPatternService:
    """A service with its queue and today's counters."""

    name: str
    calls_per_minute: float
    waiting: list[BrightPatternCall] = field(default_factory=list)
    received: int = 0
    answered: int = 0
    answered_in_target: int = 0
    abandoned: int = 0


@dataclass(slots=True)
class BrightPatternAgent:
    """An agent of the tenant; ``state`` is the ACD state as Bright Pattern names it."""

    login_id: str
    first_name: str
    last_name: str
    team: str
    services: tuple[str, ...]
    state: str = "Logged Out"
    reason: str = ""
    state_since: float = 0.0
    call_ends: float = 0.0
    """When a Busy agent's call ends (then After Call Work)."""


@dataclass(slots=True)
class BrightPatternSession:
    """A signed-in client: a Bearer token or a legacy cookie session."""

    username: str
    kind: Literal["oauth", "legacy"]
    expires_at: float = math.inf


@dataclass(slots=True)
class BrightPatternSubscription:
    """The active subscription of one session."""

    app_id: str
    definition: dict[str, Any]
    created_at: float
    last_read: float
    reads: int = 0


@dataclass(slots=True)
class BrightPatternMessage:
    """An internal chat message to supervisors."""

    id: str
    login_id: str
    first_name: str
    last_name: str
    send_time: float
    urgent: bool
    content: str


class BrightPatternSimulator(TickedVendorSimulator):
    """The Bright Pattern vendor: OAuth or legacy sign-in, one subscription per session."""

    key: ClassVar[str] = "bright_pattern"
    title: ClassVar[str] = "Bright Pattern"
    position: ClassVar[int] = 5

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the fixed initial state for ``seed`` at the clock's current reading."""
        super().__init__(clock)
        secrets_rng = random.Random(f"bright_pattern:secrets:{seed}")  # noqa: S311 - a simulation
        alphabet = string.ascii_letters + string.digits
        self.username = "supervisor"
        self.password = "".join(secrets_rng.choice(alphabet) for _ in range(16))
        """The user's password, for the legacy login."""
        self.api_secret = "".join(secrets_rng.choice(alphabet) for _ in range(40))
        """The API secret made on the user's page, for OAuth."""
        self.tenant: str | None = None
        """The tenant's host name; ``None`` accepts the host the request was sent to."""
        self.server_version = "5.35"
        """From 5.36 on the legacy login is refused."""
        self.token_lifetime = 3600
        self.subscription_limit = 5
        """Active subscriptions the tenant allows; one more answers 409."""
        self.not_ready_polls = 2
        """Reads of a new subscription answered 204 (data not ready yet)."""
        self.subscription_idle_seconds = 300.0
        """A subscription nobody reads for this long expires (404)."""
        self.duration_style: DurationStyle = "hms"
        self.disposition_style: DispositionStyle = "wrapped"
        self.column_key = "stat_name"
        """The column key the server understands (very old servers: ``statName``)."""
        self._rng = random.Random(f"bright_pattern:scenario:{seed}")  # noqa: S311 - a simulation
        self._token_rng = random.Random(f"bright_pattern:tokens:{seed}")  # noqa: S311
        self._sessions: dict[str, BrightPatternSession] = {}
        self._legacy_session_of: dict[str, str] = {}
        self._subscriptions: dict[str, BrightPatternSubscription] = {}
        self.deleted_subscriptions = 0
        """How many subscriptions clients deleted (``DELETE .../active``)."""
        self.reshape_data: Callable[[dict[str, Any]], Any] | None = None
        """Tests: turn each data answer (as sent, keyed by app id) into another; ``bytes`` are
        sent as they are, anything else as JSON. ``None`` sends the normal answer."""
        self.lose_subscriptions = False
        """Tests: the data answers 404 even for a subscription just made, which still counts
        against ``subscription_limit`` (a server bug the client must not answer with a storm)."""
        self._services: dict[str, BrightPatternService] = {}
        self._agents: dict[str, BrightPatternAgent] = {}
        self._messages: list[BrightPatternMessage] = []
        self._next_message = 1
        self._populate()

    # --- state people and tests look at ---------------------------------------------------

    @property
    def services(self) -> Mapping[str, BrightPatternService]:
        """Return the services by name."""
        return self._services

    @property
    def agents(self) -> Mapping[str, BrightPatternAgent]:
        """Return every agent by login id, logged out ones included."""
        return self._agents

    @property
    def messages(self) -> list[BrightPatternMessage]:
        """Return the chat messages, oldest first."""
        return self._messages

    @property
    def subscriptions(self) -> Mapping[str, BrightPatternSubscription]:
        """Return the active subscriptions by session token."""
        return self._subscriptions

    @property
    def sessions(self) -> Mapping[str, BrightPatternSession]:
        """Return the signed-in sessions by token."""
        return self._sessions

    # --- test controls --------------------------------------------------------------------

    def set_agent(self, login_id: str, state: str, reason: str = "", *, ago: float = 0.0) -> None:
        """Put an agent in ``state`` (``reason`` for Not Ready) since ``ago`` seconds."""
        self._sync()
        agent = self._agents[login_id]
        agent.state = state
        agent.reason = reason
        agent.state_since = self._now - ago
        agent.call_ends = self._now + 600.0

    def add_agent(self, login_id: str, first: str, last: str, team: str = "Care") -> None:
        """Add an agent, Ready now."""
        self._sync()
        self._agents[login_id] = BrightPatternAgent(
            login_id, first, last, team, ("Support",), "Ready", "", self._now
        )

    def remove_agent(self, login_id: str) -> None:
        """Take an agent off the supervised teams: they leave the agent grid."""
        self._sync()
        del self._agents[login_id]

    def set_waiting(self, service: str, count: int, max_wait_seconds: int) -> None:
        """Replace a service's queue: ``count`` callers, the oldest ``max_wait_seconds`` old."""
        self._sync()
        queue = self._services[service]
        queue.waiting = [
            BrightPatternCall(
                self._now - max_wait_seconds * ((count - 1 - i) / (count - 1) if count > 1 else 1),
                self._now + 3600.0,
            )
            for i in range(count)
        ]

    def post_message(self, content: str, *, urgent: bool = False, sender: int = 0) -> str:
        """Post a supervisor chat message now; returns its id."""
        self._sync()
        return self._post(
            self._now, content, urgent=urgent, sender=_SUPERVISORS[sender % len(_SUPERVISORS)]
        )

    def expire_subscriptions(self) -> None:
        """End every active subscription, as the server does when they are not read."""
        self._subscriptions.clear()

    def revoke_sessions(self) -> None:
        """End every session (tokens and cookies), as a server restart does."""
        self._sessions.clear()
        self._legacy_session_of.clear()

    # --- VendorSimulator ------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """Return the user and both secrets (API secret for OAuth, password for legacy)."""
        return {
            "username": self.username,
            "api_secret": self.api_secret,
            "password": self.password,
        }

    def config_forms(self, base_url: str) -> list[dict[str, str]]:
        """Return the form for OAuth with the API secret, and the legacy login's password."""
        return [
            {
                "url": base_url,
                "username": self.username,
                "password": self.api_secret,
                "auth_method": "oauth",
            },
            {"password": self.password, "auth_method": "legacy"},
        ]

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add the token, auth, subscription, data and configuration routes."""
        router.add_post(TOKEN_PATH, self._handle_token)
        router.add_post(AUTH_PATH, self._handle_auth)
        router.add_post(SUBSCRIPTION_PATH, self._handle_subscribe)
        router.add_delete(ACTIVE_SUBSCRIPTION_PATH, self._handle_delete)
        router.add_get(DATA_PATH, self._handle_data, allow_head=False)
        router.add_get(DISPOSITIONS_PATH, self._handle_dispositions, allow_head=False)
        router.add_get(TEAMS_PATH, self._handle_teams, allow_head=False)

    def summary(self) -> dict[str, Any]:
        """Return queue, agent, session and subscription counts."""
        return {
            "waiting": sum(len(s.waiting) for s in self._services.values()),
            "agents": {a.login_id: a.state for a in self._agents.values()},
            "messages": len(self._messages),
            "sessions": len(self._sessions),
            "subscriptions": len(self._subscriptions),
            "server_version": self.server_version,
            "frozen": self._frozen,
        }

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer as for a wrong secret, password or an ended session."""
        if request.path == TOKEN_PATH:
            return _json(
                {"error": "invalid_client", "error_description": "Bad client credentials"}, 401
            )
        return web.Response(status=401, body=b"", content_type="application/json")

    # --- sign-in --------------------------------------------------------------------------

    def _tenant_ok(self, request: web.Request, tenant: str) -> bool:
        expected = self.tenant or (request.url.host or "")
        return tenant.strip().lower() == expected.lower()

    def _new_token(self) -> str:
        alphabet = string.ascii_letters + string.digits
        return "".join(self._token_rng.choice(alphabet) for _ in range(48))

    async def _handle_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type"}, 400)
        if (
            form.get("client_id") != self.username
            or form.get("client_secret") != self.api_secret
            or not self._tenant_ok(request, str(form.get("scope", "")))
        ):
            return self.bad_credentials_response(request)
        token = self._new_token()
        self._sessions[token] = BrightPatternSession(
            self.username, "oauth", self._now + self.token_lifetime
        )
        return _json(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": str(self.token_lifetime),
                "scope": str(form.get("scope")),
            }
        )

    async def _handle_auth(self, request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.read())
        except ValueError:
            return _json({"error_code": 1, "error_message": "Bad request"}, 400)
        if not isinstance(body, dict):
            return _json({"error_code": 1, "error_message": "Bad request"}, 400)
        if _version(self.server_version) >= (5, 36):
            return _json(LEGACY_REFUSAL, 403)
        if (
            body.get("username") != self.username
            or body.get("password") != self.password
            or not self._tenant_ok(request, str(body.get("tenant_url", "")))
        ):
            return web.Response(status=401, body=b"", content_type="application/json")
        # One cookie session per user: a new login ends the previous one.
        previous = self._legacy_session_of.pop(self.username, None)
        if previous is not None:
            self._sessions.pop(previous, None)
            self._subscriptions.pop(previous, None)
        token = self._new_token()
        self._sessions[token] = BrightPatternSession(self.username, "legacy")
        self._legacy_session_of[self.username] = token
        response = _json(
            {
                "token": token,
                "privileges": ["ACCESS_REALTIME_STATS_API", "VIEW_AGENT_METRICS"],
                "user_id": f"user-{self.username}",
            }
        )
        tenant = str(body.get("tenant_url"))
        for name, value in (
            (COOKIE_TOKEN, token),
            (COOKIE_TENANT, tenant),
            (COOKIE_LOGIN, self.username),
        ):
            response.set_cookie(name, value, path="/statsapi", httponly=True)
        return response

    def _session(self, request: web.Request) -> str | None:
        """Return the session token of a request (Bearer or cookie) if it is still valid."""
        authorization = request.headers.get("Authorization", "")
        token = authorization[7:] if authorization.startswith("Bearer ") else None
        if token is None:
            token = request.cookies.get(COOKIE_TOKEN)
        if token is None:
            return None
        session = self._sessions.get(token)
        if session is None:
            return None
        if session.expires_at <= self._now:
            del self._sessions[token]
            self._subscriptions.pop(token, None)
            return None
        return token

    # --- subscriptions --------------------------------------------------------------------

    def _expire_idle(self) -> None:
        for token, subscription in list(self._subscriptions.items()):
            if self._now - subscription.last_read > self.subscription_idle_seconds:
                del self._subscriptions[token]

    async def _handle_subscribe(self, request: web.Request) -> web.Response:
        token = self._session(request)
        if token is None:
            return self.bad_credentials_response(request)
        try:
            body = json.loads(await request.read())
        except ValueError:
            body = None
        if not isinstance(body, dict) or len(body) != 1:
            return _json({"error_code": 400, "error_message": "Invalid subscription"}, 400)
        app_id, definition = next(iter(body.items()))
        if not isinstance(definition, dict) or not self._columns_ok(definition):
            return _json({"error_code": 400, "error_message": "Invalid subscription"}, 400)
        self._expire_idle()
        others = [key for key in self._subscriptions if key != token]
        if len(others) >= self.subscription_limit:
            return _json(
                {"error_code": 409, "error_message": "Limit of active subscriptions exceeded"},
                409,
            )
        self._subscriptions[token] = BrightPatternSubscription(
            str(app_id), definition, self._now, self._now
        )
        return web.Response(status=200, body=b"", content_type="application/json")

    def _columns_ok(self, definition: dict[str, Any]) -> bool:
        for kind in ("service_grids", "agent_grids"):
            grids = definition.get(kind, [])
            if not isinstance(grids, list):
                return False
            for grid in grids:
                if not isinstance(grid, dict) or not isinstance(grid.get("columns"), list):
                    return False
                for column in grid["columns"]:
                    if not isinstance(column, dict) or self.column_key not in column:
                        return False
        return True

    async def _handle_delete(self, request: web.Request) -> web.Response:
        token = self._session(request)
        if token is None:
            return self.bad_credentials_response(request)
        if self._subscriptions.pop(token, None) is not None:
            self.deleted_subscriptions += 1
        return web.Response(status=200, body=b"", content_type="application/json")

    async def _handle_data(self, request: web.Request) -> web.Response:
        token = self._session(request)
        if token is None:
            return self.bad_credentials_response(request)
        self._expire_idle()
        subscription = self._subscriptions.get(token)
        if subscription is None or self.lose_subscriptions:
            return _json(
                {"error_code": 404, "error_message": "There is no active subscription"}, 404
            )
        subscription.last_read = self._now
        subscription.reads += 1
        if subscription.reads <= self.not_ready_polls:
            return web.Response(status=204)
        data: Any = {subscription.app_id: self.render(subscription.definition)}
        if self.reshape_data is not None:
            data = self.reshape_data(data)
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return web.Response(body=body, content_type="application/json")

    async def _handle_dispositions(self, request: web.Request) -> web.Response:
        if self._session(request) is None:
            return self.bad_credentials_response(request)
        names = list(_DISPOSITIONS)
        return _json({"dispositions": names} if self.disposition_style == "wrapped" else names)

    async def _handle_teams(self, request: web.Request) -> web.Response:
        if self._session(request) is None:
            return self.bad_credentials_response(request)
        teams = sorted({agent.team for agent in self._agents.values()})
        return _json([{"id": f"team-{i}", "name": name} for i, name in enumerate(teams)])

    # --- the answer -----------------------------------------------------------------------

    def render(self, definition: Mapping[str, Any]) -> dict[str, Any]:
        """Return the data for a subscription definition; every value is a string."""
        totals = self.totals()
        data: dict[str, Any] = {
            "stats_totals": {
                str(name): totals.get(str(name), "") for name in definition.get("stats_totals", [])
            },
            "service_grids": [
                {
                    "id": grid.get("id"),
                    "values": [
                        self._row(grid, self.service_stats(service))
                        for service in self._services.values()
                    ],
                }
                for grid in definition.get("service_grids", [])
            ],
            "agent_grids": [
                {
                    "id": grid.get("id"),
                    "values": [
                        self._row(grid, self.agent_stats(agent)) for agent in self._agents.values()
                    ],
                }
                for grid in definition.get("agent_grids", [])
            ],
        }
        chat = definition.get("chat_messages")
        if isinstance(chat, dict):
            limit = (
                int(str(chat.get("limit") or "20")) if str(chat.get("limit", "")).isdigit() else 20
            )
            text_filter = str(chat.get("filter") or "")
            chosen = [m for m in self._messages if text_filter in m.content][-limit:]
            data["chat_messages"] = [
                {
                    "id": message.id,
                    "login_id": message.login_id,
                    "first_name": message.first_name,
                    "last_name": message.last_name,
                    "send_time": str(int(message.send_time)),
                    "is_urgent": "1" if message.urgent else "0",
                    "content": message.content,
                }
                for message in reversed(chosen)
            ]
        return data

    def _row(self, grid: Mapping[str, Any], stats: Mapping[str, str]) -> dict[str, str]:
        return {
            str(column.get("id")): stats.get(str(column.get(self.column_key)), "")
            for column in grid.get("columns", [])
            if isinstance(column, dict)
        }

    def _duration(self, seconds: float) -> str:
        whole = max(0, math.floor(seconds + 1e-6))
        if self.duration_style == "seconds":
            return str(whole)
        return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"

    def _logged_in(self, agent: BrightPatternAgent) -> bool:
        return agent.state != "Logged Out"

    def totals(self) -> dict[str, str]:
        """Return the tenant's totals by statistic name."""
        services = list(self._services.values())
        waiting = [call for service in services for call in service.waiting]
        answered = sum(s.answered for s in services)
        in_target = sum(s.answered_in_target for s in services)
        logged = [a for a in self._agents.values() if self._logged_in(a)]
        return {
            "in_calls_waiting": str(len(waiting)),
            "in_max_wait_time": self._duration(
                max((self._now - call.arrived for call in waiting), default=0)
            ),
            "service_level": f"{100 * in_target / answered:.1f}" if answered else "",
            "service_level_threshold_time": str(int(SERVICE_LEVEL_TARGET)),
            "in_calls_received_per_day": str(sum(s.received for s in services)),
            "in_calls_queued_per_day": str(sum(s.received for s in services)),
            "in_calls_abandoned_in_queue_per_day": str(sum(s.abandoned for s in services)),
            "out_calls_answered_per_day": "0",
            "agents_logged": str(len(logged)),
            "agents_ready": str(sum(a.state == "Ready" for a in logged)),
        }

    def service_stats(self, service: BrightPatternService) -> dict[str, str]:
        """Return one service's row by statistic name."""
        members = [
            a for a in self._agents.values() if service.name in a.services and self._logged_in(a)
        ]
        received = service.received
        return {
            "name": service.name,
            "in_calls_waiting": str(len(service.waiting)),
            "in_max_wait_time": self._duration(
                max((self._now - call.arrived for call in service.waiting), default=0)
            ),
            "service_level": (
                f"{100 * service.answered_in_target / service.answered:.1f}"
                if service.answered
                else ""
            ),
            "service_level_target": "80",
            "agents_logged": str(len(members)),
            "agents_ready": str(sum(a.state == "Ready" for a in members)),
            "agents_busy": str(sum(a.state == "Busy" for a in members)),
            "in_calls_received_per_day": str(received),
            "in_calls_abandoned_total_per_day": str(service.abandoned),
            "in_calls_abandoned_percent_per_day": (
                f"{100 * service.abandoned / received:.1f}" if received else ""
            ),
        }

    def agent_stats(self, agent: BrightPatternAgent) -> dict[str, str]:
        """Return one agent's row by statistic name."""
        return {
            "login_id": agent.login_id,
            "firstname": agent.first_name,
            "lastname": agent.last_name,
            "first_last_name": f"{agent.first_name} {agent.last_name}",
            "acd_state": agent.state,
            "state_duration": self._duration(self._now - agent.state_since),
            "reason": agent.reason if agent.state == "Not Ready" else "",
            "team_name": agent.team,
            "login_time": "",
        }

    # --- the scenario ---------------------------------------------------------------------

    def _populate(self) -> None:
        rng = self._rng
        start = self._start
        for name, rate in _SERVICES:
            service = BrightPatternService(name, rate)
            service.received = rng.randint(40, 120)
            service.abandoned = rng.randint(0, service.received // 10)
            service.answered = service.received - service.abandoned
            service.answered_in_target = round(service.answered * rng.uniform(0.7, 0.95))
            service.waiting = [
                BrightPatternCall(start - rng.uniform(0, 90), start + 600)
                for _ in range(rng.randint(0, 2))
            ]
            self._services[name] = service
        for login_id, first, last, team, services in _AGENTS:
            agent = BrightPatternAgent(login_id, first, last, team, services)
            roll = rng.random()
            if roll < 0.45:
                agent.state = "Ready"
            elif roll < 0.7:
                agent.state = "Busy"
                agent.call_ends = start + rng.uniform(30, 400)
            elif roll < 0.85:
                agent.state = "Not Ready"
                agent.reason = rng.choice(_REASONS)
            elif roll < 0.92:
                agent.state = "After Call Work"
            agent.state_since = start - rng.uniform(10, 1800)
            self._agents[login_id] = agent
        self._post(start - 600, _CHAT_LINES[1], urgent=False, sender=_SUPERVISORS[0])

    def _post(self, now: float, content: str, *, urgent: bool, sender: tuple[str, str, str]) -> str:
        message_id = str(self._next_message)
        self._next_message += 1
        self._messages.append(
            BrightPatternMessage(message_id, *sender, send_time=now, urgent=urgent, content=content)
        )
        del self._messages[:-100]
        return message_id

    def _tick(self, now: float) -> None:
        rng = self._rng
        for agent in self._agents.values():
            state = agent.state
            if state == "Logged Out":
                if rng.random() < _P_LOGIN:
                    self._set(agent, "Ready", now)
            elif state == "Busy":
                if now >= agent.call_ends:
                    self._set(agent, "After Call Work", now)
            elif state == "After Call Work":
                if now - agent.state_since >= 20:
                    self._set(agent, "Ready", now)
            elif state == "Not Ready":
                if rng.random() < _P_BACK_READY:
                    self._set(agent, "Ready", now)
            elif rng.random() < _P_LOGOUT:
                self._set(agent, "Logged Out", now)
            elif rng.random() < _P_NOT_READY:
                self._set(agent, "Not Ready", now, rng.choice(_REASONS))

        for service in self._services.values():
            arrivals = self._poisson(service.calls_per_minute * self.tick_seconds / 60)
            for _ in range(arrivals):
                arrived = now - rng.random() * self.tick_seconds
                service.waiting.append(
                    BrightPatternCall(arrived, arrived + 30 + rng.expovariate(1 / 120))
                )
                service.received += 1
            kept = [call for call in service.waiting if call.gives_up_at > now]
            service.abandoned += len(service.waiting) - len(kept)
            service.waiting = kept
            while service.waiting:
                ready = [
                    a
                    for a in self._agents.values()
                    if a.state == "Ready" and service.name in a.services
                ]
                if not ready:
                    break
                call = service.waiting.pop(0)
                agent = rng.choice(ready)
                self._set(agent, "Busy", now)
                agent.call_ends = now + 45 + rng.expovariate(1 / 120)
                service.answered += 1
                if now - call.arrived <= SERVICE_LEVEL_TARGET:
                    service.answered_in_target += 1

        if rng.random() < _P_CHAT:
            self._post(
                now,
                rng.choice(_CHAT_LINES),
                urgent=rng.random() < _P_URGENT,
                sender=rng.choice(_SUPERVISORS),
            )

    @staticmethod
    def _set(agent: BrightPatternAgent, state: str, now: float, reason: str = "") -> None:
        agent.state = state
        agent.reason = reason
        agent.state_since = now


def _version(text: str) -> tuple[int, ...]:
    parts = [int(part) for part in text.split(".") if part.isdigit()]
    return tuple(parts)


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(data).encode(), content_type="application/json"
    )


SIMULATOR = BrightPatternSimulator
