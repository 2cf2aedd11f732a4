"""long_wait_alert.yaml: once per crossing of the simulator's longest wait, after it held."""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from ..conftest import RunningSimulator
from ..helpers import poll
from .conftest import automation_from


async def test_fires_once_per_crossing(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    blueprint_config_dir: Path,
) -> None:
    """A wait above 60 s for 30 s runs the actions once; only a new crossing runs them again."""
    live_guide = simulator.sim.live_guide
    for department_id in live_guide.departments:
        live_guide.set_waiting(department_id, 0, 0)
    await poll(hass, frozen_time)
    notified = async_mock_service(hass, "notify", "reception_phone")
    await automation_from(
        hass,
        "long_wait_alert.yaml",
        {
            "longest_wait_sensor": "sensor.support_longest_wait",
            "threshold": 60,
            "for": {"seconds": 30},
            "actions": [
                {
                    "action": "notify.reception_phone",
                    "data": {"message": "{{ trigger.to_state.state }} s in Support"},
                }
            ],
        },
    )

    live_guide.set_waiting("2", 1, 25)  # each poll is 15 s later
    await poll(hass, frozen_time)  # 40 s
    await poll(hass, frozen_time)  # 55 s
    await poll(hass, frozen_time)  # 70 s: above; the 30 s start
    await poll(hass, frozen_time)  # 85 s
    assert notified == []
    await poll(hass, frozen_time)  # 100 s: held for 30 s
    assert len(notified) == 1
    assert notified[0].data["message"] == "70 s in Support"
    for _ in range(5):
        await poll(hass, frozen_time)
    assert len(notified) == 1

    live_guide.set_waiting("2", 0, 0)
    await poll(hass, frozen_time)
    live_guide.set_waiting("2", 1, 65)
    await poll(hass, frozen_time)  # 80 s: above again, but not for 30 s
    live_guide.set_waiting("2", 0, 0)
    await poll(hass, frozen_time)
    await poll(hass, frozen_time)
    await poll(hass, frozen_time)
    assert len(notified) == 1
    live_guide.set_waiting("2", 1, 90)
    for _ in range(3):
        await poll(hass, frozen_time)
    assert len(notified) == 2
