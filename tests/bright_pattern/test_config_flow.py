"""The Bright Pattern config flow, for both sign-in methods, through real HTTP to the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_create_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import (
    CONF_AUTH_METHOD,
    CONF_TENANT_URL,
    CONF_VENDOR,
    DOMAIN,
)
from simulator import Fault
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import fault_form_errors, form_defaults, start_vendor_flow
from .conftest import TENANT, TITLE, UNIQUE_ID, bp_data, setup_entry


async def _start(hass: HomeAssistant) -> str:
    result = await start_vendor_flow(hass, "bright_pattern")
    return result["flow_id"]


def _form(
    simulator: RunningSimulator, method: str = "oauth", **overrides: object
) -> dict[str, Any]:
    data = bp_data(simulator, method, **overrides)
    del data[CONF_VENDOR]
    return data


async def test_user_flow_creates_entry(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    auth_method: str,
) -> None:
    """The tenant defaults to the URL's host; the URL is cleaned; title and id name the tenant."""
    flow_id = await _start(hass)
    form = _form(simulator, auth_method, **{CONF_URL: f" {simulator.url}/agentdesktop/ "})
    form[CONF_TENANT_URL] = ""
    form[CONF_USERNAME] = f" {bp.username} "
    result = await hass.config_entries.flow.async_configure(flow_id, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == TITLE
    assert result["result"].unique_id == UNIQUE_ID
    assert result["data"] == bp_data(simulator, auth_method)


async def test_flow_releases_the_session_it_signed_in_on(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    """A try in the form signs in on a session of its own, released when the answer is in."""
    sessions: list[Any] = []

    def create(*args: Any, **kwargs: Any) -> Any:
        sessions.append(async_create_clientsession(*args, **kwargs))
        return sessions[-1]

    flow_id = await _start(hass)
    with patch(
        "custom_components.contact_center.coordinator.async_create_clientsession",
        side_effect=create,
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, _form(simulator, "legacy", **{CONF_PASSWORD: "wrong"})
        )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    assert len(sessions) == 1
    assert sessions[0].closed


async def test_default_method_is_oauth(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    flow_id = await _start(hass)
    form = _form(simulator)
    del form[CONF_AUTH_METHOD]
    del form[CONF_TENANT_URL]
    result = await hass.config_entries.flow.async_configure(flow_id, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_AUTH_METHOD] == "oauth"
    assert result["data"][CONF_TENANT_URL] == TENANT


@pytest.mark.parametrize(
    ("overrides", "fault", "errors"),
    [
        ({CONF_URL: "ftp://x"}, None, {CONF_URL: "invalid_url"}),
        ({CONF_TENANT_URL: "a b"}, None, {CONF_TENANT_URL: "invalid_tenant"}),
        ({CONF_TENANT_URL: "https://"}, None, {CONF_TENANT_URL: "invalid_tenant"}),
        ({CONF_USERNAME: " "}, None, {CONF_USERNAME: "invalid_auth"}),
        ({CONF_PASSWORD: " "}, None, {CONF_PASSWORD: "invalid_auth"}),
        ({CONF_PASSWORD: "wrong"}, None, {CONF_PASSWORD: "invalid_auth"}),
        ({CONF_USERNAME: "someone"}, None, {CONF_PASSWORD: "invalid_auth"}),
        ({CONF_TENANT_URL: "other.example.com"}, None, {CONF_PASSWORD: "invalid_auth"}),
        *(({}, fault, errors) for fault, errors in fault_form_errors(CONF_PASSWORD, CONF_URL)),
    ],
    ids=lambda value: str(value) if isinstance(value, Fault) else None,
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    auth_method: str,
    overrides: dict[str, object],
    fault: Fault | None,
    errors: dict[str, str],
) -> None:
    """Each failure is a form error on the field to blame; fixing it creates the entry."""
    flow_id = await _start(hass)
    simulator.sim.set_fault("bright_pattern", fault)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, auth_method, **overrides)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    simulator.sim.clear_faults()
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, auth_method))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_legacy_refused_tells_to_use_an_api_secret(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    """Servers from 5.36 refuse the legacy login: its own error; OAuth then works."""
    bp.server_version = "5.36"
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, "legacy"))
    assert result["errors"] == {"base": "legacy_login_refused"}
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, "oauth"))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_AUTH_METHOD] == "oauth"


async def test_user_flow_cannot_connect_when_nothing_listens(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    unused_tcp_port: int,
) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, **{CONF_URL: f"http://127.0.0.1:{unused_tcp_port}"})
    )
    assert result["errors"] == {CONF_URL: "cannot_connect"}


async def test_user_flow_unexpected_error(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    flow_id = await _start(hass)
    with patch(
        "custom_components.contact_center.api.bright_pattern.BrightPatternClient.async_identify",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["errors"] == {"base": "unknown"}


async def test_user_flow_duplicate_aborts(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    """The same tenant and user cannot be added twice, whatever the sign-in method."""
    MockConfigEntry(domain=DOMAIN, unique_id=UNIQUE_ID, data={}).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, "legacy"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_with_new_secret(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    auth_method: str,
) -> None:
    """A refused secret is replaced through reauth; the stored method is preselected."""
    entry = await setup_entry(hass, bp_entry)
    old = entry.data[CONF_PASSWORD]
    if auth_method == "oauth":
        bp.api_secret = "N" * 40
    else:
        bp.password = "N" * 16
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    schema = {str(key): key for key in result["data_schema"].schema}
    assert set(schema) == {CONF_PASSWORD, CONF_AUTH_METHOD}
    assert schema[CONF_AUTH_METHOD].description == {"suggested_value": auth_method}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: old, CONF_AUTH_METHOD: auth_method}
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    new = "N" * (40 if auth_method == "oauth" else 16)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: new, CONF_AUTH_METHOD: auth_method}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == new


async def test_reauth_switches_from_legacy_to_oauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
) -> None:
    """After the server's upgrade to 5.36 the legacy entry moves to an API secret."""
    entry = await setup_entry(
        hass,
        MockConfigEntry(
            domain=DOMAIN, title=TITLE, unique_id=UNIQUE_ID, data=bp_data(simulator, "legacy")
        ),
    )
    bp.server_version = "5.36"
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: bp.password, CONF_AUTH_METHOD: "legacy"}
    )
    assert result["errors"] == {"base": "legacy_login_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: bp.api_secret, CONF_AUTH_METHOD: "oauth"}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data == bp_data(simulator, "oauth")


async def test_reconfigure_changes_the_address(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """Reconfigure keeps the secret; the same tenant and user must come out of it."""
    entry = await setup_entry(hass, oauth_entry)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_bright_pattern"
    assert form_defaults(result) == {
        CONF_URL: simulator.url,
        CONF_TENANT_URL: TENANT,
        CONF_USERNAME: bp.username,
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "", CONF_TENANT_URL: "", CONF_USERNAME: bp.username}
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: f"{simulator.url}/admin",
            CONF_TENANT_URL: f"http://{TENANT}/",
            CONF_USERNAME: f" {bp.username} ",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == bp_data(simulator)


async def test_reconfigure_other_user_aborts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    entry = await setup_entry(hass, oauth_entry)
    result = await entry.start_reconfigure_flow(hass)
    bp.username = "deputy"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: simulator.url, CONF_TENANT_URL: TENANT, CONF_USERNAME: "deputy"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_USERNAME] == "supervisor"
