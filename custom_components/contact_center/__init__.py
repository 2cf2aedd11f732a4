"""The Contact Center integration: real-time queue and agent figures of contact-center platforms."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .api import find_vendor
from .const import CONF_VENDOR, DOMAIN
from .coordinator import (
    ContactCenterConfigEntry,
    ContactCenterCoordinator,
    ContactCenterSlowCoordinator,
    async_create_client,
    stale_store,
)
from .entity import account_device_info
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whatever entries exist."""
    async_setup_services(hass)
    return True


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
    entry.runtime_data = coordinator
    # Queue and agent devices hang below the account device (via_device), which must exist even
    # when the account itself has no entity (a Live Expert entry that follows only experts).
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(coordinator)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Options hold only the poll interval, which applies without a reload.
    entry.async_on_unload(entry.add_update_listener(_async_apply_options))
    return True


async def _async_apply_options(hass: HomeAssistant, entry: ContactCenterConfigEntry) -> None:
    entry.runtime_data.update_interval = entry.runtime_data.poll_interval()


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
