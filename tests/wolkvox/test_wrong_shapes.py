"""wolkvox at the Home Assistant surface: answers of a wrong shape never become figures."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ..conftest import RunningSimulator
from ..wrong_shapes import check_wrong_shape_cycle

RECORD = {
    "skill_id": "101",
    "skill_name": "Ventas",
    "calls_in_queue_now": "1",
    "stat_inbound": "5",
    "stat_answer": "4",
    "stat_abandon": "1",
    "service_level_10seg": "50",
    "service_level_20seg": "75",
    "service_level_30seg": "100",
    "by_abandon": "20",
}
# The quota counter follows the requests, not the answers.
STEADY = frozenset({"sensor.wolkvox_0002_quota_used_today"})


def _envelope(*records: Any, **fields: Any) -> bytes:
    body = {"code": 200, "error": None, "msg": "1 records were found", "data": list(records)}
    return json.dumps({**body, **fields}).encode()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{}", id="no-envelope"),
        pytest.param(json.dumps(RECORD).encode(), id="record-without-envelope"),
        pytest.param(_envelope({**RECORD, "skill_id": "999"}), id="another-skill"),
        pytest.param(_envelope({**RECORD, "skill_id": ""}), id="skill-id-empty"),
        pytest.param(_envelope(data="temporarily unavailable"), id="data-text"),
        pytest.param(_envelope(1, 2), id="data-list-of-numbers"),
        pytest.param(_envelope({**RECORD, "calls_in_queue_now": "2.6"}), id="waiting-fraction"),
        pytest.param(_envelope({**RECORD, "service_level_20seg": "n/a"}), id="service-level-word"),
    ],
)
async def test_wrong_shape_makes_entities_unavailable_then_recovers(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    wolkvox_integration: MockConfigEntry,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await check_wrong_shape_cycle(
        hass,
        simulator.sim,
        "wolkvox",
        wolkvox_integration.runtime_data,
        body,
        caplog,
        secret=simulator.sim.wolkvox.token,
        steady=STEADY,
    )
