"""Live Guide at the Home Assistant surface: answers of a wrong shape never become figures.

The clock is frozen: the longest wait grows with real time and would differ after recovery.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN

from .conftest import TEST_HOST, TEST_TITLE, RunningSimulator, live_guide_data
from .wrong_shapes import check_wrong_shape_cycle

GLOBAL = b'"global": {"customers": {"inqueue": "1", "maxWaiting": "5"}}'


def _json(*sections: bytes) -> bytes:
    return b"{" + b", ".join(sections) + b"}"


JSON_SHAPES = [
    pytest.param(_json(GLOBAL, b'"operators": "temporarily unavailable"'), id="operators-text"),
    pytest.param(_json(GLOBAL, b'"operators": 3'), id="operators-number"),
    pytest.param(_json(GLOBAL, b'"operators": [1, 2, 3]'), id="operators-list-of-numbers"),
    pytest.param(_json(GLOBAL, b'"departments": "temporarily unavailable"'), id="departments-text"),
    pytest.param(
        _json(b'"global": "temporarily unavailable"', b'"operators": []'), id="global-text"
    ),
    pytest.param(_json(b'"global": {"customers": {"inqueue": "2.6"}}'), id="waiting-fraction"),
    pytest.param(
        _json(GLOBAL, b'"departments": [{"@attributes": {"name": "Sales"}, "inqueue": "1"}]'),
        id="department-without-id",
    ),
    pytest.param(
        _json(GLOBAL, b'"operators": [{"@attributes": {}, "status": "available"}]'),
        id="operator-without-identity",
    ),
]
XML_GLOBAL = (
    b"<global><customers><inqueue>1</inqueue><maxWaiting>5</maxWaiting></customers></global>"
)
XML_SHAPES = [
    pytest.param(
        b"<status>" + XML_GLOBAL + b"<operators>temporarily unavailable</operators></status>",
        id="operators-text",
    ),
    pytest.param(
        b"<status>" + XML_GLOBAL + b"<departments>unavailable</departments></status>",
        id="departments-text",
    ),
    pytest.param(
        b"<status><global><customers><inqueue>2.6</inqueue></customers></global></status>",
        id="waiting-fraction",
    ),
]


@pytest.mark.parametrize("body", JSON_SHAPES)
async def test_wrong_json_shape_makes_entities_unavailable_then_recovers(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await check_wrong_shape_cycle(
        hass,
        simulator.sim,
        "live_guide",
        init_integration.runtime_data,
        body,
        caplog,
        secret=simulator.token,
    )


@pytest.mark.parametrize("body", XML_SHAPES)
async def test_wrong_xml_shape_makes_entities_unavailable_then_recovers(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TEST_TITLE,
        unique_id=TEST_HOST,
        data=live_guide_data(simulator, response_format="xml"),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert simulator.sim.requests[-1].query["format"] == "xml"
    await check_wrong_shape_cycle(
        hass, simulator.sim, "live_guide", entry.runtime_data, body, caplog, secret=simulator.token
    )
