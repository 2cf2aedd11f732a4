"""Find an entry's device by its identifier, the same way on every supported Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN


@callback
def async_entry_device(
    hass: HomeAssistant, config_entry_id: str, identifier: str
) -> dr.DeviceEntry | None:
    """Return the entry's device with this identifier, or ``None``.

    ``async_get_device(identifiers=...)`` is deprecated from 2026.x on (identifiers are no longer
    unique across entries; breaks in 2027.8) and its successors do not exist in 2025.4; the
    entry's own devices are listed alike on both.
    """
    wanted = (DOMAIN, identifier)
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), config_entry_id):
        if wanted in device.identifiers:
            return device
    return None
