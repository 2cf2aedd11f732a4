"""Live Expert entities: snapshots, moving figures, faults, scopes and the slow export figure."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import check_fault_cycle, poll, setup_platforms
from .conftest import TEST_UNIQUE_ID, live_expert, live_expert_data


def _entity(registry: er.EntityRegistry, platform: str, unique_suffix: str) -> str:
    entity_id = registry.async_get_entity_id(platform, DOMAIN, f"{TEST_UNIQUE_ID}_{unique_suffix}")
    assert entity_id is not None, unique_suffix
    return entity_id


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
    """Every entity of the simulator's frozen scenario, with its registry entry and state."""
    await setup_platforms(hass, mock_config_entry, platform)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_devices_and_figures(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A queue device per pair, an agent device per expert; totals only sum customers."""
    devices = dr.async_entries_for_config_entry(device_registry, init_integration.entry_id)
    assert sorted((d.model or "", d.name or "") for d in devices) == [
        ("Account", "Live Expert homeassistant"),
        ("Category and language", "Category 12, language 1"),
        ("Category and language", "Category 12, language 2"),
        ("Category and language", "Category 17, language 1"),
        ("Expert", "Expert 1001"),
        ("Expert", "Expert 1003"),
        ("Expert", "Expert 1004"),
    ]
    sim = live_expert(simulator)
    total = 0
    for pair in ("12:1", "12:2", "17:1"):
        category, language = pair.split(":")
        figures = sim.figures({"categoryID": category, "languageID": language})
        total += figures["queueLength"]
        for key, name in (
            ("waiting", "queueLength"),
            ("agents_logged_in", "loggedInExperts"),
            ("agents_available", "availableExperts"),
            ("agents_busy", "activeExperts"),
        ):
            state = hass.states.get(_entity(entity_registry, "sensor", f"queue_{pair}_{key}"))
            assert state is not None
            assert state.state == str(figures[name])
    account_waiting = hass.states.get(_entity(entity_registry, "sensor", "waiting"))
    assert account_waiting is not None
    assert account_waiting.state == str(total)
    account_entities = {
        entry.unique_id.removeprefix(f"{TEST_UNIQUE_ID}_")
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if "_queue_" not in entry.unique_id and "_agent_" not in entry.unique_id
    }
    assert account_entities == {"waiting", "customers_waiting", "health", "extra_latest_export"}


async def test_figures_move_and_only_changes_are_written(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An expert going offline changes that expert's entities; a quiet poll writes nothing."""
    sim = live_expert(simulator)
    sim.set_expert("1004", "available")
    await poll(hass, frozen_time)
    status = _entity(entity_registry, "sensor", "agent_1004_status")
    available = _entity(entity_registry, "binary_sensor", "agent_1004_available")
    assert hass.states.get(status).state == "available"
    assert hass.states.get(available).state == "on"

    written: list[str] = []
    hass.bus.async_listen("state_changed", callback(lambda e: written.append(e.data["entity_id"])))
    await poll(hass, frozen_time)
    assert written == []

    sim.set_expert("1004", "unavailable")
    await poll(hass, frozen_time)
    # Expert 1004 serves category 17 in language 1 too: only those figures follow.
    assert {status, available} <= set(written)
    assert all(
        eid in (status, available) or eid.startswith("sensor.category_17_language_1_")
        for eid in written
    )
    assert hass.states.get(status).state == "away"
    assert hass.states.get(available).state == "off"

    written.clear()
    sim.set_queue("17", "1", 0)
    sim.set_queue("12", "1", 0)
    sim.set_queue("12", "2", 0)
    await poll(hass, frozen_time)
    assert hass.states.get(_entity(entity_registry, "sensor", "waiting")).state == "0"
    customers = _entity(entity_registry, "binary_sensor", "customers_waiting")
    assert hass.states.get(customers).state == "off"
    sim.set_queue("17", "1", 2)
    await poll(hass, frozen_time)
    assert hass.states.get(customers).state == "on"
    assert hass.states.get(_entity(entity_registry, "sensor", "queue_17:1_waiting")).state == "2"


async def test_token_renewal_keeps_polling(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Short-lived tokens are renewed between polls without a failed poll."""
    sim = live_expert(simulator)
    sim.token_lifetime = 40
    sim.expire_tokens()
    coordinator = init_integration.runtime_data
    issued = sim.tokens_issued
    for _ in range(8):
        await poll(hass, frozen_time)
        assert coordinator.last_update_success
    # Eight polls 15 s apart with 40-second tokens renewed 20 s early: one token per 20 s or so.
    assert 4 <= sim.tokens_issued - issued <= 8


@pytest.mark.parametrize("fault", list(Fault), ids=str)
async def test_fault_makes_entities_unavailable_until_next_good_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    fault: Fault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each fault mode: unavailable after the failed poll, back after the next good one.

    The export date comes from the hourly coordinator, so a failed poll leaves it alone.
    """
    entity_ids = [
        eid for eid in hass.states.async_entity_ids() if not eid.endswith("latest_data_export")
    ]
    await check_fault_cycle(
        hass,
        simulator.sim,
        "live_expert",
        init_integration.runtime_data,
        fault,
        caplog,
        entity_ids=entity_ids,
    )


async def test_failing_target_is_unavailable_alone(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An error body for one target makes its entities unavailable; the rest keep working."""
    sim = live_expert(simulator)
    sim.fail_target("12:2", "Category is being edited")
    await poll(hass, frozen_time)
    assert (
        hass.states.get(_entity(entity_registry, "sensor", "queue_12:2_waiting")).state
        == STATE_UNAVAILABLE
    )
    assert (
        hass.states.get(_entity(entity_registry, "sensor", "queue_12:1_waiting")).state
        != STATE_UNAVAILABLE
    )
    sim.fail_target("12:2", None)
    await poll(hass, frozen_time)
    assert (
        hass.states.get(_entity(entity_registry, "sensor", "queue_12:2_waiting")).state
        != STATE_UNAVAILABLE
    )


async def test_availability_only_client_has_no_export_sensor(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Without the dataExport scope there is no export entity and no list request."""
    sim = live_expert(simulator)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="availability-only@x",
        title="Live Expert availability-only",
        data=live_expert_data(
            simulator,
            client_id="availability-only",
            client_secret=sim.clients["availability-only"].secret,
            expert_ids="1001",
            category_languages="",
        ),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.slow is None
    unique_ids = {
        e.unique_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    assert unique_ids == {
        "availability-only@x_agent_1001_status",
        "availability-only@x_agent_1001_available",
    }
    assert "/dataexport/listFiles" not in {r.path for r in simulator.sim.requests}
    # The account device exists without entities of its own, so the expert's device hangs below it.
    account = device_registry.async_get_device(identifiers={(DOMAIN, "availability-only@x")})
    assert account is not None
    expert = device_registry.async_get_device(
        identifiers={(DOMAIN, "availability-only@x_agent_1001")}
    )
    assert expert is not None
    assert expert.via_device_id == account.id
    assert "non existing `via_device`" not in caplog.text


async def test_export_sensor_follows_the_slow_poll(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The newest export date is read hourly, not on every poll; a failure affects it alone."""
    sim = live_expert(simulator)
    entity_id = _entity(entity_registry, "sensor", "extra_latest_export")
    assert hass.states.get(entity_id).state == "2026-11-20"
    lists = [r for r in simulator.sim.requests if r.path == "/dataexport/listFiles"]
    assert len(lists) == 1
    for _ in range(4):
        await poll(hass, frozen_time)
    assert len([r for r in simulator.sim.requests if r.path == "/dataexport/listFiles"]) == 1

    for day in sim.export_days():
        sim.set_export(day, None)
    frozen_time.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(entity_id).state == STATE_UNKNOWN

    # The scope taken away: the export entity is unavailable, polling goes on, no reauth.
    sim.set_scopes("homeassistant", ["expertAvailabilityCheck"])
    frozen_time.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    assert init_integration.runtime_data.last_update_success
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_removed_target_device_goes_at_reload(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Devices of targets no longer configured go at once, not after the stale week."""
    entry = init_integration
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "expert_ids": "1003", "category_languages": ""}
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    names = sorted(
        d.name or "" for d in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    )
    assert names == ["Expert 1003", "Live Expert homeassistant"]
    assert entry.runtime_data.capabilities.queue == frozenset()


async def test_refused_targets_say_so_in_the_log(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """When every target is refused, the failure names the refusal, not an unreadable answer."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="refused",
        data=live_expert_data(simulator, expert_ids="4242", category_languages=""),
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "refused an expert" in (entry.reason or "")
    assert "Unknown expert: 4242" in (entry.reason or "")
