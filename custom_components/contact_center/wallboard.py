"""Serve the wallboard dashboard strategy and load it on every page of the frontend."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration

from .const import DOMAIN

WALLBOARD_URL: Final = f"/{DOMAIN}/contact-center-wallboard.js"
WALLBOARD_PATH: Final = Path(__file__).parent / "frontend" / "contact-center-wallboard.js"


async def async_register_wallboard(hass: HomeAssistant) -> None:
    """Serve the module and add it to the frontend's extra modules.

    http and frontend are after-dependencies, not dependencies: Home Assistant always loads them
    before integrations, and a setup without them (a test, a headless install) still polls.
    """
    if "http" not in hass.config.components:
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(WALLBOARD_URL, str(WALLBOARD_PATH), cache_headers=True)]
    )
    if "frontend" not in hass.config.components:
        return
    # The version in the URL makes browsers fetch the new module after an update, despite the
    # long cache lifetime of static files.
    version = (await async_get_integration(hass, DOMAIN)).version
    add_extra_js_url(hass, f"{WALLBOARD_URL}?v={version}")
