"""The access token never leaves the entry: no log, error, diagnostics or state holds it."""

from __future__ import annotations

import logging

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from .conftest import RunningSimulator
from .helpers import assert_secret_nowhere, exception_texts_of_every_fault


async def test_token_appears_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, polls, every fault and a failing config flow, all with DEBUG logging.

    Runs on the real clock: the slow fault needs the client's timeout to expire.
    """
    caplog.set_level(logging.DEBUG)
    token = simulator.token
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    exception_texts = await exception_texts_of_every_fault(
        hass, simulator.sim, "live_guide", mock_config_entry.runtime_data
    )

    # A config flow failing against the same server logs at DEBUG too.
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "live_guide"}
    )
    simulator.sim.set_fault("live_guide", Fault.HTML)
    await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": simulator.url, "token": token, "per_department": True, "verify_ssl": True},
    )

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert_secret_nowhere(token, hass, caplog, exception_texts, diagnostics)
