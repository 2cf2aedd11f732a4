"""Each vendor is found by three registries, and the generic modules name none of them."""

from __future__ import annotations

from pathlib import Path
import re
import sys

import pytest

from custom_components.contact_center import api, vendors
from custom_components.contact_center.config_flow import ContactCenterConfigFlow
from simulator import vendors as simulator_vendors

from .test_files import load_json, load_yaml

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "contact_center"
GENERIC_MODULES = (
    INTEGRATION / "config_flow.py",
    INTEGRATION / "diagnostics.py",
    INTEGRATION / "services.py",
    ROOT / "simulator" / "core.py",
)


def test_every_vendor_has_all_three_sides() -> None:
    """A client, a Home Assistant side and a simulator, under one key, name and place."""
    assert list(api.VENDORS) == list(vendors.INTEGRATIONS) == list(simulator_vendors.SIMULATORS)
    assert len(api.VENDORS) >= 5
    for key, vendor in api.VENDORS.items():
        assert vendors.INTEGRATIONS[key].vendor is vendor
        simulator = simulator_vendors.SIMULATORS[key]
        assert (simulator.title, simulator.position) == (vendor.name, vendor.position)
        assert vendor.client_class.vendor == key


def _spellings(key: str, name: str) -> set[str]:
    words = key.split("_")
    return {key, name, "".join(words), " ".join(words), name.replace(" ", "")}


@pytest.mark.parametrize("module", GENERIC_MODULES, ids=lambda path: path.name)
def test_generic_modules_name_no_vendor(module: Path) -> None:
    """The Done-when rule of issue 13: grep finds no vendor key or name in these files."""
    text = module.read_text(encoding="utf-8")
    for key, vendor in api.VENDORS.items():
        for spelling in _spellings(key, vendor.name):
            assert not re.search(re.escape(spelling), text, re.IGNORECASE), (
                f"{module.name} names {vendor.name} ({spelling!r})"
            )


def test_the_vendors_actions_are_the_described_ones() -> None:
    """services.yaml, icons.json and en.json are one file each (Home Assistant's rule): each
    vendor's actions and extra figures are under keys of their own there."""
    actions = {action.name for spec in vendors.INTEGRATIONS.values() for action in spec.actions}
    assert actions
    assert set(load_yaml(INTEGRATION / "services.yaml")) == actions
    icons = load_json(INTEGRATION / "icons.json")["entity"]
    for platform, names in load_json(INTEGRATION / "translations" / "en.json")["entity"].items():
        assert set(icons[platform]) == set(names), platform


def test_two_modules_with_one_key_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copied vendor module that keeps the original's key fails at import, not in a flow."""
    source = (INTEGRATION / "api" / "cobrowser.py").read_text(encoding="utf-8")
    absolute = source.replace("from .", "from custom_components.contact_center.api.")
    (tmp_path / "cobrowser_copy.py").write_text(absolute, encoding="utf-8")
    monkeypatch.setattr(api, "__path__", [*api.__path__, str(tmp_path)])
    monkeypatch.delitem(sys.modules, f"{api.__name__}.cobrowser_copy", raising=False)
    with pytest.raises(ValueError, match="share a key"):
        api.discover_vendors(api.__name__, api.__path__)


def test_the_config_flow_has_a_step_per_registered_vendor_only() -> None:
    """Steps are found by name; only registered vendors' keys are steps."""
    flow = ContactCenterConfigFlow()
    assert all(hasattr(flow, f"async_step_{key}") for key in vendors.INTEGRATIONS)
    assert not hasattr(flow, "async_step_nowhere")
    assert not hasattr(flow, "not_a_step")
