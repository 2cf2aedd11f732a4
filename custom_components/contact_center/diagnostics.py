"""Diagnostics: the entry's settings without secrets, and the last answer without personal data."""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .api.models import as_plain_data
from .coordinator import ContactCenterConfigEntry, SubjectKind
from .vendors import integrations


def redacted_keys() -> frozenset[str]:
    """Return the keys every vendor redacts (secrets, ids of people); an entry has its own only."""
    return frozenset().union(*(integration.redact for integration in integrations()))


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ContactCenterConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug an entry; agents appear by number, not by name or e-mail."""
    coordinator = entry.runtime_data
    capabilities = coordinator.capabilities
    snapshot: dict[str, Any] | None = None
    if coordinator.data is not None:
        snapshot = as_plain_data(coordinator.data)
        snapshot["agents"] = [
            {**agent, "id": "**REDACTED**", "name": "**REDACTED**"}
            for _, agent in sorted(snapshot["agents"].items())
        ]
        if capabilities.messages:
            # Message texts and senders are personal: only how many there are.
            snapshot["messages"] = len(coordinator.data.messages)
    diagnostics: dict[str, Any] = {
        "entry": {
            "title": entry.title,
            "data": async_redact_data(dict(entry.data), redacted_keys()),
            "options": dict(entry.options),
        },
        "vendor": coordinator.vendor.key,
        "capabilities": {
            "totals": sorted(capabilities.totals),
            "queue": sorted(capabilities.queue),
            "agent": sorted(capabilities.agent),
        },
        "last_update_success": coordinator.last_update_success,
        "tracked": {
            "queues": len(coordinator.tracked[SubjectKind.QUEUE]),
            "agents": len(coordinator.tracked[SubjectKind.AGENT]),
        },
        "snapshot": snapshot,
    }
    if (slow := coordinator.slow) is not None:
        diagnostics["slow_figures"] = {
            "last_update_success": slow.last_update_success,
            "data": {
                key: value.isoformat() if isinstance(value, date) else value
                for key, value in sorted((slow.data or {}).items())
            },
        }
    return diagnostics
