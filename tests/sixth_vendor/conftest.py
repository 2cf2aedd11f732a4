"""Register Sample Desk, whose modules live in ``plugin/``, through the real discovery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import sys
from types import ModuleType

import pytest

from custom_components.contact_center import api, vendors
from simulator import vendors as simulator_vendors

PLUGIN = Path(__file__).parent / "plugin"
KEY = "sample_desk"


@pytest.fixture
def sample_desk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put ``plugin/<side>`` on each registry's package path and let each registry look again.

    Request it before ``simulator``, which builds its vendors from the registry.
    """
    packages: tuple[tuple[ModuleType, str], ...] = (
        (api, "api"),
        (vendors, "vendors"),
        (simulator_vendors, "simulator"),
    )
    for package, side in packages:
        monkeypatch.setattr(package, "__path__", [*package.__path__, str(PLUGIN / side)])
    monkeypatch.setattr(api, "VENDORS", api.discover_vendors(api.__name__, api.__path__))
    monkeypatch.setattr(
        vendors, "INTEGRATIONS", vendors.discover_integrations(vendors.__name__, vendors.__path__)
    )
    monkeypatch.setattr(
        simulator_vendors,
        "SIMULATORS",
        simulator_vendors.discover_simulators(
            simulator_vendors.__name__, simulator_vendors.__path__
        ),
    )
    yield
    for package, _side in packages:
        sys.modules.pop(f"{package.__name__}.{KEY}", None)
