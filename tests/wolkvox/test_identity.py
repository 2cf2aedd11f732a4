"""wolkvox's identity: the token no longer names the entry, so a new token makes no twins."""

from __future__ import annotations

import hashlib

from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN

from ..conftest import RunningSimulator
from ..identity_checks import (
    OldEntity,
    check_migration,
    check_reauth_keeps_registries,
)
from .conftest import TITLE, wolkvox_data


def _old_unique_id(token: str) -> str:
    """The unique id the previous release gave: a hash of the token."""
    return f"wolkvox_{hashlib.sha256(token.encode()).hexdigest()[:16]}"


def _old_entry(simulator: RunningSimulator, token: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=_old_unique_id(token),
        data=wolkvox_data(simulator, **{CONF_TOKEN: token}),
        version=1,
    )


async def test_migration_from_version_1(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The token's hash becomes the server and the skills; every entity id stays."""
    old = _old_unique_id(simulator.sim.wolkvox.token)
    host = simulator.url.removeprefix("http://")
    await check_migration(
        hass,
        _old_entry(simulator, simulator.sim.wolkvox.token),
        [
            OldEntity("binary_sensor.w_customers_waiting", f"{old}_customers_waiting", old),
            OldEntity("sensor.w_quota_used", f"{old}_extra_quota_used", old),
            OldEntity("sensor.w_ventas_waiting", f"{old}_queue_101_waiting", f"{old}_queue_101"),
            OldEntity("sensor.w_soporte_offered", f"{old}_queue_102_offered", f"{old}_queue_102"),
        ],
        f"wolkvox_{host}_101-102-103",
    )


async def test_migration_keeps_two_tokens_apart(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Two old entries for the same skills (two tokens) do not end up with one unique id."""
    host = simulator.url.removeprefix("http://")
    first = _old_entry(simulator, simulator.sim.wolkvox.token)
    second = _old_entry(simulator, "S" * 40)
    first.add_to_hass(hass)
    second.add_to_hass(hass)
    assert await hass.config_entries.async_setup(first.entry_id)
    await hass.async_block_till_done()
    assert first.unique_id == f"wolkvox_{host}_101-102-103"
    assert second.unique_id == f"wolkvox_{host}_101-102-103_{second.entry_id}"
    assert second.version == 2


async def test_reauth_with_new_token_keeps_every_id(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A revoked token replaced through reauth gives no twins: same entities, available again."""
    await check_reauth_keeps_registries(
        hass,
        simulator.sim,
        wolkvox_data(simulator),
        {CONF_TOKEN: "N" * 40},
        lambda: setattr(simulator.sim.wolkvox, "token", "N" * 40),
    )
