"""A sixth vendor added only in its own three modules works end to end (README: Adding a vendor)."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.contact_center import api, vendors
from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from ..helpers import start_vendor_flow
from .conftest import KEY


async def test_sample_desk_end_to_end(
    sample_desk: None,
    hass: HomeAssistant,
    system_info_ready: None,
    simulator: RunningSimulator,
    hass_client: ClientSessionGenerator,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Menu, form, entry, entities, its action, diagnostics without its secret, reauth and
    reconfigure."""
    served = simulator.sim.vendors[KEY]
    assert list(simulator.sim.vendors)[-1] == KEY
    assert list(api.VENDORS)[-1] == KEY
    assert list(vendors.INTEGRATIONS)[-1] == KEY
    token = served.credentials()["api_token"]

    result = await start_vendor_flow(hass, KEY)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: simulator.url, "api_token": "wrong"}
    )
    assert result["errors"] == {"api_token": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: f" {simulator.url}/desk/api/v1/live ", "api_token": token}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Sample Desk acme"
    assert result["data"] == {CONF_VENDOR: KEY, CONF_URL: simulator.url, "api_token": token}
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.unique_id == "acme"

    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert sorted(device.name or "" for device in devices) == [
        "Ann",
        "Ben",
        "Front desk",
        "Returns",
        "Sample Desk acme",
    ]
    assert {device.manufacturer for device in devices} == {"Sample Desk"}
    states = {
        entity.unique_id.removeprefix("acme_"): hass.states.get(entity.entity_id).state
        for entity in entities
        if entity.disabled_by is None
    }
    assert states == {
        "waiting": "2",
        "customers_waiting": "on",
        "queue_1_waiting": "2",
        "queue_1_customers_waiting": "on",
        "queue_2_waiting": "0",
        "queue_2_customers_waiting": "off",
        "agent_7_status": "available",
        "agent_7_available": "on",
        "agent_8_status": "busy",
        "agent_8_available": "off",
        # Generic entities over the figures it reports come without a word from the vendor.
        "health": "ok",
        "queue_1_health": "ok",
        "queue_2_health": "ok",
    }

    response = await hass.services.async_call(
        DOMAIN,
        "sample_desk_count_waiting",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response == {"waiting": 2}

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["vendor"] == KEY
    assert diagnostics["entry"]["data"]["api_token"] == "**REDACTED**"
    assert token not in str(diagnostics)

    # A refused token asks for a new one with the vendor's own reauth field.
    simulator.sim.set_fault(KEY, Fault.TOKEN_REVOKED)
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    simulator.sim.clear_faults()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert [str(key) for key in result["data_schema"].schema] == ["api_token"]
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"api_token": token})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"

    # Reconfigure asks for everything but the secret, on the vendor's own step.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == f"reconfigure_{KEY}"
    assert [str(key) for key in result["data_schema"].schema] == [CONF_URL]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: f"{simulator.url}/"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


def test_registries_forget_sample_desk() -> None:
    """Without the fixture the vendor is nowhere: it lives only in the tests."""
    assert KEY not in api.VENDORS
    assert KEY not in vendors.INTEGRATIONS
