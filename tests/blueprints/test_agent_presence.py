"""agent_presence.yaml: one set of actions per kind of status, from the simulator's operator."""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from ..conftest import RunningSimulator
from ..helpers import poll
from .conftest import automation_from

JOHN = "john.smith@example.com"


async def test_actions_follow_the_status(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    blueprint_config_dir: Path,
) -> None:
    """Available, busy and offline each run their own actions, once per change."""
    live_guide = simulator.sim.live_guide
    live_guide.set_operator(JOHN, "available", logged_in=True)
    await poll(hass, frozen_time)
    assert hass.states.get("sensor.john_smith_status").state == "available"
    calls = {kind: async_mock_service(hass, "scene", kind) for kind in ("desk", "busy", "gone")}
    await automation_from(
        hass,
        "agent_presence.yaml",
        {
            "status_sensor": "sensor.john_smith_status",
            "available_actions": [{"action": "scene.desk"}],
            "busy_actions": [{"action": "scene.busy"}],
            "offline_actions": [{"action": "scene.gone"}],
        },
    )

    def counts() -> dict[str, int]:
        return {kind: len(made) for kind, made in calls.items()}

    live_guide.set_operator(JOHN, "busy")
    await poll(hass, frozen_time)
    await poll(hass, frozen_time)
    assert counts() == {"desk": 0, "busy": 1, "gone": 0}
    live_guide.set_operator(JOHN, logged_in=False)
    await poll(hass, frozen_time)
    assert counts() == {"desk": 0, "busy": 1, "gone": 1}
    live_guide.set_operator(JOHN, "available", logged_in=True)
    await poll(hass, frozen_time)
    assert counts() == {"desk": 1, "busy": 1, "gone": 1}
