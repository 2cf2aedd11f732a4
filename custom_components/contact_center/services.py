"""Actions (services) of the integration, registered once for all entries."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions.

    Actions take a ``config_entry_id`` and look the entry up themselves: the service helpers
    that take ``hass`` changed their signature in Home Assistant 2026.10.
    """
