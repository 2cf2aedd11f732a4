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
    coordinator = cobrowser_entry.runtime_data
    exception_texts: list[str] = []

    for fault in [None, *Fault, None]:
        cobrowser.sim.set_fault("cobrowser", fault)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        if coordinator.last_exception is not None:
            err = coordinator.last_exception
            exception_texts += [str(err), repr(err), str(err.__cause__), repr(err.__cause__)]
    cobrowser.sim.clear_faults()

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
    states = [
        (state.state, dict(state.attributes))
        for state in hass.states.async_all()
        if state.entity_id.startswith(("sensor.", "binary_sensor."))
    ]
    assert states
    assert len(exception_texts) >= 4 * 9
    assert "DEBUG" in {record.levelname for record in caplog.records}
    assert any(key in str(r.query) for r in cobrowser.sim.requests)  # it was sent, as it must be
    for where, text in (
        ("logs", caplog.text),
        ("log arguments", " ".join(str(r.args) for r in caplog.records)),
        ("exceptions", " ".join(exception_texts)),
        ("diagnostics", str(diagnostics)),
        ("states", str(states)),
    ):
        assert key not in text, f"API key found in {where}"
