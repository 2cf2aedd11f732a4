"""Live Expert's identity: the OAuth client names the account; a new secret changes no id."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN

from ..conftest import RunningSimulator
from ..identity_checks import (
    OldEntity,
    check_migration,
    check_reauth_keeps_registries,
)
from .conftest import CLIENT_ID, TEST_TITLE, live_expert, live_expert_data


async def test_migration_from_version_1(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The previous release's ids already followed the rule: only the version moves."""
    old = f"{CLIENT_ID}@{simulator.url.removeprefix('http://')}"
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TEST_TITLE,
        unique_id=old,
        data=live_expert_data(simulator),
        version=1,
    )
    await check_migration(
        hass,
        entry,
        [
            OldEntity("binary_sensor.le_customers_waiting", f"{old}_customers_waiting", old),
            OldEntity(
                "sensor.le_12_1_available",
                f"{old}_queue_12:1_agents_available",
                f"{old}_queue_12:1",
            ),
            OldEntity(
                "binary_sensor.le_1001_available",
                f"{old}_agent_1001_available",
                f"{old}_agent_1001",
            ),
        ],
        old,
    )


async def test_reauth_with_new_secret_keeps_every_id(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A replaced secret entered through reauth: the same entities and devices, available again."""
    await check_reauth_keeps_registries(
        hass,
        simulator.sim,
        live_expert_data(simulator),
        {"client_secret": "S" * 40},
        lambda: live_expert(simulator).set_secret(CLIENT_ID, "S" * 40),
    )
