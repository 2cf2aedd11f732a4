"""Counts of people and conversations carry no unit; durations are in s, shares in %."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import PERCENTAGE, UnitOfTime

from custom_components.contact_center.sensor import AGENT_SENSORS, FIGURE_SENSORS

TRANSLATIONS = (
    Path(__file__).resolve().parent.parent / "custom_components/contact_center/translations/en.json"
)


def test_no_translated_units() -> None:
    """Home Assistant shows a translated unit verbatim: "1 customers", "1 agents"."""
    sensors = json.loads(TRANSLATIONS.read_text())["entity"]["sensor"]
    assert {key for key, value in sensors.items() if "unit_of_measurement" in value} == set()


def test_units_only_on_durations_and_shares() -> None:
    for description in (*FIGURE_SENSORS, *AGENT_SENSORS):
        unit = description.native_unit_of_measurement
        if description.device_class is SensorDeviceClass.DURATION:
            assert unit == UnitOfTime.SECONDS, description.key
        elif description.key in ("service_level", "abandoned_pct"):
            assert unit == PERCENTAGE, description.key
        else:
            assert unit is None, description.key
