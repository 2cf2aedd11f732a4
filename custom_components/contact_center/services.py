"""Actions (services) of the integration, registered once for all entries.

Which actions exist is up to the vendors: each declares its own (``VendorIntegration.actions``)
next to its form, and its handler refuses entries that cannot carry it out.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from .const import DOMAIN
from .vendors import integrations


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every vendor's actions."""
    for integration in integrations():
        for action in integration.actions:
            hass.services.async_register(
                DOMAIN,
                action.name,
                action.handler,
                schema=action.schema,
                supports_response=action.supports_response,
            )
