"""Bright Pattern data of a wrong shape in Home Assistant: unavailable, never new values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.api.bright_pattern import APP_ID
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import check_wrong_shape_cycle
from .conftest import setup_entry

Reshape = Callable[[dict[str, Any]], Any]


def _part(name: str, value: Any) -> Reshape:
    return lambda data: {APP_ID: {**data[APP_ID], name: value}}


def _rows(grid: str, change: Callable[[list[dict[str, Any]]], Any]) -> Reshape:
    def reshape(data: dict[str, Any]) -> Any:
        section = data[APP_ID]
        grids = [{**g, "values": change(g["values"])} for g in section[grid]]
        return {APP_ID: {**section, grid: grids}}

    return reshape


WRONG_SHAPES: dict[str, Reshape] = {
    "service_grids_text": _part("service_grids", "temporarily unavailable"),
    "agent_grids_text": _part("agent_grids", "temporarily unavailable"),
    "service_values_text": _rows("service_grids", lambda _rows: "none"),
    "agent_values_text": _rows("agent_grids", lambda _rows: "none"),
    "stats_totals_text": _part("stats_totals", "temporarily unavailable"),
    "empty_app_object": lambda _data: {APP_ID: {}},
    "another_app_id": lambda data: {"another_app": data[APP_ID]},
    "waiting_rounded": _rows(
        "service_grids", lambda rows: [{**rows[0], "in_calls_waiting": "2.6"}, *rows[1:]]
    ),
    "agent_without_login": _rows(
        "agent_grids", lambda rows: [{**rows[0], "login_id": ""}, *rows[1:]]
    ),
    "not_json": lambda _data: b"<html><body>Maintenance</body></html>",
}


def _entity_ids(registry: er.EntityRegistry, entry: MockConfigEntry) -> list[str]:
    return [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain in ("sensor", "binary_sensor") and not e.disabled
    ]


@pytest.mark.parametrize("shape", list(WRONG_SHAPES))
async def test_wrong_shape_makes_entities_unavailable_until_good_data(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    shape: str,
) -> None:
    entry = await setup_entry(hass, oauth_entry)

    def heal() -> None:
        bp.reshape_data = None

    def spoil() -> None:
        bp.reshape_data = WRONG_SHAPES[shape]

    await check_wrong_shape_cycle(
        hass, entry.runtime_data, spoil, heal, caplog, _entity_ids(entity_registry, entry)
    )


async def test_failed_setup_deletes_its_subscription(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """A first poll that fails after subscribing leaves no subscription behind for the retry."""
    bp.reshape_data = WRONG_SHAPES["service_grids_text"]
    entry = await setup_entry(hass, oauth_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert bp.subscriptions == {}
    assert bp.deleted_subscriptions == 1


async def test_lost_subscriptions_are_not_a_storm(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """While the data answers 404 even for new subscriptions: at most one new one per poll."""
    entry = await setup_entry(hass, oauth_entry)
    bp.lose_subscriptions = True
    made: list[int] = []
    for _ in range(4):
        simulator.sim.reset_log()
        await entry.runtime_data.async_refresh()
        assert not entry.runtime_data.last_update_success
        made.append(
            sum(
                (r.method, r.path) == ("POST", "/statsapi/subscription")
                for r in simulator.sim.requests
            )
        )
    # The clock does not move here: after the second loss in a row the client waits.
    assert made == [1, 1, 0, 0]
    bp.lose_subscriptions = False
