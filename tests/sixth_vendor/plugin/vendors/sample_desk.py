"""Sample Desk in Home Assistant: its form, its secret and an action of its own."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_URL
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from custom_components.contact_center.api.sample_desk import (
    VENDOR,
    normalize_url,
)
from custom_components.contact_center.vendors.base import (
    ATTR_CONFIG_ENTRY_ID,
    SECRET_SELECTOR,
    URL_SELECTOR,
    InvalidInputError,
    VendorAction,
    VendorForm,
    VendorIntegration,
    loaded_entry,
)

CONF_API_TOKEN = "api_token"


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the address and token."""
    try:
        url = normalize_url(data[CONF_URL])
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    return {**data, CONF_URL: url, CONF_API_TOKEN: data[CONF_API_TOKEN].strip()}


async def _async_count_waiting(call: ServiceCall) -> ServiceResponse:
    """Return how many customers the entry's last answer had waiting."""
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    return {"waiting": entry.runtime_data.data.totals.waiting}


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {vol.Required(CONF_URL): URL_SELECTOR, vol.Required(CONF_API_TOKEN): SECRET_SELECTOR}
        ),
        secret_keys=(CONF_API_TOKEN,),
        clean=clean,
        error_fields={"invalid_auth": CONF_API_TOKEN, "cannot_connect": CONF_URL},
    ),
    redact=frozenset({CONF_API_TOKEN}),
    actions=(
        VendorAction(
            name="sample_desk_count_waiting",
            handler=_async_count_waiting,
            schema=vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}),
            supports_response=SupportsResponse.ONLY,
        ),
    ),
)
