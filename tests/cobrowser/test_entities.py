"""CoBrowser.net entities: snapshots, slot figures, both commands, durations and faults."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.contact_center.api.cobrowser import SLOT_DURATIONS
from custom_components.contact_center.const import DOMAIN
from custom_components.contact_center.coordinator import VOLATILE_GATHER_SECONDS
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import check_fault_cycle, poll as _poll, setup_platforms as _setup


def _entity_id(
    entity_registry: er.EntityRegistry, entry: MockConfigEntry, suffix: str, domain: str = "sensor"
) -> str:
    entity_id = entity_registry.async_get_entity_id(domain, DOMAIN, f"{entry.unique_id}{suffix}")
    assert entity_id is not None, suffix
    return entity_id


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


@pytest.mark.parametrize("all_agents", [False, True], ids=["online", "all"])
@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_entities_snapshot(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    cobrowser_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entity_registry_enabled_by_default: None,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the simulator's account, durations included once they are shown."""
    await _setup(hass, cobrowser_entry, platform)
    # The enabled duration entities asked for their figures; the next poll brings them.
    await _poll(hass, frozen_time)
    await snapshot_platform(hass, entity_registry, snapshot, cobrowser_entry.entry_id)


async def test_devices(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One account device and one per signed-in agent (Eva is signed out), no queues."""
    entry = init_cobrowser
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    account = device_registry.async_get_device(identifiers={(DOMAIN, entry.unique_id)})
    assert account is not None
    assert account.manufacturer == "CoBrowser.net"
    assert account.name == "CoBrowser.net demo-desk"
    agents = sorted(d.name or "" for d in devices if d.id != account.id)
    assert agents == [
        "Anna de Vries",
        "Bram Jansen",
        "Chloé Dubois",
        "Daniel Okafor",
        "Farid Benali",
    ]
    assert {d.model for d in devices if d.id != account.id} == {"Agent"}


@pytest.mark.parametrize("all_agents", [True])
async def test_all_agents_gives_signed_out_agents_a_device(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """With getAllAgents a signed-out agent is listed: offline, with figures."""
    assert cobrowser.sim.requests[-1].query["c"] == "getAllAgents"
    status = _entity_id(entity_registry, init_cobrowser, "_agent_105_status")
    chats = _entity_id(entity_registry, init_cobrowser, "_agent_105_active_conversations")
    assert _state(hass, status) == "offline"
    assert _state(hass, chats) == "0"


async def test_disabled_by_default(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The 15 slot durations, closed slots and capacity start disabled, per agent."""
    entries = er.async_entries_for_config_entry(entity_registry, init_cobrowser.entry_id)
    disabled = {e.unique_id.split("_agent_")[1].split("_", 1)[1] for e in entries if e.disabled_by}
    assert disabled == {
        "capacity",
        "extra_closed_slots",
        *(f"extra_{key}" for key in SLOT_DURATIONS),
    }
    agents = len(init_cobrowser.runtime_data.data.agents)
    assert sum(1 for e in entries if e.disabled_by) == agents * 17
    # Nothing shows them, so the client does not report them.
    client = init_cobrowser.runtime_data.client
    assert not any(client.shows_extra(key) for key in SLOT_DURATIONS)
    for agent in init_cobrowser.runtime_data.data.agents.values():
        assert not set(agent.extras) & set(SLOT_DURATIONS)


async def test_agent_and_account_figures(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Status from status and free slots; totals over online agents."""
    entry = init_cobrowser
    states = {
        agent: _state(hass, _entity_id(entity_registry, entry, f"_agent_{agent}_status"))
        for agent in ("101", "103", "104")
    }
    assert states == {"101": "busy", "103": "available", "104": "offline"}
    expected = {
        ("sensor", "_agent_103_free_slots"): "3",
        ("sensor", "_agent_101_active_conversations"): "3",
        ("binary_sensor", "_agent_101_available"): "off",
        ("binary_sensor", "_agent_103_available"): "on",
        ("sensor", "_agents_logged_in"): "4",
        ("sensor", "_agents_available"): "2",
        ("sensor", "_agents_busy"): "2",
        ("sensor", "_extra_free_slots_total"): "5",
        ("sensor", "_extra_open_chats_total"): "7",
    }
    for (domain, suffix), state in expected.items():
        assert _state(hass, _entity_id(entity_registry, entry, suffix, domain)) == state, suffix
    vendor_status = hass.states.get(_entity_id(entity_registry, entry, "_agent_104_status"))
    assert vendor_status is not None
    assert vendor_status.attributes["vendor_status"] == "offline"


async def test_capacity_available_follows_free_slots(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The account's lamp: on while any online agent has a free slot."""
    lamp = _entity_id(entity_registry, init_cobrowser, "_capacity_available", "binary_sensor")
    assert _state(hass, lamp) == "on"
    sim = cobrowser.sim.cobrowser
    sim.set_agent("103", chats=4)
    sim.set_agent("106", status="offline")
    await _poll(hass, frozen_time)
    assert _state(hass, lamp) == "off"
    sim.set_agent("106", status="online")
    await _poll(hass, frozen_time)
    assert _state(hass, lamp) == "on"


async def test_signed_out_agent_is_offline(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """getOnlineAgents leaves a signed-out agent out: offline, its figures unavailable."""
    status = _entity_id(entity_registry, init_cobrowser, "_agent_103_status")
    free = _entity_id(entity_registry, init_cobrowser, "_agent_103_free_slots")
    cobrowser.sim.cobrowser.set_agent("103", signed_in=False)
    await _poll(hass, frozen_time)
    assert _state(hass, status) == "offline"
    assert _state(hass, free) == STATE_UNAVAILABLE


async def test_unchanged_poll_writes_no_state_while_durations_grow(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
) -> None:
    """The server's slot durations grow every poll; nobody shows them, so nothing changes."""
    coordinator = init_cobrowser.runtime_data
    before = coordinator.data
    changes: list[Event] = []
    hass.bus.async_listen("state_changed", callback(lambda event: changes.append(event)))
    cobrowser.sim.reset_log()
    for _ in range(3):
        await _poll(hass, frozen_time)
    assert len(cobrowser.sim.requests) == 3
    assert changes == []
    assert coordinator.data == before


async def test_enabled_duration_is_reported_and_ticks(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Enabling a duration entity reloads the entry, which polls once more for its figure.

    The figure is there at once, not a poll interval later; then it ticks with every poll.
    """
    entity_id = _entity_id(entity_registry, init_cobrowser, "_agent_101_extra_max_open_duration")
    old_client = init_cobrowser.runtime_data.client
    entity_registry.async_update_entity(entity_id, disabled_by=None)
    cobrowser.sim.reset_log()
    # Home Assistant reloads the entry 30 s after an entity is enabled.
    frozen_time.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    client = init_cobrowser.runtime_data.client
    assert client is not old_client
    assert client.shows_extra("max_open_duration")
    assert not old_client.shows_extra("max_open_duration")
    frozen_time.tick(timedelta(seconds=VOLATILE_GATHER_SECONDS))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    # The setup's poll, then the one the entity asked for.
    assert len(cobrowser.sim.requests) == 2
    assert float(_state(hass, entity_id)) >= 0
    written: list[str] = []
    hass.bus.async_listen("state_changed", callback(lambda e: written.append(e.data["entity_id"])))
    await _poll(hass, frozen_time)
    first = float(_state(hass, entity_id))
    await _poll(hass, frozen_time)
    assert float(_state(hass, entity_id)) == first + 15
    assert written == [entity_id, entity_id]
    assert await hass.config_entries.async_unload(init_cobrowser.entry_id)
    assert not client.shows_extra("max_open_duration")


async def test_shown_durations_are_known_from_the_start(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    cobrowser_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    entity_registry_enabled_by_default: None,
) -> None:
    """After a (re)start every shown duration has its figure: one more poll asks for them all."""
    cobrowser.sim.reset_log()
    await _setup(hass, cobrowser_entry, Platform.SENSOR)
    suffixes = tuple(f"_extra_{key}" for key in SLOT_DURATIONS)
    durations = [
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, cobrowser_entry.entry_id)
        if entry.unique_id.endswith(suffixes)
    ]
    assert len(durations) > len(SLOT_DURATIONS)
    frozen_time.tick(timedelta(seconds=VOLATILE_GATHER_SECONDS))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "unknown" not in {_state(hass, entity_id) for entity_id in durations}
    # The setup's poll and one for all the durations, however the entities were added.
    assert len(cobrowser.sim.requests) == 2
    frozen_time.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(cobrowser.sim.requests) == 2


@pytest.mark.parametrize("fault", list(Fault), ids=str)
async def test_fault_makes_entities_unavailable_until_next_good_poll(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    fault: Fault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each fault mode: unavailable after the failed poll, back after the next good one.

    Runs on the real clock: the slow fault needs the client's timeout to expire.
    """
    await check_fault_cycle(
        hass, cobrowser.sim, "cobrowser", init_cobrowser.runtime_data, fault, caplog
    )


async def test_revoked_key_at_poll_names_the_key(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The assumed error answer of a wrong key reads as refused credentials, without the key."""
    cobrowser.sim.cobrowser.api_key = "changed"
    await init_cobrowser.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert "refused the user name or API key" in caplog.text
    assert init_cobrowser.data["api_key"] not in caplog.text
