"""Fixtures of the wolkvox tests: the simulator's wolkvox frozen, entries for its token."""

from __future__ import annotations

from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import (
    CONF_QUOTA_SHARE,
    CONF_SERVER,
    CONF_SKILL_IDS,
    CONF_VENDOR,
    DOMAIN,
)

from ..conftest import RunningSimulator

TITLE = "wolkvox 0002"
QUOTA = 1000
"""The token's daily quota in tests: small, so the budget decides the interval."""


@pytest.fixture
def simulator(simulator: RunningSimulator) -> RunningSimulator:
    """The shared simulator, with wolkvox frozen and a small quota."""
    simulator.sim.wolkvox.freeze()
    simulator.sim.wolkvox.quota_limit = QUOTA
    return simulator


def wolkvox_data(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    """Return config entry data for the simulator's wolkvox."""
    return {
        CONF_VENDOR: "wolkvox",
        CONF_SERVER: simulator.url,
        CONF_TOKEN: simulator.sim.wolkvox.token,
        CONF_SKILL_IDS: "101,102,103",
        CONF_QUOTA_SHARE: 50,
        **overrides,
    }


UNIQUE_ID = "wolkvox_0002_101-102-103"
"""The unique id of an entry for skills 101 to 103 on server 0002 (no part of the token)."""


@pytest.fixture
def wolkvox_entry(simulator: RunningSimulator) -> MockConfigEntry:
    """A wolkvox entry for the simulator, with a stable title and unique id."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=UNIQUE_ID,
        data=wolkvox_data(simulator),
        entry_id="01JDWOLKVOX00000000000000001",
        version=2,
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add the entry and set it up."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def wolkvox_integration(
    hass: HomeAssistant, wolkvox_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up the wolkvox entry against the simulator."""
    return await setup_entry(hass, wolkvox_entry)
