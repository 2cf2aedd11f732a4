"""Health from a service level: wolkvox is a vendor that reports one per skill."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ..conftest import RunningSimulator
from ..helpers import submit_options


async def _configure(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]
) -> ConfigFlowResult:
    return await submit_options(hass, entry, {CONF_SCAN_INTERVAL: 300, **options})


async def test_service_level_rule(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_integration: MockConfigEntry
) -> None:
    """A skill below the warning level is warning, below the alert level alert."""
    wolkvox = simulator.sim.wolkvox
    wolkvox.set_skill("101", waiting=0, answered=100, within=(50, 70, 90))
    wolkvox.set_skill("102", waiting=0, answered=100, within=(50, 50, 90))
    wolkvox.set_skill("103", waiting=0, answered=100, within=(50, 95, 99))
    result = await _configure(
        hass, wolkvox_integration, {"service_level_warning": 80, "service_level_alert": 60.5}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert wolkvox_integration.options["service_level_alert"] == 60.5
    ventas = hass.states.get("sensor.ventas_health")
    assert (ventas.state, ventas.attributes["reasons"]) == ("warning", ["service_level"])
    assert hass.states.get("sensor.soporte_health").state == "alert"
    # The account has no service level of its own: no rule applies to it.
    assert hass.states.get("sensor.wolkvox_0002_health").state == "ok"


async def test_service_level_fields_are_offered(
    hass: HomeAssistant, wolkvox_integration: MockConfigEntry
) -> None:
    """wolkvox reports a service level, and no agents: the form follows."""
    result = await hass.config_entries.options.async_init(wolkvox_integration.entry_id)
    fields = {str(key) for key in result["data_schema"].schema}
    assert {"service_level_warning", "service_level_alert", "waiting_alert"} <= fields
    assert "agents" not in fields
    assert "longest_wait_alert" not in fields


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        ({"service_level_alert": 101}, {"service_level_alert": "not_a_percentage"}),
        ({"service_level_warning": -1}, {"service_level_warning": "negative_threshold"}),
        (
            {"service_level_warning": 60, "service_level_alert": 80},
            {"service_level_warning": "warning_not_above_alert"},
        ),
        (
            {"service_level_warning": 70, "service_level_alert": 70},
            {"service_level_warning": "warning_not_above_alert"},
        ),
    ],
)
async def test_bad_service_levels_are_refused(
    hass: HomeAssistant,
    wolkvox_integration: MockConfigEntry,
    options: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """A service level is a percentage, and its warning lies above its alert."""
    result = await _configure(hass, wolkvox_integration, options)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
