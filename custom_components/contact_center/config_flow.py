"""Config flow: a menu of vendors, one form per vendor, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import partial
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntry,
    ConfigEntryState,
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
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .api import (
    AccountIdentity,
    Capabilities,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterMissingScopeError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ContactCenterTargetError,
    ContactCenterUnidentifiedError,
)
from .const import (
    AGENTS_ALL,
    AGENTS_CHOSEN,
    AGENTS_NONE,
    CONF_AGENTS,
    CONF_CHOSEN_AGENTS,
    CONF_VENDOR,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .coordinator import (
    ContactCenterCoordinator,
    SubjectKind,
    async_create_client,
    default_scan_interval,
    known_queue_ids,
)
from .health import RULES, THRESHOLD_OPTIONS, threshold_errors
from .vendors import find_integration, get_integration, integrations
from .vendors.base import InvalidInputError, VendorForm

type _VendorStep = Callable[[dict[str, Any] | None], Coroutine[Any, Any, ConfigFlowResult]]


def _prefilled(schema: vol.Schema, values: Mapping[str, Any]) -> vol.Schema:
    """Return the schema with each field's default set to the stored value.

    A form field with a default (the vendor's server) shows that default, not a suggested
    value; reconfigure must show what the entry holds.
    """
    fields: dict[Any, Any] = {}
    for marker, validator in schema.schema.items():
        key = str(marker)
        fields[type(marker)(key, default=values[key]) if key in values else marker] = validator
    return vol.Schema(fields)


class ContactCenterConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a contact-center account."""

    VERSION = 2
    """2: unique ids follow the identity rule of ``AccountIdentity`` (``async_migrate_entry``)."""
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start without placeholders for form errors."""
        super().__init__()
        self._error_placeholders: dict[str, str] = {}

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
        """Answer ``async_step_<vendor key>`` and ``async_step_reconfigure_<vendor key>``.

        Each vendor's form is a step of its own, and so is its reconfigure form (each has its
        own words). Home Assistant finds steps by name; the vendors come from the registry, so
        this class names none of them.
        """
        step = name.removeprefix("async_step_")
        if step != name:
            if find_integration(step) is not None:
                return partial(self._async_step_vendor, step)
            vendor_key = step.removeprefix("reconfigure_")
            if vendor_key != step and find_integration(vendor_key) is not None:
                return self._async_step_reconfigure_vendor
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
                if not identity.names_account:
                    # The id names only what the answer carried: the same secret is the
                    # surest sign of the same account.
                    self._async_abort_entries_match(
                        {CONF_VENDOR: vendor_key, **{key: data[key] for key in form.secret_keys}}
                    )
                return self.async_create_entry(
                    title=self._title(identity), data={CONF_VENDOR: vendor_key, **data}
                )
        return self.async_show_form(
            step_id=vendor_key,
            data_schema=self.add_suggested_values_to_schema(form.schema, user_input),
            errors=errors,
            description_placeholders=self._error_placeholders,
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
        """Open the reconfigure form of the entry's vendor (each has its own words)."""
        return await self._async_step_reconfigure_vendor(None)

    async def _async_step_reconfigure_vendor(
        self, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the non-secret settings; every field starts from the entry's own value."""
        entry = self._get_reconfigure_entry()
        form = _form(entry.data[CONF_VENDOR])
        schema = _prefilled(form.fields(form.secret_keys, exclude=True), entry.data)
        return await self._async_step_change(
            f"reconfigure_{entry.data[CONF_VENDOR]}",
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
        """Check the changed fields with the rest of the entry; save them if same account.

        The entry's unique id never changes here (``AccountIdentity``): settings that lead to
        another account are refused instead.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            vendor_key = entry.data[CONF_VENDOR]
            data, identity, errors = await self._async_try(vendor_key, {**entry.data, **user_input})
            if identity is not None:
                if not self._is_same_account(entry, identity):
                    return self.async_abort(
                        reason="reauth_account_mismatch"
                        if step_id == "reauth_confirm"
                        else "unique_id_mismatch"
                    )
                form = _form(vendor_key)
                if not identity.names_account and any(
                    all(other.data.get(key) == data[key] for key in form.secret_keys)
                    for other in self._async_current_entries(include_ignore=False)
                    if other.entry_id != entry.entry_id
                    and other.data.get(CONF_VENDOR) == vendor_key
                ):
                    # Another entry has these credentials: the two would be the same account.
                    return self.async_abort(reason="already_configured")
                updates = {key: data[key] for key in map(str, schema.schema)}
                return self._async_save_and_abort(entry, updates)
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders={"name": entry.title, **self._error_placeholders},
        )

    def _is_same_account(self, entry: ConfigEntry, identity: AccountIdentity) -> bool:
        """Say whether new settings lead to the entry's account, as far as the vendor tells."""
        vendor = get_integration(entry.data[CONF_VENDOR]).vendor
        if identity.names_account or vendor.settings_identity is None:
            return identity.unique_id == entry.unique_id
        stored = vendor.settings_identity(
            vendor.settings_from(entry.data), known_queue_ids(self.hass, entry)
        )
        if identity.server != stored.server:
            return False
        # Department ids are the server's own: accounts that share none are different ones.
        return not (identity.queue_ids and stored.queue_ids) or bool(
            identity.queue_ids & stored.queue_ids
        )

    def _title(self, identity: AccountIdentity) -> str:
        """Return the entry's title, with the identity's detail when another entry has it."""
        titles = {entry.title for entry in self._async_current_entries(include_ignore=False)}
        if identity.detail and identity.title in titles:
            return f"{identity.title} ({identity.detail})"
        return identity.title

    def _async_save_and_abort(
        self, entry: ConfigEntry, updates: dict[str, Any], unique_id: str | None = None
    ) -> ConfigFlowResult:
        """Save the changed data and finish; the entry reloads as before, but not from here.

        A set-up entry's update listener reloads it when the data changed (see __init__.py);
        unchanged data or an entry without a listener (its setup failed) reloads here, as
        ``async_update_reload_and_abort`` did.
        """
        changes: dict[str, Any] = {"data": {**entry.data, **updates}}
        if unique_id is not None:
            changes["unique_id"] = unique_id
        changed = self.hass.config_entries.async_update_entry(entry, **changes)
        if not (changed and entry.update_listeners):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(
            reason="reauth_successful" if self.source == SOURCE_REAUTH else "reconfigure_successful"
        )

    async def _async_try(
        self, vendor_key: str, user_input: Mapping[str, Any]
    ) -> tuple[dict[str, Any], AccountIdentity | None, dict[str, str]]:
        """Clean the input and connect once; return the cleaned data, identity and form errors."""
        integration = get_integration(vendor_key)
        form, vendor = integration.form, integration.vendor
        self._error_placeholders = {}
        data = {key: value for key, value in user_input.items() if key != CONF_VENDOR}
        try:
            data = form.clean(data)
        except InvalidInputError as err:
            return data, None, {err.field_name: err.error}
        client, release = async_create_client(self.hass, vendor, data)
        try:
            identity = await client.async_identify()
        except ContactCenterTargetError as err:
            # The vendor refused one of the targets typed into a field: say which, on that field.
            LOGGER.debug("%s refused a target: %s", vendor.name, err)
            self._error_placeholders = {"target": err.target}
            return data, None, {err.field: f"unknown_{err.field}"}
        except ContactCenterMissingScopeError:
            error = "missing_scope"
        except ContactCenterUnidentifiedError:
            error = "unidentified"
        except ContactCenterAuthError as err:
            error = err.form_error
        except ContactCenterRateLimitError:
            error = "rate_limited"
        except ContactCenterServerError as err:
            LOGGER.debug("%s answered with a server error: %s", vendor.name, err)
            error = "server_error"
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
        # A server error belongs where "cannot connect" would be shown: next to the address.
        field_of = error if error != "server_error" else "cannot_connect"
        return data, None, {form.error_fields.get(field_of, "base"): error}


def _form(vendor_key: str) -> VendorForm:
    return get_integration(vendor_key).form


class ContactCenterOptionsFlow(OptionsFlow):
    """Change how often the account is polled, the health thresholds and which agents to follow."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the poll interval, the thresholds and the agents to follow."""
        capabilities = await self._async_capabilities()
        errors: dict[str, str] = {}
        if user_input is not None:
            options, errors = _clean_options(user_input)
            if not errors:
                return self.async_create_entry(data=options)
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
                ),
                **_threshold_fields(capabilities),
                **self._agent_fields(capabilities),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or _suggested_options(self.config_entry.options)
            ),
            errors=errors,
        )

    async def _async_capabilities(self) -> Capabilities:
        """Return what the account reports: from the running entry, or a client never started."""
        entry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            coordinator: ContactCenterCoordinator = entry.runtime_data
            return coordinator.capabilities
        vendor = get_integration(entry.data[CONF_VENDOR]).vendor
        client, release = async_create_client(self.hass, vendor, entry.data)
        try:
            return client.capabilities
        finally:
            await client.async_close()
            release()

    def _agent_fields(self, capabilities: Capabilities) -> dict[vol.Marker, Any]:
        if not capabilities.agent:
            return {}
        known: dict[str, str] = {}
        entry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            coordinator: ContactCenterCoordinator = entry.runtime_data
            known.update(coordinator.tracked[SubjectKind.AGENT])
            known.update((key, agent.name) for key, agent in coordinator.data.agents.items())
        chosen = entry.options.get(CONF_AGENTS, AGENTS_ALL)
        if isinstance(chosen, list):
            known.update((key, known.get(key, key)) for key in chosen)
        return {
            vol.Required(CONF_AGENTS, default=AGENTS_ALL): SelectSelector(
                SelectSelectorConfig(
                    options=[AGENTS_ALL, AGENTS_NONE, AGENTS_CHOSEN],
                    translation_key=CONF_AGENTS,
                    mode=SelectSelectorMode.LIST,
                )
            ),
            vol.Optional(CONF_CHOSEN_AGENTS): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=key, label=name)
                        for key, name in sorted(known.items(), key=lambda item: item[1].lower())
                    ],
                    multiple=True,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
        }


def _threshold_fields(capabilities: Capabilities) -> dict[vol.Marker, Any]:
    """Return the threshold fields for the figures the account or its queues report."""
    reported = capabilities.totals | capabilities.queue
    fields: dict[vol.Marker, Any] = {}
    for rule in RULES:
        if rule.key not in reported:
            continue
        # No min or max: the form answers out-of-range values with an error on the field.
        selector = NumberSelector(
            NumberSelectorConfig(step=0.1, unit_of_measurement="%", mode=NumberSelectorMode.BOX)
            if rule.percent
            else NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX)
        )
        fields[vol.Optional(rule.warning_option)] = selector
        fields[vol.Optional(rule.alert_option)] = selector
    return fields


def _suggested_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Show a chosen list of agents as the choice ``chosen`` and its multi-select."""
    suggested = dict(options)
    chosen = options.get(CONF_AGENTS)
    if isinstance(chosen, list):
        suggested[CONF_AGENTS] = AGENTS_CHOSEN
        suggested[CONF_CHOSEN_AGENTS] = chosen
    return suggested


def _clean_options(user_input: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the options to store and the form errors; an empty threshold leaves its rule off."""
    options: dict[str, Any] = {CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL])}
    thresholds = {
        key: int(value) if float(value).is_integer() else float(value)
        for key in THRESHOLD_OPTIONS
        if (value := user_input.get(key)) is not None
    }
    errors = threshold_errors(thresholds)
    options.update(thresholds)
    agents = user_input.get(CONF_AGENTS)
    if agents == AGENTS_CHOSEN:
        chosen = list(user_input.get(CONF_CHOSEN_AGENTS) or [])
        if not chosen:
            errors[CONF_CHOSEN_AGENTS] = "no_agents_chosen"
        options[CONF_AGENTS] = chosen
    elif agents == AGENTS_NONE:
        options[CONF_AGENTS] = agents
    return options, errors
