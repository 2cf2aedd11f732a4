"""Bright Pattern in Home Assistant: the setup form, and the action that lists dispositions."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import voluptuous as vol

from ..api import ContactCenterAuthError, ContactCenterError
from ..api.bright_pattern import VENDOR, normalize_tenant, normalize_url
from ..const import CONF_AUTH_METHOD, CONF_TENANT_URL, DOMAIN
from .base import (
    ATTR_CONFIG_ENTRY_ID,
    SECRET_SELECTOR,
    URL_SELECTOR,
    InvalidInputError,
    VendorAction,
    VendorForm,
    VendorIntegration,
    loaded_entry,
)

SERVICE_GET_DISPOSITIONS = "get_dispositions"
GET_DISPOSITIONS_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the server address, tenant and sign-in."""
    try:
        url = normalize_url(data[CONF_URL])
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    try:
        tenant = normalize_tenant(data.get(CONF_TENANT_URL) or "", url)
    except ValueError:
        raise InvalidInputError(CONF_TENANT_URL, "invalid_tenant") from None
    if not tenant or "/" in tenant or " " in tenant:
        raise InvalidInputError(CONF_TENANT_URL, "invalid_tenant")
    username = data[CONF_USERNAME].strip()
    if not username:
        raise InvalidInputError(CONF_USERNAME, "invalid_auth")
    password = data[CONF_PASSWORD].strip()
    if not password:
        raise InvalidInputError(CONF_PASSWORD, "invalid_auth")
    return {
        **data,
        CONF_URL: str(url).rstrip("/"),
        CONF_TENANT_URL: tenant,
        CONF_USERNAME: username,
        CONF_PASSWORD: password,
    }


async def _async_get_dispositions(call: ServiceCall) -> ServiceResponse:
    """Return the disposition names of an entry whose platform has them."""
    hass = call.hass
    entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
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


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL): URL_SELECTOR,
                vol.Optional(CONF_TENANT_URL, default=""): TextSelector(),
                vol.Required(CONF_USERNAME): TextSelector(
                    TextSelectorConfig(autocomplete="username")
                ),
                vol.Required(CONF_PASSWORD): SECRET_SELECTOR,
                vol.Required(CONF_AUTH_METHOD, default="oauth"): SelectSelector(
                    SelectSelectorConfig(
                        options=["oauth", "legacy"],
                        translation_key=CONF_AUTH_METHOD,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
            }
        ),
        secret_keys=(CONF_PASSWORD, CONF_AUTH_METHOD),
        clean=clean,
        error_fields={
            "invalid_auth": CONF_PASSWORD,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
        reauth_suggested=(CONF_AUTH_METHOD,),
    ),
    redact=frozenset({CONF_PASSWORD}),
    actions=(
        VendorAction(
            name=SERVICE_GET_DISPOSITIONS,
            handler=_async_get_dispositions,
            schema=GET_DISPOSITIONS_SCHEMA,
            supports_response=SupportsResponse.ONLY,
        ),
    ),
)
