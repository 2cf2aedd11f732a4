"""Live Guide in Home Assistant: the setup form and how its input is cleaned."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.helpers.selector import BooleanSelector
import voluptuous as vol

from ..api.live_guide import VENDOR, normalize_url
from ..const import CONF_PER_DEPARTMENT
from .base import SECRET_SELECTOR, URL_SELECTOR, InvalidInputError, VendorForm, VendorIntegration


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the server address and token."""
    try:
        url = normalize_url(data[CONF_URL])
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    token = data[CONF_TOKEN].strip()
    if not token:
        raise InvalidInputError(CONF_TOKEN, "invalid_auth")
    return {**data, CONF_URL: str(url).rstrip("/"), CONF_TOKEN: token}


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL): URL_SELECTOR,
                vol.Required(CONF_TOKEN): SECRET_SELECTOR,
                vol.Required(CONF_PER_DEPARTMENT, default=True): BooleanSelector(),
                vol.Required(CONF_VERIFY_SSL, default=True): BooleanSelector(),
            }
        ),
        secret_keys=(CONF_TOKEN,),
        clean=clean,
        error_fields={
            "invalid_auth": CONF_TOKEN,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
    ),
    redact=frozenset({CONF_TOKEN}),
)
