"""No secret, token or session cookie leaves the entry: logs, errors, diagnostics, states."""

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

from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from simulator import Fault
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import assert_secret_nowhere
from .conftest import bp_data, setup_entry


async def test_secrets_appear_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    auth_method: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, polls, every fault, re-sign-ins and a failing flow, all with DEBUG logging."""
    caplog.set_level(logging.DEBUG)
    entry = await setup_entry(hass, bp_entry)
    coordinator = entry.runtime_data
    exception_texts: list[str] = []
    session_tokens: set[str] = set(bp.sessions)

    for fault in [None, *Fault, None]:
        simulator.sim.set_fault("bright_pattern", fault)
        bp.revoke_sessions()
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        session_tokens |= set(bp.sessions)
        if coordinator.last_exception is not None:
            err = coordinator.last_exception
            exception_texts += [str(err), repr(err), str(err.__cause__), repr(err.__cause__)]
    simulator.sim.clear_faults()
    bp.expire_subscriptions()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    session_tokens |= set(bp.sessions)

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bright_pattern"}
    )
    simulator.sim.set_fault("bright_pattern", Fault.HTML)
    form = bp_data(simulator, auth_method)
    del form[CONF_VENDOR]
    await hass.config_entries.flow.async_configure(result["flow_id"], form)
    simulator.sim.clear_faults()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    states = [(state.state, dict(state.attributes)) for state in hass.states.async_all()]
    assert session_tokens
    for secret in (bp.api_secret, bp.password, *session_tokens):
        assert_secret_nowhere(secret, hass, caplog, exception_texts, diagnostics)
        assert secret not in str(states), "secret found in the event's or other states"
