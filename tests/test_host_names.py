"""Host names resolve in the test environment as for users (Home Assistant's own resolver).

Home Assistant 2025.4.4 pins aiodns 3.2.0; with pycares 5 (left unpinned) every name lookup
failed, and a server URL such as ``http://localhost:8080`` in a form gave "Unexpected error".
scripts/setup applies Home Assistant's package constraints and constraints_floor.txt.
"""

from __future__ import annotations

from unittest.mock import MagicMock

from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from yarl import URL

from custom_components.contact_center.const import CONF_VENDOR

from .conftest import RunningSimulator
from .helpers import start_vendor_flow


@pytest.fixture(autouse=True)
def real_resolver(disable_mock_zeroconf_resolver: None, mock_async_zeroconf: MagicMock) -> None:
    """Resolve with the resolver Home Assistant itself builds (aiodns, mDNS for .local).

    The harness's stand-in, one aiohttp AsyncResolver for the whole session, fails every lookup
    by name in 0.13.316 ("'NoneType' object has no attribute 'getaddrinfo'"); zeroconf itself
    is a mock.
    """


def by_name(simulator: RunningSimulator) -> str:
    """Return the simulator's base URL with ``localhost`` in place of its address."""
    return str(URL(simulator.url).with_host("localhost"))


async def test_shared_session_resolves_localhost(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    session = async_get_clientsession(hass)
    async with session.get(f"{by_name(simulator)}/_simulator") as response:
        assert response.status == 200
        assert "live_guide" in (await response.json())["vendors"]


async def test_form_accepts_a_host_name(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    result = await start_vendor_flow(hass, "live_guide")
    url = by_name(simulator)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url, CONF_TOKEN: simulator.token}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_VENDOR] == "live_guide"
    assert result["data"][CONF_URL] == url
