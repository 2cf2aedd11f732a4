"""CoBrowser.net diagnostics: no API key, no agent names or ids."""

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

from ..conftest import RunningSimulator


async def test_diagnostics(
    hass: HomeAssistant,
    system_info_ready: None,
    frozen_time: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The key is redacted; agents appear by number only."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_cobrowser)
    text = str(diagnostics)
    assert cobrowser.sim.cobrowser.api_key not in text
    assert diagnostics["entry"]["data"]["api_key"] == "**REDACTED**"
    for agent in init_cobrowser.runtime_data.data.agents.values():
        assert agent.name not in text
    assert diagnostics == snapshot(exclude=props("url"))
