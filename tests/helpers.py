"""What every vendor's integration tests share: polling, faults, form errors and secrets.

Written for the second vendor (CoBrowser.net) so that later ones call them instead of copying;
the Live Guide tests predate them and keep their own copies for now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
import voluptuous as vol

from custom_components.contact_center.const import DOMAIN
from custom_components.contact_center.coordinator import ContactCenterCoordinator
from simulator import Fault, Simulator

POLL = timedelta(seconds=15)
"""The default poll interval."""
AUTH_FAULTS = frozenset({Fault.TOKEN_REVOKED, Fault.UNAUTHORIZED, Fault.FORBIDDEN})


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move the frozen clock one poll interval on and let the poll finish."""
    freezer.tick(POLL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def setup_platforms(
    hass: HomeAssistant, entry: MockConfigEntry, *platforms: Platform
) -> None:
    """Set the entry up with only the given platforms."""
    entry.add_to_hass(hass)
    with patch("custom_components.contact_center.PLATFORMS", list(platforms)):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()


def fault_form_errors(secret_field: str, url_field: str) -> list[tuple[Fault, dict[str, str]]]:
    """Return each generic fault with the config-flow error it must show, on which field."""
    errors = {
        Fault.SERVER_ERROR: "server_error",
        Fault.SLOW: "cannot_connect",
        Fault.MALFORMED: "invalid_response",
        Fault.TRUNCATED: "invalid_response",
        Fault.EMPTY: "invalid_response",
        Fault.HTML: "invalid_response",
        Fault.OVERSIZED: "invalid_response",
    }
    return [
        (fault, {secret_field: "invalid_auth"} if fault in AUTH_FAULTS else {url_field: error})
        for fault in Fault
        if (error := errors.get(fault, "invalid_auth"))
    ]


def _states(hass: HomeAssistant, entity_ids: Iterable[str]) -> set[str]:
    return {state.state for eid in entity_ids if (state := hass.states.get(eid)) is not None}


async def check_fault_cycle(
    hass: HomeAssistant,
    sim: Simulator,
    vendor: str,
    coordinator: ContactCenterCoordinator,
    fault: Fault,
    caplog: pytest.LogCaptureFixture,
    *,
    entity_ids: Iterable[str] | None = None,
) -> None:
    """One fault: every entity unavailable after the failed poll, one error line, then back.

    A refused credential must start a reauth flow; reloading with the good one resumes.
    ``entity_ids`` narrows the check to the entities the coordinator feeds (default: all).
    """
    caplog.set_level(logging.INFO)
    entity_ids = hass.states.async_entity_ids() if entity_ids is None else list(entity_ids)
    assert entity_ids
    entry = coordinator.config_entry
    sim.set_fault(vendor, fault)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _states(hass, entity_ids) == {STATE_UNAVAILABLE}
    await coordinator.async_refresh()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "Traceback" not in caplog.text
    if fault is Fault.SERVER_ERROR:
        # The server was reached: the line must not send people to check the network.
        assert "Cannot reach" not in errors[0]
        assert "answered with an error" in errors[0]

    sim.clear_faults()
    if fault in AUTH_FAULTS:
        flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        assert [flow["context"]["source"] for flow in flows] == ["reauth"]
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    else:
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        assert "data recovered" in caplog.text
    assert STATE_UNAVAILABLE not in _states(hass, entity_ids)


async def exception_texts_of_every_fault(
    hass: HomeAssistant, sim: Simulator, vendor: str, coordinator: ContactCenterCoordinator
) -> list[str]:
    """Poll once per fault (and clean before and after); return the failures' texts."""
    texts: list[str] = []
    for fault in [None, *Fault, None]:
        sim.set_fault(vendor, fault)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        if (err := coordinator.last_exception) is not None:
            texts += [str(err), repr(err), str(err.__cause__), repr(err.__cause__)]
    sim.clear_faults()
    return texts


def assert_secret_nowhere(
    secret: str,
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    exception_texts: list[str],
    diagnostics: Any,
) -> None:
    """The secret is in no log line or argument, exception, diagnostics or entity state."""
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
        assert secret not in text, f"secret found in {where}"


async def start_vendor_flow(hass: HomeAssistant, vendor: str) -> ConfigFlowResult:
    """Open the add-integration menu, pick ``vendor`` and return its empty form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert vendor in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": vendor}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == vendor
    assert result["errors"] == {}
    return result


def form_defaults(result: ConfigFlowResult) -> dict[str, Any]:
    """Return the default value of each field of a form that has one."""
    return {
        str(key): key.default()
        for key in result["data_schema"].schema
        if key.default is not vol.UNDEFINED
    }


def _readings(hass: HomeAssistant, entity_ids: Iterable[str]) -> dict[str, str]:
    return {eid: state.state for eid in entity_ids if (state := hass.states.get(eid)) is not None}


async def check_wrong_shape_cycle(
    hass: HomeAssistant,
    coordinator: ContactCenterCoordinator,
    break_answer: Callable[[], None],
    heal_answer: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
    entity_ids: Iterable[str],
) -> None:
    """An answer of a wrong shape: every entity unavailable (never a new value), one error line,
    and the very states of before once the answer is right again (the scenario is frozen)."""
    caplog.set_level(logging.INFO)
    entity_ids = list(entity_ids)
    before = _readings(hass, entity_ids)
    assert before
    assert STATE_UNAVAILABLE not in before.values()
    break_answer()
    for _ in range(2):
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        assert set(_readings(hass, entity_ids).values()) == {STATE_UNAVAILABLE}
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 1
    assert "Traceback" not in caplog.text
    heal_answer()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert "data recovered" in caplog.text
    assert _readings(hass, entity_ids) == before


async def submit_options(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]
) -> ConfigFlowResult:
    """Open the options form, submit ``options`` and let a reload it causes finish."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(result["flow_id"], options)
    await hass.async_block_till_done()
    return result
