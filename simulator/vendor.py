"""The contract between the simulator core and one vendor's simulated API."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
import math
import random
import time
from typing import Any, ClassVar

from aiohttp import web


class VendorSimulator(ABC):
    """One vendor's simulated API: its credentials, routes and moving scenario.

    The core owns everything that is the same for every vendor (faults, the request log, time and
    the admin endpoint); a vendor only answers its own requests. Handlers answer a
    ``web.Response`` with a ``bytes`` body, because the ``malformed``, ``truncated`` and ``empty``
    faults rewrite that body.
    """

    key: ClassVar[str]
    """The vendor key the integration uses (``live_guide``)."""
    title: ClassVar[str]
    """The product's name as people know it."""
    position: ClassVar[int]
    """Where lists of vendors show this one: the order they were added in, new ones last."""

    @abstractmethod
    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build the initial state for ``seed`` at the clock's reading; the core calls this."""

    @abstractmethod
    def credentials(self) -> dict[str, str]:
        """Return what a user types into the config flow besides the URL."""

    @abstractmethod
    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add this vendor's routes; the core applies faults and logging around them."""

    @abstractmethod
    def advance_to(self, now: float) -> None:
        """Run the scenario up to scenario time ``now`` (seconds, same scale as the clock)."""

    @abstractmethod
    def summary(self) -> dict[str, Any]:
        """Return a short, JSON-ready summary of the current state for the admin endpoint."""

    @abstractmethod
    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer ``request`` exactly as the vendor answers a bad credential."""

    def config_forms(self, base_url: str) -> list[dict[str, str]]:
        """Return ways to fill the config flow's form for a server at ``base_url``.

        Keys are the form's field names (labelled from the integration's translations when
        shown); the first way is the usual one, later ones list only what differs.
        """
        return [{"url": base_url, **self.credentials()}]

    def sample_url(self, base_url: str) -> str | None:
        """Return a URL people can open to see a normal answer, if one GET is enough."""
        return None


class TickedVendorSimulator(VendorSimulator):
    """A vendor whose scenario moves in fixed ticks of scenario time, and can be frozen.

    Subclasses implement ``_tick(now)`` (one step of random movement at scenario time ``now``)
    and call ``_sync()`` before a test control changes the state, so the change happens at the
    current scenario time. A clock that does not move runs no tick; a long gap runs at most
    ``max_catch_up_ticks`` of them, so a day-long pause stays cheap.
    """

    tick_seconds: ClassVar[float] = 5.0
    max_catch_up_ticks: ClassVar[int] = 2000

    _rng: random.Random
    """The subclass's own random stream (a simulation, not secrets)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        """Start the scenario at the clock's current reading."""
        self._clock = clock
        self._start = clock()
        self._now = self._start
        self._ticks_done = 0
        self._frozen = False

    @property
    def now(self) -> float:
        """Return the scenario time the state was last brought up to."""
        return self._now

    @property
    def frozen(self) -> bool:
        """Return whether random movement is stopped."""
        return self._frozen

    def freeze(self) -> None:
        """Stop random movement from now on; explicit setters and time keep working."""
        self._sync()
        self._frozen = True

    def unfreeze(self) -> None:
        """Resume random movement from the current scenario time (frozen time is not replayed)."""
        self._sync()
        self._frozen = False

    def advance_to(self, now: float) -> None:
        """Run every tick due by scenario time ``now``; an earlier time changes nothing."""
        if now <= self._now:
            return
        self._now = now
        due = math.floor((now - self._start) / self.tick_seconds)
        if due <= self._ticks_done:
            return
        if self._frozen:
            self._ticks_done = due
            return
        self._ticks_done = max(self._ticks_done, due - self.max_catch_up_ticks)
        while self._ticks_done < due:
            self._ticks_done += 1
            self._tick(self._start + self._ticks_done * self.tick_seconds)

    def _sync(self) -> None:
        self.advance_to(self._clock())

    def _poisson(self, mean: float) -> int:
        """Draw from a Poisson distribution (Knuth's method; the means here are small)."""
        limit = math.exp(-mean)
        count = 0
        product = self._rng.random()
        while product > limit:
            count += 1
            product *= self._rng.random()
        return count

    @abstractmethod
    def _tick(self, now: float) -> None:
        """Move the scenario one tick, at scenario time ``now``."""
