"""wolkvox in Home Assistant: the setup form and how its input is cleaned."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_TOKEN
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)
import voluptuous as vol

from ..api.wolkvox import DEFAULT_QUOTA_SHARE, VENDOR, parse_skill_ids, server_url
from ..const import CONF_QUOTA_SHARE, CONF_SERVER, CONF_SKILL_IDS
from .base import SECRET_SELECTOR, InvalidInputError, VendorForm, VendorIntegration


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the server, token and skills."""
    try:
        server = server_url(data[CONF_SERVER])
    except ValueError:
        raise InvalidInputError(CONF_SERVER, "invalid_server") from None
    # The form asks for commas; the client also reads older entries saved with ";" or spaces.
    if any(len(part.split()) > 1 or ";" in part for part in data[CONF_SKILL_IDS].split(",")):
        raise InvalidInputError(CONF_SKILL_IDS, "invalid_skill_ids")
    try:
        skills = parse_skill_ids(data[CONF_SKILL_IDS])
    except ValueError:
        raise InvalidInputError(CONF_SKILL_IDS, "invalid_skill_ids") from None
    token = data[CONF_TOKEN].strip()
    if not token:
        raise InvalidInputError(CONF_TOKEN, "invalid_auth")
    raw = data[CONF_SERVER].strip()
    return {
        **data,
        # A bare code is kept as typed (it names the server in titles); URLs are cleaned.
        CONF_SERVER: raw if "://" not in raw and "." not in raw else str(server).rstrip("/"),
        CONF_TOKEN: token,
        CONF_SKILL_IDS: ",".join(skills),
        CONF_QUOTA_SHARE: int(data.get(CONF_QUOTA_SHARE, DEFAULT_QUOTA_SHARE)),
    }


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_SERVER): TextSelector(),
                vol.Required(CONF_TOKEN): SECRET_SELECTOR,
                vol.Required(CONF_SKILL_IDS): TextSelector(),
                vol.Required(CONF_QUOTA_SHARE, default=DEFAULT_QUOTA_SHARE): NumberSelector(
                    NumberSelectorConfig(
                        min=1, max=100, step=1, unit_of_measurement="%", mode=NumberSelectorMode.BOX
                    )
                ),
            }
        ),
        secret_keys=(CONF_TOKEN,),
        clean=clean,
        error_fields={
            "invalid_auth": CONF_TOKEN,
            "cannot_connect": CONF_SERVER,
            "invalid_response": CONF_SERVER,
        },
    ),
    redact=frozenset({CONF_TOKEN}),
)
