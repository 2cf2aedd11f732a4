"""The supervisor message event: once per new message, never for old ones."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN
from simulator import Fault
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import poll
from .conftest import UNIQUE_ID, setup_entry


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, registry: er.EntityRegistry
) -> tuple[str, list[Event]]:
    await setup_entry(hass, entry)
    entity_id = registry.async_get_entity_id("event", DOMAIN, f"{UNIQUE_ID}_message")
    assert entity_id is not None
    fired: list[Event] = []

    last: list[tuple[str, object]] = []

    @callback
    def record(event: Event) -> None:
        """Count a firing: a new (moment, message id), not a return from unavailable."""
        new = event.data["new_state"]
        if event.data["entity_id"] != entity_id or new is None:
            return
        if new.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            return
        key = (new.state, new.attributes.get("message_id"))
        if not last or last[-1] != key:
            last.append(key)
            fired.append(event)

    hass.bus.async_listen("state_changed", record)
    return entity_id, fired


async def test_old_messages_do_not_fire_at_setup(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    entity_id, fired = await _setup(hass, oauth_entry, entity_registry)
    assert bp.messages
    assert hass.states.get(entity_id).state == STATE_UNKNOWN
    await poll(hass, frozen_time)
    assert fired == []


async def test_each_new_message_fires_once(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Sender, urgency and text travel with the event; later polls do not repeat it."""
    entity_id, fired = await _setup(hass, oauth_entry, entity_registry)
    message_id = bp.post_message("Queue building up in Support!", urgent=True, sender=1)
    await poll(hass, frozen_time)
    assert len(fired) == 1
    state = hass.states.get(entity_id)
    assert state.attributes["event_type"] == "message"
    assert state.attributes["message_id"] == message_id
    assert state.attributes["sender"] == "Morgan Brown"
    assert state.attributes["sender_id"] == "mbrown"
    assert state.attributes["urgent"] is True
    assert state.attributes["text"] == "Queue building up in Support!"
    assert state.attributes["sent_at"] == "2026-11-23T12:00:00+00:00"

    await poll(hass, frozen_time)
    await poll(hass, frozen_time)
    assert len(fired) == 1

    first = bp.post_message("One")
    second = bp.post_message("Two")
    await poll(hass, frozen_time)
    assert [e.data["new_state"].attributes["message_id"] for e in fired[1:]] == [first, second]
    assert hass.states.get(entity_id).attributes["urgent"] is False


async def test_no_refire_after_resubscribe_failure_or_reload(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A new subscription, a failed poll or a restart bring the same messages again: silence."""
    entity_id, fired = await _setup(hass, oauth_entry, entity_registry)
    bp.post_message("Seen once")
    await poll(hass, frozen_time)
    assert len(fired) == 1

    bp.expire_subscriptions()
    await poll(hass, frozen_time)
    simulator.sim.set_fault("bright_pattern", Fault.SERVER_ERROR)
    await poll(hass, frozen_time)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    simulator.sim.clear_faults()
    await poll(hass, frozen_time)
    assert len(fired) == 1

    await hass.config_entries.async_reload(oauth_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, frozen_time)
    assert len(fired) == 1

    bp.post_message("After the restart")
    await poll(hass, frozen_time)
    assert len(fired) == 2
    assert hass.states.get(entity_id).attributes["text"] == "After the restart"


async def test_seen_ids_stay_bounded(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    from custom_components.contact_center import event as event_module
    from custom_components.contact_center.api import Message

    await setup_entry(hass, oauth_entry)
    entity = event_module.MessageEvent(oauth_entry.runtime_data)
    for index in range(event_module.SEEN_LIMIT + 5):
        assert entity._remember(Message(id=str(index), text=""))
    assert len(entity._seen) == event_module.SEEN_LIMIT
    assert not entity._remember(Message(id=str(event_module.SEEN_LIMIT + 4), text=""))
    assert entity._remember(Message(id="0", text=""))


async def test_moving_scenario_changes_agents_and_posts_messages(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """As in scripts/develop: an unfrozen tenant moves agents and posts chat messages."""
    entity_id, fired = await _setup(hass, oauth_entry, entity_registry)
    statuses = {s.entity_id: s.state for s in hass.states.async_all("sensor")}
    bp.unfreeze()
    for _ in range(4):
        simulator.sim.advance(900)
        await poll(hass, frozen_time)
    assert fired
    assert hass.states.get(entity_id).attributes["text"]
    assert {s.entity_id: s.state for s in hass.states.async_all("sensor")} != statuses


async def test_message_sent_while_away_fires_once_after_restart(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The seen ids are restored: only the message sent while unloaded fires, and only once."""
    entity_id, fired = await _setup(hass, oauth_entry, entity_registry)
    bp.post_message("Before")
    await poll(hass, frozen_time)
    assert len(fired) == 1

    assert await hass.config_entries.async_unload(oauth_entry.entry_id)
    await hass.async_block_till_done()
    away = bp.post_message("While away")
    assert await hass.config_entries.async_setup(oauth_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await poll(hass, frozen_time)
    await poll(hass, frozen_time)
    assert [e.data["new_state"].attributes["message_id"] for e in fired[1:]] == [away]
    assert hass.states.get(entity_id).attributes["text"] == "While away"
