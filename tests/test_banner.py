"""What scripts/develop and the simulator's log tell people to type is what the forms ask."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
import json
from pathlib import Path
import re
import sys
from unittest.mock import patch

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.contact_center.vendors import INTEGRATIONS
from simulator import Simulator
import simulator.__main__ as cli
from simulator.forms import TRANSLATIONS, form_lines, load_translations

from .conftest import RunningSimulator
from .helpers import form_defaults, start_vendor_flow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_first_data_delay() -> Generator[None]:
    """Bright Pattern's first data comes at once."""
    with patch("custom_components.contact_center.api.bright_pattern.FIRST_DATA_DELAY", 0):
        yield


def _develop_banner_program() -> str:
    """Return the Python that scripts/develop runs to print what to type."""
    script = (ROOT / "scripts" / "develop").read_text()
    match = re.search(r"print_vendors\(\) \{.*?<<'EOF'\n(.*?)\nEOF\n", script, re.DOTALL)
    assert match is not None
    return match.group(1)


def _labels(step: str) -> dict[str, str]:
    data: dict[str, str] = load_translations()["config"]["step"][step]["data"]
    return data


async def test_every_form_of_the_simulator_sets_up_an_entry(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """Each vendor's first form, typed into the real config flow as shown, creates an entry."""
    simulator.sim.bright_pattern.freeze()
    for key, vendor in simulator.sim.vendors.items():
        form = vendor.config_forms(simulator.url)[0]
        assert set(form) <= set(map(str, INTEGRATIONS[key].form.schema.schema)), key
        result = await start_vendor_flow(hass, key)
        with patch("custom_components.contact_center.async_setup_entry", return_value=True):
            result = await hass.config_entries.flow.async_configure(
                result["flow_id"], {**form_defaults(result), **form}
            )
        assert result["type"] is FlowResultType.CREATE_ENTRY, (key, result.get("errors"))


async def test_develop_banner_uses_the_form_labels(simulator: RunningSimulator) -> None:
    """The banner, fed the admin endpoint's state, labels every field as its form does."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{simulator.url}/_simulator") as response,
    ):
        state = await response.json()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _develop_banner_program(),
        json.dumps(state),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    stdout, _ = await process.communicate()
    assert process.returncode == 0
    output = stdout.decode()
    translations = load_translations()
    for key, vendor in simulator.sim.vendors.items():
        expected = form_lines(key, vendor.config_forms(simulator.url), translations)
        assert "\n".join(expected) in output, key
    assert "Expert IDs:" in output
    assert "expert_ids" not in output
    assert "Sign-in method:" in output
    assert "OAuth with an API secret" in output
    assert "API secret or password:" in output


def test_simulator_log_uses_the_form_labels() -> None:
    """The start text in config/simulator.log uses the very same lines."""
    sim = Simulator(seed=3)
    text = cli.describe(sim, "http://127.0.0.1:8080")
    translations = load_translations()
    for key, vendor in sim.vendors.items():
        lines = form_lines(key, vendor.config_forms("http://127.0.0.1:8080"), translations)
        assert "\n".join(lines) in text
        for field in vendor.config_forms("http://127.0.0.1:8080")[0]:
            assert f"{_labels(key)[field]}:" in text


def test_without_translations_the_keys_are_shown(tmp_path: Path) -> None:
    """The simulator alone (no integration beside it) falls back to the field names."""
    assert TRANSLATIONS.is_file()
    assert load_translations(tmp_path / "missing.json") == {}
    assert form_lines("x", [{"url": "http://h"}], {}) == ["    url: http://h"]
