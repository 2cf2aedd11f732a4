"""The Live Expert config flow, reauth and reconfigure, through real HTTP to the simulator."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import form_defaults, start_vendor_flow
from .conftest import live_expert


def _host(simulator: RunningSimulator) -> str:
    return simulator.url.removeprefix("http://")


async def _start(hass: HomeAssistant) -> str:
    result = await start_vendor_flow(hass, "live_expert")
    defaults = form_defaults(result)
    assert defaults[CONF_URL] == "https://liveexpert.net"
    return result["flow_id"]


def _form(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    sim = live_expert(simulator)
    return {
        CONF_URL: simulator.url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "expert_ids": "1001, 1003",
        "category_languages": "12:1",
        **overrides,
    }


async def test_user_flow_creates_entry(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """Working credentials give an entry named after the client, with the input cleaned."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        _form(
            simulator,
            **{
                CONF_URL: f" {simulator.url}/liveexpert/enterprise/ExpertAvailability ",
                "expert_ids": " 1001 ,1003,,1001",
                "category_languages": "12 : 1, 17:1",
            },
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Live Expert homeassistant"
    assert result["result"].unique_id == f"homeassistant@{_host(simulator)}"
    assert result["data"] == {
        CONF_VENDOR: "live_expert",
        CONF_URL: simulator.url,
        "client_id": "homeassistant",
        "client_secret": live_expert(simulator).client_secret,
        "expert_ids": "1001,1003",
        "category_languages": "12:1,17:1",
    }
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"expert_ids": "", "category_languages": " , "}, {"base": "no_targets"}),
        ({"expert_ids": "10 01"}, {"expert_ids": "invalid_expert_ids"}),
        ({"category_languages": "12"}, {"category_languages": "invalid_category_languages"}),
        ({"category_languages": "12:1,17-1"}, {"category_languages": "invalid_category_languages"}),
        ({CONF_URL: "ftp://x"}, {CONF_URL: "invalid_url"}),
        ({"client_id": "  "}, {"client_id": "invalid_auth"}),
        ({"client_secret": " "}, {"client_secret": "invalid_auth"}),
        ({"client_secret": "wrong"}, {"client_secret": "invalid_auth"}),
        ({"client_id": "export-only"}, {"client_secret": "invalid_auth"}),
        ({"expert_ids": "4242"}, {"expert_ids": "unknown_expert_ids"}),
        ({"category_languages": "99:1"}, {"category_languages": "unknown_category_languages"}),
    ],
)
async def test_user_flow_input_errors(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    overrides: dict[str, object],
    errors: dict[str, str],
) -> None:
    """Each unusable input is an error on its field; fixing it creates the entry."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, **overrides))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unknown_expert_is_named(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The vendor's "Unknown expert" is shown on the field, naming the expert."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, expert_ids="1001,9999")
    )
    assert result["errors"] == {"expert_ids": "unknown_expert_ids"}
    assert result["description_placeholders"] == {"target": "9999"}


async def test_user_flow_missing_scope(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A client without expertAvailabilityCheck is told so; with it, the entry is made."""
    sim = live_expert(simulator)
    flow_id = await _start(hass)
    secret = sim.clients["export-only"].secret
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, client_id="export-only", client_secret=secret)
    )
    assert result["errors"] == {"base": "missing_scope"}
    sim.set_scopes("export-only", ["expertAvailabilityCheck"])
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(simulator, client_id="export-only", client_secret=secret)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Live Expert export-only"


@pytest.mark.parametrize(
    ("fault", "errors"),
    [
        (Fault.TOKEN_REVOKED, {"client_secret": "invalid_auth"}),
        (Fault.UNAUTHORIZED, {"client_secret": "invalid_auth"}),
        (Fault.FORBIDDEN, {"client_secret": "invalid_auth"}),
        (Fault.SERVER_ERROR, {CONF_URL: "server_error"}),
        (Fault.SLOW, {CONF_URL: "cannot_connect"}),
        (Fault.MALFORMED, {"base": "invalid_response"}),
        (Fault.TRUNCATED, {"base": "invalid_response"}),
        (Fault.EMPTY, {"base": "invalid_response"}),
        (Fault.HTML, {"base": "invalid_response"}),
        (Fault.OVERSIZED, {"base": "invalid_response"}),
    ],
    ids=str,
)
async def test_user_flow_faults_then_recovers(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    fault: Fault,
    errors: dict[str, str],
) -> None:
    """Each fault of the server is a form error; once it is gone the entry is made."""
    flow_id = await _start(hass)
    simulator.sim.set_fault("live_expert", fault)
    # Several 16 MiB answers at once can outlast the tests' short timeout on a busy machine.
    one_target = {"expert_ids": "1001", "category_languages": ""}
    overrides = one_target if fault is Fault.OVERSIZED else {}
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator, **overrides))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    simulator.sim.clear_faults()
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unexpected_error(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """An error nobody foresaw is logged and shown as unknown, not raised."""
    flow_id = await _start(hass)
    with patch(
        "custom_components.contact_center.api.live_expert.LiveExpertClient.async_identify",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["errors"] == {"base": "unknown"}


async def test_user_flow_duplicate_aborts(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The same client on the same server cannot be added twice; another client can."""
    MockConfigEntry(
        domain=DOMAIN, unique_id=f"homeassistant@{_host(simulator)}", data={}
    ).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    sim = live_expert(simulator)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        _form(
            simulator,
            client_id="availability-only",
            client_secret=sim.clients["availability-only"].secret,
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def _entry(hass: HomeAssistant, simulator: RunningSimulator) -> ConfigEntry:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(simulator))
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def _start_reconfigure(hass: HomeAssistant, entry: ConfigEntry) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )


async def test_reauth_with_new_secret(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """A replaced secret stops polling and asks for the new one; a wrong one is a form error."""
    entry = await _entry(hass, simulator)
    sim = live_expert(simulator)
    old_secret = sim.client_secret
    sim.set_secret("homeassistant", "S" * 40)
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["step_id"] == "reauth_confirm"
    assert {str(key) for key in result["data_schema"].schema} == {"client_secret"}

    result = await hass.config_entries.flow.async_configure(flow_id, {"client_secret": old_secret})
    assert result["errors"] == {"client_secret": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow_id, {"client_secret": "S" * 40})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["client_secret"] == "S" * 40
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.last_update_success


async def test_reconfigure_changes_targets_and_removes_devices(
    hass: HomeAssistant, simulator: RunningSimulator, device_registry: dr.DeviceRegistry
) -> None:
    """Targets change without a new entry; a removed target's device goes at once."""
    entry = await _entry(hass, simulator)

    def models() -> list[tuple[str | None, str | None]]:
        return sorted(
            (device.model, device.name)
            for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        )

    assert models() == [
        ("Account", "Live Expert homeassistant"),
        ("Category and language", "Category 12, language 1"),
        ("Expert", "Expert 1001"),
        ("Expert", "Expert 1003"),
    ]
    result = await _start_reconfigure(hass, entry)
    assert result["step_id"] == "reconfigure_live_expert"
    # Every field starts from the entry's own value, the URL too (not Live Expert's default).
    assert form_defaults(result) == {
        CONF_URL: simulator.url,
        "client_id": "homeassistant",
        "expert_ids": entry.data["expert_ids"],
        "category_languages": entry.data["category_languages"],
    }
    assert "client_secret" not in {str(key) for key in result["data_schema"].schema}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: simulator.url,
            "client_id": "homeassistant",
            "expert_ids": "",
            "category_languages": "bad",
        },
    )
    assert result["errors"] == {"category_languages": "invalid_category_languages"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: simulator.url,
            "client_id": "homeassistant",
            "expert_ids": "1003",
            "category_languages": "17:1",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data["expert_ids"] == "1003"
    assert entry.data["category_languages"] == "17:1"
    assert entry.data["client_secret"] == live_expert(simulator).client_secret
    assert models() == [
        ("Account", "Live Expert homeassistant"),
        ("Category and language", "Category 17, language 1"),
        ("Expert", "Expert 1003"),
    ]


async def test_reconfigure_other_client_aborts(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Another client id is another account: that is a new entry, not a reconfigure."""
    entry = await _entry(hass, simulator)
    sim = live_expert(simulator)
    sim.set_secret("availability-only", sim.client_secret)
    result = await _start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: simulator.url,
            "client_id": "availability-only",
            "expert_ids": "1001",
            "category_languages": "",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data["client_id"] == "homeassistant"
