"""The config flow, through real HTTP to the simulator."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.api import VENDORS
from custom_components.contact_center.api.live_guide import settings_identity
from custom_components.contact_center.const import (
    CONF_PER_DEPARTMENT,
    CONF_VENDOR,
    DOMAIN,
)
from simulator import Fault

from .conftest import RunningSimulator
from .helpers import form_defaults, start_vendor_flow


def _host(simulator: RunningSimulator) -> str:
    return simulator.url.removeprefix("http://")


async def _start_live_guide(hass: HomeAssistant) -> str:
    result = await start_vendor_flow(hass, "live_guide")
    return result["flow_id"]


def _form(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    return {
        CONF_URL: simulator.url,
        CONF_TOKEN: simulator.token,
        CONF_PER_DEPARTMENT: True,
        CONF_VERIFY_SSL: True,
        **overrides,
    }


async def test_user_flow_creates_entry(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A working server and token give an entry named after the host, with the URL cleaned."""
    flow_id = await _start_live_guide(hass)
    pasted = f"  {simulator.url}/lg/export/status.php?token={simulator.token}&format=json "
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_URL: pasted, CONF_PER_DEPARTMENT: False})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Live Guide {_host(simulator)}"
    assert result["data"] == {
        CONF_VENDOR: "live_guide",
        CONF_URL: simulator.url,
        CONF_TOKEN: simulator.token,
        CONF_PER_DEPARTMENT: False,
        CONF_VERIFY_SSL: True,
    }
    # Departments are asked for although the entry does not want them: they name the company.
    assert result["result"].unique_id == f"live_guide_{_host(simulator)}_1-2-3-4"
    assert simulator.token not in result["data"][CONF_URL]


@pytest.mark.parametrize(
    ("overrides", "fault", "errors"),
    [
        ({CONF_URL: "ftp://"}, None, {CONF_URL: "invalid_url"}),
        ({CONF_URL: "https://"}, None, {CONF_URL: "invalid_url"}),
        ({CONF_TOKEN: "   "}, None, {CONF_TOKEN: "invalid_auth"}),
        ({CONF_TOKEN: "wrong-token"}, None, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.TOKEN_REVOKED, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.UNAUTHORIZED, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.FORBIDDEN, {CONF_TOKEN: "invalid_auth"}),
        ({}, Fault.SERVER_ERROR, {CONF_URL: "server_error"}),
        ({}, Fault.SLOW, {CONF_URL: "cannot_connect"}),
        ({}, Fault.MALFORMED, {CONF_URL: "invalid_response"}),
        ({}, Fault.TRUNCATED, {CONF_URL: "invalid_response"}),
        ({}, Fault.EMPTY, {CONF_URL: "invalid_response"}),
        ({}, Fault.HTML, {CONF_URL: "invalid_response"}),
        ({}, Fault.OVERSIZED, {CONF_URL: "invalid_response"}),
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
    flow_id = await _start_live_guide(hass)
    simulator.sim.set_fault("live_guide", fault)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, **overrides))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    simulator.sim.clear_faults()
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_cannot_connect_when_nothing_listens(
    hass: HomeAssistant, simulator: RunningSimulator, unused_tcp_port: int
) -> None:
    """A closed port is a connection error on the URL field."""
    flow_id = await _start_live_guide(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_URL: f"http://127.0.0.1:{unused_tcp_port}"})
    )
    assert result["errors"] == {CONF_URL: "cannot_connect"}


async def test_user_flow_unexpected_error(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """An error nobody foresaw is logged and shown as unknown, not raised."""
    flow_id = await _start_live_guide(hass)
    with patch(
        "custom_components.contact_center.api.live_guide.LiveGuideClient.async_identify",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["errors"] == {"base": "unknown"}


async def test_user_flow_rate_limited(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A vendor asking to slow down is told to the user as such."""
    from custom_components.contact_center.api import ContactCenterRateLimitError

    flow_id = await _start_live_guide(hass)
    with patch(
        "custom_components.contact_center.api.live_guide.LiveGuideClient.async_identify",
        side_effect=ContactCenterRateLimitError("slow down"),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["errors"] == {"base": "rate_limited"}


async def test_user_flow_duplicate_aborts(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The same company (same departments on the server) cannot be added twice."""
    MockConfigEntry(
        domain=DOMAIN, unique_id=f"live_guide_{_host(simulator)}_1-2-3-4", data={}
    ).add_to_hass(hass)
    flow_id = await _start_live_guide(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_user_flow_same_token_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The token of an entry is the same company, whatever departments are online now."""
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="live_guide_x_9",
        data={CONF_VENDOR: "live_guide", **_form(simulator)},
    ).add_to_hass(hass)
    flow_id = await _start_live_guide(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


def _become_another_company(simulator: RunningSimulator) -> None:
    """Serve another company of the same server: another token, other departments."""
    live_guide = simulator.sim.live_guide
    live_guide.token = "B" * 32
    for department_id in list(live_guide.departments):
        live_guide.remove_department(department_id)
    live_guide.add_department("21", "Verkauf")
    live_guide.add_department("22", "Kundendienst")


async def test_two_companies_on_one_server(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A second company of the server is added too, with a title that names its departments."""
    flow_id = await _start_live_guide(hass)
    first = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert first["type"] is FlowResultType.CREATE_ENTRY
    _become_another_company(simulator)
    flow_id = await _start_live_guide(hass)
    second = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_TOKEN: "B" * 32})
    )
    assert second["type"] is FlowResultType.CREATE_ENTRY
    assert first["title"] == f"Live Guide {_host(simulator)}"
    assert second["title"] == f"Live Guide {_host(simulator)} (Verkauf, Kundendienst)"
    assert second["result"].unique_id == f"live_guide_{_host(simulator)}_21-22"
    assert first["result"].unique_id == f"live_guide_{_host(simulator)}_1-2-3-4"


async def test_user_flow_without_online_department(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """With no department online nothing tells the company apart: the form says so."""
    for department_id in simulator.sim.live_guide.departments:
        simulator.sim.live_guide.set_department_online(department_id, online=False)
    flow_id = await _start_live_guide(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unidentified"}


async def _entry_for(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Live Guide {_host(simulator)}",
        unique_id=f"live_guide_{_host(simulator)}_1-2-3-4",
        data={CONF_VENDOR: "live_guide", **_form(simulator)},
        version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_reauth_with_new_token(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A refused token is replaced through reauth; a wrong one is a form error first."""
    entry = await _entry_for(hass, simulator)
    old_token = simulator.token
    simulator.sim.live_guide.token = "N" * 32
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": entry.title}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: old_token}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_TOKEN: "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "N" * 32}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] == "N" * 32
    assert entry.data[CONF_URL] == simulator.url
    assert entry.unique_id == f"live_guide_{_host(simulator)}_1-2-3-4"


async def test_reauth_other_company_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A token whose departments share none with the entry's is another company's."""
    entry = await _entry_for(hass, simulator)
    old_token = simulator.token
    _become_another_company(simulator)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "B" * 32}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_account_mismatch"
    assert entry.data[CONF_TOKEN] == old_token


async def test_reauth_with_token_of_another_entry_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A token that another entry of the server uses is refused: the two would be one."""
    entry = await _entry_for(hass, simulator)
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="live_guide_other",
        data={CONF_VENDOR: "live_guide", **_form(simulator, **{CONF_TOKEN: "O" * 32})},
    ).add_to_hass(hass)
    simulator.sim.live_guide.token = "O" * 32
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "O" * 32}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_changes_settings(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Reconfigure starts from the entry's values, keeps the token and stores the new settings."""
    entry = await _entry_for(hass, simulator)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_live_guide"
    assert form_defaults(result) == {
        CONF_URL: simulator.url,
        CONF_PER_DEPARTMENT: True,
        CONF_VERIFY_SSL: True,
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: "", CONF_PER_DEPARTMENT: False, CONF_VERIFY_SSL: False},
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: f"{simulator.url}/lg/export/status.php",
            CONF_PER_DEPARTMENT: False,
            CONF_VERIFY_SSL: False,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        CONF_VENDOR: "live_guide",
        CONF_URL: simulator.url,
        CONF_TOKEN: simulator.token,
        CONF_PER_DEPARTMENT: False,
        CONF_VERIFY_SSL: False,
    }
    assert entry.unique_id == f"live_guide_{_host(simulator)}_1-2-3-4"


async def test_reconfigure_other_server_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Pointing an entry at a different server is refused: that is a new entry."""
    entry = await _entry_for(hass, simulator)
    result = await entry.start_reconfigure_flow(hass)
    with patch(
        "custom_components.contact_center.api.live_guide.LiveGuideClient.async_identify",
        return_value=replace(
            settings_identity(VENDORS["live_guide"].settings_from(entry.data), {"1"}),
            server="other.example",
        ),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_URL: simulator.url, CONF_PER_DEPARTMENT: True, CONF_VERIFY_SSL: True},
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_URL] == simulator.url


async def test_reconfigure_to_other_company_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Settings whose answer lists none of the entry's departments lead to another company."""
    entry = await _entry_for(hass, simulator)
    old_token = simulator.token
    _become_another_company(simulator)
    simulator.sim.live_guide.token = old_token
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: simulator.url, CONF_PER_DEPARTMENT: False, CONF_VERIFY_SSL: True},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_PER_DEPARTMENT] is True


async def test_options_flow_sets_interval_without_reload(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The poll interval applies at once and stays within bounds."""
    entry = await _entry_for(hass, simulator)
    coordinator = entry.runtime_data
    assert coordinator.update_interval.total_seconds() == 15

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options == {CONF_SCAN_INTERVAL: 60}
    assert entry.runtime_data is coordinator
    assert coordinator.update_interval.total_seconds() == 60


@pytest.mark.parametrize("interval", [1, 4, 3601])
async def test_options_flow_refuses_out_of_bounds(
    hass: HomeAssistant, simulator: RunningSimulator, interval: int
) -> None:
    """Intervals outside 5..3600 s are refused by the form."""
    from homeassistant.data_entry_flow import InvalidData

    entry = await _entry_for(hass, simulator)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: interval}
        )
