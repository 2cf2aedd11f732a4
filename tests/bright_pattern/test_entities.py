"""Bright Pattern entities: snapshots, devices, and how they follow the simulator."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.contact_center.const import DOMAIN
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import poll, setup_platforms
from .conftest import UNIQUE_ID, setup_entry


def _entity(registry: er.EntityRegistry, platform: str, unique_id: str) -> str:
    entity_id = registry.async_get_entity_id(platform, DOMAIN, f"{UNIQUE_ID}_{unique_id}")
    assert entity_id is not None, unique_id
    return entity_id


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT])
async def test_entities_snapshot(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entity_registry_enabled_by_default: None,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the simulator's starting scenario, with its registry entry and state."""
    await setup_platforms(hass, oauth_entry, platform)
    await snapshot_platform(hass, entity_registry, snapshot, oauth_entry.entry_id)


async def test_devices(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One account device, one per service and one per agent, linked to the account."""
    entry = await setup_entry(hass, oauth_entry)
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    account = device_registry.async_get_device(identifiers={(DOMAIN, UNIQUE_ID)})
    assert account is not None
    assert account.manufacturer == "Bright Pattern"
    assert len(devices) == 1 + len(bp.services) + len(bp.agents)
    models = {device.model for device in devices if device.id != account.id}
    assert models == {"Service", "Agent"}
    assert all(d.via_device_id == account.id for d in devices if d.id != account.id)
    names = {device.name for device in devices}
    assert {"Sales", "Support", "Billing", "Alice Smith"} <= names


async def test_disabled_by_default(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Only each agent's team (a diagnostic) starts disabled."""
    entry = await setup_entry(hass, oauth_entry)
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    disabled = [e.unique_id for e in entries if e.disabled_by]
    assert all(unique_id.endswith("_team") for unique_id in disabled)
    assert len(disabled) == len(bp.agents)


async def test_time_passing_writes_nothing(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """State durations grow every poll, but "status since" stays: nothing is written."""
    await setup_entry(hass, oauth_entry)
    for service in bp.services:
        bp.set_waiting(service, 0, 0)
    await poll(hass, frozen_time)
    changes: list[Event] = []
    hass.bus.async_listen("state_changed", callback(lambda event: changes.append(event)))
    simulator.sim.reset_log()
    for _ in range(4):
        await poll(hass, frozen_time)
    assert [r.path for r in simulator.sim.requests] == ["/statsapi/subscription/data"] * 4
    assert changes == []


async def test_agent_state_change(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Not Ready with a reason: away, the reason, not available, a new "since"."""
    await setup_entry(hass, oauth_entry)
    bp.set_agent("asmith", "Ready", ago=30)
    await poll(hass, frozen_time)
    status = _entity(entity_registry, "sensor", "agent_asmith_status")
    since = _entity(entity_registry, "sensor", "agent_asmith_status_since")
    reason = _entity(entity_registry, "sensor", "agent_asmith_reason")
    available = _entity(entity_registry, "binary_sensor", "agent_asmith_available")
    assert hass.states.get(status).state == "available"
    assert hass.states.get(available).state == "on"
    ready_since = hass.states.get(since).state

    bp.set_agent("asmith", "Not Ready", "Lunch")
    await poll(hass, frozen_time)
    state = hass.states.get(status)
    assert state.state == "away"
    assert state.attributes["vendor_status"] == "Not Ready"
    assert hass.states.get(reason).state == "Lunch"
    assert hass.states.get(available).state == "off"
    assert hass.states.get(since).state != ready_since

    bp.set_agent("asmith", "Logged Out")
    await poll(hass, frozen_time)
    assert hass.states.get(status).state == "offline"


async def test_new_and_removed_agents(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A new agent gets entities at once; one gone from the grid shows offline."""
    await setup_entry(hass, oauth_entry)
    bp.add_agent("znew", "Zoe", "New")
    bp.remove_agent("bjones")
    await poll(hass, frozen_time)
    assert hass.states.get(_entity(entity_registry, "sensor", "agent_znew_status")).state == (
        "available"
    )
    assert hass.states.get(_entity(entity_registry, "sensor", "agent_bjones_status")).state == (
        "offline"
    )
    assert (
        hass.states.get(_entity(entity_registry, "sensor", "agent_bjones_reason")).state
        == STATE_UNAVAILABLE
    )


async def test_service_figures_follow(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    await setup_entry(hass, oauth_entry)
    for service in bp.services:
        bp.set_waiting(service, 0, 0)
    bp.set_waiting("Sales", 3, 125)
    await poll(hass, frozen_time)
    assert hass.states.get(_entity(entity_registry, "sensor", "queue_Sales_waiting")).state == "3"
    longest = hass.states.get(_entity(entity_registry, "sensor", "queue_Sales_longest_wait"))
    assert longest.state == "140"  # 125 s when set, one poll (15 s) ago
    assert hass.states.get(_entity(entity_registry, "sensor", "waiting")).state == "3"
    assert (
        hass.states.get(
            _entity(entity_registry, "binary_sensor", "queue_Sales_customers_waiting")
        ).state
        == "on"
    )
