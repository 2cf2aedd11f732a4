"""Setting up, unloading and removing devices of an entry."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.contact_center.const import CONF_VENDOR, DOMAIN
from custom_components.contact_center.coordinator import SubjectKind
from simulator import Fault

from .conftest import RunningSimulator


async def test_setup_and_unload(
    hass: HomeAssistant, simulator: RunningSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """The entry loads with one request and unloads cleanly."""
    mock_config_entry.add_to_hass(hass)
    simulator.sim.reset_log()
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert len(simulator.sim.requests) == 1

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_retries_when_server_fails(
    hass: HomeAssistant, simulator: RunningSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """A server error at start-up means: try again later."""
    simulator.sim.set_fault("live_guide", Fault.SERVER_ERROR)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_with_refused_token_starts_reauth(
    hass: HomeAssistant, simulator: RunningSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """A refused token at start-up asks the user for a new one."""
    simulator.sim.set_fault("live_guide", Fault.TOKEN_REVOKED)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_unknown_vendor_is_a_setup_error(
    hass: HomeAssistant, simulator: RunningSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """An entry made by a newer version for a vendor this one lacks fails with a clear error."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="x", data={**mock_config_entry.data, CONF_VENDOR: "acme"}
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None
    assert "acme" in entry.reason


async def test_user_can_remove_only_absent_devices(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Through the UI's API: present queues, agents and the account refuse; an absent agent goes."""
    assert await async_setup_component(hass, "config", {})
    entry = init_integration
    coordinator = entry.runtime_data
    account = device_registry.async_get_device(identifiers={(DOMAIN, entry.unique_id)})
    agent_id = next(iter(coordinator.data.agents))
    queue_id = next(iter(coordinator.data.queues))
    agent = device_registry.async_get_device(
        identifiers={(DOMAIN, f"{entry.unique_id}_agent_{agent_id}")}
    )
    queue = device_registry.async_get_device(
        identifiers={(DOMAIN, f"{entry.unique_id}_queue_{queue_id}")}
    )
    assert account is not None
    assert agent is not None
    assert queue is not None
    client = await hass_ws_client(hass)
    for device in (account, agent, queue):
        response = await client.remove_device(device.id, entry.entry_id)
        assert not response["success"]

    simulator.sim.live_guide.remove_operator(agent_id)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    response = await client.remove_device(agent.id, entry.entry_id)
    assert response["success"]
    await hass.async_block_till_done()
    assert device_registry.async_get(agent.id) is None
    assert agent_id not in coordinator.tracked[SubjectKind.AGENT]

    # Logging in again brings the operator back with a new device.
    simulator.sim.live_guide.add_operator("Back Again", agent_id, [], status="available")
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert device_registry.async_get_device(
        identifiers={(DOMAIN, f"{entry.unique_id}_agent_{agent_id}")}
    )


async def test_foreign_devices_are_not_ours_to_keep(
    hass: HomeAssistant, simulator: RunningSimulator, init_integration: MockConfigEntry
) -> None:
    """A device of this entry with identifiers of another domain may always be removed."""
    from custom_components.contact_center import async_remove_config_entry_device

    foreign = dr.DeviceEntry(identifiers={("other", "x")})
    assert await async_remove_config_entry_device(hass, init_integration, foreign)
