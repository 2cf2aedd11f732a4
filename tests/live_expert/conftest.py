"""Fixtures of the Live Expert tests: the simulator frozen for Live Expert too, and an entry."""

from __future__ import annotations

from homeassistant.const import CONF_URL
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from simulator.vendors.live_expert import LiveExpertSimulator

from ..conftest import RunningSimulator

CLIENT_ID = "homeassistant"
TEST_UNIQUE_ID = f"{CLIENT_ID}@liveexpert.example.com"
TEST_TITLE = f"Live Expert {CLIENT_ID}"
ENTRY_ID = "01JDLIVEEXPERT000000000001"
EXPERTS = "1001,1003,1004"
CATEGORY_LANGUAGES = "12:1,12:2,17:1"


@pytest.fixture
def simulator(simulator: RunningSimulator) -> RunningSimulator:
    """The shared simulator, with Live Expert's random movement stopped as well."""
    simulator.sim.live_expert.freeze()
    return simulator


def live_expert(simulator: RunningSimulator) -> LiveExpertSimulator:
    """Return the simulator's Live Expert."""
    return simulator.sim.live_expert


def live_expert_data(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    """Return config entry data for the simulator's Live Expert client with every scope."""
    sim = live_expert(simulator)
    return {
        CONF_VENDOR: "live_expert",
        CONF_URL: simulator.url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "expert_ids": EXPERTS,
        "category_languages": CATEGORY_LANGUAGES,
        **overrides,
    }


@pytest.fixture
def mock_config_entry(simulator: RunningSimulator) -> MockConfigEntry:
    """A Live Expert entry pointing at the simulator, with a stable title and unique id."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TEST_TITLE,
        unique_id=TEST_UNIQUE_ID,
        data=live_expert_data(simulator),
        entry_id=ENTRY_ID,
    )
