"""Diagnostics: settings without secrets and the last answer without personal data."""

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

from .conftest import RunningSimulator


async def test_diagnostics(
    hass: HomeAssistant,
    system_info_ready: None,
    frozen_time: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The snapshot holds no token and no operator name or e-mail address."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    text = str(diagnostics)
    assert simulator.token not in text
    for agent in init_integration.runtime_data.data.agents.values():
        assert agent.name not in text
        assert agent.id not in text
    assert diagnostics == snapshot(exclude=props("url"))
