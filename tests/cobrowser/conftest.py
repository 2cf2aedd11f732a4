"""Fixtures for the CoBrowser.net tests: the simulator's account in a known state, and an entry."""

from __future__ import annotations

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_ALL_AGENTS, CONF_VENDOR, DOMAIN

from ..conftest import RunningSimulator

USERNAME = "demo-desk"


def account_id(simulator: RunningSimulator) -> str:
    """Return the entry's unique id: the user name at the simulator's host and port."""
    return f"{USERNAME}@{simulator.url.removeprefix('http://')}"


def cobrowser_data(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    """Return config entry data for the simulator's CoBrowser.net account."""
    return {
        CONF_VENDOR: "cobrowser",
        CONF_URL: simulator.url,
        CONF_USERNAME: USERNAME,
        CONF_API_KEY: simulator.sim.cobrowser.api_key,
        CONF_ALL_AGENTS: False,
        **overrides,
    }


@pytest.fixture
def cobrowser(simulator: RunningSimulator) -> RunningSimulator:
    """The simulator with CoBrowser.net frozen in a mixed state.

    Anna (101) is full, Bram (102) full, Chloé (103) has room, Daniel (104) is signed in with the
    status offline, Eva (105) is signed out and Farid (106) has one chat and room for two.
    """
    cobrowser = simulator.sim.cobrowser
    cobrowser.freeze()
    cobrowser.set_agent("101", signed_in=True, status="online", chats=3)
    cobrowser.set_agent("102", signed_in=True, status="online", chats=2)
    cobrowser.set_agent("103", signed_in=True, status="online", chats=1)
    cobrowser.set_agent("104", signed_in=True, status="offline", chats=0)
    cobrowser.set_agent("105", signed_in=False)
    cobrowser.set_agent("106", signed_in=True, status="online", chats=1)
    return simulator


@pytest.fixture
def all_agents() -> bool:
    """Whether the entry lists every agent (getAllAgents)."""
    return False


@pytest.fixture
def cobrowser_entry(cobrowser: RunningSimulator, all_agents: bool) -> MockConfigEntry:
    """A CoBrowser.net entry pointing at the simulator, with a unique id free of its port."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"CoBrowser.net {USERNAME}",
        unique_id=USERNAME,
        data=cobrowser_data(cobrowser, **{CONF_ALL_AGENTS: all_agents}),
        entry_id="01JDCOBROWSER0000000000001",
    )


@pytest.fixture
async def init_cobrowser(hass: HomeAssistant, cobrowser_entry: MockConfigEntry) -> MockConfigEntry:
    """Set up the entry against the simulator."""
    cobrowser_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cobrowser_entry.entry_id)
    await hass.async_block_till_done()
    return cobrowser_entry
