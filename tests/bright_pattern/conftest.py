"""Fixtures for the Bright Pattern tests: the simulator's tenant and entries for both sign-ins."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import (
    CONF_AUTH_METHOD,
    CONF_TENANT_URL,
    CONF_VENDOR,
    DOMAIN,
)
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator

TENANT = "127.0.0.1"
UNIQUE_ID = f"{TENANT}_supervisor"
TITLE = f"Bright Pattern {TENANT}"
ENTRY_ID = "01JDBRIGHTPATTERN000000001"


@pytest.fixture(autouse=True)
def no_first_data_delay() -> Generator[None]:
    """Do not sleep between the not-ready reads of a new subscription."""
    with patch("custom_components.contact_center.api.bright_pattern.FIRST_DATA_DELAY", 0):
        yield


@pytest.fixture
def bp(simulator: RunningSimulator) -> BrightPatternSimulator:
    """The simulator's Bright Pattern tenant, frozen, with data ready at once."""
    tenant = simulator.sim.bright_pattern
    tenant.freeze()
    tenant.not_ready_polls = 0
    return tenant


def bp_data(
    simulator: RunningSimulator, method: str = "oauth", **overrides: object
) -> dict[str, Any]:
    """Return config entry data for the simulator's tenant."""
    tenant = simulator.sim.bright_pattern
    return {
        CONF_VENDOR: "bright_pattern",
        CONF_URL: simulator.url,
        CONF_TENANT_URL: TENANT,
        CONF_USERNAME: tenant.username,
        CONF_PASSWORD: tenant.api_secret if method == "oauth" else tenant.password,
        CONF_AUTH_METHOD: method,
        **overrides,
    }


@pytest.fixture(params=["oauth", "legacy"])
def auth_method(request: pytest.FixtureRequest) -> str:
    """Both sign-in methods."""
    return str(request.param)


@pytest.fixture
def bp_entry(
    simulator: RunningSimulator, bp: BrightPatternSimulator, auth_method: str
) -> MockConfigEntry:
    """A Bright Pattern entry for the simulator, for each sign-in method."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=UNIQUE_ID,
        data=bp_data(simulator, auth_method),
        entry_id=ENTRY_ID,
    )


@pytest.fixture
def oauth_entry(simulator: RunningSimulator, bp: BrightPatternSimulator) -> MockConfigEntry:
    """A Bright Pattern entry signing in with OAuth."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=UNIQUE_ID,
        data=bp_data(simulator, "oauth"),
        entry_id=ENTRY_ID,
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add and set up an entry, waiting for everything it starts."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
