"""The blueprints' inputs are part of the public contract; the README links each for import."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from homeassistant.components.blueprint import BLUEPRINT_SCHEMA
from homeassistant.util.yaml import load_yaml_dict
import pytest

from .conftest import BLUEPRINTS

README = Path(__file__).parents[2] / "README.md"
RAW = "https://raw.githubusercontent.com/contact-center-ha/contact-center/main/"
INPUTS = {
    "queue_light.yaml": {
        "health_sensor",
        "light",
        "ok_color",
        "warning_color",
        "alert_color",
        "when_unavailable",
        "unavailable_color",
        "alert_flash",
    },
    "long_wait_alert.yaml": {"longest_wait_sensor", "threshold", "for", "actions"},
    "agent_presence.yaml": {
        "status_sensor",
        "available_actions",
        "busy_actions",
        "offline_actions",
    },
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_inputs_and_import_link(name: str) -> None:
    """Each blueprint validates, has exactly its inputs and an import link in the README."""
    blueprint = BLUEPRINT_SCHEMA(load_yaml_dict(BLUEPRINTS / name))["blueprint"]
    assert set(blueprint["input"]) == INPUTS[name]
    relative = f"blueprints/automation/contact_center/{name}"
    assert blueprint["source_url"].endswith(relative)
    link = (
        "https://my.home-assistant.io/create-link/?redirect=blueprint_import"
        f"&blueprint_url={quote(RAW + relative, safe='')}"
    )
    assert link in README.read_text(encoding="utf-8")


def test_health_sensor_selector() -> None:
    """The lamp's sensor can only be an enum sensor of this integration."""
    blueprint = load_yaml_dict(BLUEPRINTS / "queue_light.yaml")["blueprint"]
    selector = blueprint["input"]["health_sensor"]["selector"]["entity"]
    assert selector["filter"] == [
        {"integration": "contact_center", "domain": "sensor", "device_class": "enum"}
    ]
    assert blueprint["input"]["light"]["selector"]["target"]["entity"] == [{"domain": "light"}]
