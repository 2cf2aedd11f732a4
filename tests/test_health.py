"""Health: thresholds in the options, the ok / warning / alert sensor, and its writes."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_SCAN_INTERVAL, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.api import Figures
from custom_components.contact_center.health import (
    RULES,
    ArmedRule,
    Health,
    HealthLevel,
    evaluate,
)
from simulator import Fault

from .conftest import RunningSimulator
from .helpers import poll, submit_options

ACCOUNT_HEALTH = "sensor.live_guide_chat_example_com_health"
SUPPORT_HEALTH = "sensor.support_health"
SALES_HEALTH = "sensor.sales_health"
RULE = {rule.key: rule for rule in RULES}
OK, WARNING, ALERT = HealthLevel.OK, HealthLevel.WARNING, HealthLevel.ALERT
NOT_BELOW = "warning_not_below_alert"


def _armed(key: str, warning: float | None, alert: float | None) -> ArmedRule:
    return ArmedRule(RULE[key], warning, alert)


@pytest.mark.parametrize(
    ("figures", "rules", "expected"),
    [
        # waiting: at or above N
        (Figures(waiting=2), (_armed("waiting", 3, 5),), Health(OK, ())),
        (Figures(waiting=3), (_armed("waiting", 3, 5),), Health(WARNING, ("waiting",))),
        (Figures(waiting=5), (_armed("waiting", 3, 5),), Health(ALERT, ("waiting",))),
        (Figures(waiting=9), (_armed("waiting", None, 5),), Health(ALERT, ("waiting",))),
        (Figures(waiting=9), (_armed("waiting", 3, None),), Health(WARNING, ("waiting",))),
        (Figures(waiting=0), (_armed("waiting", 0, None),), Health(WARNING, ("waiting",))),
        # longest wait: seconds at or above N
        (Figures(longest_wait=59), (_armed("longest_wait", 60, 120),), Health(OK, ())),
        (
            Figures(longest_wait=60),
            (_armed("longest_wait", 60, 120),),
            Health(WARNING, ("longest_wait",)),
        ),
        (
            Figures(longest_wait=120),
            (_armed("longest_wait", 60, 120),),
            Health(ALERT, ("longest_wait",)),
        ),
        # service level: below N
        (Figures(service_level=80.0), (_armed("service_level", 80, 60),), Health(OK, ())),
        (
            Figures(service_level=79.9),
            (_armed("service_level", 80, 60),),
            Health(WARNING, ("service_level",)),
        ),
        (
            Figures(service_level=59.0),
            (_armed("service_level", 80, 60),),
            Health(ALERT, ("service_level",)),
        ),
        # several rules: the worst level wins, every rule that fired is a reason
        (
            Figures(waiting=4, longest_wait=200, service_level=70.0),
            (
                _armed("waiting", 3, 5),
                _armed("longest_wait", 60, 120),
                _armed("service_level", 80, 60),
            ),
            Health(ALERT, ("waiting", "longest_wait", "service_level")),
        ),
        (
            Figures(waiting=4, longest_wait=10),
            (_armed("waiting", 3, 5), _armed("longest_wait", 60, 120)),
            Health(WARNING, ("waiting",)),
        ),
        # a missing figure is left out, not taken as fine
        (
            Figures(waiting=None, longest_wait=130),
            (_armed("waiting", 3, 5), _armed("longest_wait", 60, 120)),
            Health(ALERT, ("longest_wait",)),
        ),
        (Figures(), (_armed("waiting", 3, 5),), None),
        # no rule: ok
        (Figures(waiting=50), (), Health(OK, ())),
    ],
)
def test_evaluate(figures: Figures, rules: tuple[ArmedRule, ...], expected: Health | None) -> None:
    """Each rule fires at its threshold; the level is the worst that fired."""
    assert evaluate(figures, rules) == expected


async def _set_options(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]
) -> ConfigFlowResult:
    return await submit_options(hass, entry, {CONF_SCAN_INTERVAL: 15, **options})


async def test_without_thresholds_health_is_ok(
    hass: HomeAssistant, simulator: RunningSimulator, init_integration: MockConfigEntry
) -> None:
    """With no threshold set, the account and every queue are ok, whatever waits."""
    simulator.sim.live_guide.set_waiting("2", 9, 900)
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    for entity_id in (ACCOUNT_HEALTH, SUPPORT_HEALTH, SALES_HEALTH):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == "ok"
        assert state.attributes["reasons"] == []
        assert state.attributes["options"] == ["ok", "warning", "alert"]


async def test_levels_follow_the_figures(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Thresholds from the options colour each queue and the account by its own figures."""
    live_guide = simulator.sim.live_guide
    for department_id in live_guide.departments:
        live_guide.set_waiting(department_id, 0, 0)
    result = await _set_options(
        hass,
        init_integration,
        {"waiting_warning": 2, "waiting_alert": 4, "longest_wait_alert": 120},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_SCAN_INTERVAL: 15,
        "waiting_warning": 2,
        "waiting_alert": 4,
        "longest_wait_alert": 120,
    }
    assert hass.states.get(SUPPORT_HEALTH).state == "ok"

    live_guide.set_waiting("2", 2, 30)
    await poll(hass, frozen_time)
    support = hass.states.get(SUPPORT_HEALTH)
    assert (support.state, support.attributes["reasons"]) == ("warning", ["waiting"])
    assert hass.states.get(SALES_HEALTH).state == "ok"
    assert hass.states.get(ACCOUNT_HEALTH).state == "warning"

    live_guide.set_waiting("2", 2, 200)
    await poll(hass, frozen_time)
    support = hass.states.get(SUPPORT_HEALTH)
    assert (support.state, support.attributes["reasons"]) == (
        "alert",
        ["waiting", "longest_wait"],
    )

    live_guide.set_waiting("2", 5, 10)
    live_guide.set_waiting("1", 2, 10)
    await poll(hass, frozen_time)
    assert hass.states.get(SUPPORT_HEALTH).attributes["reasons"] == ["waiting"]
    assert hass.states.get(SUPPORT_HEALTH).state == "alert"
    assert hass.states.get(SALES_HEALTH).state == "warning"

    for department_id in ("1", "2"):
        live_guide.set_waiting(department_id, 0, 0)
    await poll(hass, frozen_time)
    assert hass.states.get(SUPPORT_HEALTH).state == "ok"
    assert hass.states.get(ACCOUNT_HEALTH).state == "ok"


async def test_health_writes_only_when_its_level_changes(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """The wait grows on every poll, the health sensor is written once: when it crosses."""
    live_guide = simulator.sim.live_guide
    for department_id in live_guide.departments:
        live_guide.set_waiting(department_id, 0, 0)
    await _set_options(
        hass, init_integration, {"longest_wait_warning": 100, "longest_wait_alert": 1000}
    )
    live_guide.set_waiting("2", 1, 10)
    await poll(hass, frozen_time)

    writes: dict[str, list[str]] = {}

    @callback
    def count(event: Event[Any]) -> None:
        new = event.data["new_state"]
        writes.setdefault(event.data["entity_id"], []).append(new.state)

    hass.bus.async_listen("state_changed", count)
    for _ in range(12):  # 15 s each: the customer waits 10 s, then 25 s, ... 190 s
        await poll(hass, frozen_time)
    assert len(writes["sensor.support_longest_wait"]) == 12
    assert writes[SUPPORT_HEALTH] == ["warning"]
    assert writes[ACCOUNT_HEALTH] == ["warning"]
    assert SALES_HEALTH not in writes


async def test_unavailable_while_the_figures_are(
    hass: HomeAssistant, simulator: RunningSimulator, init_integration: MockConfigEntry
) -> None:
    """A failed poll or an offline department makes health unavailable, then it comes back."""
    await _set_options(hass, init_integration, {"waiting_alert": 1})
    coordinator = init_integration.runtime_data
    simulator.sim.set_fault("live_guide", Fault.SERVER_ERROR)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(ACCOUNT_HEALTH).state == STATE_UNAVAILABLE
    assert hass.states.get(SUPPORT_HEALTH).state == STATE_UNAVAILABLE
    simulator.sim.clear_faults()
    simulator.sim.live_guide.set_department_online("1", online=False)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(SALES_HEALTH).state == STATE_UNAVAILABLE
    assert hass.states.get(SUPPORT_HEALTH).state in {"ok", "alert"}


async def test_unavailable_when_no_needed_figure_is_known(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An answer that lacks every figure a rule needs leaves health unknown, not ok."""
    await _set_options(hass, init_integration, {"waiting_alert": 1})
    coordinator = init_integration.runtime_data
    data = coordinator.data
    coordinator.async_set_updated_data(
        type(data)(totals=Figures(), queues=data.queues, agents=data.agents)
    )
    await hass.async_block_till_done()
    assert hass.states.get(ACCOUNT_HEALTH).state == STATE_UNAVAILABLE
    assert hass.states.get(SUPPORT_HEALTH).state != STATE_UNAVAILABLE


async def test_interval_alone_does_not_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Changing the poll interval keeps the coordinator; a threshold reloads the entry."""
    coordinator = init_integration.runtime_data
    await _set_options(hass, init_integration, {CONF_SCAN_INTERVAL: 30})
    assert init_integration.runtime_data is coordinator
    await _set_options(hass, init_integration, {CONF_SCAN_INTERVAL: 30, "waiting_alert": 3})
    assert init_integration.runtime_data is not coordinator


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        ({"waiting_warning": 5, "waiting_alert": 5}, {"waiting_warning": NOT_BELOW}),
        ({"waiting_warning": 6, "waiting_alert": 2}, {"waiting_warning": NOT_BELOW}),
        ({"waiting_alert": -1}, {"waiting_alert": "negative_threshold"}),
        (
            {"longest_wait_warning": -5, "longest_wait_alert": 60},
            {"longest_wait_warning": "negative_threshold"},
        ),
        (
            {"longest_wait_warning": 300, "longest_wait_alert": 60},
            {"longest_wait_warning": NOT_BELOW},
        ),
    ],
)
async def test_options_refuse_bad_thresholds(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Each bad threshold is named on its own field, and nothing is stored."""
    result = await _set_options(hass, init_integration, options)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert init_integration.options == {}


async def test_options_offer_service_level_only_where_reported(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Live Guide reports no service level: its form has no service level thresholds."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    fields = {str(key) for key in result["data_schema"].schema}
    assert {"waiting_warning", "longest_wait_alert", "agents"} <= fields
    assert not {"service_level_warning", "service_level_alert"} & fields
