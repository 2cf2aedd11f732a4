"""wolkvox entities and diagnostics: snapshots, devices, and figures following the simulator."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.contact_center.const import DOMAIN

from ..conftest import RunningSimulator
from .conftest import setup_entry


def _busy(simulator: RunningSimulator) -> None:
    wolkvox = simulator.sim.wolkvox
    wolkvox.set_skill(
        "101", waiting=3, inbound=120, answered=110, abandoned=10, within=(77, 88, 99)
    )
    wolkvox.set_skill("102", waiting=0)


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_entities_snapshot(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entity_registry_enabled_by_default: None,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the starting scenario, with its registry entry and state."""
    _busy(simulator)
    with patch("custom_components.contact_center.PLATFORMS", [platform]):
        await setup_entry(hass, wolkvox_entry)
    await snapshot_platform(hass, entity_registry, snapshot, wolkvox_entry.entry_id)


async def test_figures(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """Strings become numbers, percentages lose their sign, the account sums the queues."""
    _busy(simulator)
    await setup_entry(hass, wolkvox_entry)
    states = {
        key: hass.states.get(f"sensor.ventas_{key}").state
        for key in (
            "waiting",
            "offered_today",
            "answered_today",
            "abandoned_today",
            "service_level_20_s",
            "service_level_10_s",
            "service_level_30_s",
            "abandoned_share",
        )
    }
    assert states == {
        "waiting": "3",
        "offered_today": "120",
        "answered_today": "110",
        "abandoned_today": "10",
        "service_level_20_s": "80.0",
        "service_level_10_s": "70.0",
        "service_level_30_s": "90.0",
        "abandoned_share": "8.33",
    }
    assert hass.states.get("sensor.wolkvox_0002_waiting").state == "3"
    assert hass.states.get("binary_sensor.wolkvox_0002_customers_waiting").state == "on"
    assert hass.states.get("binary_sensor.soporte_customers_waiting").state == "off"
    sensor = hass.states.get("sensor.ventas_offered_today")
    assert sensor.attributes["state_class"] == "total_increasing"
    # The generic service level is wolkvox's 20-second one: named so beside 10 s and 30 s.
    sensor = hass.states.get("sensor.ventas_service_level_20_s")
    assert sensor.attributes["friendly_name"] == "Ventas Service level 20 s"
    # Counts carry no unit (Home Assistant would show "3 customers").
    assert "unit_of_measurement" not in hass.states.get("sensor.ventas_waiting").attributes


async def test_devices(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An account device and one skill device per skill; quota figures are diagnostic."""
    entry = await setup_entry(hass, wolkvox_entry)
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert sorted((device.model, device.name) for device in devices) == [
        ("Account", "wolkvox 0002"),
        ("Skill", "Cobranza"),
        ("Skill", "Soporte"),
        ("Skill", "Ventas"),
    ]
    assert all(device.manufacturer == "wolkvox" for device in devices)
    for key in ("poll_interval", "daily_quota", "quota_used_today"):
        registry_entry = entity_registry.async_get(f"sensor.wolkvox_0002_{key}")
        assert registry_entry is not None
        assert registry_entry.entity_category == "diagnostic"
    account = device_registry.async_get_device(identifiers={(DOMAIN, entry.unique_id)})
    assert account is not None


async def test_diagnostics(
    hass: HomeAssistant,
    system_info_ready: None,
    frozen_time: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The token is redacted; the skills and figures are there."""
    _busy(simulator)
    entry = await setup_entry(hass, wolkvox_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert simulator.sim.wolkvox.token not in str(diagnostics)
    assert diagnostics["entry"]["data"]["token"] == "**REDACTED**"
    assert diagnostics == snapshot(exclude=props("server"))
