"""The contract between the simulator core and one vendor's simulated API."""

from __future__ import annotations

from abc import ABC, abstractmethod
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

    def config_fields(self, base_url: str) -> dict[str, str]:
        """Return the config-flow fields, URL included, for a server at ``base_url``."""
        return {"URL": base_url, **self.credentials()}

    def sample_url(self, base_url: str) -> str | None:
        """Return a URL people can open to see a normal answer, if one GET is enough."""
        return None
