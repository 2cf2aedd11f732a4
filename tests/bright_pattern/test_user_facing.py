"""What a user reads: names that say whose figure it is, device types, attributes, units."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center import entity as entity_module
from custom_components.contact_center.const import CONF_PER_DEPARTMENT, CONF_VENDOR, DOMAIN
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import form_defaults, start_vendor_flow
from .conftest import bp_data, setup_entry


async def _add_through_flow(hass: HomeAssistant, vendor: str, data: dict[str, Any]) -> ConfigEntry:
    result = await start_vendor_flow(hass, vendor)
    form = {**form_defaults(result), **{k: v for k, v in data.items() if k != CONF_VENDOR}}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    await hass.async_block_till_done(wait_background_tasks=True)
    return result["result"]


async def test_shared_queue_names_say_whose(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Live Guide's departments and Bright Pattern's services are both Sales, Support, Billing.

    The devices keep the vendors' words; the entity names (and new entity ids) add the account.
    """
    live_guide = await _add_through_flow(
        hass,
        "live_guide",
        {CONF_URL: simulator.url, CONF_TOKEN: simulator.token, CONF_PER_DEPARTMENT: True},
    )
    assert hass.states.get("sensor.support_waiting").attributes["friendly_name"] == (
        "Support Waiting"
    )
    bright_pattern = await _add_through_flow(hass, "bright_pattern", bp_data(simulator))

    names = {
        state.attributes["friendly_name"]
        for state in hass.states.async_all("sensor")
        if state.attributes.get("friendly_name", "").startswith("Support Waiting")
    }
    assert names == {
        f"Support Waiting ({live_guide.title})",
        f"Support Waiting ({bright_pattern.title})",
    }
    assert hass.states.get("sensor.support_waiting_2") is None
    assert hass.states.get("sensor.support_waiting_bright_pattern_127_0_0_1") is not None
    for entry in (live_guide, bright_pattern):
        devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        assert "Support" in {device.name for device in devices}
    # An account figure has nothing to share: no suffix.
    assert hass.states.get("sensor.bright_pattern_127_0_0_1_waiting") is not None
    # The first entry's entity keeps its id; once the name is no longer shared, it is plain again.
    assert await hass.config_entries.async_unload(bright_pattern.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.support_waiting").attributes["friendly_name"] == (
        "Support Waiting"
    )


async def test_polls_do_not_recheck_shared_names(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A poll's state checks read a kept answer: they never walk the other entries' names."""
    await _add_through_flow(
        hass,
        "live_guide",
        {CONF_URL: simulator.url, CONF_TOKEN: simulator.token, CONF_PER_DEPARTMENT: True},
    )
    bright_pattern = await _add_through_flow(hass, "bright_pattern", bp_data(simulator))
    calls: list[object] = []
    original = entity_module.name_is_shared

    def counting(*args: Any) -> bool:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(entity_module, "name_is_shared", counting)
    bp.set_waiting("Support", 4, 95)
    await bright_pattern.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert calls == []
    assert hass.states.get("sensor.support_waiting_bright_pattern_127_0_0_1").state == "4"
    # A change of the names does ask again, and the answer stays right.
    assert await hass.config_entries.async_unload(bright_pattern.entry_id)
    await hass.async_block_till_done()
    assert calls
    assert hass.states.get("sensor.support_waiting").attributes["friendly_name"] == (
        "Support Waiting"
    )


async def test_unique_names_stay_plain(
    hass: HomeAssistant, bp: BrightPatternSimulator, oauth_entry: MockConfigEntry
) -> None:
    """With one entry, nothing is added to a name."""
    await setup_entry(hass, oauth_entry)
    assert hass.states.get("sensor.support_waiting").attributes["friendly_name"] == (
        "Support Waiting"
    )


async def test_queue_and_agent_devices_are_no_services(
    hass: HomeAssistant,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Only the account is a service; a device saved as a service by an earlier version is not."""
    oauth_entry.add_to_hass(hass)
    old = device_registry.async_get_or_create(
        config_entry_id=oauth_entry.entry_id,
        identifiers={(DOMAIN, f"{oauth_entry.unique_id}_agent_asmith")},
        name="Alice Smith",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    await setup_entry(hass, oauth_entry)
    devices = dr.async_entries_for_config_entry(device_registry, oauth_entry.entry_id)
    types = {device.model: device.entry_type for device in devices}
    assert types == {"Account": dr.DeviceEntryType.SERVICE, "Service": None, "Agent": None}
    migrated = device_registry.async_get(old.id)
    assert migrated is not None
    assert migrated.entry_type is None


async def test_agent_attributes_and_reason_without_noise(
    hass: HomeAssistant,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """No empty queue list or null vendor word; no reason is empty, not "unknown"."""
    await setup_entry(hass, oauth_entry)
    for state in hass.states.async_all("sensor"):
        assert state.attributes.get("queues", ["x"]) != [], state.entity_id
        assert "vendor_status" not in state.attributes or state.attributes["vendor_status"]
        assert state.attributes.get("unit_of_measurement") in (None, "s", "%"), state.entity_id
    reasons = {
        state.state
        for state in hass.states.async_all("sensor")
        if (entry := entity_registry.async_get(state.entity_id)) is not None
        and entry.translation_key == "reason"
    }
    assert "" in reasons
    assert "unknown" not in reasons


async def test_abandoned_names_say_what_they_count(
    hass: HomeAssistant, bp: BrightPatternSimulator, oauth_entry: MockConfigEntry
) -> None:
    """The account counts abandoned in queue, a service every abandoned call: two names."""
    await setup_entry(hass, oauth_entry)
    account = hass.states.get("sensor.bright_pattern_127_0_0_1_abandoned_in_queue_today")
    assert (
        account.attributes["friendly_name"] == "Bright Pattern 127.0.0.1 Abandoned in queue today"
    )
    assert hass.states.get("sensor.support_abandoned_today") is not None
