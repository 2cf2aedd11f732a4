"""Bright Pattern diagnostics: no secret, no user, no agent or message content."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from .conftest import setup_entry


async def test_diagnostics(
    hass: HomeAssistant,
    system_info_ready: None,
    frozen_time: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    entry = await setup_entry(hass, bp_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = str(diagnostics)
    for secret in (bp.api_secret, bp.password):
        assert secret not in text
    for agent in entry.runtime_data.data.agents.values():
        assert agent.name not in text
        assert agent.id not in text
    for message in bp.messages:
        assert message.content not in text
    assert diagnostics["snapshot"]["messages"] == len(bp.messages)
    assert diagnostics == snapshot(exclude=props("url"))
