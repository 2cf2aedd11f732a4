"""The Contact Center integration: real-time queue and agent figures of contact-center platforms."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from homeassistant.const import CONF_SCAN_INTERVAL, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .api import find_vendor
from .const import CONF_VENDOR, DOMAIN, LOGGER
from .coordinator import (
    ContactCenterConfigEntry,
    ContactCenterCoordinator,
    ContactCenterSlowCoordinator,
    async_create_client,
    entry_account_id,
    known_queue_ids,
    stale_store,
)
from .entity import account_device_info
from .services import async_setup_services
from .wallboard import async_register_wallboard

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the wallboard once, whatever entries exist."""
    async_setup_services(hass)
    await async_register_wallboard(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ContactCenterConfigEntry) -> bool:
    """Move an entry of an earlier version, its devices and its entities to today's ids.

    Version 1 entries of Live Guide (the host) and wolkvox (a hash of the token) had unique ids
    that the identity rule forbids (see ``AccountIdentity``). Only unique ids and device
    identifiers change: every entity keeps its entity id, and so its history.
    """
    if entry.version > 2:
        # Made by a newer release: its ids mean something this one does not know.
        return False
    if entry.version == 1:
        old = entry_account_id(entry)
        new = _migrated_account_id(hass, entry, old)
        if new != old:
            await _async_rename_registry_ids(hass, entry, old, new)
        hass.config_entries.async_update_entry(entry, unique_id=new, version=2, minor_version=1)
        LOGGER.debug("Migrated entry %s to version 2", entry.entry_id)
    return True


def _migrated_account_id(hass: HomeAssistant, entry: ContactCenterConfigEntry, old: str) -> str:
    vendor = find_vendor(entry.data.get(CONF_VENDOR, ""))
    if vendor is None or vendor.settings_identity is None:
        return old
    identity = vendor.settings_identity(
        vendor.settings_from(entry.data), known_queue_ids(hass, entry, old)
    )
    # Nothing stored tells the account apart (no department seen): the entry id is as fixed.
    new = identity.unique_id or f"{vendor.key}_{entry.entry_id}"
    taken = {
        other.unique_id
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry.entry_id
    }
    # Two old entries (two tokens for the same skills) must not end up as one.
    return f"{new}_{entry.entry_id}" if new in taken else new


async def _async_rename_registry_ids(
    hass: HomeAssistant, entry: ContactCenterConfigEntry, old: str, new: str
) -> None:
    def renamed(identifier: str) -> str:
        if identifier == old or identifier.startswith(f"{old}_"):
            return new + identifier[len(old) :]
        return identifier

    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        identifiers = {
            (domain, renamed(value) if domain == DOMAIN else value)
            for domain, value in device.identifiers
        }
        if identifiers != device.identifiers:
            registry.async_update_device(device.id, new_identifiers=identifiers)

    @callback
    def entity_update(entity: er.RegistryEntry) -> dict[str, str] | None:
        unique_id = renamed(entity.unique_id)
        return None if unique_id == entity.unique_id else {"new_unique_id": unique_id}

    await er.async_migrate_entries(hass, entry.entry_id, entity_update)


async def async_setup_entry(hass: HomeAssistant, entry: ContactCenterConfigEntry) -> bool:
    """Connect to the vendor account and set up its entities."""
    vendor = find_vendor(entry.data.get(CONF_VENDOR, ""))
    if vendor is None:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_vendor",
            translation_placeholders={"vendor": str(entry.data.get(CONF_VENDOR))},
        )
    client, release = async_create_client(hass, vendor, entry.data)
    entry.async_on_unload(release)
    coordinator = ContactCenterCoordinator(hass, entry, client, vendor)
    await coordinator.async_restore_tracked()
    try:
        await coordinator.async_config_entry_first_refresh()
    except Exception:
        # The client may already hold something on the server (a subscription counted against
        # the tenant's limit); each retry of the setup would leave one more behind.
        await client.async_close()
        raise
    if coordinator.capabilities.slow_totals_extras:
        # Known after the first answer (a token's scope); a failure here leaves only these
        # entities unavailable until the next slow poll.
        coordinator.slow = ContactCenterSlowCoordinator(hass, entry, client)
        await coordinator.slow.async_refresh()
    coordinator.entity_options = _entity_options(entry.options)
    entry.runtime_data = coordinator
    # Queue and agent devices hang below the account device (entity.py), which must exist even
    # when the account itself has no entity (an entry that follows only agents).
    coordinator.account_device_id = (
        dr.async_get(hass)
        .async_get_or_create(config_entry_id=entry.entry_id, **account_device_info(coordinator))
        .id
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(
        entry.add_update_listener(partial(_async_entry_updated, set_up_with=dict(entry.data)))
    )
    return True


def _entity_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options that decide which entities exist and what they show."""
    return {key: value for key, value in options.items() if key != CONF_SCAN_INTERVAL}


async def _async_entry_updated(
    hass: HomeAssistant, entry: ContactCenterConfigEntry, *, set_up_with: Mapping[str, Any]
) -> None:
    """Reload when reauth or reconfigure changed the data, or the options change the entities.

    The flows only save the data: from 2026.x on, an entry with an update listener must reload
    from it (``async_update_reload_and_abort`` breaks in 2026.12). A new poll interval applies
    at once, without a reload.
    """
    coordinator = entry.runtime_data
    if (
        dict(entry.data) != set_up_with
        or _entity_options(entry.options) != coordinator.entity_options
    ):
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    coordinator.update_interval = coordinator.poll_interval()


async def async_unload_entry(hass: HomeAssistant, entry: ContactCenterConfigEntry) -> bool:
    """Unload the entities (the coordinator stops with them), then let the client clean up."""
    if unloaded := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        entry.runtime_data.async_clear_issues()
        await entry.runtime_data.async_save_tracked()
        await entry.runtime_data.client.async_close()
    return unloaded


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ContactCenterConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a queue or agent device that the account no longer reports."""
    coordinator = entry.runtime_data
    subject = coordinator.subject_from_device(device)
    if subject is None:
        return True
    if coordinator.is_present(subject):
        return False
    coordinator.forget(subject)
    return True


async def async_remove_entry(hass: HomeAssistant, entry: ContactCenterConfigEntry) -> None:
    """Drop the stale clock and the repair issues of a removed entry.

    An entry that never loaded keeps its issues otherwise.
    """
    await stale_store(hass, entry.entry_id).async_remove()
    prefix = f"{entry.entry_id}_"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
