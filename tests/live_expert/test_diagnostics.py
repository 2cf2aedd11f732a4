"""Live Expert diagnostics and secrets: no client secret, token or expert id leaves the entry."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import assert_secret_nowhere, exception_texts_of_every_fault
from .conftest import live_expert


async def test_diagnostics(
    hass: HomeAssistant,
    system_info_ready: None,
    frozen_time: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Settings without the secret, the last figures, experts by number only, the slow figures."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert live_expert(simulator).client_secret not in str(diagnostics)
    # The README promises expert ids are replaced like operator ids, settings included.
    assert diagnostics["entry"]["data"]["expert_ids"] == "**REDACTED**"
    for expert_id in ("1001", "1003", "1004"):
        assert expert_id not in str(diagnostics)
    assert diagnostics["slow_figures"] == {
        "last_update_success": True,
        "data": {"latest_export": "2026-11-20"},
    }
    assert diagnostics == snapshot(exclude=props("url"))


def _tokens(simulator: RunningSimulator) -> list[str]:
    return [
        request.headers["Authorization"].split(" ", 1)[1]
        for request in simulator.sim.requests
        if "Authorization" in request.headers
    ]


async def test_secret_and_tokens_appear_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, polls, every fault, a failing action and a failing flow, all at DEBUG level."""
    caplog.set_level(logging.DEBUG)
    sim = live_expert(simulator)
    secret = sim.client_secret
    sim.fail_target("1004", f"rejected client_secret={secret}")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    exception_texts = await exception_texts_of_every_fault(
        hass, simulator.sim, "live_expert", mock_config_entry.runtime_data
    )
    sim.expire_tokens()
    for fault in (Fault.SERVER_ERROR, Fault.HTML):
        simulator.sim.set_fault("live_expert", fault)
        with pytest.raises(HomeAssistantError) as caught:
            await hass.services.async_call(
                DOMAIN,
                "download_export",
                {"config_entry_id": mock_config_entry.entry_id, "date": "2026-11-20"},
                blocking=True,
                return_response=True,
            )
        exception_texts += [str(caught.value), repr(caught.value), str(caught.value.__cause__)]
    simulator.sim.clear_faults()

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "live_expert"}
    )
    simulator.sim.set_fault("live_expert", Fault.HTML)
    await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "url": simulator.url,
            "client_id": sim.client_id,
            "client_secret": secret,
            "expert_ids": "1001",
            "category_languages": "",
        },
    )
    simulator.sim.clear_faults()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    tokens = _tokens(simulator)
    assert tokens
    for hidden in (secret, *tokens):
        assert_secret_nowhere(hidden, hass, caplog, exception_texts, diagnostics)
