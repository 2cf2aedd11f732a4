"""What a vendor's Home Assistant side is made of: its form, secrets and extra actions.

Each module of ``vendors/`` declares one ``VendorIntegration`` as ``INTEGRATION``; the generic
modules (config flow, diagnostics, actions) read only these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
import voluptuous as vol

from ..api import Vendor
from ..const import DOMAIN
from ..coordinator import ContactCenterConfigEntry

URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
SECRET_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
ATTR_CONFIG_ENTRY_ID = "config_entry_id"


class InvalidInputError(Exception):
    """A field holds something that cannot be used; ``error`` is its translation key."""

    def __init__(self, field_name: str, error: str) -> None:
        """Name the field and the error."""
        super().__init__(error)
        self.field_name = field_name
        self.error = error


@dataclass(frozen=True, kw_only=True)
class VendorForm:
    """How the flow asks for one vendor's settings."""

    schema: vol.Schema
    secret_keys: tuple[str, ...]
    """Asked again when the credentials stop working (reauth); kept out of reconfigure."""
    clean: Callable[[dict[str, Any]], dict[str, Any]]
    """Normalizes the user's input; raises ``InvalidInputError`` for a field that cannot be used."""
    error_fields: Mapping[str, str] = field(default_factory=dict)
    """Which field an error is shown on; errors not listed go to the form as a whole."""
    reauth_suggested: tuple[str, ...] = ()
    """Reauth fields that start from their stored value (a choice, not a secret)."""

    def fields(self, keys: tuple[str, ...] | None = None, *, exclude: bool = False) -> vol.Schema:
        """Return the part of the schema with (or without) the given keys."""
        selected = {
            marker: validator
            for marker, validator in self.schema.schema.items()
            if keys is None or ((str(marker) in keys) != exclude)
        }
        return vol.Schema(selected)


@dataclass(frozen=True, kw_only=True)
class VendorAction:
    """An action (service) only some vendors' entries can carry out.

    It is registered once for all entries; the handler takes a ``config_entry_id`` and refuses
    entries that cannot do it.
    """

    name: str
    handler: Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]
    schema: vol.Schema
    supports_response: SupportsResponse = SupportsResponse.NONE


@dataclass(frozen=True, kw_only=True)
class VendorIntegration:
    """Everything Home Assistant needs to know about one vendor besides its client."""

    vendor: Vendor
    """The client library's side: key, name, client and settings."""
    form: VendorForm
    redact: frozenset[str]
    """Config entry keys whose values diagnostics redact: secrets, and ids of people."""
    actions: tuple[VendorAction, ...] = ()


def loaded_entry(hass: HomeAssistant, entry_id: str) -> ContactCenterConfigEntry:
    """Return the loaded entry an action names, or say why it cannot be used.

    Actions look the entry up themselves: the service helpers that take ``hass`` changed their
    signature in Home Assistant 2026.10.
    """
    entry: ContactCenterConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
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
    return entry
