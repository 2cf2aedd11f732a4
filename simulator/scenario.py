"""What moving scenarios share: time in fixed ticks, freezing, and random counts.

A vendor simulator mixes in ``TickedScenario`` before ``VendorSimulator`` and implements
``_tick``; the same seed and the same clock readings then always give the same answers.
(Live Guide predates this module and keeps its own copy of the same logic.)
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
import math
import random


class TickedScenario:
    """Scenario state that moves in ticks of ``tick_seconds`` of scenario time."""

    tick_seconds: float = 5.0
    max_catch_up_ticks: int = 2000
    """Ticks run at most per catch-up; older ones are skipped, so a day-long gap stays cheap."""

    def _start_ticking(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._start = clock()
        self._now = self._start
        self._ticks_done = 0
        self._frozen = False

    @abstractmethod
    def _tick(self, now: float) -> None:
        """Move the scenario by one tick ending at scenario time ``now``."""

    @property
    def now(self) -> float:
        """Return the scenario time the state was last brought up to."""
        return self._now

    @property
    def frozen(self) -> bool:
        """Return whether random movement is stopped."""
        return self._frozen

    def _sync(self) -> None:
        self.advance_to(self._clock())

    def freeze(self) -> None:
        """Stop random movement from now on; explicit setters keep working."""
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


def poisson(rng: random.Random, mean: float) -> int:
    """Draw from a Poisson distribution (Knuth's method; the means here are small)."""
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
