"""Bright Pattern's identity: tenant and user name the account; a new secret changes no id."""

from __future__ import annotations

from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import CONF_AUTH_METHOD, DOMAIN
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..identity_checks import (
    OldEntity,
    check_migration,
    check_reauth_keeps_registries,
)
from .conftest import TITLE, UNIQUE_ID, bp_data


async def test_migration_from_version_1(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    """The previous release's ids already followed the rule: only the version moves."""
    old = UNIQUE_ID
    entry = MockConfigEntry(
        domain=DOMAIN, title=TITLE, unique_id=old, data=bp_data(simulator), version=1
    )
    await check_migration(
        hass,
        entry,
        [
            OldEntity("sensor.bp_agents_available", f"{old}_agents_available", old),
            OldEntity(
                "sensor.bp_billing_abandoned",
                f"{old}_queue_Billing_abandoned",
                f"{old}_queue_Billing",
            ),
            OldEntity(
                "binary_sensor.bp_alice_available",
                f"{old}_agent_asmith_available",
                f"{old}_agent_asmith",
            ),
        ],
        old,
    )


async def test_reauth_with_new_secret_keeps_every_id(
    hass: HomeAssistant, simulator: RunningSimulator, bp: BrightPatternSimulator
) -> None:
    """A revoked API secret replaced through reauth: same entities and devices, available again."""
    await check_reauth_keeps_registries(
        hass,
        simulator.sim,
        bp_data(simulator),
        {CONF_PASSWORD: "N" * 40, CONF_AUTH_METHOD: "oauth"},
        lambda: setattr(bp, "api_secret", "N" * 40),
    )
