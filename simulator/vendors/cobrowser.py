"""CoBrowser.net Account API (``/api/Account.php``), faithful to the vendor's document.

A small chat team moves behind a user name and API key: six agents with two to four chat slots
each, signing in and out, switching between the "online" and "offline" status while signed in,
and chats arriving into free slots of online agents, moving through the slot states the document
names (new, open, burning, sleeping) and closing again. Every figure is written the way a PHP
backend reading MySQL rows writes it: strings (``string_numbers``), or numbers when switched off.
State moves in fixed ticks of scenario time from the vendor's own ``random.Random``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import json
import math
import random
import string
import time
from types import MappingProxyType
from typing import Any, ClassVar

from aiohttp import web

from ..vendor import TickedVendorSimulator

ACCOUNT_PATH = "/api/Account.php"
ONLINE_AGENTS = "getOnlineAgents"
ALL_AGENTS = "getAllAgents"
COMMANDS = (ONLINE_AGENTS, ALL_AGENTS)
SLOT_STATES = ("open", "closed", "new", "burning", "sleeping")

# ASSUMED, not published: CoBrowser.net does not document its error answers. The simulator
# answers a wrong user name or API key with HTTP 200 and this JSON object, and an unknown
# command likewise; the client must not rely on more than "an error key, no result".
BAD_CREDENTIALS_BODY = {"error": "Authentication failed: invalid user or apiKey"}
UNKNOWN_COMMAND_BODY = {"error": "Unknown command"}

_AGENTS: tuple[tuple[str, str, str, str, int], ...] = (
    # (id, firstname, name, username, slot_num)
    ("101", "Anna", "de Vries", "anna", 3),
    ("102", "Bram", "Jansen", "bram", 2),
    ("103", "Chloé", "Dubois", "chloe", 4),
    ("104", "Daniel", "Okafor", "daniel", 3),
    ("105", "Eva", "Lindqvist", "eva", 2),
    ("106", "Farid", "Benali", "farid", 3),
)

# Chances per tick of 5 s.
_P_SIGN_OUT = 1 / 900
_P_SIGN_IN = 1 / 90
_P_GO_OFFLINE = 1 / 400
_P_GO_ONLINE = 1 / 40
_P_CHAT_ARRIVES = 1 / 10
_P_ANSWER = 1 / 3
_P_BURN = 1 / 60
_P_SLEEP = 1 / 40
_P_WAKE = 1 / 10
_P_CLOSE = 1 / 50
_EPSILON = 1e-6


@dataclass(slots=True)
class Slot:
    """One chat slot of an agent: its state and since when it is in it."""

    state: str = "closed"
    since: float = 0.0


@dataclass(slots=True)
class CoBrowserAgent:
    """An agent of the account; ``signed_in`` agents are listed by ``getOnlineAgents``."""

    id: str
    firstname: str
    name: str
    username: str
    slots: list[Slot]
    signed_in: bool = True
    status: str = "online"
    lastactive: float = 0.0

    def count(self, state: str) -> int:
        """Return how many slots are in ``state``."""
        return sum(slot.state == state for slot in self.slots)

    @property
    def open_chats(self) -> int:
        """Return the chats the agent holds (every slot not closed)."""
        return len(self.slots) - self.count("closed")

    @property
    def free(self) -> int:
        """Return the free slots: closed slots of an agent who is online."""
        return self.count("closed") if self.signed_in and self.status == "online" else 0


class CoBrowserSimulator(TickedVendorSimulator):
    """The CoBrowser.net vendor: ``GET /api/Account.php?user=&apiKey=&c=``."""

    key: ClassVar[str] = "cobrowser"
    title: ClassVar[str] = "CoBrowser.net"
    position: ClassVar[int] = 3

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the fixed initial state for ``seed`` at the clock's current reading."""
        super().__init__(clock)
        key_rng = random.Random(f"cobrowser:key:{seed}")  # noqa: S311 - not a secret
        alphabet = string.ascii_lowercase + string.digits
        self._api_key = "".join(key_rng.choice(alphabet) for _ in range(40))
        self._username = "demo-desk"
        self._rng = random.Random(f"cobrowser:scenario:{seed}")  # noqa: S311 - a simulation
        self.string_numbers = True
        """Write figures as strings (as PHP over MySQL rows does); ``False`` writes numbers."""
        self._agents: dict[str, CoBrowserAgent] = {}
        self._populate()

    # --- state people and tests look at ---------------------------------------------------

    @property
    def username(self) -> str:
        """Return the account's user name."""
        return self._username

    @property
    def api_key(self) -> str:
        """Return the API key the simulated server accepts."""
        return self._api_key

    @api_key.setter
    def api_key(self, api_key: str) -> None:
        if not api_key:
            raise ValueError("the API key cannot be empty")
        self._api_key = api_key

    @property
    def agents(self) -> Mapping[str, CoBrowserAgent]:
        """Return every agent by id (read-only view)."""
        return MappingProxyType(self._agents)

    # --- test controls --------------------------------------------------------------------

    def set_agent(
        self,
        agent_id: str,
        *,
        signed_in: bool | None = None,
        status: str | None = None,
        chats: int | None = None,
    ) -> None:
        """Sign an agent in or out, set their status, or set how many chats they hold (open)."""
        self._sync()
        agent = self._agents[agent_id]
        now = self._now
        if signed_in is not None and signed_in != agent.signed_in:
            self._sign(agent, signed_in=signed_in, now=now)
        if status is not None:
            agent.status = status
            agent.lastactive = now
        if chats is not None:
            if not 0 <= chats <= len(agent.slots):
                raise ValueError(f"chats must be between 0 and {len(agent.slots)}")
            for index, slot in enumerate(agent.slots):
                wanted = "open" if index < chats else "closed"
                if slot.state != wanted and (wanted == "closed" or slot.state == "closed"):
                    slot.state, slot.since = wanted, now
            agent.lastactive = now

    def remove_agent(self, agent_id: str) -> None:
        """Delete an agent from the account."""
        self._sync()
        del self._agents[agent_id]

    # --- VendorSimulator ------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """Return the user name and API key."""
        return {"username": self._username, "api_key": self._api_key}

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add ``GET /api/Account.php``."""
        router.add_get(ACCOUNT_PATH, self._handle_account, allow_head=False)

    def summary(self) -> dict[str, Any]:
        """Return agent and slot counts."""
        signed_in = [a for a in self._agents.values() if a.signed_in]
        online = [a for a in signed_in if a.status == "online"]
        return {
            "agents_signed_in": len(signed_in),
            "agents_online": len(online),
            "agents_with_free_slot": sum(a.free > 0 for a in online),
            "free_slots": sum(a.free for a in online),
            "open_chats": sum(a.open_chats for a in self._agents.values()),
            "string_numbers": self.string_numbers,
            "frozen": self._frozen,
        }

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer a wrong user or API key (ASSUMED shape, see ``BAD_CREDENTIALS_BODY``)."""
        return _json(BAD_CREDENTIALS_BODY)

    def sample_url(self, base_url: str) -> str | None:
        """Return the ``getOnlineAgents`` URL."""
        return (
            f"{base_url}{ACCOUNT_PATH}?user={self._username}&apiKey={self._api_key}"
            f"&c={ONLINE_AGENTS}"
        )

    # --- the answer -----------------------------------------------------------------------

    def result(self, command: str) -> list[dict[str, Any]]:
        """Return the agent list of ``command`` for the current state, without moving it."""
        agents = self._agents.values()
        if command == ONLINE_AGENTS:
            agents = [agent for agent in agents if agent.signed_in]  # type: ignore[assignment]
        return [self._agent_data(agent) for agent in agents]

    def _agent_data(self, agent: CoBrowserAgent) -> dict[str, Any]:
        now = self._now
        status = agent.status if agent.signed_in else "offline"
        free = agent.free
        figures: dict[str, int] = {
            "lastactive": math.floor(agent.lastactive),
            "slot_num": len(agent.slots),
            "hasFree": 1 if free else 0,
            "numFree": free,
            "numOpen": agent.open_chats,
            "numClosed": agent.count("closed"),
        }
        for state in SLOT_STATES:
            ages = [
                math.floor(now - slot.since + _EPSILON)
                for slot in agent.slots
                if slot.state == state
            ]
            label = state.capitalize()
            figures[f"avg{label}Duration"] = round(sum(ages) / len(ages)) if ages else 0
            figures[f"min{label}Duration"] = min(ages, default=0)
            figures[f"max{label}Duration"] = max(ages, default=0)
        numbers: dict[str, Any] = (
            {key: str(value) for key, value in figures.items()} if self.string_numbers else figures
        )
        return {
            "id": agent.id if self.string_numbers else int(agent.id),
            "name": agent.name,
            "firstname": agent.firstname,
            "username": agent.username,
            "status": status,
            **numbers,
        }

    async def _handle_account(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("user") != self._username or query.get("apiKey") != self._api_key:
            return self.bad_credentials_response(request)
        command = query.get("c", "")
        if command not in COMMANDS:
            return _json(UNKNOWN_COMMAND_BODY)
        return _json({command: self.result(command)})

    # --- the scenario ---------------------------------------------------------------------

    def _populate(self) -> None:
        rng = self._rng
        start = self._start
        for agent_id, firstname, name, username, slot_num in _AGENTS:
            agent = CoBrowserAgent(
                agent_id,
                firstname,
                name,
                username,
                [Slot("closed", start - rng.uniform(60.0, 3600.0)) for _ in range(slot_num)],
                signed_in=rng.random() < 0.8,
                lastactive=start - rng.uniform(5.0, 900.0),
            )
            if agent.signed_in:
                agent.status = "offline" if rng.random() < 0.15 else "online"
                if agent.status == "online":
                    for slot in agent.slots[: rng.randint(0, slot_num)]:
                        slot.state = rng.choice(("open", "open", "new", "sleeping", "burning"))
                        slot.since = start - rng.uniform(10.0, 900.0)
            else:
                agent.status = "offline"
            self._agents[agent_id] = agent

    def _tick(self, now: float) -> None:
        rng = self._rng
        for agent in self._agents.values():
            if not agent.signed_in:
                if rng.random() < _P_SIGN_IN:
                    self._sign(agent, signed_in=True, now=now)
                continue
            if agent.open_chats == 0 and rng.random() < _P_SIGN_OUT:
                self._sign(agent, signed_in=False, now=now)
                continue
            if agent.status == "online" and rng.random() < _P_GO_OFFLINE:
                agent.status, agent.lastactive = "offline", now
            elif agent.status == "offline" and rng.random() < _P_GO_ONLINE:
                agent.status, agent.lastactive = "online", now
            for slot in agent.slots:
                moved = self._move_slot(slot, agent.status == "online")
                if moved is not None:
                    slot.state, slot.since = moved, now
                    agent.lastactive = now

    def _move_slot(self, slot: Slot, online: bool) -> str | None:
        """Return the slot's next state, or ``None`` when it stays."""
        rng = self._rng
        if slot.state == "closed":
            return "new" if online and rng.random() < _P_CHAT_ARRIVES / 3 else None
        if slot.state == "new":
            return "open" if rng.random() < _P_ANSWER else None
        if slot.state == "open":
            draw = rng.random()
            if draw < _P_CLOSE:
                return "closed"
            if draw < _P_CLOSE + _P_BURN:
                return "burning"
            if draw < _P_CLOSE + _P_BURN + _P_SLEEP:
                return "sleeping"
            return None
        # burning (the customer waits for an answer) and sleeping (nobody types) wake up.
        draw = rng.random()
        if draw < _P_CLOSE:
            return "closed"
        return "open" if draw < _P_CLOSE + _P_WAKE else None

    @staticmethod
    def _sign(agent: CoBrowserAgent, *, signed_in: bool, now: float) -> None:
        agent.signed_in = signed_in
        agent.status = "online" if signed_in else "offline"
        agent.lastactive = now
        if not signed_in:
            for slot in agent.slots:
                if slot.state != "closed":
                    slot.state, slot.since = "closed", now


def _json(data: Any) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=body, content_type="application/json")


SIMULATOR = CoBrowserSimulator
