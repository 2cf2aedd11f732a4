"""Live Expert answers of a wrong shape in Home Assistant: unavailable, never new values.

A target is a whole part of the answer: one whose answer is wrong makes only its own entities
unavailable; when every target's answer is wrong, the poll fails and everything is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any
from urllib.parse import quote

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ..conftest import RunningSimulator
from ..helpers import check_wrong_shape_cycle, poll
from .conftest import CATEGORY_LANGUAGES, EXPERTS, TEST_UNIQUE_ID, live_expert

Reshape = Callable[[list[dict[str, Any]]], Any]


def _another_target(results: list[dict[str, Any]]) -> Any:
    result = results[0]
    if result["expertID"] is not None:
        return [{**result, "expertID": 9999}]
    return [{**result, "categoryID": 99}]


WRONG_SHAPES: dict[str, Reshape] = {
    "another_target": _another_target,
    "available_unreadable": lambda r: [{**r[0], "availableExperts": "n/a"}],
    "available_rounded": lambda r: [{**r[0], "availableExperts": "0.6"}],
    "available_missing_loggedin_unreadable": lambda r: [{**r[0], "loggedInExperts": [1]}],
    "text": lambda _r: "temporarily unavailable",
    "object": lambda _r: {"message": "busy"},
    "empty_list": lambda _r: [],
    "numbers": lambda _r: [1, 2],
    "html": lambda _r: b"<!DOCTYPE html><html><body>Maintenance</body></html>",
}
TARGETS = [*EXPERTS.split(","), *CATEGORY_LANGUAGES.split(",")]


def _entity_ids(registry: er.EntityRegistry, entry: MockConfigEntry) -> dict[str, str]:
    """Return the entity ids of the poll-fed entities by unique id (not the hourly export)."""
    return {
        e.unique_id.removeprefix(f"{TEST_UNIQUE_ID}_"): e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain in ("sensor", "binary_sensor") and not e.unique_id.endswith("latest_export")
    }


@pytest.mark.parametrize("shape", list(WRONG_SHAPES))
async def test_wrong_shape_for_one_target_is_unavailable_alone(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    shape: str,
) -> None:
    """One expert and one category answer wrongly: theirs unavailable, the rest unchanged."""
    caplog.set_level(logging.INFO)
    sim = live_expert(simulator)
    ids = _entity_ids(entity_registry, init_integration)
    before = {key: hass.states.get(eid).state for key, eid in ids.items()}  # type: ignore[union-attr]
    assert STATE_UNAVAILABLE not in before.values()
    sim.reshape_target("1003", WRONG_SHAPES[shape])
    sim.reshape_target("12:2", WRONG_SHAPES[shape])
    for _ in range(2):
        await poll(hass, frozen_time)
        for key, eid in ids.items():
            state = hass.states.get(eid).state  # type: ignore[union-attr]
            if "_1003_" in key or "_12:2_" in key:
                assert state == STATE_UNAVAILABLE, key
            elif key in ("waiting", "customers_waiting"):
                # The account's total would be too low without 12:2: it is unknown meanwhile.
                assert state == STATE_UNKNOWN, key
            else:
                assert state == before[key], key
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING" and r.name.startswith("custom_components")
    ]
    assert len(warnings) == 2, warnings
    assert any("agent 1003 is unavailable" in line for line in warnings)
    assert any("queue 12:2 is unavailable" in line for line in warnings)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]

    sim.reshape_target("1003", None)
    sim.reshape_target("12:2", None)
    await poll(hass, frozen_time)
    assert {key: hass.states.get(eid).state for key, eid in ids.items()} == before  # type: ignore[union-attr]
    assert "agent 1003 is readable again" in caplog.text
    # The devices stay: an unreadable target is not one that is gone.
    assert init_integration.runtime_data.tracked


@pytest.mark.parametrize("shape", list(WRONG_SHAPES))
async def test_wrong_shape_everywhere_fails_the_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    shape: str,
) -> None:
    """Every target answers wrongly: the poll fails, one error line, then the same states again."""
    sim = live_expert(simulator)

    def break_answer() -> None:
        for key in TARGETS:
            sim.reshape_target(key, WRONG_SHAPES[shape])

    def heal_answer() -> None:
        for key in TARGETS:
            sim.reshape_target(key, None)

    await check_wrong_shape_cycle(
        hass,
        init_integration.runtime_data,
        break_answer,
        heal_answer,
        caplog,
        _entity_ids(entity_registry, init_integration).values(),
    )


def test_unreadable_subjects_change_and_show_in_plain_data() -> None:
    """An absent agent that turns unreadable is dispatched (its status was offline, now not)."""
    from custom_components.contact_center.api import Snapshot
    from custom_components.contact_center.api.models import as_plain_data
    from custom_components.contact_center.coordinator import (
        ContactCenterCoordinator,
        Subject,
        SubjectKind,
    )

    absent = Snapshot()
    unreadable = Snapshot(unavailable_agents={"7": "h (7) sent a result for another target"})
    changed = ContactCenterCoordinator._changed_subjects(absent, unreadable)
    assert changed == [Subject(SubjectKind.AGENT, "7")]
    assert ContactCenterCoordinator._changed_subjects(unreadable, absent) == changed
    assert as_plain_data(unreadable)["unavailable_agents"] == {
        "7": "h (7) sent a result for another target"
    }
    assert "unavailable_queues" not in as_plain_data(unreadable)


async def test_echoed_secret_is_blanked_in_every_form(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A vendor error that echoes the secret upper-cased or URL-encoded: blanked in the log."""
    caplog.set_level(logging.DEBUG)
    sim = live_expert(simulator)
    secret = sim.client_secret
    sim.fail_target("1003", f"bad client_secret={secret.upper()} or {quote(secret + '/+')}")
    await poll(hass, frozen_time)
    assert "agent 1003 is unavailable" in caplog.text
    assert "bad client_secret=*** or ***" in caplog.text
    error = init_integration.runtime_data.data.unavailable_agents["1003"]
    for text in (caplog.text.lower(), error.lower()):
        assert secret.lower() not in text
