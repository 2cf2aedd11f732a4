"""The CoBrowser.net step of the config flow, reauth and reconfigure, through real HTTP."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_ALL_AGENTS, CONF_VENDOR, DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import fault_form_errors, form_defaults, start_vendor_flow
from .conftest import USERNAME, account_id, cobrowser_data


async def _start(hass: HomeAssistant) -> str:
    result = await start_vendor_flow(hass, "cobrowser")
    defaults = form_defaults(result)
    assert defaults[CONF_URL] == "https://client.cobrowser.net"
    assert defaults[CONF_ALL_AGENTS] is False
    return result["flow_id"]


def _form(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    data = cobrowser_data(simulator, **overrides)
    del data[CONF_VENDOR]
    return data


@pytest.mark.parametrize("all_agents", [False, True])
async def test_user_flow_creates_entry(
    hass: HomeAssistant, cobrowser: RunningSimulator, all_agents: bool
) -> None:
    """A working user name and key give an entry named after the user, with the URL cleaned."""
    flow_id = await _start(hass)
    key = cobrowser.sim.cobrowser.api_key
    pasted = f" {cobrowser.url}/api/Account.php?user={USERNAME}&apiKey={key}&c=getAllAgents "
    cobrowser.sim.reset_log()
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        _form(
            cobrowser,
            **{
                CONF_URL: pasted,
                CONF_USERNAME: f" {USERNAME} ",
                CONF_API_KEY: f" {key} ",
                CONF_ALL_AGENTS: all_agents,
            },
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"CoBrowser.net {USERNAME}"
    assert result["data"] == cobrowser_data(cobrowser, **{CONF_ALL_AGENTS: all_agents})
    assert result["result"].unique_id == account_id(cobrowser)
    command = "getAllAgents" if all_agents else "getOnlineAgents"
    assert cobrowser.sim.requests[0].query == {"user": USERNAME, "apiKey": key, "c": command}


async def test_user_flow_default_server_is_https(
    hass: HomeAssistant, cobrowser: RunningSimulator
) -> None:
    """Left at its default, the URL is CoBrowser.net's own server over https."""
    flow_id = await _start(hass)
    with patch(
        "custom_components.contact_center.api.cobrowser.CoBrowserClient._request",
        side_effect=AssertionError("no request expected"),
    ) as request:
        result = await hass.config_entries.flow.async_configure(
            flow_id, _form(cobrowser, **{CONF_URL: "https://client.cobrowser.net"})
        )
    assert str(request.call_args.args[1]) == "https://client.cobrowser.net/api/Account.php"
    assert result["errors"] == {"base": "unknown"}


@pytest.mark.parametrize(
    ("overrides", "fault", "errors"),
    [
        ({CONF_URL: "ftp://x"}, None, {CONF_URL: "invalid_url"}),
        ({CONF_USERNAME: "  "}, None, {CONF_USERNAME: "invalid_auth"}),
        ({CONF_API_KEY: "  "}, None, {CONF_API_KEY: "invalid_auth"}),
        ({CONF_API_KEY: "wrong"}, None, {CONF_API_KEY: "invalid_auth"}),
        ({CONF_USERNAME: "nobody"}, None, {CONF_API_KEY: "invalid_auth"}),
        *(({}, fault, errors) for fault, errors in fault_form_errors(CONF_API_KEY, CONF_URL)),
    ],
    ids=lambda value: str(value) if isinstance(value, Fault) else None,
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant,
    cobrowser: RunningSimulator,
    overrides: dict[str, object],
    fault: Fault | None,
    errors: dict[str, str],
) -> None:
    """Each failure is a form error on the field to blame; fixing it creates the entry."""
    flow_id = await _start(hass)
    cobrowser.sim.set_fault("cobrowser", fault)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(cobrowser, **overrides))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    cobrowser.sim.clear_faults()
    result = await hass.config_entries.flow.async_configure(flow_id, _form(cobrowser))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_duplicate_aborts(hass: HomeAssistant, cobrowser: RunningSimulator) -> None:
    """The same account cannot be added twice."""
    MockConfigEntry(domain=DOMAIN, unique_id=account_id(cobrowser), data={}).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(cobrowser))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def _entry_for(hass: HomeAssistant, simulator: RunningSimulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"CoBrowser.net {USERNAME}",
        unique_id=account_id(simulator),
        data=cobrowser_data(simulator),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_reauth_with_new_key(hass: HomeAssistant, cobrowser: RunningSimulator) -> None:
    """A refused key is replaced through reauth; a wrong one is a form error first."""
    entry = await _entry_for(hass, cobrowser)
    old_key = cobrowser.sim.cobrowser.api_key
    cobrowser.sim.cobrowser.api_key = "n" * 40
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert [str(key) for key in result["data_schema"].schema] == [CONF_API_KEY]
    assert result["description_placeholders"] == {"name": entry.title}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: old_key}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "n" * 40}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == cobrowser_data(cobrowser, **{CONF_API_KEY: "n" * 40})


async def test_reauth_other_account_aborts(
    hass: HomeAssistant, cobrowser: RunningSimulator
) -> None:
    """A key that belongs to another account does not overwrite this entry."""
    entry = await _entry_for(hass, cobrowser)
    result = await entry.start_reauth_flow(hass)
    with patch("custom_components.contact_center.api.cobrowser.account_id", return_value="other"):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: cobrowser.sim.cobrowser.api_key}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_account_mismatch"


async def test_reconfigure_changes_settings(
    hass: HomeAssistant, cobrowser: RunningSimulator
) -> None:
    """Reconfigure starts from the entry's own URL (not the default), keeps the key, cleans."""
    entry = await _entry_for(hass, cobrowser)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_cobrowser"
    assert form_defaults(result) == {
        CONF_URL: cobrowser.url,
        CONF_USERNAME: USERNAME,
        CONF_ALL_AGENTS: False,
    }
    assert [str(key) for key in result["data_schema"].schema] == [
        CONF_URL,
        CONF_USERNAME,
        CONF_ALL_AGENTS,
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: "ftp://x", CONF_USERNAME: USERNAME, CONF_ALL_AGENTS: True},
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: f"{cobrowser.url}/api/Account.php",
            CONF_USERNAME: USERNAME,
            CONF_ALL_AGENTS: True,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == cobrowser_data(cobrowser, **{CONF_ALL_AGENTS: True})
    await hass.async_block_till_done()
    assert cobrowser.sim.requests[-1].query["c"] == "getAllAgents"


async def test_reconfigure_other_user_aborts(
    hass: HomeAssistant, cobrowser: RunningSimulator
) -> None:
    """Another user name is another account: that is a new entry, not a change."""
    entry = await _entry_for(hass, cobrowser)
    result = await entry.start_reconfigure_flow(hass)
    with patch("custom_components.contact_center.api.cobrowser.account_id", return_value="other"):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_URL: cobrowser.url, CONF_USERNAME: USERNAME, CONF_ALL_AGENTS: False},
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data == cobrowser_data(cobrowser)
