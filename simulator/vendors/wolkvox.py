"""wolkvox real-time skill report and token information, faithful to the vendor's documents.

A small inbound operation moves behind one token: three skills with calls arriving at random,
waiting, answered by a few agents or abandoned, and today's counters that reset at midnight
(UTC). The token has the vendor's limits: two requests at once (a third answers 403 with the
vendor's message) and a daily quota of uses (licences x 1000; small in tests), read back by
``information.php?api=token_info``. All figures are strings; ``code`` is sometimes a string and
percentages sometimes carry a ``%`` sign, as answers in the field do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import json
import math
import random
import string
import time
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from aiohttp import web

from ..vendor import TickedVendorSimulator

REAL_TIME_PATH = "/api/v2/real_time.php"
INFORMATION_PATH = "/api/v2/information.php"
TOKEN_HEADER = "wolkvox-token"  # noqa: S105 - a header name
SERVER_CODE = "0002"
TICK_SECONDS = 10.0
MAX_SIMULTANEOUS = 2
DEFAULT_LICENCES = 5

MISSING_TOKEN = "PLEASE ENTER THE WOLKVOX-TOKEN"  # noqa: S105 - an error text
INVALID_TOKEN = "PLEASE VALIDATE TOKEN"  # noqa: S105 - an error text
QUOTA_EXCEEDED = "TOKEN LIMIT EXCEEDED"
SIMULTANEOUS = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
PARAMETERS_REQUIRED = "SOME PARAMETERS ARE REQUIRED"
NO_SUCH_API = "THE API YOU WANT TO CONSULT DOES NOT EXIST"
MAINTENANCE = "THE SERVER IS IN MAINTENANCE, PLEASE TRY AGAIN LATER"
"""The real text is not published; only that maintenance answers 403."""

InvalidSkillStyle = Literal["parameters", "empty"]

# (id, name, calls per minute, agents)
_SKILLS: tuple[tuple[str, str, float, int], ...] = (
    ("101", "Ventas", 1.2, 3),
    ("102", "Soporte", 2.0, 4),
    ("103", "Cobranza", 0.6, 2),
)
_TALK_SECONDS = 180.0


@dataclass(slots=True)
class WolkvoxSkill:
    """A skill: its queue, agents and today's counters."""

    id: str
    name: str
    calls_per_minute: float = 1.0
    agents: int = 2
    queue: list[float] = field(default_factory=list)
    """Arrival times of the calls in queue, oldest first."""
    patience: list[float] = field(default_factory=list)
    """When each queued call hangs up, in the order of ``queue``."""
    talking: list[float] = field(default_factory=list)
    """When each running call ends."""
    inbound: int = 0
    answered: int = 0
    abandoned: int = 0
    within: dict[int, int] = field(default_factory=lambda: {10: 0, 20: 0, 30: 0})
    """Calls answered within 10, 20 and 30 seconds."""

    def service_level(self, seconds: int) -> float:
        """Return the percent of answered calls taken within ``seconds``."""
        return round(100.0 * self.within[seconds] / self.answered, 2) if self.answered else 0.0

    def abandon_rate(self) -> float:
        """Return the percent of inbound calls abandoned."""
        return round(100.0 * self.abandoned / self.inbound, 2) if self.inbound else 0.0


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


class WolkvoxSimulator(TickedVendorSimulator):
    """The wolkvox vendor: ``real_time.php?api=skills`` and ``information.php?api=token_info``."""

    tick_seconds: ClassVar[float] = TICK_SECONDS
    key: ClassVar[str] = "wolkvox"
    title: ClassVar[str] = "wolkvox"
    position: ClassVar[int] = 2

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the fixed initial state for ``seed`` at the clock's current reading."""
        super().__init__(clock)
        token_rng = random.Random(f"wolkvox:token:{seed}")  # noqa: S311 - not a secret
        alphabet = string.ascii_letters + string.digits
        self.token = "".join(token_rng.choice(alphabet) for _ in range(40))
        self._rng = random.Random(f"wolkvox:scenario:{seed}")  # noqa: S311 - a simulation
        self._skills: dict[str, WolkvoxSkill] = {}
        self.quota_limit = DEFAULT_LICENCES * 1000
        """Uses a day (licences x 1000)."""
        self.used_today = 0
        """Uses of the token today; requests refused for the quota or concurrency do not count."""
        self._day = self._day_of(self._start)
        self.maintenance = False
        """While on, every request answers 403 as during the vendor's maintenance."""
        self.latency = 0.0
        """Seconds each accepted request takes (real time), so overlapping requests overlap."""
        self.invalid_skill_style: InvalidSkillStyle = "parameters"
        """How an unknown skill is answered: 400 ``SOME PARAMETERS ARE REQUIRED`` or empty data."""
        self.in_flight = 0
        self.max_in_flight = 0
        """The most accepted requests this token had running at once."""
        self.refused_simultaneous = 0
        self._answers = 0
        self._populate()

    # --- state people and tests look at ---------------------------------------------------

    @property
    def skills(self) -> Mapping[str, WolkvoxSkill]:
        """Return every skill by id (read-only view)."""
        return MappingProxyType(self._skills)

    @property
    def skill_ids(self) -> str:
        """Return the skill ids as a user types them."""
        return ",".join(self._skills)

    # --- test controls --------------------------------------------------------------------

    def set_skill(
        self,
        skill_id: str,
        *,
        waiting: int | None = None,
        inbound: int | None = None,
        answered: int | None = None,
        abandoned: int | None = None,
        within: tuple[int, int, int] | None = None,
    ) -> None:
        """Set a skill's figures; ``within`` is the calls answered within 10, 20 and 30 s."""
        self._sync()
        skill = self._skills[skill_id]
        if waiting is not None:
            skill.queue = [self._now] * waiting
            skill.patience = [self._now + 3600.0] * waiting
        if inbound is not None:
            skill.inbound = inbound
        if answered is not None:
            skill.answered = answered
        if abandoned is not None:
            skill.abandoned = abandoned
        if within is not None:
            skill.within = dict(zip((10, 20, 30), within, strict=True))

    def add_skill(self, skill_id: str, name: str) -> None:
        """Add a skill; ``ValueError`` when the id exists."""
        self._sync()
        if skill_id in self._skills:
            raise ValueError(f"skill {skill_id!r} exists")
        self._skills[skill_id] = WolkvoxSkill(skill_id, name)

    def remove_skill(self, skill_id: str) -> None:
        """Delete a skill: it is answered as unknown from now on."""
        self._sync()
        del self._skills[skill_id]

    # --- VendorSimulator ------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """Return the token and the skills to type into the config flow."""
        return {"token": self.token, "skill_ids": self.skill_ids}

    def config_forms(self, base_url: str) -> list[dict[str, str]]:
        """Return the form: the simulator's URL stands for the server code."""
        return [{"server": base_url, **self.credentials()}]

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add ``real_time.php`` and ``information.php``."""
        router.add_get(REAL_TIME_PATH, self._handle_real_time, allow_head=False)
        router.add_get(INFORMATION_PATH, self._handle_information, allow_head=False)

    def summary(self) -> dict[str, Any]:
        """Return queue figures per skill and the token's use."""
        return {
            "skills": {
                skill.id: {
                    "name": skill.name,
                    "waiting": len(skill.queue),
                    "inbound": skill.inbound,
                }
                for skill in self._skills.values()
            },
            "quota_limit": self.quota_limit,
            "used_today": self.used_today,
            "maintenance": self.maintenance,
            "max_in_flight": self.max_in_flight,
            "frozen": self._frozen,
        }

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer as for a wrong token: 403 ``PLEASE VALIDATE TOKEN``."""
        return _error(403, INVALID_TOKEN)

    def sample_url(self, base_url: str) -> str | None:
        """Return nothing: the token goes in a header, one GET in a browser cannot show it."""
        return None

    # --- the answers ----------------------------------------------------------------------

    def skill_record(self, skill: WolkvoxSkill) -> dict[str, str]:
        """Return one skill's record as the API writes it: every figure a string."""
        # Some operations' answers carry a "%" after percentages; alternate to show both.
        sign = "%" if int(skill.id) % 2 else ""
        return {
            "skill_id": skill.id,
            "skill_name": skill.name,
            "calls_in_queue_now": str(len(skill.queue)),
            "stat_inbound": str(skill.inbound),
            "stat_answer": str(skill.answered),
            "stat_abandon": str(skill.abandoned),
            "service_level_10seg": _number(skill.service_level(10)) + sign,
            "service_level_20seg": _number(skill.service_level(20)) + sign,
            "service_level_30seg": _number(skill.service_level(30)) + sign,
            "by_abandon": _number(skill.abandon_rate()) + sign,
        }

    def _envelope(self, records: list[dict[str, str]]) -> web.Response:
        self._answers += 1
        # ``code`` is a number in the documents and a string in some answers: alternate.
        code: int | str = 200 if self._answers % 2 else "200"
        body = {
            "code": code,
            "error": None,
            "msg": f"{len(records)} records were found",
            "data": records,
        }
        return web.Response(body=json.dumps(body).encode(), content_type="application/json")

    async def _handle_real_time(self, request: web.Request) -> web.Response:
        async def answer() -> web.Response:
            if request.query.get("api") != "skills":
                return _error(400, NO_SUCH_API)
            skill_id = request.query.get("skill_id", "").strip()
            if not skill_id:
                return _error(400, PARAMETERS_REQUIRED)
            skill = self._skills.get(skill_id)
            if skill is None:
                if self.invalid_skill_style == "empty":
                    return self._envelope([])
                return _error(400, PARAMETERS_REQUIRED)
            return self._envelope([self.skill_record(skill)])

        return await self._guarded(request, answer)

    async def _handle_information(self, request: web.Request) -> web.Response:
        async def answer() -> web.Response:
            if request.query.get("api") != "token_info":
                return _error(400, NO_SUCH_API)
            record = {
                "token_limit": str(self.quota_limit),
                "token_use_today": str(self.used_today),
                "all_token_today": str(self.used_today),
            }
            return self._envelope([record])

        return await self._guarded(request, answer)

    async def _guarded(self, request: web.Request, answer: Callable[[], Any]) -> web.Response:
        """Apply the token, maintenance, concurrency and quota rules, then answer."""
        token = request.headers.get(TOKEN_HEADER, "").strip()
        if not token:
            return _error(401, MISSING_TOKEN)
        if self.maintenance:
            return _error(403, MAINTENANCE)
        if token != self.token:
            return _error(403, INVALID_TOKEN)
        if self.in_flight >= MAX_SIMULTANEOUS:
            self.refused_simultaneous += 1
            return _error(403, SIMULTANEOUS)
        if self.used_today >= self.quota_limit:
            return _error(403, QUOTA_EXCEEDED)
        self.used_today += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            response: web.Response = await answer()
            return response
        finally:
            self.in_flight -= 1

    # --- the scenario ---------------------------------------------------------------------

    @staticmethod
    def _day_of(moment: float) -> int:
        return math.floor(moment / 86_400)

    def _roll_day(self, now: float) -> None:
        """At midnight (UTC) today's counters and the token's uses start again."""
        day = self._day_of(now)
        if day <= self._day:
            return
        self._day = day
        self.used_today = 0
        for skill in self._skills.values():
            skill.inbound = skill.answered = skill.abandoned = 0
            skill.within = {10: 0, 20: 0, 30: 0}

    def _populate(self) -> None:
        rng = self._rng
        for skill_id, name, rate, agents in _SKILLS:
            skill = WolkvoxSkill(skill_id, name, rate, agents)
            skill.inbound = rng.randint(40, 200)
            skill.abandoned = rng.randint(0, skill.inbound // 10)
            skill.answered = skill.inbound - skill.abandoned
            fast = rng.uniform(0.5, 0.8)
            skill.within = {
                10: round(skill.answered * fast),
                20: round(skill.answered * min(1.0, fast + 0.1)),
                30: round(skill.answered * min(1.0, fast + 0.15)),
            }
            self._skills[skill_id] = skill

    def _tick(self, now: float) -> None:
        self._roll_day(now)
        rng = self._rng
        for skill in self._skills.values():
            skill.talking = [end for end in skill.talking if end > now]
            for _ in range(self._poisson(skill.calls_per_minute * TICK_SECONDS / 60.0)):
                skill.inbound += 1
                skill.queue.append(now)
                skill.patience.append(now + 20.0 + rng.expovariate(1 / 90.0))
            kept = [(a, p) for a, p in zip(skill.queue, skill.patience, strict=True) if p > now]
            skill.abandoned += len(skill.queue) - len(kept)
            skill.queue = [a for a, _ in kept]
            skill.patience = [p for _, p in kept]
            while skill.queue and len(skill.talking) < skill.agents:
                arrived = skill.queue.pop(0)
                skill.patience.pop(0)
                waited = now - arrived
                skill.answered += 1
                for limit in skill.within:
                    if waited <= limit:
                        skill.within[limit] += 1
                skill.talking.append(now + rng.expovariate(1 / _TALK_SECONDS))


def _error(status: int, message: str) -> web.Response:
    """Answer an error the vendor's way: the envelope with the message, under ``status``."""
    body = {"code": status, "error": message, "msg": message, "data": None}
    return web.Response(
        status=status, body=json.dumps(body).encode(), content_type="application/json"
    )


SIMULATOR = WolkvoxSimulator
