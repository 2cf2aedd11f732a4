"""A request governor for vendors that limit requests per credential.

Some vendors (wolkvox) allow only a few requests at once per token and a daily quota of uses.
Every client of one token shares one :class:`RequestGovernor`, found in a
:class:`GovernorRegistry` by a hash of the token (never the token itself): it lets one request run
at a time, counts the uses, and says how far apart polls must be so a day of polling stays within
a share of the quota. The caller owns the registry and hands it to its clients, so what one host
(a Home Assistant instance) learned about a token is never seen by another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import math
import weakref

SECONDS_PER_DAY = 86_400
QUOTA_REFRESH = timedelta(hours=4)
"""How old the quota figures may get before they are read again (each read costs one use)."""
QUOTA_RETRY = timedelta(hours=1)
"""How long polling pauses once the daily quota is used up."""
_QUOTA_READS_PER_DAY = math.ceil(timedelta(days=1) / QUOTA_REFRESH)


def token_key(token: str) -> str:
    """Return a stable, one-way name for a token: safe to store, log and compare."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class QuotaReading:
    """The token's daily quota as the vendor last reported it."""

    limit: int
    used: int
    read_at: datetime


class RequestGovernor:
    """One token's requests: one at a time, counted, and spaced to fit a daily budget."""

    def __init__(self, key: str) -> None:
        """Start with no quota known and no client attached."""
        self.key = key
        self.quota: QuotaReading | None = None
        self.uses_since_reading = 0
        """Requests sent since the quota was read; the vendor counts them too."""
        self.paused_until: datetime | None = None
        """Set while the daily quota is used up: no request is sent before then."""
        self.in_flight = 0
        self.max_in_flight = 0
        """The most requests this governor ever had running at once (tests check it is 1)."""
        self._clients: weakref.WeakKeyDictionary[object, tuple[int, float]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = asyncio.Lock()

    # Who shares the token ---------------------------------------------------------------------

    def attach(self, client: object, requests_per_poll: int, share: float) -> None:
        """Count a client's polls in the budget (held weakly: a dropped client stops counting)."""
        self._clients[client] = (requests_per_poll, share)

    def detach(self, client: object) -> None:
        """Stop counting a client (it was unloaded)."""
        self._clients.pop(client, None)

    @property
    def requests_per_round(self) -> int:
        """Return the requests one poll of every attached client costs together."""
        return sum(requests for requests, _ in self._clients.values())

    @property
    def share(self) -> float:
        """Return the share of the quota polling may use: the smallest any client asks for."""
        return min((share for _, share in self._clients.values()), default=1.0)

    # Quota ------------------------------------------------------------------------------------

    def quota_due(self, now: datetime) -> bool:
        """Say whether the quota should be read (never read, or older than ``QUOTA_REFRESH``)."""
        return self.quota is None or now - self.quota.read_at >= QUOTA_REFRESH

    def set_quota(self, limit: int, used: int, now: datetime) -> None:
        """Remember a fresh quota reading; the vendor's count includes our earlier uses."""
        self.quota = QuotaReading(limit=limit, used=used, read_at=now)
        self.uses_since_reading = 0

    @property
    def used_today(self) -> int | None:
        """Return the uses of today as far as known: the last reading plus ours since."""
        if self.quota is None:
            return None
        return self.quota.used + self.uses_since_reading

    def pause(self, now: datetime) -> None:
        """Stop sending requests for ``QUOTA_RETRY`` (the quota is used up)."""
        self.paused_until = now + QUOTA_RETRY

    def resume(self) -> None:
        """Send requests again (one went through)."""
        self.paused_until = None

    def is_paused(self, now: datetime) -> bool:
        """Say whether requests are held back because the quota was used up."""
        return self.paused_until is not None and now < self.paused_until

    def interval(self, user_seconds: float | None = None) -> float:
        """Return the seconds between polls that keep a day of polling within the budget.

        ``user_seconds`` is the interval the user chose; the result is never shorter. While
        paused, it is the time to the next try.
        """
        needed = float(user_seconds or 0.0)
        quota = self.quota
        if quota is not None and quota.limit > 0:
            budget = quota.limit * self.share - _QUOTA_READS_PER_DAY
            rounds = self.requests_per_round
            if rounds:
                needed = max(needed, SECONDS_PER_DAY * rounds / max(budget, 1.0))
        if self.paused_until is not None:
            needed = max(needed, QUOTA_RETRY.total_seconds())
        return math.ceil(needed)

    # Requests ---------------------------------------------------------------------------------

    async def run[T](self, request: Callable[[], Awaitable[T]]) -> T:
        """Run one request when no other request of this token is running; count it as a use."""
        async with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await request()
            finally:
                self.in_flight -= 1
                self.uses_since_reading += 1


class GovernorRegistry:
    """The governors of one host, by token: every client of a token finds the same one.

    Kept by the caller for as long as its clients may come and go (a few hundred bytes per token),
    so a pause for a used-up quota outlives a reload or a failed setup and is not undone by a retry.
    """

    def __init__(self) -> None:
        """Start with no governor."""
        self._governors: dict[str, RequestGovernor] = {}

    def governor_for(self, token: str) -> RequestGovernor:
        """Return the governor every client of ``token`` shares, creating it on first use."""
        key = token_key(token)
        governor = self._governors.get(key)
        if governor is None:
            governor = self._governors[key] = RequestGovernor(key)
        return governor
