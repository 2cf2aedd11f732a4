"""The admin endpoint: see credentials and state, set faults and move time over HTTP."""

from __future__ import annotations

from collections.abc import Callable
import json
import math
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web
from aiohttp.typedefs import Handler

from .faults import Fault

if TYPE_CHECKING:
    from .core import Simulator

ADMIN_PATH = "/_simulator"
FAULT_PATH = f"{ADMIN_PATH}/fault"
ADVANCE_PATH = f"{ADMIN_PATH}/advance"
BODY_PATH = f"{ADMIN_PATH}/body"

T = TypeVar("T")


class AdminInputError(ValueError):
    """An admin request that cannot be carried out; its text goes back to the caller."""


def add_admin_routes(router: web.UrlDispatcher, sim: Simulator) -> None:
    """Add ``GET /_simulator`` and ``POST /_simulator/fault``, ``/body`` and ``/advance``."""

    async def show(request: web.Request) -> web.Response:
        return web.json_response(sim.admin_state(str(request.url.origin())))

    def change(read: Callable[[dict[str, Any]], T], apply: Callable[[T], None]) -> Handler:
        """Return a handler that reads a JSON request, applies it and shows the new state."""

        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                value = read(await _json_object(request))
            except AdminInputError as err:
                return _error(err)
            apply(value)
            return web.json_response(sim.admin_state())

        return handle

    set_fault = change(lambda data: _fault_request(data, sim), lambda args: sim.set_fault(*args))
    serve_body = change(lambda data: _body_request(data, sim), lambda args: sim.serve_body(*args))
    advance = change(_advance_request, sim.advance)

    router.add_get(ADMIN_PATH, show, allow_head=False)
    router.add_post(FAULT_PATH, set_fault)
    router.add_post(BODY_PATH, serve_body)
    router.add_post(ADVANCE_PATH, advance)


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.text())
    except ValueError:
        raise AdminInputError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise AdminInputError("the body must be a JSON object")
    return data


def _vendor(data: dict[str, Any], sim: Simulator) -> str:
    vendor = data.get("vendor")
    if not isinstance(vendor, str) or vendor not in sim.vendors:
        raise AdminInputError(f"'vendor' must be one of: {', '.join(sim.vendors)}")
    return vendor


def _setting(data: dict[str, Any], sim: Simulator, key: str, null: str) -> tuple[str, Any]:
    """Return the vendor and the value under ``key``, which must be given (``null`` says why)."""
    vendor = _vendor(data, sim)
    if key not in data:
        raise AdminInputError(f"'{key}' is missing (null {null})")
    return vendor, data[key]


def _body_request(data: dict[str, Any], sim: Simulator) -> tuple[str, bytes | None]:
    vendor, body = _setting(data, sim, "body", "restores the real answers")
    if body is not None and not isinstance(body, str):
        raise AdminInputError("'body' must be null or the text to serve")
    return vendor, None if body is None else body.encode()


def _fault_request(data: dict[str, Any], sim: Simulator) -> tuple[str, Fault | None]:
    vendor, fault = _setting(data, sim, "fault", "clears the fault")
    if fault is not None and (not isinstance(fault, str) or fault not in set(Fault)):
        raise AdminInputError(f"'fault' must be null or one of: {', '.join(Fault)}")
    return vendor, None if fault is None else Fault(fault)


def _advance_request(data: dict[str, Any]) -> float:
    seconds = data.get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise AdminInputError("'seconds' must be a number, 0 or more")
    return float(seconds)


def _error(err: AdminInputError) -> web.Response:
    return web.json_response({"error": str(err)}, status=400)
