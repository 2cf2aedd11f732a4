"""The admin endpoint: see credentials and state, set faults and move time over HTTP."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import Fault

if TYPE_CHECKING:
    from .core import Simulator

ADMIN_PATH = "/_simulator"
FAULT_PATH = f"{ADMIN_PATH}/fault"
ADVANCE_PATH = f"{ADMIN_PATH}/advance"


class AdminInputError(ValueError):
    """An admin request that cannot be carried out; its text goes back to the caller."""


def add_admin_routes(router: web.UrlDispatcher, sim: Simulator) -> None:
    """Add ``GET /_simulator``, ``POST /_simulator/fault`` and ``POST /_simulator/advance``."""

    async def show(request: web.Request) -> web.Response:
        return web.json_response(sim.admin_state(str(request.url.origin())))

    async def set_fault(request: web.Request) -> web.Response:
        try:
            vendor, fault = _fault_request(await _json_object(request), sim)
        except AdminInputError as err:
            return _error(err)
        sim.set_fault(vendor, fault)
        return web.json_response(sim.admin_state())

    async def advance(request: web.Request) -> web.Response:
        try:
            seconds = _advance_request(await _json_object(request))
        except AdminInputError as err:
            return _error(err)
        sim.advance(seconds)
        return web.json_response(sim.admin_state())

    router.add_get(ADMIN_PATH, show, allow_head=False)
    router.add_post(FAULT_PATH, set_fault)
    router.add_post(ADVANCE_PATH, advance)


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.text())
    except ValueError:
        raise AdminInputError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise AdminInputError("the body must be a JSON object")
    return data


def _fault_request(data: dict[str, Any], sim: Simulator) -> tuple[str, Fault | None]:
    vendor = data.get("vendor")
    if not isinstance(vendor, str) or vendor not in sim.vendors:
        raise AdminInputError(f"'vendor' must be one of: {', '.join(sim.vendors)}")
    if "fault" not in data:
        raise AdminInputError("'fault' is missing (null clears the fault)")
    fault = data["fault"]
    if fault is None:
        return vendor, None
    if not isinstance(fault, str) or fault not in {member.value for member in Fault}:
        raise AdminInputError(f"'fault' must be null or one of: {', '.join(Fault)}")
    return vendor, Fault(fault)


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
