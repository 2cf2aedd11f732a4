"""The registry of vendors' Home Assistant sides: every module here that defines ``INTEGRATION``.

Adding a vendor is adding a module (next to its client in ``api/``); nothing here or in the
generic modules names one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..api import discover_modules
from .base import VendorIntegration


def discover_integrations(package: str, path: list[str]) -> Mapping[str, VendorIntegration]:
    """Return the ``INTEGRATION`` of every module of ``package`` on ``path``, by vendor key."""
    return discover_modules(
        package,
        path,
        "INTEGRATION",
        VendorIntegration,
        lambda integration: integration.vendor.key,
        lambda integration: integration.vendor.position,
    )


INTEGRATIONS: Mapping[str, VendorIntegration] = discover_integrations(__name__, __path__)
"""Every vendor, in the order the add-integration menu lists them."""


def find_integration(key: str) -> VendorIntegration | None:
    """Return the vendor of ``key``, or ``None``; looks ``INTEGRATIONS`` up at call time."""
    return INTEGRATIONS.get(key)


def get_integration(key: str) -> VendorIntegration:
    """Return the vendor of ``key``; ``KeyError`` for one the registry does not know."""
    return INTEGRATIONS[key]


def integrations() -> tuple[VendorIntegration, ...]:
    """Return every vendor, in order; looks ``INTEGRATIONS`` up at call time."""
    return tuple(INTEGRATIONS.values())
