"""The Home Assistant side of issue 9, for any vendor: a wrong shape is a failed poll, never data.

After a good poll the simulator serves a body of the wrong shape: every entity must become
unavailable without ever taking a new value, with one log line, and the next good answer must
bring the same figures back.
"""

from __future__ import annotations

import logging

from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
import pytest

from custom_components.contact_center.coordinator import ContactCenterCoordinator
from simulator import Simulator


def _states(hass: HomeAssistant, entity_ids: list[str]) -> dict[str, str]:
    return {eid: state.state for eid in entity_ids if (state := hass.states.get(eid)) is not None}


async def check_wrong_shape_cycle(
    hass: HomeAssistant,
    sim: Simulator,
    vendor: str,
    coordinator: ContactCenterCoordinator,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
    *,
    secret: str,
    steady: frozenset[str] = frozenset(),
) -> None:
    """Serve ``body`` after a good poll: unavailable, one error line, then the same figures back.

    ``secret`` (the entry's token or key) must be in no log line and no error text.

    ``steady`` names entities whose state may move on by itself between polls (a quota counter);
    they must still become unavailable and come back, but not necessarily to the same value.
    """
    caplog.set_level(logging.INFO)
    entity_ids = [
        eid for eid in hass.states.async_entity_ids() if eid.startswith(("sensor.", "binary_"))
    ]
    assert entity_ids
    before = _states(hass, entity_ids)
    assert STATE_UNAVAILABLE not in before.values()
    data_before = coordinator.data
    caplog.clear()

    written: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] in before and (new := event.data["new_state"]) is not None:
            written.append(new.state)

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    try:
        sim.serve_body(vendor, body)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        await coordinator.async_refresh()
        await hass.async_block_till_done()
    finally:
        unsubscribe()
    # Every entity went unavailable, and no entity was given a value in between.
    assert set(_states(hass, entity_ids).values()) == {STATE_UNAVAILABLE}
    assert set(written) == {STATE_UNAVAILABLE}
    assert coordinator.data is data_before
    assert coordinator.last_exception is not None
    assert getattr(coordinator.last_exception, "translation_key", None) == "invalid_response"
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "Traceback" not in caplog.text
    assert secret not in caplog.text
    assert secret not in repr(coordinator.last_exception)

    sim.serve_body(vendor, None)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    after = _states(hass, entity_ids)
    assert STATE_UNAVAILABLE not in after.values()
    changed = {
        eid: (before.get(eid), state)
        for eid, state in after.items()
        if eid not in steady and state != before.get(eid)
    }
    assert not changed, changed
    assert "data recovered" in caplog.text
