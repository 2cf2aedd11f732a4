"""CoBrowser.net at the Home Assistant surface: answers of a wrong shape never become figures."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ..conftest import RunningSimulator
from ..wrong_shapes import check_wrong_shape_cycle

AGENT = b'{"id": "101", "status": "online", "numFree": "1", "numOpen": "1", "slot_num": "2"}'


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"getOnlineAgents": "temporarily unavailable"}', id="result-text"),
        pytest.param(b'{"getOnlineAgents": 0}', id="result-number"),
        pytest.param(b'{"getOnlineAgents": true}', id="result-true"),
        pytest.param(b'{"getOnlineAgents": [1, 2, 3]}', id="result-list-of-numbers"),
        pytest.param(b'{"getOnlineAgents": {"message": "busy"}}', id="result-message-object"),
        pytest.param(b'{"getOnlineAgents": null}', id="result-null"),
        pytest.param(
            b'{"getOnlineAgents": [' + AGENT.replace(b'"1", "numOpen"', b'"x", "numOpen"') + b"]}",
            id="num-free-unreadable",
        ),
        pytest.param(
            b'{"getOnlineAgents": ['
            + AGENT.replace(b'"numOpen": "1"', b'"numOpen": "n/a"')
            + b"]}",
            id="num-open-unreadable",
        ),
        pytest.param(b'{"getOnlineAgents": [{"status": "online"}]}', id="agent-without-id"),
    ],
)
async def test_wrong_shape_makes_entities_unavailable_then_recovers(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    init_cobrowser: MockConfigEntry,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await check_wrong_shape_cycle(
        hass,
        cobrowser.sim,
        "cobrowser",
        init_cobrowser.runtime_data,
        body,
        caplog,
        secret=cobrowser.sim.cobrowser.api_key,
    )
