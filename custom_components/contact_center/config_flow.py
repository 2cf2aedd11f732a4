"""Config flow: a menu of vendors, one form per vendor, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import partial
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .api import (
    AccountIdentity,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterMissingScopeError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
)
from .const import CONF_VENDOR, DOMAIN, LOGGER, MAX_SCAN_INTERVAL, MIN_SCAN_INTERVAL
from .coordinator import async_create_client, default_scan_interval
from .vendors import find_integration, get_integration, integrations
from .vendors.base import InvalidInputError, VendorForm

type _VendorStep = Callable[[dict[str, Any] | None], Coroutine[Any, Any, ConfigFlowResult]]


class ContactCenterConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a contact-center account."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> ContactCenterOptionsFlow:
        """Return the options flow (constructed without arguments, as newer cores require)."""
        return ContactCenterOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask which platform the account is on."""
        return self.async_show_menu(
            step_id="user",
            menu_options=[integration.vendor.key for integration in integrations()],
        )

    def __getattr__(self, name: str) -> _VendorStep:
        """Answer ``async_step_<vendor key>``: each vendor's form is a step of its own.

        Home Assistant finds steps by name; the vendors come from the registry, so this class
        names none of them.
        """
        prefix = "async_step_"
        if name.startswith(prefix) and find_integration(name[len(prefix) :]) is not None:
            return partial(self._async_step_vendor, name[len(prefix) :])
        raise AttributeError(name)

    async def _async_step_vendor(
        self, vendor_key: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        form = _form(vendor_key)
        errors: dict[str, str] = {}
        if user_input is not None:
            data, identity, errors = await self._async_try(vendor_key, user_input)
            if identity is not None:
                await self.async_set_unique_id(identity.unique_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=identity.title, data={CONF_VENDOR: vendor_key, **data}
                )
        return self.async_show_form(
            step_id=vendor_key,
            data_schema=self.add_suggested_values_to_schema(form.schema, user_input),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start over with new credentials when the stored ones are refused."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new credentials and check them against the same account."""
        entry = self._get_reauth_entry()
        form = _form(entry.data[CONF_VENDOR])
        schema = form.fields(form.secret_keys)
        if form.reauth_suggested:
            stored = {key: entry.data[key] for key in form.reauth_suggested if key in entry.data}
            schema = self.add_suggested_values_to_schema(schema, user_input or stored)
        return await self._async_step_change("reauth_confirm", entry, schema, user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the server address and settings; the credentials stay as they are."""
        entry = self._get_reconfigure_entry()
        form = _form(entry.data[CONF_VENDOR])
        schema = form.fields(form.secret_keys, exclude=True)
        return await self._async_step_change(
            "reconfigure",
            entry,
            self.add_suggested_values_to_schema(schema, user_input or entry.data),
            user_input,
        )

    async def _async_step_change(
        self,
        step_id: str,
        entry: ConfigEntry,
        schema: vol.Schema,
        user_input: dict[str, Any] | None,
    ) -> ConfigFlowResult:
        """Check the changed fields with the rest of the entry; save them if same account."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, identity, errors = await self._async_try(
                entry.data[CONF_VENDOR], {**entry.data, **user_input}
            )
            if identity is not None:
                updates = {key: data[key] for key in map(str, schema.schema)}
                form = _form(entry.data[CONF_VENDOR])
                if (
                    step_id == "reauth_confirm"
                    and form.identity_from_secrets
                    and identity.unique_id != entry.unique_id
                ):
                    # New credentials cannot prove the same account; they must not be another
                    # entry's, and they bring their own unique id.
                    await self.async_set_unique_id(identity.unique_id)
                    self._abort_if_unique_id_configured()
                    return self.async_update_reload_and_abort(
                        entry, unique_id=identity.unique_id, data_updates=updates
                    )
                await self.async_set_unique_id(identity.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def _async_try(
        self, vendor_key: str, user_input: Mapping[str, Any]
    ) -> tuple[dict[str, Any], AccountIdentity | None, dict[str, str]]:
        """Clean the input and connect once; return the cleaned data, identity and form errors."""
        integration = get_integration(vendor_key)
        form, vendor = integration.form, integration.vendor
        data = {key: value for key, value in user_input.items() if key != CONF_VENDOR}
        try:
            data = form.clean(data)
        except InvalidInputError as err:
            return data, None, {err.field_name: err.error}
        client, release = async_create_client(self.hass, vendor, data)
        try:
            identity = await client.async_identify()
        except ContactCenterMissingScopeError:
            error = "missing_scope"
        except ContactCenterAuthError as err:
            error = err.form_error
        except ContactCenterRateLimitError:
            error = "rate_limited"
        except ContactCenterConnectionError as err:
            LOGGER.debug("Cannot connect to %s: %s", vendor.name, err)
            error = "cannot_connect"
        except ContactCenterResponseError as err:
            LOGGER.debug("Unreadable answer from %s: %s", vendor.name, err)
            error = "invalid_response"
        except Exception:  # noqa: BLE001 - the form must answer whatever happens
            LOGGER.exception("Unexpected error while checking a %s account", vendor.name)
            error = "unknown"
        else:
            return data, identity, {}
        finally:
            release()
        return data, None, {form.error_fields.get(error, "base"): error}


def _form(vendor_key: str) -> VendorForm:
    return get_integration(vendor_key).form


class ContactCenterOptionsFlow(OptionsFlow):
    """Change how often the account is polled."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the poll interval."""
        if user_input is not None:
            return self.async_create_entry(
                data={CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL])}
            )
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL,
                    default=default_scan_interval(self.config_entry.data.get(CONF_VENDOR, "")),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL,
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, self.config_entry.options),
        )
