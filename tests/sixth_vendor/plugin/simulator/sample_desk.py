"""Sample Desk's simulated API: two queues and two agents that change only when a test says so."""

from __future__ import annotations

from collections.abc import Callable
import json
import time
from typing import Any, ClassVar

from aiohttp import web

from simulator.vendor import VendorSimulator

LIVE_PATH = "/desk/api/v1/live"


class SampleDeskSimulator(VendorSimulator):
    """``GET /desk/api/v1/live`` with ``Authorization: Bearer <token>``."""

    key: ClassVar[str] = "sample_desk"
    title: ClassVar[str] = "Sample Desk"
    position: ClassVar[int] = 99

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Start with fixed figures; the seed only varies the token."""
        self.token = f"sample-desk-token-{seed:04d}"
        self.waiting = {"1": 2, "2": 0}
        self.states = {"7": "ready", "8": "talking"}

    def credentials(self) -> dict[str, str]:
        """Return the token."""
        return {"api_token": self.token}

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Add the one endpoint."""
        router.add_get(LIVE_PATH, self._handle_live, allow_head=False)

    def advance_to(self, now: float) -> None:
        """Nothing moves by itself."""

    def summary(self) -> dict[str, Any]:
        """Return the waiting counts."""
        return {"waiting": dict(self.waiting)}

    def bad_credentials_response(self, request: web.Request) -> web.Response:
        """Answer a wrong token."""
        return web.Response(
            status=401, body=b'{"error": "bad token"}', content_type="application/json"
        )

    async def _handle_live(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self.bad_credentials_response(request)
        names = {"1": "Front desk", "2": "Returns", "7": "Ann", "8": "Ben"}
        body = {
            "account": "acme",
            "queues": [
                {"id": key, "name": names[key], "waiting": count}
                for key, count in self.waiting.items()
            ],
            "agents": [
                {"id": key, "name": names[key], "state": state}
                for key, state in self.states.items()
            ],
        }
        return web.Response(body=json.dumps(body).encode(), content_type="application/json")


SIMULATOR = SampleDeskSimulator
