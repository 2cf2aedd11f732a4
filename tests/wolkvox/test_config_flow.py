"""The wolkvox config flow, reauth, reconfigure and options, through real HTTP."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.api import VENDORS
from custom_components.contact_center.api.wolkvox import settings_identity
from custom_components.contact_center.const import (
    CONF_QUOTA_SHARE,
    CONF_SERVER,
    CONF_SKILL_IDS,
    CONF_VENDOR,
    DOMAIN,
)
from custom_components.contact_center.vendors.wolkvox import clean
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import form_defaults, start_vendor_flow
from .conftest import TITLE, UNIQUE_ID, setup_entry, wolkvox_data


async def _start(hass: HomeAssistant) -> str:
    result = await start_vendor_flow(hass, "wolkvox")
    return result["flow_id"]


def _form(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    data = wolkvox_data(simulator, **overrides)
    del data[CONF_VENDOR]
    return data


async def test_user_flow_creates_entry(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A working token gives an entry titled by the server, its unique id server and skills."""
    flow_id = await _start(hass)
    token = simulator.sim.wolkvox.token
    with patch("custom_components.contact_center.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            flow_id,
            _form(
                simulator,
                **{
                    CONF_SERVER: f" {simulator.url}/api/v2/real_time.php ",
                    CONF_TOKEN: f" {token} ",
                    CONF_SKILL_IDS: " 101, 102,101 ",
                },
            ),
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"wolkvox {simulator.url.removeprefix('http://')}"
    assert result["data"] == {
        CONF_VENDOR: "wolkvox",
        CONF_SERVER: simulator.url,
        CONF_TOKEN: token,
        CONF_SKILL_IDS: "101,102",
        CONF_QUOTA_SHARE: 50,
    }
    unique_id = result["result"].unique_id
    assert unique_id == f"wolkvox_{simulator.url.removeprefix('http://')}_101-102"
    assert token not in unique_id
    # Checking the token costs one use: the token information, nothing else.
    paths = [request.path for request in simulator.sim.requests]
    assert paths == ["/api/v2/information.php"]
    assert simulator.sim.requests[0].headers["wolkvox-token"] == token


def test_server_code_is_kept_as_typed() -> None:
    """A server code stays a code (it names the server); a host becomes a URL."""
    base = {CONF_TOKEN: "t", CONF_SKILL_IDS: "1"}
    assert clean({**base, CONF_SERVER: " 0002 "})[CONF_SERVER] == "0002"
    assert clean({**base, CONF_SERVER: "wv0002.wolkvox.com"})[CONF_SERVER] == (
        "https://wv0002.wolkvox.com"
    )


@pytest.mark.parametrize(
    ("overrides", "fault", "errors"),
    [
        ({CONF_SERVER: "ftp://x"}, None, {CONF_SERVER: "invalid_server"}),
        ({CONF_SERVER: "https://"}, None, {CONF_SERVER: "invalid_server"}),
        ({CONF_SKILL_IDS: "sales"}, None, {CONF_SKILL_IDS: "invalid_skill_ids"}),
        ({CONF_SKILL_IDS: " , "}, None, {CONF_SKILL_IDS: "invalid_skill_ids"}),
        # The form says commas: other separators are refused, not silently read.
        ({CONF_SKILL_IDS: "101;102"}, None, {CONF_SKILL_IDS: "invalid_skill_ids"}),
        ({CONF_SKILL_IDS: "101 102"}, None, {CONF_SKILL_IDS: "invalid_skill_ids"}),
        ({CONF_TOKEN: "  "}, None, {CONF_TOKEN: "invalid_auth"}),
        ({CONF_TOKEN: "wrong-token"}, None, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.TOKEN_REVOKED, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.UNAUTHORIZED, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.FORBIDDEN, {CONF_SERVER: "cannot_connect"}),
        ({}, Fault.SERVER_ERROR, {CONF_SERVER: "server_error"}),
        ({}, Fault.SLOW, {CONF_SERVER: "cannot_connect"}),
        ({}, Fault.MALFORMED, {CONF_SERVER: "invalid_response"}),
        ({}, Fault.TRUNCATED, {CONF_SERVER: "invalid_response"}),
        ({}, Fault.EMPTY, {CONF_SERVER: "invalid_response"}),
        ({}, Fault.HTML, {CONF_SERVER: "invalid_response"}),
        ({}, Fault.OVERSIZED, {CONF_SERVER: "invalid_response"}),
    ],
    ids=lambda value: str(value) if isinstance(value, Fault) else None,
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    overrides: dict[str, object],
    fault: Fault | None,
    errors: dict[str, str],
) -> None:
    """Each failure is a form error on the field to blame; fixing it creates the entry."""
    flow_id = await _start(hass)
    simulator.sim.set_fault("wolkvox", fault)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, **overrides))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    simulator.sim.clear_faults()
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("setting", "error"),
    [("maintenance", {CONF_SERVER: "cannot_connect"}), ("quota", {"base": "rate_limited"})],
)
async def test_user_flow_vendor_refusals(
    hass: HomeAssistant, simulator: RunningSimulator, setting: str, error: dict[str, str]
) -> None:
    """Maintenance is a connection error; a used-up quota asks to wait."""
    wolkvox = simulator.sim.wolkvox
    flow_id = await _start(hass)
    if setting == "maintenance":
        wolkvox.maintenance = True
    else:
        wolkvox.used_today = wolkvox.quota_limit
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["errors"] == error


async def test_user_flow_duplicate_aborts(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The same token cannot be added twice, whatever the skills."""
    MockConfigEntry(
        domain=DOMAIN, unique_id="wolkvox_x_1", data=wolkvox_data(simulator)
    ).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_SKILL_IDS: "103"})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_user_flow_same_skills_abort(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The same skills of the same server cannot be added twice, whatever the token."""
    host = simulator.url.removeprefix("http://")
    MockConfigEntry(domain=DOMAIN, unique_id=f"wolkvox_{host}_101-102-103", data={}).add_to_hass(
        hass
    )
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_SKILL_IDS: "103,101,102"})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def _entry(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN, title=TITLE, unique_id=UNIQUE_ID, data=wolkvox_data(simulator), version=2
    )
    return await setup_entry(hass, entry)


async def test_reauth_with_new_token(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A new token replaces a refused one; the unique id stays."""
    entry = await _entry(hass, simulator)
    old_token = simulator.sim.wolkvox.token
    new_token = "N" * 40
    simulator.sim.wolkvox.token = new_token
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert {str(key) for key in result["data_schema"].schema} == {CONF_TOKEN}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: old_token}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_TOKEN: "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: new_token}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] == new_token
    assert entry.unique_id == UNIQUE_ID
    assert entry.data[CONF_SKILL_IDS] == "101,102,103"


async def test_reauth_with_same_token(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """Entering the stored token again (it works again) keeps the entry as it is."""
    entry = await _entry(hass, simulator)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: simulator.sim.wolkvox.token}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.unique_id == UNIQUE_ID


async def test_reauth_with_token_of_another_entry_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A token another entry uses is refused: the entries would be the same."""
    entry = await _entry(hass, simulator)
    other = "O" * 40
    MockConfigEntry(
        domain=DOMAIN, unique_id="wolkvox_x_1", data=wolkvox_data(simulator, **{CONF_TOKEN: other})
    ).add_to_hass(hass)
    simulator.sim.wolkvox.token = other
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_TOKEN: other})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_TOKEN] != other


async def test_reconfigure_changes_skills(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """Reconfigure starts from the entry's values, keeps the token, stores the new settings."""
    entry = await _entry(hass, simulator)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_wolkvox"
    assert CONF_TOKEN not in {str(key) for key in result["data_schema"].schema}
    assert form_defaults(result) == {
        CONF_SERVER: simulator.url,
        CONF_SKILL_IDS: "101,102,103",
        CONF_QUOTA_SHARE: 50,
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_SERVER: simulator.url, CONF_SKILL_IDS: "1a", CONF_QUOTA_SHARE: 50},
    )
    assert result["errors"] == {CONF_SKILL_IDS: "invalid_skill_ids"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_SERVER: f"{simulator.url}/", CONF_SKILL_IDS: "102", CONF_QUOTA_SHARE: 20},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == wolkvox_data(simulator, **{CONF_SKILL_IDS: "102", CONF_QUOTA_SHARE: 20})
    assert entry.unique_id == UNIQUE_ID
    await hass.async_block_till_done()
    assert set(entry.runtime_data.data.queues) == {"102"}


async def test_reconfigure_other_server_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Settings that lead to another server are another entry."""
    entry = await _entry(hass, simulator)
    result = await entry.start_reconfigure_flow(hass)
    with patch(
        "custom_components.contact_center.api.wolkvox.WolkvoxClient.async_identify",
        return_value=settings_identity(
            VENDORS["wolkvox"].settings_from(_form(simulator, **{CONF_SERVER: "0003"})), ()
        ),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_SERVER: simulator.url, CONF_SKILL_IDS: "101", CONF_QUOTA_SHARE: 50},
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_SKILL_IDS] == "101,102,103"


async def test_options_default_is_the_vendors(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The options form offers wolkvox's own default of five minutes."""
    entry = await _entry(hass, simulator)
    assert entry.runtime_data.update_interval.total_seconds() == 525
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema = result["data_schema"].schema
    marker = next(key for key in schema if str(key) == CONF_SCAN_INTERVAL)
    assert marker.default() == 300
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 900}
    )
    await hass.async_block_till_done()
    assert entry.runtime_data.update_interval.total_seconds() == 900
