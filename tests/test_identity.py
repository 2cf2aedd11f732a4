"""Live Guide's identity: entries made by the previous release migrate, reauth makes no twins."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_PER_DEPARTMENT, DOMAIN

from .conftest import RunningSimulator, live_guide_data
from .identity_checks import (
    OldEntity,
    check_migration,
    check_reauth_keeps_registries,
)

JOHN = "john.smith@example.com"


def _old_entry(simulator: RunningSimulator, **overrides: object) -> MockConfigEntry:
    """An entry as the previous release made it: its unique id the bare host."""
    host = simulator.url.removeprefix("http://")
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Live Guide {host}",
        unique_id=host,
        data=live_guide_data(simulator, **overrides),
        version=1,
    )


async def test_migration_from_version_1(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The host becomes the host with the departments the entry has devices for."""
    host = simulator.url.removeprefix("http://")
    await check_migration(
        hass,
        _old_entry(simulator),
        [
            OldEntity("sensor.lg_agents_available", f"{host}_agents_available", host),
            OldEntity("binary_sensor.lg_customers_waiting", f"{host}_customers_waiting", host),
            OldEntity("sensor.lg_sales_waiting", f"{host}_queue_1_waiting", f"{host}_queue_1"),
            OldEntity("sensor.lg_support_waiting", f"{host}_queue_2_waiting", f"{host}_queue_2"),
            OldEntity(
                "sensor.lg_john_status", f"{host}_agent_{JOHN}_status", f"{host}_agent_{JOHN}"
            ),
        ],
        f"live_guide_{host}_1-2",
    )


async def test_migration_without_departments(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """An entry that never had a department device takes its entry id, which is as fixed."""
    host = simulator.url.removeprefix("http://")
    entry = _old_entry(simulator, **{CONF_PER_DEPARTMENT: False})
    await check_migration(
        hass,
        entry,
        [OldEntity("sensor.lg_agents_available", f"{host}_agents_available", host)],
        f"live_guide_{entry.entry_id}",
    )


async def test_entry_of_a_newer_release_is_not_loaded(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A version this release does not know may mean other ids: it is left alone."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="future", data=live_guide_data(simulator), version=3
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.unique_id == "future"


async def test_reauth_with_new_token_keeps_every_id(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A revoked token replaced through reauth: the same entities and devices, available again."""
    await check_reauth_keeps_registries(
        hass,
        simulator.sim,
        live_guide_data(simulator),
        {CONF_TOKEN: "N" * 32},
        lambda: setattr(simulator.sim.live_guide, "token", "N" * 32),
    )
