"""Entities: snapshots of every state, and how they follow the simulator's changes."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.contact_center.const import DOMAIN, STALE_AFTER
from simulator import Fault

from .conftest import RunningSimulator
from .helpers import POLL, check_fault_cycle, poll, setup_platforms


async def _empty_queues(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    for department_id in simulator.sim.live_guide.departments:
        simulator.sim.live_guide.set_waiting(department_id, 0, 0)
    await poll(hass, freezer)


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_entities_snapshot(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entity_registry_enabled_by_default: None,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the simulator's starting scenario, with its registry entry and state."""
    await setup_platforms(hass, mock_config_entry, platform)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_devices(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One account device, one per online department and one per operator, linked."""
    entry = init_integration
    coordinator = entry.runtime_data
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    account = device_registry.async_get_device(identifiers={(DOMAIN, entry.unique_id)})
    assert account is not None
    assert account.name == entry.title
    assert account.manufacturer == "Live Guide"
    assert len(devices) == 1 + len(coordinator.data.queues) + len(coordinator.data.agents)
    for device in devices:
        if device.id != account.id:
            assert device.via_device_id == account.id
            assert device.model in ("Department", "Operator")


async def test_disabled_by_default(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Seldom-used timestamps start disabled, so a large team does not flood the recorder."""
    entries = er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
    disabled = [entry.unique_id for entry in entries if entry.disabled_by]
    assert all(unique_id.endswith("_logged_in_since") for unique_id in disabled)
    assert len(disabled) == len(init_integration.runtime_data.data.agents)


async def test_turning_per_department_off_removes_department_devices(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Department devices of an earlier setting do not linger without entities."""
    entry = init_integration
    assert any(
        device.model == "Department"
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    )
    hass.config_entries.async_update_entry(entry, data={**entry.data, "per_department": False})
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert devices
    assert all(device.model != "Department" for device in devices)


async def test_without_per_department_there_are_no_department_devices(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Turning the breakdown off asks for less and creates no department devices."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data={**mock_config_entry.data, "per_department": False},
    )
    await setup_platforms(hass, entry, Platform.SENSOR, Platform.BINARY_SENSOR)
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert all(device.model != "Department" for device in devices)
    assert simulator.sim.requests[-1].query["perDepartment"] == "false"


@pytest.mark.parametrize("fault", list(Fault), ids=str)
async def test_fault_makes_entities_unavailable_until_next_good_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    fault: Fault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each fault mode: unavailable after the failed poll, back after the next good one.

    Runs on the real clock: the slow fault needs the client's timeout to expire.
    """
    await check_fault_cycle(
        hass, simulator.sim, "live_guide", init_integration.runtime_data, fault, caplog
    )


async def test_unchanged_poll_writes_no_state(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """With nothing changed on the server, a poll happens and writes nothing.

    Waiting customers make the longest wait grow by itself, so the queues are emptied first.
    """
    await _empty_queues(hass, simulator, frozen_time)
    changes: list[Event] = []
    hass.bus.async_listen("state_changed", callback(lambda event: changes.append(event)))
    simulator.sim.reset_log()
    for _ in range(3):
        await poll(hass, frozen_time)
    assert len(simulator.sim.requests) == 3
    assert changes == []


async def test_change_writes_only_what_changed(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """One operator taking a chat changes that operator's chat count and nothing else."""
    await _empty_queues(hass, simulator, frozen_time)
    coordinator = init_integration.runtime_data
    agent = next(a for a in coordinator.data.agents.values() if a.status == "available")
    written: list[str] = []
    hass.bus.async_listen("state_changed", callback(lambda e: written.append(e.data["entity_id"])))
    simulator.sim.live_guide.set_operator(agent.id, chats=(agent.active_conversations or 0) + 1)
    await poll(hass, frozen_time)
    chats_entity = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{init_integration.unique_id}_agent_{agent.id}_active_conversations"
    )
    assert written == [chats_entity]


async def test_new_department_and_operator_get_entities(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Queues and agents that appear later get entities without a reload."""
    live_guide = simulator.sim.live_guide
    live_guide.add_department("77", "Escalations")
    live_guide.set_waiting("77", 2, 40)
    live_guide.add_operator("Nina New", "nina.new@example.com", ["77"], status="available")
    await poll(hass, frozen_time)
    prefix = init_integration.unique_id
    waiting = entity_registry.async_get_entity_id("sensor", DOMAIN, f"{prefix}_queue_77_waiting")
    status = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{prefix}_agent_nina.new@example.com_status"
    )
    available = entity_registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{prefix}_agent_nina.new@example.com_available"
    )
    assert waiting
    assert status
    assert available
    assert hass.states.get(waiting).state == "2"
    assert hass.states.get(status).state == "available"
    assert hass.states.get(status).attributes["queues"] == ["Escalations"]
    assert hass.states.get(available).state == "on"


async def test_absent_operator_is_offline_then_removed_for_good(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A logged-out operator shows offline; after STALE_AFTER unseen, the device goes."""
    coordinator = init_integration.runtime_data
    agent_id = next(iter(coordinator.data.agents))
    prefix = f"{init_integration.unique_id}_agent_{agent_id}"
    status = entity_registry.async_get_entity_id("sensor", DOMAIN, f"{prefix}_status")
    chats = entity_registry.async_get_entity_id("sensor", DOMAIN, f"{prefix}_active_conversations")
    available = entity_registry.async_get_entity_id("binary_sensor", DOMAIN, f"{prefix}_available")
    assert status
    assert chats
    assert available

    simulator.sim.live_guide.remove_operator(agent_id)
    await poll(hass, frozen_time)
    assert hass.states.get(status).state == "offline"
    assert hass.states.get(available).state == "off"
    assert hass.states.get(chats).state == STATE_UNAVAILABLE

    # The clock runs from the last answer that mentioned the operator (setup, one poll ago).
    frozen_time.tick(STALE_AFTER - POLL * 3)
    await poll(hass, frozen_time)
    assert device_registry.async_get_device(identifiers={(DOMAIN, prefix)}) is not None

    await poll(hass, frozen_time)
    assert device_registry.async_get_device(identifiers={(DOMAIN, prefix)}) is None
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, f"{prefix}_status") is None
    assert hass.states.get(status) is None


async def test_returning_operator_resets_the_stale_clock(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Coming back before STALE_AFTER keeps the device; the clock starts again next time."""
    coordinator = init_integration.runtime_data
    agent = next(iter(coordinator.data.agents.values()))
    live_guide = simulator.sim.live_guide
    live_guide.remove_operator(agent.id)
    await poll(hass, frozen_time)
    frozen_time.tick(STALE_AFTER / 2)
    live_guide.add_operator(agent.name, agent.id, [], status="busy")
    await poll(hass, frozen_time)
    live_guide.remove_operator(agent.id)
    await poll(hass, frozen_time)
    frozen_time.tick(STALE_AFTER / 2)
    await poll(hass, frozen_time)
    identifier = (DOMAIN, f"{init_integration.unique_id}_agent_{agent.id}")
    assert device_registry.async_get_device(identifiers={identifier}) is not None


def _first_operator(entry: MockConfigEntry) -> tuple[str, set[tuple[str, str]]]:
    """Return an operator's id and its device's identifiers."""
    agent_id = next(iter(entry.runtime_data.data.agents))
    return agent_id, {(DOMAIN, f"{entry.unique_id}_agent_{agent_id}")}


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up again from what Home Assistant stored (registries, the stale clock)."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_stale_clock_runs_on_through_restarts(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A restart or reload neither starts the week again nor shortens it."""
    entry = init_integration
    agent_id, identifier = _first_operator(entry)
    simulator.sim.live_guide.remove_operator(agent_id)
    await poll(hass, frozen_time)  # last seen at setup, one poll ago
    frozen_time.tick(STALE_AFTER / 2)
    await _restart(hass, entry)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert device_registry.async_get_device(identifiers=identifier) is not None

    frozen_time.tick(STALE_AFTER / 2 - POLL * 3)
    await poll(hass, frozen_time)
    assert device_registry.async_get_device(identifiers=identifier) is not None
    await poll(hass, frozen_time)
    assert device_registry.async_get_device(identifiers=identifier) is None


async def test_operator_gone_while_stopped_is_removed_a_week_after_last_seen(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """Seen by the last poll before a stop, missing after it: the week runs from that poll."""
    entry = init_integration
    agent_id, identifier = _first_operator(entry)
    await poll(hass, frozen_time)
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.last_seen"]["data"]
    assert stored == {"seen_at": dt_util.utcnow().isoformat(), "absent": {}}

    simulator.sim.live_guide.remove_operator(agent_id)
    frozen_time.tick(STALE_AFTER - POLL)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert device_registry.async_get_device(identifiers=identifier) is not None
    await poll(hass, frozen_time)
    assert device_registry.async_get_device(identifiers=identifier) is None


async def test_removing_the_entry_removes_its_stale_clock(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """No file of a removed entry is left behind in Home Assistant's storage."""
    key = f"{DOMAIN}.{init_integration.entry_id}.last_seen"
    await poll(hass, frozen_time)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert key in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_devices_of_logged_out_operators_survive_a_restart(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """After a reload, an operator who is not logged in keeps entities, shown offline."""
    coordinator = init_integration.runtime_data
    agent_id = next(iter(coordinator.data.agents))
    simulator.sim.live_guide.remove_operator(agent_id)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    status = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{init_integration.unique_id}_agent_{agent_id}_status"
    )
    assert status is not None
    assert hass.states.get(status).state == "offline"


async def test_offline_department_is_unavailable(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An offline department is absent from the answer, so its figures are unavailable."""
    coordinator = init_integration.runtime_data
    queue_id = next(iter(coordinator.data.queues))
    waiting = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{init_integration.unique_id}_queue_{queue_id}_waiting"
    )
    assert waiting is not None
    simulator.sim.live_guide.set_department_online(queue_id, online=False)
    await poll(hass, frozen_time)
    assert hass.states.get(waiting).state == STATE_UNAVAILABLE
    simulator.sim.live_guide.set_department_online(queue_id, online=True)
    await poll(hass, frozen_time)
    assert hass.states.get(waiting).state != STATE_UNAVAILABLE


async def test_update_entity_service_polls(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """homeassistant.update_entity asks the coordinator for a refresh."""
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "homeassistant", {})
    entity_id = hass.states.async_entity_ids("sensor")[0]
    simulator.sim.reset_log()
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": entity_id}, blocking=True
    )
    await hass.async_block_till_done()
    assert len(simulator.sim.requests) == 1


async def test_rate_limit_is_a_failed_poll_with_its_own_message(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A vendor asking to slow down makes the poll fail with a message that says so."""
    from custom_components.contact_center.api import ContactCenterRateLimitError

    coordinator = init_integration.runtime_data
    with patch.object(
        coordinator.client,
        "async_get_snapshot",
        side_effect=ContactCenterRateLimitError("too many requests"),
    ):
        await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert not coordinator.last_update_success
    assert "The platform asks to slow down: too many requests" in caplog.text


async def test_vendor_specific_figures_become_entities(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Figures a client declares as extras get entities shaped by their kind, on any subject."""
    from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, EntityCategory

    from custom_components.contact_center.api import (
        Agent,
        Capabilities,
        ExtraFigure,
        ExtraKind,
        Figures,
        Queue,
        Snapshot,
    )
    from custom_components.contact_center.api.live_guide import LiveGuideClient

    extras = (
        ExtraFigure(key="quota_used", kind=ExtraKind.PERCENT, diagnostic=True),
        ExtraFigure(key="handled", kind=ExtraKind.TOTAL, unit="chats"),
        ExtraFigure(key="open_for", kind=ExtraKind.DURATION, enabled_by_default=False),
        ExtraFigure(key="last_seen", kind=ExtraKind.TIMESTAMP),
        ExtraFigure(key="note", kind=ExtraKind.TEXT),
        ExtraFigure(key="seats", kind=ExtraKind.COUNT, unit="seats"),
    )
    capabilities = Capabilities(
        totals=frozenset({"waiting"}),
        totals_extras=extras[:2],
        queue_extras=extras[2:4],
        agent_extras=extras[4:],
    )
    snapshot = Snapshot(
        totals=Figures(waiting=1, extras={"quota_used": 12.5, "handled": 40}),
        queues={"q": Queue(id="q", name="Queue Q", extras={"last_seen": dt_util.utcnow()})},
        agents={"a": Agent(id="a", name="Agent A", extras={"note": "lunch", "seats": 3})},
    )
    with (
        patch.object(LiveGuideClient, "capabilities", capabilities),
        patch.object(LiveGuideClient, "async_get_snapshot", return_value=snapshot),
    ):
        await setup_platforms(hass, mock_config_entry, Platform.SENSOR)

    def entity(key: str) -> er.RegistryEntry:
        entity_id = entity_registry.async_get_entity_id(
            "sensor",
            DOMAIN,
            next(
                entry.unique_id
                for entry in er.async_entries_for_config_entry(
                    entity_registry, mock_config_entry.entry_id
                )
                if entry.unique_id.endswith(f"_extra_{key}")
            ),
        )
        assert entity_id is not None
        registry_entry = entity_registry.async_get(entity_id)
        assert registry_entry is not None
        return registry_entry

    quota = entity("quota_used")
    assert quota.entity_category is EntityCategory.DIAGNOSTIC
    assert hass.states.get(quota.entity_id).state == "12.5"
    assert hass.states.get(quota.entity_id).attributes[ATTR_UNIT_OF_MEASUREMENT] == "%"
    handled = hass.states.get(entity("handled").entity_id)
    assert handled.state == "40"
    assert handled.attributes["state_class"] == "total_increasing"
    assert handled.attributes[ATTR_UNIT_OF_MEASUREMENT] == "chats"
    assert entity("open_for").disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(entity("last_seen").entity_id).state == dt_util.utcnow().isoformat()
    assert hass.states.get(entity("note").entity_id).state == "lunch"
    assert hass.states.get(entity("seats").entity_id).state == "3"
