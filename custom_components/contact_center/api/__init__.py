"""Client library for contact-center real-time APIs; free of Home Assistant.

``VENDORS`` maps each vendor key to its client class and settings type, so the integration can build
any client from a config entry without knowing the vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .bright_pattern import BrightPatternClient, BrightPatternSettings
from .client import ContactCenterClient, SharedState
from .cobrowser import CoBrowserClient, CoBrowserSettings
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterMissingScopeError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ContactCenterTargetError,
    ContactCenterUnidentifiedError,
)
from .live_expert import LiveExpertClient, LiveExpertSettings
from .live_guide import (
    LiveGuideClient,
    LiveGuideSettings,
    settings_identity as live_guide_identity,
)
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    ExtraFigure,
    ExtraKind,
    Figures,
    Message,
    Problem,
    Queue,
    Snapshot,
)
from .wolkvox import (
    WolkvoxClient,
    WolkvoxSettings,
    settings_identity as wolkvox_identity,
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
    default_scan_interval: int | None = None
    """Seconds between polls unless the user chooses otherwise; ``None``: the integration's."""
    needs_own_cookie_jar: bool = False
    """The client signs in with cookies: give each client a session and cookie jar of its own,
    or a shared jar would send one account's session cookies with another's requests."""
    settings_identity: Callable[[Any, frozenset[str]], AccountIdentity] | None = None
    """For a vendor whose answers name no account: the identity that stored settings and the ids
    of an entry's queue devices give, without a request. New settings in reauth and reconfigure
    are checked against it, and entries made before the identity rule (``AccountIdentity``) take
    their unique id from it. ``None``: the unique id names the account."""
    figure_names: Mapping[str, str] = field(default_factory=dict)
    """Names of generic figures that mean something narrower on this vendor: ``totals.<figure>``
    or ``queue.<figure>`` to the name's key (a translation key of the integration)."""

    def settings_from(self, data: Mapping[str, Any]) -> Any:
        """Build the settings from stored config data, ignoring keys the settings do not know."""
        names = {item.name for item in fields(self.settings_class)}
        return self.settings_class(**{key: value for key, value in data.items() if key in names})


VENDORS: Mapping[str, Vendor] = {
    "live_guide": Vendor(
        key="live_guide",
        name="Live Guide",
        client_class=LiveGuideClient,
        settings_class=LiveGuideSettings,
        queue_model="Department",
        agent_model="Operator",
        settings_identity=live_guide_identity,
    ),
    "wolkvox": Vendor(
        key="wolkvox",
        name="wolkvox",
        client_class=WolkvoxClient,
        settings_class=WolkvoxSettings,
        queue_model="Skill",
        agent_model="Agent",
        # Its generic service level is the one at 20 seconds, beside extras at 10 and 30.
        figure_names={
            "totals.service_level": "service_level_20s",
            "queue.service_level": "service_level_20s",
        },
        # The vendor's own guidance: one consumption every five minutes.
        default_scan_interval=300,
        settings_identity=wolkvox_identity,
    ),
    "cobrowser": Vendor(
        key="cobrowser",
        name="CoBrowser.net",
        client_class=CoBrowserClient,
        settings_class=CoBrowserSettings,
        queue_model="Queue",
        agent_model="Agent",
    ),
    "live_expert": Vendor(
        key="live_expert",
        name="Live Expert",
        client_class=LiveExpertClient,
        settings_class=LiveExpertSettings,
        queue_model="Category and language",
        agent_model="Expert",
    ),
    "bright_pattern": Vendor(
        key="bright_pattern",
        name="Bright Pattern",
        client_class=BrightPatternClient,
        settings_class=BrightPatternSettings,
        queue_model="Service",
        agent_model="Agent",
        # The legacy login's session cookies.
        needs_own_cookie_jar=True,
        # The account counts calls abandoned in queue; a service counts every abandoned call.
        figure_names={"totals.abandoned": "abandoned_in_queue"},
    ),
}

__all__ = [
    "VENDORS",
    "AccountIdentity",
    "Agent",
    "AgentStatus",
    "BrightPatternClient",
    "BrightPatternSettings",
    "Capabilities",
    "CoBrowserClient",
    "CoBrowserSettings",
    "ContactCenterAuthError",
    "ContactCenterClient",
    "ContactCenterConnectionError",
    "ContactCenterError",
    "ContactCenterMissingScopeError",
    "ContactCenterRateLimitError",
    "ContactCenterResponseError",
    "ContactCenterServerError",
    "ContactCenterTargetError",
    "ContactCenterUnidentifiedError",
    "ExtraFigure",
    "ExtraKind",
    "Figures",
    "LiveExpertClient",
    "LiveExpertSettings",
    "LiveGuideClient",
    "LiveGuideSettings",
    "Message",
    "Problem",
    "Queue",
    "SharedState",
    "Snapshot",
    "Vendor",
    "WolkvoxClient",
    "WolkvoxSettings",
]
