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
    coordinator = mock_config_entry.runtime_data
    exception_texts: list[str] = []

    for fault in [None, *Fault, None]:
        simulator.sim.set_fault("live_guide", fault)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        if coordinator.last_exception is not None:
            err = coordinator.last_exception
            exception_texts += [str(err), repr(err), str(err.__cause__), repr(err.__cause__)]
    simulator.sim.clear_faults()

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
    states = [
        (state.state, dict(state.attributes))
        for state in hass.states.async_all()
        if state.entity_id.startswith(("sensor.", "binary_sensor."))
    ]
    assert states
    assert exception_texts
    assert "DEBUG" in {record.levelname for record in caplog.records}
    for where, text in (
        ("logs", caplog.text),
        ("log arguments", " ".join(str(r.args) for r in caplog.records)),
        ("exceptions", " ".join(exception_texts)),
        ("diagnostics", str(diagnostics)),
        ("states", str(states)),
    ):
        assert token not in text, f"token found in {where}"
