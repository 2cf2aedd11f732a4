"""The ``agents`` option: every agent, none, or a chosen few get devices; totals stay."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.coordinator import SubjectKind

from .conftest import RunningSimulator
from .helpers import poll, submit_options

JOHN = "john.smith@example.com"
EMMA = "emma.jansen@example.com"


def _agent_devices(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> set[str]:
    """Return the agent ids that have a device."""
    coordinator = entry.runtime_data
    subjects = (
        coordinator.subject_from_device(device)
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    )
    return {s.id for s in subjects if s is not None and s.kind is SubjectKind.AGENT}


async def test_switching_agents(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """None removes every agent device, a list keeps those, all brings everyone back."""
    entry = init_integration
    everyone = set(entry.runtime_data.data.agents)
    assert _agent_devices(device_registry, entry) == everyone
    logged_in = hass.states.get("sensor.live_guide_chat_example_com_agents_logged_in").state

    result = await submit_options(hass, entry, {CONF_SCAN_INTERVAL: 15, "agents": "none"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 15, "agents": "none"}
    assert _agent_devices(device_registry, entry) == set()
    assert hass.states.get("sensor.john_smith_status") is None
    totals = hass.states.get("sensor.live_guide_chat_example_com_agents_logged_in")
    assert totals.state == logged_in

    await submit_options(
        hass, entry, {CONF_SCAN_INTERVAL: 15, "agents": "chosen", "chosen_agents": [JOHN, EMMA]}
    )
    assert entry.options["agents"] == [JOHN, EMMA]
    assert _agent_devices(device_registry, entry) == {JOHN, EMMA}
    assert hass.states.get("sensor.john_smith_status") is not None

    # A newcomer is not followed while the list is chosen.
    simulator.sim.live_guide.add_operator("Nina New", "nina.new@example.com", ["2"])
    await poll(hass, frozen_time)
    assert _agent_devices(device_registry, entry) == {JOHN, EMMA}

    await submit_options(hass, entry, {CONF_SCAN_INTERVAL: 15, "agents": "all"})
    assert entry.options == {CONF_SCAN_INTERVAL: 15}
    assert _agent_devices(device_registry, entry) == {*everyone, "nina.new@example.com"}


async def test_chosen_list_is_offered_and_kept(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The multi-select lists the known agents by name; a saved list shows as chosen."""
    entry = init_integration
    await submit_options(
        hass, entry, {CONF_SCAN_INTERVAL: 15, "agents": "chosen", "chosen_agents": [JOHN]}
    )
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema = result["data_schema"].schema
    keys = {str(key): key for key in schema}
    selector = schema[keys["chosen_agents"]]
    labels = {option["value"]: option["label"] for option in selector.config["options"]}
    assert labels[JOHN] == "John Smith"
    assert labels[EMMA] == "Emma Jansen"
    suggested = {str(key): key.description["suggested_value"] for key in schema if key.description}
    assert suggested["agents"] == "chosen"
    assert suggested["chosen_agents"] == [JOHN]


async def test_chosen_without_agents_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Choosing the list but no agent is an error on the list, and nothing is saved."""
    result = await submit_options(
        hass, init_integration, {CONF_SCAN_INTERVAL: 15, "agents": "chosen"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"chosen_agents": "no_agents_chosen"}
    assert init_integration.options == {}


async def test_unloaded_entry_offers_what_its_client_reports(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """An entry that is not loaded still gets its form, from a client that never connects."""
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    keys = {str(key): key for key in result["data_schema"].schema}
    assert "waiting_alert" in keys
    assert "service_level_alert" not in keys
    assert result["data_schema"].schema[keys["chosen_agents"]].config["options"] == []
