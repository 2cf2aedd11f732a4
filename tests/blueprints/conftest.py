"""A configuration directory holding the repository's blueprints, as a user's would after import."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "contact_center"


@pytest.fixture
def blueprint_config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """Point Home Assistant at a fresh config dir with the blueprints where imports put them.

    A copy in a temporary directory, not in the test harness's shared configuration folder.
    """
    target = tmp_path / "blueprints" / "automation" / "contact_center"
    shutil.copytree(BLUEPRINTS, target)
    hass.config.config_dir = str(tmp_path)
    return target


async def automation_from(hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]) -> None:
    """Set up ``automation`` with one automation made from one of the blueprints."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": blueprint,
                "use_blueprint": {"path": f"contact_center/{blueprint}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
