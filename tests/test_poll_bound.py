"""A poll never outlasts its interval: a slow platform fails the poll instead of overlapping."""

from __future__ import annotations

import time
from unittest.mock import patch

from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import UpdateFailed
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from .conftest import RunningSimulator, live_guide_data


async def test_slow_poll_is_cut_at_the_interval(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Each request may take 3 s, the platform holds answers 5 s, the interval is 1 s."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Live Guide",
        unique_id="127.0.0.1",
        data=live_guide_data(simulator),
        options={CONF_SCAN_INTERVAL: 1},
    )
    entry.add_to_hass(hass)
    with patch("custom_components.contact_center.api.client.DEFAULT_TIMEOUT", 3):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    coordinator = entry.runtime_data
    simulator.sim.set_fault("live_guide", Fault.SLOW)
    started = time.monotonic()
    await coordinator.async_refresh()
    took = time.monotonic() - started
    assert not coordinator.last_update_success
    error = coordinator.last_exception
    assert isinstance(error, UpdateFailed)
    assert error.translation_key == "poll_timeout"
    assert error.translation_placeholders == {"seconds": "1"}
    assert took < 2.5
    simulator.sim.clear_faults()
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    await hass.config_entries.async_unload(entry.entry_id)
