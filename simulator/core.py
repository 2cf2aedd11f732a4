"""The simulator core: every vendor on one aiohttp application, with faults, time and a log."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import contextlib
from dataclasses import dataclass, field
import logging
import math
import time
from types import MappingProxyType
from typing import Any, assert_never, cast

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from . import vendors as registry
from .admin import add_admin_routes
from .faults import (
    HTML_PAGE,
    SERVER_ERROR_BODY,
    Fault,
    body_bytes,
    malformed,
    replace_body,
    send_oversized,
    truncated,
)
from .vendor import VendorSimulator

_LOGGER = logging.getLogger(__name__)

MAX_LOGGED_REQUESTS = 10_000
"""The request log keeps at most this many entries, so a simulator left running stays small."""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request a vendor route received, as the log keeps it for tests."""

    vendor: str
    method: str
    path: str
    query: dict[str, str]
    """The query string; a repeated parameter keeps its first value."""
    time: float
    """The simulator's clock when the request arrived (without the ``advance`` offset)."""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)
class _AppState:
    """What one built application needs beyond the simulator: its routes and shutdown flag."""

    routes: dict[web.AbstractRoute, str] = field(default_factory=dict)
    closing: bool = False


class Simulator:
    """Every vendor's API the registry (``vendors/``) finds, on one aiohttp application.

    The scenario time is ``clock() + offset``; ``advance`` moves the offset. Vendors move in fixed
    ticks of scenario time when a request (or a test control) reads them, so a clock that does
    not move keeps every answer the same.
    """

    def __init__(self, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        """Build every vendor's initial state for ``seed`` at the clock's current reading."""
        self.seed = seed
        self._clock = clock
        self._offset = 0.0
        self.slow_seconds = 30.0
        """How long the ``slow`` fault holds an answer unless released earlier."""
        self.oversized_bytes = 16 * 1024 * 1024
        """Body size for the ``oversized`` fault."""
        self.oversized_declare_length = False
        """Send the ``oversized`` body under a true Content-Length instead of chunked."""
        self.requests: list[RecordedRequest] = []
        """Requests the vendor routes received, oldest first (admin calls are not logged)."""

        # The registry is read here, not at import, so a test can serve a vendor of its own.
        self._vendors: dict[str, VendorSimulator] = {
            key: simulator(seed, clock=self.now) for key, simulator in registry.SIMULATORS.items()
        }
        self.vendors: Mapping[str, VendorSimulator] = MappingProxyType(self._vendors)
        """Every vendor simulator by vendor key."""
        self.max_concurrent: dict[str, int] = dict.fromkeys(self._vendors, 0)
        """The most requests each vendor had in flight at once since the last ``reset_log``."""
        self._in_flight: dict[str, int] = dict.fromkeys(self._vendors, 0)
        self._faults: dict[str, Fault] = {}
        self._bodies: dict[str, bytes] = {}
        # One event per waiting handler or test, dropped when it stops waiting, so no event
        # outlives its event loop (a simulator may be served from more than one loop).
        self._held: dict[str, set[asyncio.Event]] = {key: set() for key in self._vendors}
        self._log_waiters: set[asyncio.Event] = set()
        self._app: web.Application | None = None

    def __getattr__(self, name: str) -> VendorSimulator:
        """Return a vendor simulator by its key as an attribute (``sim.<key>``), for tests."""
        vendors = self.__dict__.get("_vendors", {})
        if name not in vendors:
            raise AttributeError(name)
        result: VendorSimulator = vendors[name]
        return result

    # --- time -----------------------------------------------------------------------------

    @property
    def offset(self) -> float:
        """Return the seconds ``advance`` has added to the clock."""
        return self._offset

    def now(self) -> float:
        """Return the scenario time: the clock plus everything ``advance`` added."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move scenario time forward by ``seconds`` without waiting for the clock."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("seconds must be a finite number, not negative")
        self._offset += seconds

    # --- faults ---------------------------------------------------------------------------

    def set_fault(self, vendor: str, fault: Fault | str | None) -> None:
        """Make ``vendor`` misbehave as ``fault`` until changed; ``None`` restores it.

        Leaving ``slow`` releases the answers it holds. ``KeyError`` for an unknown vendor,
        ``ValueError`` for an unknown fault.
        """
        if vendor not in self._vendors:
            raise KeyError(vendor)
        if fault is None:
            self._faults.pop(vendor, None)
        else:
            self._faults[vendor] = Fault(fault)
        if self._faults.get(vendor) is not Fault.SLOW:
            self.release_slow(vendor)

    def fault_for(self, vendor: str) -> Fault | None:
        """Return the fault ``vendor`` currently has; ``KeyError`` for an unknown vendor."""
        if vendor not in self._vendors:
            raise KeyError(vendor)
        return self._faults.get(vendor)

    def serve_body(self, vendor: str, body: bytes | None) -> None:
        """Answer ``vendor``'s requests with ``body`` instead of the real one; ``None`` restores it.

        The vendor still handles each request (its state, quota and errors move as usual); only
        the body is swapped, under the real answer's status and content type. This is how tests
        send the answers a proxy, a maintenance page or a vendor bug produces (a wrong shape in
        valid JSON or XML). It comes before any fault. ``KeyError`` for an unknown vendor.
        """
        if vendor not in self._vendors:
            raise KeyError(vendor)
        if body is None:
            self._bodies.pop(vendor, None)
        else:
            self._bodies[vendor] = body

    def body_for(self, vendor: str) -> bytes | None:
        """Return the body ``vendor`` serves instead of its own; ``KeyError`` for an unknown one."""
        if vendor not in self._vendors:
            raise KeyError(vendor)
        return self._bodies.get(vendor)

    def clear_faults(self) -> None:
        """Restore every vendor (faults and served bodies) and release every held answer."""
        self._faults.clear()
        self._bodies.clear()
        self.release_slow()

    def release_slow(self, vendor: str | None = None) -> None:
        """Let answers held by ``slow`` go now (for one vendor, or all); later ones wait again."""
        keys = list(self._held) if vendor is None else [vendor]
        for key in keys:
            for event in self._held[key]:
                event.set()
            self._held[key].clear()

    # --- request log ----------------------------------------------------------------------

    def reset_log(self) -> None:
        """Forget logged requests and the concurrency high-water marks."""
        self.requests.clear()
        for key in self.max_concurrent:
            self.max_concurrent[key] = 0

    async def wait_for_requests(self, count: int) -> None:
        """Wait until the log holds at least ``count`` requests.

        Tests use it to know a request reached a handler (one held by ``slow``, say); wrap it in
        ``asyncio.timeout``.
        """
        while len(self.requests) < count:
            event = asyncio.Event()
            self._log_waiters.add(event)
            try:
                await event.wait()
            finally:
                self._log_waiters.discard(event)

    # --- admin ----------------------------------------------------------------------------

    def admin_state(self, base_url: str | None = None) -> dict[str, Any]:
        """Return what ``GET /_simulator`` shows, after bringing every vendor up to now.

        With the ``base_url`` the simulator was reached at, each vendor's ``forms`` says what to
        type into the config flow (see ``VendorSimulator.config_forms``).
        """
        now = self.now()
        vendors: dict[str, Any] = {}
        for key, vendor in self._vendors.items():
            vendor.advance_to(now)
            fault = self._faults.get(key)
            vendors[key] = {
                "title": vendor.title,
                "credentials": vendor.credentials(),
                **({} if base_url is None else {"forms": vendor.config_forms(base_url)}),
                "fault": None if fault is None else str(fault),
                "served_body": None if key not in self._bodies else len(self._bodies[key]),
                "state": vendor.summary(),
            }
        return {
            "seed": self.seed,
            "scenario_time": now,
            "offset": self._offset,
            "faults": [str(fault) for fault in Fault],
            "vendors": vendors,
        }

    # --- the application ------------------------------------------------------------------

    @property
    def app(self) -> web.Application:
        """Return this simulator's application, built on first use."""
        if self._app is None:
            self._app = self.build_app()
        return self._app

    def build_app(self) -> web.Application:
        """Build a new application serving every vendor and the admin endpoint.

        An application can be run once; ``run_simulator`` builds a fresh one each time so one
        simulator can be served, stopped and served again (a server restart).
        """
        state = _AppState()
        app = web.Application(middlewares=[self._middleware(state)])
        for vendor in self._vendors.values():
            before = set(app.router.routes())
            vendor.add_routes(app.router)
            state.routes.update(dict.fromkeys(set(app.router.routes()) - before, vendor.key))
        add_admin_routes(app.router, self)

        async def on_shutdown(_app: web.Application) -> None:
            state.closing = True
            self.release_slow()

        # aiohttp 3.11's annotation of signals disagrees with aiosignal 1.4's generic Signal.
        app.on_shutdown.append(cast(Any, on_shutdown))
        return app

    def _middleware(self, state: _AppState) -> Middleware:
        @web.middleware
        async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
            key = state.routes.get(request.match_info.route)
            if key is None:
                return await handler(request)
            self._in_flight[key] += 1
            self.max_concurrent[key] = max(self.max_concurrent.get(key, 0), self._in_flight[key])
            try:
                await self._record(key, request)
                return await self._answer(key, request, handler, state)
            finally:
                self._in_flight[key] -= 1

        return middleware

    async def _record(self, key: str, request: web.Request) -> None:
        body = await request.read() if request.can_read_body else b""
        self.requests.append(
            RecordedRequest(
                vendor=key,
                method=request.method,
                path=request.path,
                query={name: request.query[name] for name in request.query},
                time=self._clock(),
                headers={name: request.headers[name] for name in request.headers},
                body=body,
            )
        )
        if len(self.requests) > MAX_LOGGED_REQUESTS:
            del self.requests[: len(self.requests) - MAX_LOGGED_REQUESTS]
        for event in self._log_waiters:
            event.set()

    async def _answer(
        self, key: str, request: web.Request, handler: Handler, state: _AppState
    ) -> web.StreamResponse:
        vendor = self._vendors[key]
        fault = self._faults.get(key)
        _LOGGER.info("%s %s %s (fault: %s)", key, request.method, request.path, fault or "none")
        if (served := self._bodies.get(key)) is not None:
            real = await self._normal(vendor, request, handler)
            if not isinstance(real, web.Response):
                raise TypeError("vendor handlers must answer a web.Response")
            return replace_body(real, served)
        if fault is None:
            return await self._normal(vendor, request, handler)
        if fault is Fault.TOKEN_REVOKED:
            return vendor.bad_credentials_response(request)
        if fault is Fault.UNAUTHORIZED:
            return web.Response(status=401, text="401: Unauthorized")
        if fault is Fault.FORBIDDEN:
            return web.Response(status=403, text="403: Forbidden")
        if fault is Fault.SERVER_ERROR:
            return web.Response(status=500, body=SERVER_ERROR_BODY, content_type="text/plain")
        if fault is Fault.HTML:
            return web.Response(body=HTML_PAGE, content_type="text/html", charset="utf-8")
        if fault is Fault.OVERSIZED:
            return await send_oversized(
                request, self.oversized_bytes, declare_length=self.oversized_declare_length
            )
        if fault is Fault.SLOW:
            await self._hold(key, state)
            return await self._normal(vendor, request, handler)
        normal = await self._normal(vendor, request, handler)
        if not isinstance(normal, web.Response):
            raise TypeError("vendor handlers must answer a web.Response")
        body = body_bytes(normal)
        if fault is Fault.MALFORMED:
            return replace_body(normal, malformed(body, normal.content_type))
        if fault is Fault.TRUNCATED:
            return replace_body(normal, truncated(body))
        if fault is Fault.EMPTY:
            return replace_body(normal, b"")
        assert_never(fault)

    async def _normal(
        self, vendor: VendorSimulator, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        vendor.advance_to(self.now())
        return await handler(request)

    async def _hold(self, key: str, state: _AppState) -> None:
        # An event, not a sleep: releasing, clearing the fault or shutting down ends the wait at
        # once, so no handler outlives a test.
        if state.closing:
            return
        event = asyncio.Event()
        self._held[key].add(event)
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.slow_seconds):
                    await event.wait()
        finally:
            self._held[key].discard(event)
