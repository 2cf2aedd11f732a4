"""Actions (services) of the integration, registered once for all entries."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import voluptuous as vol

from .api import ContactCenterAuthError, ContactCenterError
from .const import DOMAIN

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
SERVICE_GET_DISPOSITIONS = "get_dispositions"

_ENTRY_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): str})


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions.

    Actions take a ``config_entry_id`` and look the entry up themselves: the service helpers
    that take ``hass`` changed their signature in Home Assistant 2026.10.
    """

    async def get_dispositions(call: ServiceCall) -> ServiceResponse:
        entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_found",
                translation_placeholders={"entry_id": entry_id},
            )
        if entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_loaded",
                translation_placeholders={"name": entry.title},
            )
        coordinator = entry.runtime_data
        if not coordinator.capabilities.dispositions:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="dispositions_unsupported",
                translation_placeholders={"name": entry.title},
            )
        try:
            names = await coordinator.client.async_get_dispositions()
        except ContactCenterAuthError as err:
            entry.async_start_reauth(hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"error": str(err)},
            ) from err
        except ContactCenterError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="dispositions_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        return {"dispositions": list(names)}

    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DISPOSITIONS,
        get_dispositions,
        schema=_ENTRY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
