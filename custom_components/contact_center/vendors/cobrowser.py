"""CoBrowser.net in Home Assistant: the setup form and how its input is cleaned."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.helpers.selector import BooleanSelector, TextSelector, TextSelectorConfig
import voluptuous as vol

from ..api.cobrowser import DEFAULT_URL, VENDOR, normalize_url
from ..const import CONF_ALL_AGENTS
from .base import SECRET_SELECTOR, URL_SELECTOR, InvalidInputError, VendorForm, VendorIntegration


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the server address, user name and API key."""
    try:
        url = normalize_url(data.get(CONF_URL) or DEFAULT_URL)
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    username = data[CONF_USERNAME].strip()
    if not username:
        raise InvalidInputError(CONF_USERNAME, "invalid_auth")
    api_key = data[CONF_API_KEY].strip()
    if not api_key:
        raise InvalidInputError(CONF_API_KEY, "invalid_auth")
    return {
        **data,
        CONF_URL: str(url).rstrip("/"),
        CONF_USERNAME: username,
        CONF_API_KEY: api_key,
    }


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL, default=DEFAULT_URL): URL_SELECTOR,
                vol.Required(CONF_USERNAME): TextSelector(
                    TextSelectorConfig(autocomplete="username")
                ),
                vol.Required(CONF_API_KEY): SECRET_SELECTOR,
                vol.Required(CONF_ALL_AGENTS, default=False): BooleanSelector(),
            }
        ),
        secret_keys=(CONF_API_KEY,),
        clean=clean,
        error_fields={
            "invalid_auth": CONF_API_KEY,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
    ),
    redact=frozenset({CONF_API_KEY}),
)
