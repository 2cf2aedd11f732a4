"""CoBrowser.net's identity: the user name names the account; a new key changes no id."""

from __future__ import annotations

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN

from ..conftest import RunningSimulator
from ..identity_checks import (
    OldEntity,
    check_migration,
    check_reauth_keeps_registries,
)
from .conftest import USERNAME, account_id, cobrowser_data


async def test_migration_from_version_1(hass: HomeAssistant, cobrowser: RunningSimulator) -> None:
    """The previous release's ids already followed the rule: only the version moves."""
    old = account_id(cobrowser)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"CoBrowser.net {USERNAME}",
        unique_id=old,
        data=cobrowser_data(cobrowser),
        version=1,
    )
    await check_migration(
        hass,
        entry,
        [
            OldEntity("sensor.cb_agents_available", f"{old}_agents_available", old),
            OldEntity("sensor.cb_anna_status", f"{old}_agent_101_status", f"{old}_agent_101"),
            OldEntity(
                "binary_sensor.cb_anna_available", f"{old}_agent_101_available", f"{old}_agent_101"
            ),
        ],
        old,
    )


async def test_reauth_with_new_key_keeps_every_id(
    hass: HomeAssistant, cobrowser: RunningSimulator
) -> None:
    """A revoked key replaced through reauth: the same entities and devices, available again."""
    await check_reauth_keeps_registries(
        hass,
        cobrowser.sim,
        cobrowser_data(cobrowser),
        {CONF_API_KEY: "n" * 40},
        lambda: setattr(cobrowser.sim.cobrowser, "api_key", "n" * 40),
    )
