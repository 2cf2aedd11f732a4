"""Client library for contact-center real-time APIs; free of Home Assistant.

Every module of this package that defines ``VENDOR`` (a ``Vendor``) is a vendor; ``VENDORS`` maps
each vendor key to it, so the integration can build any client from a config entry without knowing
the vendor, and a new vendor is one new module here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import importlib
import pkgutil
from types import MappingProxyType

from .client import ContactCenterClient, SharedState, Vendor
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


def discover_modules[T](
    package: str,
    path: Iterable[str],
    attribute: str,
    kind: type[T],
    key: Callable[[T], str],
    position: Callable[[T], int],
) -> Mapping[str, T]:
    """Import every module of ``package`` found on ``path``; return their ``attribute`` by key.

    Modules without the attribute (shared helpers) are skipped. Registries call this when their
    package is imported, which Home Assistant does in its executor, so listing the directory does
    not block the event loop.
    """
    found: list[T] = []
    for module_info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{module_info.name}")
        value = getattr(module, attribute, None)
        if isinstance(value, kind):
            found.append(value)
    found.sort(key=position)
    keys = [key(value) for value in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"two modules of {package} share a key: {keys}")
    return MappingProxyType(dict(zip(keys, found, strict=True)))


def discover_vendors(package: str, path: Iterable[str]) -> Mapping[str, Vendor]:
    """Return the ``VENDOR`` of every module of ``package`` on ``path``, by key, in order."""
    return discover_modules(
        package, path, "VENDOR", Vendor, lambda vendor: vendor.key, lambda vendor: vendor.position
    )


VENDORS: Mapping[str, Vendor] = discover_vendors(__name__, __path__)


def find_vendor(key: str) -> Vendor | None:
    """Return the vendor of ``key``, or ``None``; looks ``VENDORS`` up at call time."""
    return VENDORS.get(key)


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
    "ContactCenterServerError",
    "ContactCenterTargetError",
    "ContactCenterUnidentifiedError",
    "ExtraFigure",
    "ExtraKind",
    "Figures",
    "Message",
    "Problem",
    "Queue",
    "SharedState",
    "Snapshot",
    "Vendor",
    "discover_modules",
    "discover_vendors",
    "find_vendor",
]
