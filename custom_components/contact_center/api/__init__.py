"""Client library for contact-center real-time APIs; free of Home Assistant.

``VENDORS`` maps each vendor key to its client class and settings type, so the integration can build
any client from a config entry without knowing the vendor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .client import ContactCenterClient
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterMissingScopeError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
)
from .live_expert import LiveExpertClient, LiveExpertSettings
from .live_guide import LiveGuideClient, LiveGuideSettings
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    ExtraFigure,
    ExtraKind,
    Figures,
    Queue,
    Snapshot,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Vendor:
    """A vendor the library speaks to, and how its devices are called."""

    key: str
    name: str
    client_class: type[ContactCenterClient[Any]]
    settings_class: type[Any]
    queue_model: str
    agent_model: str

    def settings_from(self, data: Mapping[str, Any]) -> Any:
        """Build the settings from stored config data, ignoring keys the settings do not know."""
        names = {field.name for field in fields(self.settings_class)}
        return self.settings_class(**{key: value for key, value in data.items() if key in names})


VENDORS: Mapping[str, Vendor] = {
    "live_guide": Vendor(
        key="live_guide",
        name="Live Guide",
        client_class=LiveGuideClient,
        settings_class=LiveGuideSettings,
        queue_model="Department",
        agent_model="Operator",
    ),
    "live_expert": Vendor(
        key="live_expert",
        name="Live Expert",
        client_class=LiveExpertClient,
        settings_class=LiveExpertSettings,
        queue_model="Category and language",
        agent_model="Expert",
    ),
}

__all__ = [
    "VENDORS",
    "AccountIdentity",
    "Agent",
    "AgentStatus",
    "Capabilities",
    "ContactCenterAuthError",
    "ContactCenterClient",
    "ContactCenterConnectionError",
    "ContactCenterError",
    "ContactCenterMissingScopeError",
    "ContactCenterRateLimitError",
    "ContactCenterResponseError",
    "ExtraFigure",
    "ExtraKind",
    "Figures",
    "LiveExpertClient",
    "LiveExpertSettings",
    "LiveGuideClient",
    "LiveGuideSettings",
    "Queue",
    "Snapshot",
    "Vendor",
]
