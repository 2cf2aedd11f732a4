"""The wolkvox token never leaves the entry: no log, error, issue, diagnostics or state holds it."""

from __future__ import annotations

import logging

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from .conftest import setup_entry, wolkvox_data


async def test_token_appears_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, polls, every fault, the vendor's refusals and a failing flow, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    wolkvox = simulator.sim.wolkvox
    token = wolkvox.token
    entry = await setup_entry(hass, wolkvox_entry)
    coordinator = entry.runtime_data
    exception_texts: list[str] = []

    async def poll() -> None:
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        if (err := coordinator.last_exception) is not None:
            exception_texts.extend([str(err), repr(err), str(err.__cause__), repr(err.__cause__)])

    for fault in [None, *Fault, None]:
        simulator.sim.set_fault("wolkvox", fault)
        await poll()
    simulator.sim.clear_faults()
    wolkvox.maintenance = True
    await poll()
    wolkvox.maintenance = False
    wolkvox.in_flight = 2
    await poll()
    wolkvox.in_flight = 0
    wolkvox.remove_skill("103")
    await poll()
    wolkvox.used_today = wolkvox.quota_limit
    await poll()

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "wolkvox"}
    )
    simulator.sim.set_fault("wolkvox", Fault.HTML)
    form = wolkvox_data(simulator)
    del form["vendor"]
    await hass.config_entries.flow.async_configure(result["flow_id"], form)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    states = [
        (state.state, dict(state.attributes))
        for state in hass.states.async_all()
        if state.entity_id.startswith(("sensor.", "binary_sensor."))
    ]
    issues = [
        (issue_id, issue.translation_placeholders)
        for (_, issue_id), issue in ir.async_get(hass).issues.items()
    ]
    assert states
    assert exception_texts
    assert len(issues) >= 2
    assert "DEBUG" in {record.levelname for record in caplog.records}
    for where, text in (
        ("logs", caplog.text),
        ("log arguments", " ".join(str(r.args) for r in caplog.records)),
        ("exceptions", " ".join(exception_texts)),
        ("diagnostics", str(diagnostics)),
        ("states", str(states)),
        ("issues", str(issues)),
        ("unique id", str(entry.unique_id)),
    ):
        assert token not in text, f"token found in {where}"
