"""Config flow: a menu of vendors, one form per vendor, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import (
    CONF_API_KEY,
    CONF_PASSWORD,
    CONF_SCAN_INTERVAL,
    CONF_TOKEN,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api import (
    VENDORS,
    AccountIdentity,
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterMissingScopeError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
)
from .api.bright_pattern import (
    normalize_tenant as bright_pattern_tenant,
    normalize_url as bright_pattern_url,
)
from .api.cobrowser import DEFAULT_URL as COBROWSER_URL, normalize_url as cobrowser_url
from .api.live_expert import (
    DEFAULT_URL as LIVE_EXPERT_URL,
    normalize_url as live_expert_url,
    parse_category_languages,
    parse_expert_ids,
)
from .api.live_guide import normalize_url
from .api.wolkvox import DEFAULT_QUOTA_SHARE, parse_skill_ids, server_url
from .const import (
    CONF_ALL_AGENTS,
    CONF_AUTH_METHOD,
    CONF_PER_DEPARTMENT,
    CONF_QUOTA_SHARE,
    CONF_SERVER,
    CONF_SKILL_IDS,
    CONF_TENANT_URL,
    CONF_VENDOR,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .coordinator import default_scan_interval

_URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_SECRET_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


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
    """Asked again when the credentials stop working (reauth)."""
    clean: Callable[[dict[str, Any]], dict[str, Any]]
    """Normalizes the user's input; raises ``InvalidInputError`` for a field that cannot be used."""
    error_fields: Mapping[str, str] = field(default_factory=dict)
    """Which field an error is shown on; errors not listed go to the form as a whole."""
    identity_from_secrets: bool = False
    """The unique id derives from the credentials (nothing else names the account): new
    credentials in reauth bring a new unique id instead of proving the same account."""
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


def _clean_live_guide(data: dict[str, Any]) -> dict[str, Any]:
    try:
        url = normalize_url(data[CONF_URL])
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    token = data[CONF_TOKEN].strip()
    if not token:
        raise InvalidInputError(CONF_TOKEN, "invalid_auth")
    return {**data, CONF_URL: str(url).rstrip("/"), CONF_TOKEN: token}


def _clean_wolkvox(data: dict[str, Any]) -> dict[str, Any]:
    try:
        server = server_url(data[CONF_SERVER])
    except ValueError:
        raise InvalidInputError(CONF_SERVER, "invalid_server") from None
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


def _clean_cobrowser(data: dict[str, Any]) -> dict[str, Any]:
    try:
        url = cobrowser_url(data.get(CONF_URL) or COBROWSER_URL)
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


CONF_CLIENT_ID = "client_id"
CONF_CLIENT_SECRET = "client_secret"  # noqa: S105 - a field name
CONF_EXPERT_IDS = "expert_ids"
CONF_CATEGORY_LANGUAGES = "category_languages"


def _clean_live_expert(data: dict[str, Any]) -> dict[str, Any]:
    try:
        url = live_expert_url(data.get(CONF_URL) or LIVE_EXPERT_URL)
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    client_id = data[CONF_CLIENT_ID].strip()
    if not client_id:
        raise InvalidInputError(CONF_CLIENT_ID, "invalid_auth")
    secret = data[CONF_CLIENT_SECRET].strip()
    if not secret:
        raise InvalidInputError(CONF_CLIENT_SECRET, "invalid_auth")
    try:
        experts = parse_expert_ids(data.get(CONF_EXPERT_IDS) or "")
    except ValueError:
        raise InvalidInputError(CONF_EXPERT_IDS, "invalid_expert_ids") from None
    try:
        pairs = parse_category_languages(data.get(CONF_CATEGORY_LANGUAGES) or "")
    except ValueError:
        raise InvalidInputError(CONF_CATEGORY_LANGUAGES, "invalid_category_languages") from None
    if not experts and not pairs:
        raise InvalidInputError("base", "no_targets")
    return {
        **data,
        CONF_URL: str(url).rstrip("/"),
        CONF_CLIENT_ID: client_id,
        CONF_CLIENT_SECRET: secret,
        CONF_EXPERT_IDS: ",".join(experts),
        CONF_CATEGORY_LANGUAGES: ",".join(f"{c}:{lang}" for c, lang in pairs),
    }


def _clean_bright_pattern(data: dict[str, Any]) -> dict[str, Any]:
    try:
        url = bright_pattern_url(data[CONF_URL])
    except ValueError:
        raise InvalidInputError(CONF_URL, "invalid_url") from None
    try:
        tenant = bright_pattern_tenant(data.get(CONF_TENANT_URL) or "", url)
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


VENDOR_FORMS: dict[str, VendorForm] = {
    "live_guide": VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL): _URL_SELECTOR,
                vol.Required(CONF_TOKEN): _SECRET_SELECTOR,
                vol.Required(CONF_PER_DEPARTMENT, default=True): BooleanSelector(),
                vol.Required(CONF_VERIFY_SSL, default=True): BooleanSelector(),
            }
        ),
        secret_keys=(CONF_TOKEN,),
        clean=_clean_live_guide,
        error_fields={
            "invalid_auth": CONF_TOKEN,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
    ),
    "wolkvox": VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_SERVER): TextSelector(),
                vol.Required(CONF_TOKEN): _SECRET_SELECTOR,
                vol.Required(CONF_SKILL_IDS): TextSelector(),
                vol.Required(CONF_QUOTA_SHARE, default=DEFAULT_QUOTA_SHARE): NumberSelector(
                    NumberSelectorConfig(
                        min=1, max=100, step=1, unit_of_measurement="%", mode=NumberSelectorMode.BOX
                    )
                ),
            }
        ),
        secret_keys=(CONF_TOKEN,),
        clean=_clean_wolkvox,
        error_fields={
            "invalid_auth": CONF_TOKEN,
            "cannot_connect": CONF_SERVER,
            "invalid_response": CONF_SERVER,
        },
        identity_from_secrets=True,
    ),
    "cobrowser": VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL, default=COBROWSER_URL): _URL_SELECTOR,
                vol.Required(CONF_USERNAME): TextSelector(
                    TextSelectorConfig(autocomplete="username")
                ),
                vol.Required(CONF_API_KEY): _SECRET_SELECTOR,
                vol.Required(CONF_ALL_AGENTS, default=False): BooleanSelector(),
            }
        ),
        secret_keys=(CONF_API_KEY,),
        clean=_clean_cobrowser,
        error_fields={
            "invalid_auth": CONF_API_KEY,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
    ),
    "live_expert": VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL, default=LIVE_EXPERT_URL): _URL_SELECTOR,
                vol.Required(CONF_CLIENT_ID): TextSelector(),
                vol.Required(CONF_CLIENT_SECRET): _SECRET_SELECTOR,
                vol.Optional(CONF_EXPERT_IDS, default=""): TextSelector(),
                vol.Optional(CONF_CATEGORY_LANGUAGES, default=""): TextSelector(),
            }
        ),
        secret_keys=(CONF_CLIENT_SECRET,),
        clean=_clean_live_expert,
        error_fields={
            "invalid_auth": CONF_CLIENT_SECRET,
            "cannot_connect": CONF_URL,
        },
    ),
    "bright_pattern": VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL): _URL_SELECTOR,
                vol.Optional(CONF_TENANT_URL, default=""): TextSelector(),
                vol.Required(CONF_USERNAME): TextSelector(
                    TextSelectorConfig(autocomplete="username")
                ),
                vol.Required(CONF_PASSWORD): _SECRET_SELECTOR,
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
        clean=_clean_bright_pattern,
        error_fields={
            "invalid_auth": CONF_PASSWORD,
            "cannot_connect": CONF_URL,
            "invalid_response": CONF_URL,
        },
        reauth_suggested=(CONF_AUTH_METHOD,),
    ),
}


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
        return self.async_show_menu(step_id="user", menu_options=list(VENDOR_FORMS))

    async def async_step_live_guide(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Live Guide server and access token."""
        return await self._async_step_vendor("live_guide", user_input)

    async def async_step_wolkvox(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a wolkvox server, token and skills."""
        return await self._async_step_vendor("wolkvox", user_input)

    async def async_step_cobrowser(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a CoBrowser.net user name and API key."""
        return await self._async_step_vendor("cobrowser", user_input)

    async def async_step_live_expert(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Live Expert OAuth client and the experts and categories to follow."""
        return await self._async_step_vendor("live_expert", user_input)

    async def async_step_bright_pattern(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Bright Pattern tenant, user and API secret (or legacy password)."""
        return await self._async_step_vendor("bright_pattern", user_input)

    async def _async_step_vendor(
        self, vendor_key: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        form = VENDOR_FORMS[vendor_key]
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
        form = VENDOR_FORMS[entry.data[CONF_VENDOR]]
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
        form = VENDOR_FORMS[entry.data[CONF_VENDOR]]
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
                form = VENDOR_FORMS[entry.data[CONF_VENDOR]]
                if (
                    step_id == "reauth_confirm"
                    and form.identity_from_secrets
                    and identity.unique_id != entry.unique_id
                ):
                    # New credentials cannot prove the same account; they must not be another
                    # entry's, and they bring their own unique id.
                    await self.async_set_unique_id(identity.unique_id)
                    self._abort_if_unique_id_configured()
                    return self._async_save_and_abort(entry, updates, identity.unique_id)
                await self.async_set_unique_id(identity.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self._async_save_and_abort(entry, updates)
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders={"name": entry.title},
        )

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
        form = VENDOR_FORMS[vendor_key]
        vendor = VENDORS[vendor_key]
        data = {key: value for key, value in user_input.items() if key != CONF_VENDOR}
        try:
            data = form.clean(data)
        except InvalidInputError as err:
            return data, None, {err.field_name: err.error}
        session = async_get_clientsession(self.hass, verify_ssl=data.get(CONF_VERIFY_SSL, True))
        client = vendor.client_class(session, vendor.settings_from(data))
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
        return data, None, {form.error_fields.get(error, "base"): error}


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
