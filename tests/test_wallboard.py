"""The wallboard strategy: served by the integration, loaded by the frontend, and its JavaScript."""

from __future__ import annotations

from pathlib import Path
import shutil
import subprocess

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.contact_center.const import DOMAIN
from custom_components.contact_center.wallboard import WALLBOARD_PATH, WALLBOARD_URL

NODE_TESTS = Path(__file__).parent / "frontend"


@pytest.fixture
async def frontend(hass: HomeAssistant, tmp_path: Path) -> None:
    """Set up the real frontend on an empty build (the frontend package is not installed here)."""
    for folder in ("static", "frontend_latest", "frontend_es5"):
        (tmp_path / "hass_frontend" / folder).mkdir(parents=True)
    assert await async_setup_component(
        hass, "frontend", {"frontend": {"development_repo": str(tmp_path)}}
    )


async def test_served_and_loaded_on_every_page(
    hass: HomeAssistant,
    frontend: None,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The module is a static file of the integration and one of the frontend's extra modules."""
    assert await async_setup_component(hass, DOMAIN, {})
    urls = hass.data[DATA_EXTRA_MODULE_URL].urls
    assert urls == {f"{WALLBOARD_URL}?v=0.1.0"}
    client = await hass_client_no_auth()
    response = await client.get(next(iter(urls)))
    assert response.status == 200
    assert "javascript" in response.headers["Content-Type"]
    assert "max-age" in response.headers["Cache-Control"]
    body = await response.text()
    assert body == WALLBOARD_PATH.read_text(encoding="utf-8")
    assert "ll-strategy-dashboard-contact-center-wallboard" in body


async def test_http_without_frontend(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """With http but no frontend the module is still served, and nothing else is asked of it."""
    assert await async_setup_component(hass, "http", {})
    assert await async_setup_component(hass, DOMAIN, {})
    assert DATA_EXTRA_MODULE_URL not in hass.data
    client = await hass_client_no_auth()
    response = await client.get(WALLBOARD_URL)
    assert response.status == 200


async def test_polls_without_http(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Without http (a headless setup) the entry still loads; there is just no wallboard."""
    assert "http" not in hass.config.components
    assert hass.states.get("sensor.support_health") is not None


def test_strategy_generate_in_node() -> None:
    """Run the node tests of generate() against a fake hass."""
    node = shutil.which("node")
    assert node is not None, "node is needed for the wallboard tests"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [node, "--test", "--test-reporter=tap", str(NODE_TESTS / "wallboard.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"WALLBOARD_MODULE": str(WALLBOARD_PATH), "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 7" in result.stdout
    assert "# fail 0" in result.stdout
