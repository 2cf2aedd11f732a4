"""Actions (services) of the integration, registered once for all entries."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import ContactCenterAuthError, ContactCenterError, LiveExpertClient
from .api.live_expert import ExportFile, ExportTable, summarize_export
from .const import DOMAIN
from .coordinator import ContactCenterConfigEntry

SERVICE_DOWNLOAD_EXPORT = "download_export"
SERVICE_GET_DISPOSITIONS = "get_dispositions"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
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
GET_DISPOSITIONS_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions.

    Actions take a ``config_entry_id`` and look the entry up themselves: the service helpers
    that take ``hass`` changed their signature in Home Assistant 2026.10.
    """
    hass.services.async_register(
        DOMAIN,
        SERVICE_DOWNLOAD_EXPORT,
        _async_download_export,
        schema=DOWNLOAD_EXPORT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DISPOSITIONS,
        _async_get_dispositions,
        schema=GET_DISPOSITIONS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> ContactCenterConfigEntry:
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
    """Fetch one day's export of a Live Expert entry, save it, and say what it holds."""
    hass = call.hass
    entry = _loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
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


async def _async_get_dispositions(call: ServiceCall) -> ServiceResponse:
    """Return the disposition names of an entry whose platform has them (Bright Pattern)."""
    hass = call.hass
    entry = _loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
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
