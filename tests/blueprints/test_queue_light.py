"""queue_light.yaml: the lamp follows the queue's health, driven by the simulator's queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_SCAN_INTERVAL, EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import poll, submit_options
from .conftest import automation_from

OK, WARNING, ALERT, BLUE = [0, 200, 0], [255, 150, 0], [255, 0, 0], [0, 0, 255]
LAMP = "light.queue_lamp"


async def _queue_light(hass: HomeAssistant, **inputs: Any) -> None:
    await automation_from(
        hass,
        "queue_light.yaml",
        {"health_sensor": "sensor.support_health", "light": {"entity_id": LAMP}, **inputs},
    )


@pytest.fixture
async def thresholds(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    frozen_time: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """Support empty, and thresholds low enough for the simulator's queue to cross them."""
    for department_id in simulator.sim.live_guide.departments:
        simulator.sim.live_guide.set_waiting(department_id, 0, 0)
    await submit_options(
        hass,
        init_integration,
        {CONF_SCAN_INTERVAL: 15, "waiting_warning": 1, "waiting_alert": 3},
    )
    await poll(hass, frozen_time)
    assert hass.states.get("sensor.support_health").state == "ok"
    return init_integration


def _colors(calls: list[ServiceCall]) -> list[list[int]]:
    return [list(call.data["rgb_color"]) for call in calls]


async def test_lamp_follows_every_level_change(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    thresholds: MockConfigEntry,
    blueprint_config_dir: Path,
) -> None:
    """One light.turn_on per level change, with that level's colour; none between changes."""
    turn_on = async_mock_service(hass, "light", "turn_on")
    turn_off = async_mock_service(hass, "light", "turn_off")
    await _queue_light(hass)
    assert turn_on == []

    live_guide = simulator.sim.live_guide
    live_guide.set_waiting("2", 1, 5)
    await poll(hass, frozen_time)
    await poll(hass, frozen_time)  # the wait grows: the level stays
    live_guide.set_waiting("2", 2, 5)
    await poll(hass, frozen_time)  # more waiting, still a warning
    live_guide.set_waiting("2", 4, 5)
    await poll(hass, frozen_time)
    live_guide.set_waiting("2", 0, 0)
    await poll(hass, frozen_time)
    assert _colors(turn_on) == [WARNING, ALERT, OK]
    assert all(call.data["entity_id"] == [LAMP] for call in turn_on)
    assert "flash" not in turn_on[1].data
    assert turn_off == []

    simulator.sim.set_fault("live_guide", Fault.SERVER_ERROR)
    await poll(hass, frozen_time)
    assert len(turn_off) == 1
    assert turn_off[0].data["entity_id"] == [LAMP]
    simulator.sim.clear_faults()
    await poll(hass, frozen_time)
    assert _colors(turn_on) == [WARNING, ALERT, OK, OK]


async def test_colour_while_unavailable_and_flash_on_alert(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    thresholds: MockConfigEntry,
    blueprint_config_dir: Path,
) -> None:
    """The lamp shows the chosen colour while unknown, flashes on alert, then takes its colour."""
    turn_on = async_mock_service(hass, "light", "turn_on")
    turn_off = async_mock_service(hass, "light", "turn_off")
    await _queue_light(
        hass,
        when_unavailable="color",
        unavailable_color=BLUE,
        alert_flash=True,
        ok_color=[10, 20, 30],
    )
    live_guide = simulator.sim.live_guide
    live_guide.set_waiting("2", 5, 5)
    await poll(hass, frozen_time)
    live_guide.set_waiting("2", 1, 5)
    await poll(hass, frozen_time)
    simulator.sim.set_fault("live_guide", Fault.MALFORMED)
    await poll(hass, frozen_time)
    assert _colors(turn_on) == [ALERT, WARNING, BLUE]
    assert turn_on[0].data["flash"] == "long"
    assert "flash" not in turn_on[1].data
    assert turn_off == []
    simulator.sim.clear_faults()
    live_guide.set_waiting("2", 0, 0)
    await poll(hass, frozen_time)
    assert _colors(turn_on)[-1] == [10, 20, 30]


async def test_lamp_is_set_when_home_assistant_starts(
    hass: HomeAssistant, thresholds: MockConfigEntry, blueprint_config_dir: Path
) -> None:
    """At start the lamp takes the current level's colour without waiting for a change."""
    turn_on = async_mock_service(hass, "light", "turn_on")
    hass.set_state(CoreState.not_running)
    await _queue_light(hass)
    assert turn_on == []
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    assert _colors(turn_on) == [OK]
