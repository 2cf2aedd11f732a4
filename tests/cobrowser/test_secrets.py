"""The API key travels in the query string: it must still appear nowhere."""

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

from ..conftest import RunningSimulator
from ..helpers import assert_secret_nowhere, exception_texts_of_every_fault
from .conftest import USERNAME


async def test_api_key_appears_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cobrowser: RunningSimulator,
    cobrowser_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, polls, every fault, a revoked key and failing config flows, with DEBUG logging.

    Runs on the real clock: the slow fault needs the client's timeout to expire.
    """
    caplog.set_level(logging.DEBUG)
    key = cobrowser.sim.cobrowser.api_key
    cobrowser_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cobrowser_entry.entry_id)
    await hass.async_block_till_done()
    exception_texts = await exception_texts_of_every_fault(
        hass, cobrowser.sim, "cobrowser", cobrowser_entry.runtime_data
    )

    # Config flows failing against the same server log at DEBUG too.
    for fault in (Fault.HTML, Fault.SERVER_ERROR, Fault.SLOW):
        result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "cobrowser"}
        )
        cobrowser.sim.set_fault("cobrowser", fault)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {"url": cobrowser.url, "username": USERNAME, "api_key": key, "all_agents": True},
        )
        assert result["errors"]
    cobrowser.sim.clear_faults()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, cobrowser_entry)
    assert len(exception_texts) >= 4 * 9
    assert any(key in str(r.query) for r in cobrowser.sim.requests)  # it was sent, as it must be
    assert_secret_nowhere(key, hass, caplog, exception_texts, diagnostics)
