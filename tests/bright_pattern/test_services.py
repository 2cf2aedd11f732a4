"""The get_dispositions action."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN
from simulator import Fault
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from .conftest import setup_entry


async def _call(hass: HomeAssistant, entry_id: str) -> object:
    return await hass.services.async_call(
        DOMAIN,
        "get_dispositions",
        {"config_entry_id": entry_id},
        blocking=True,
        return_response=True,
    )


@pytest.mark.parametrize("style", ["wrapped", "list"])
async def test_get_dispositions(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    style: str,
) -> None:
    """The names come back as response data, whichever shape the server sends."""
    entry = await setup_entry(hass, bp_entry)
    bp.disposition_style = style  # type: ignore[assignment]
    response = await _call(hass, entry.entry_id)
    assert response == {
        "dispositions": ["Resolved", "Callback requested", "Escalated", "Wrong number", "Sale"]
    }
    assert simulator.sim.requests[-1].query["agentCanSelect"] == "1"


async def test_unknown_and_unloaded_entries(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    entry = await setup_entry(hass, oauth_entry)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "nope")
    assert err.value.translation_key == "entry_not_found"
    await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, entry.entry_id)
    assert err.value.translation_key == "entry_not_loaded"


async def test_vendor_without_dispositions(
    hass: HomeAssistant, simulator: RunningSimulator, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, init_integration.entry_id)
    assert err.value.translation_key == "dispositions_unsupported"


async def test_server_failure_and_refused_secret(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """A failing server is an error; a refused secret also asks for new credentials."""
    entry = await setup_entry(hass, oauth_entry)
    simulator.sim.set_fault("bright_pattern", Fault.SERVER_ERROR)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, entry.entry_id)
    assert err.value.translation_key == "dispositions_failed"
    simulator.sim.set_fault("bright_pattern", Fault.FORBIDDEN)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, entry.entry_id)
    assert err.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN)
