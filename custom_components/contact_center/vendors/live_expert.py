"""Live Expert in Home Assistant: the setup form, and the action that downloads a data export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import TextSelector
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..api import ContactCenterError
from ..api.live_expert import (
    DEFAULT_URL,
    VENDOR,
    ExportFile,
    ExportTable,
    LiveExpertClient,
    normalize_url,
    parse_category_languages,
    parse_expert_ids,
    summarize_export,
)
from ..const import (
    CONF_CATEGORY_LANGUAGES,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_EXPERT_IDS,
    DOMAIN,
)
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

SERVICE_DOWNLOAD_EXPORT = "download_export"
ATTR_DATE = "date"
ATTR_DIRECTORY = "directory"
EXPORT_DIRECTORY = Path(DOMAIN) / "exports"
"""Where exports are saved by default, relative to the configuration directory."""

DOWNLOAD_EXPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_DATE): cv.string,
        vol.Optional(ATTR_DIRECTORY): cv.string,
    }
)


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize the server address and client, and read the experts and categories to follow."""
    try:
        url = normalize_url(data.get(CONF_URL) or DEFAULT_URL)
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


def _export_day(value: str | None) -> date:
    if value is None:
        return dt_util.now().date() - timedelta(days=1)
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="export_bad_date",
            translation_placeholders={"date": value},
        ) from None
    if day >= dt_util.now().date():
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="export_future_date",
            translation_placeholders={"date": day.isoformat()},
        )
    return day


async def _async_target_directory(hass: HomeAssistant, value: str | None) -> Path:
    if value is None:
        return Path(hass.config.path(str(EXPORT_DIRECTORY)))
    directory = Path(value.strip())
    if not directory.is_absolute():
        directory = Path(hass.config.path(str(directory)))
    # It resolves the path on disk (symbolic links too): file system work, off the event loop.
    if not await hass.async_add_executor_job(hass.config.is_allowed_path, str(directory)):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="export_path_not_allowed",
            translation_placeholders={"directory": str(directory)},
        )
    return directory


def _export_failed(day: date, err: ContactCenterError) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="export_failed",
        translation_placeholders={"date": day.isoformat(), "error": str(err)},
    )


def _save(directory: Path, export: ExportFile) -> tuple[Path, dict[str, ExportTable]]:
    """Read and save the ZIP (runs in the executor: file I/O and unzipping block)."""
    tables = summarize_export(export.content)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / Path(export.filename).name
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(export.content)
    partial.replace(path)
    return path, tables


async def _async_download_export(call: ServiceCall) -> ServiceResponse:
    """Fetch one day's export of an entry, save it, and say what it holds."""
    hass = call.hass
    entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
    client = entry.runtime_data.client
    if not isinstance(client, LiveExpertClient) or not client.supports_export:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="export_not_supported",
            translation_placeholders={"name": entry.title},
        )
    day = _export_day(call.data.get(ATTR_DATE))
    directory = await _async_target_directory(hass, call.data.get(ATTR_DIRECTORY))
    try:
        export = await client.async_download_export(day)
    except ContactCenterError as err:
        raise _export_failed(day, err) from err
    if export is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="export_no_data",
            translation_placeholders={"date": day.isoformat()},
        )
    try:
        path, tables = await hass.async_add_executor_job(_save, directory, export)
    except ContactCenterError as err:
        raise _export_failed(day, err) from err
    except OSError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="export_not_saved",
            translation_placeholders={"directory": str(directory), "error": err.strerror or ""},
        ) from err
    files: dict[str, Any] = {
        name: {"rows": table.rows, "columns": list(table.columns)}
        for name, table in sorted(tables.items())
    }
    return {
        "date": day.isoformat(),
        "path": str(path),
        "size": len(export.content),
        "files": files,
        "rows": sum(table.rows for table in tables.values()),
    }


INTEGRATION = VendorIntegration(
    vendor=VENDOR,
    form=VendorForm(
        schema=vol.Schema(
            {
                vol.Required(CONF_URL, default=DEFAULT_URL): URL_SELECTOR,
                vol.Required(CONF_CLIENT_ID): TextSelector(),
                vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
                vol.Optional(CONF_EXPERT_IDS, default=""): TextSelector(),
                vol.Optional(CONF_CATEGORY_LANGUAGES, default=""): TextSelector(),
            }
        ),
        secret_keys=(CONF_CLIENT_SECRET,),
        clean=clean,
        error_fields={
            "invalid_auth": CONF_CLIENT_SECRET,
            "cannot_connect": CONF_URL,
        },
    ),
    # The expert ids a user enters are personal, like the agents' ids in the snapshot.
    redact=frozenset({CONF_CLIENT_SECRET, CONF_EXPERT_IDS}),
    actions=(
        VendorAction(
            name=SERVICE_DOWNLOAD_EXPORT,
            handler=_async_download_export,
            schema=DOWNLOAD_EXPORT_SCHEMA,
            supports_response=SupportsResponse.OPTIONAL,
        ),
    ),
)
