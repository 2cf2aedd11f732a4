"""The ``contact_center.download_export`` action: saving, response data and every refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
import threading
from typing import Any
from unittest.mock import patch
import zipfile

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN
from simulator import Fault

from ..conftest import RunningSimulator
from .conftest import live_expert, live_expert_data


@pytest.fixture(autouse=True)
def config_dir(frozen_time: FrozenDateTimeFactory, hass: HomeAssistant, tmp_path: Path) -> Path:
    """Give Home Assistant a configuration directory of the test's own to save into.

    Time is frozen first (2026-11-23, a Monday), so "yesterday" is the same on every run.
    """
    config = tmp_path / "config"
    config.mkdir()
    hass.config.config_dir = str(config)
    return config


async def _download(hass: HomeAssistant, entry_id: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "download_export",
        {"config_entry_id": entry_id, **data},
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    return response


async def test_download_saves_yesterdays_zip_and_counts_rows(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Without a date, yesterday's export lands under contact_center/exports with its counts."""
    sim = live_expert(simulator)
    # Sunday 22 November: the simulator has data on a weekend only when told to.
    sim.set_export(
        date(2026, 11, 22),
        {
            "sessions": [["1", "12", "1"], ["2", "17", "1"]],
            "interactions": [],
            "session_events": [["1", "2026-11-22T08:00:00", "connected", 'a "quoted,\nvalue"']],
        },
    )
    response = await _download(hass, init_integration.entry_id)
    path = Path(hass.config.path("contact_center", "exports", "summary.2026-11-22.zip"))
    assert response == {
        "date": "2026-11-22",
        "path": str(path),
        "size": path.stat().st_size,
        "rows": 3,
        "files": {
            "session_events.2026-11-22.csv": {
                "rows": 1,
                "columns": ["sessionID", "eventTime", "eventType", "detail"],
            },
            "sessions.2026-11-22.csv": {
                "rows": 2,
                "columns": [
                    "sessionID",
                    "categoryID",
                    "languageID",
                    "expertID",
                    "startTime",
                    "endTime",
                    "queueSeconds",
                ],
            },
        },
    }
    assert path.read_bytes() == sim.export_zip(date(2026, 11, 22))
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) == 2
    assert not list(path.parent.glob(".*.part"))


async def test_download_a_date_into_an_allowed_directory(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    tmp_path: Path,
) -> None:
    """Another directory works when Home Assistant may write there."""
    target = tmp_path / "archive" / "live_expert"
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    response = await _download(
        hass, init_integration.entry_id, date="2026-11-20", directory=str(target)
    )
    assert response["path"] == str(target / "summary.2026-11-20.zip")
    expected = live_expert(simulator).export_tables(date(2026, 11, 20))
    assert {name.split(".")[0]: f["rows"] for name, f in response["files"].items()} == {
        name: len(rows) for name, rows in expected.items()
    }
    assert response["rows"] == sum(len(rows) for rows in expected.values())
    assert (target / "summary.2026-11-20.zip").is_file()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"date": "20-11-2026"}, "export_bad_date"),
        ({"date": "2026-02-30"}, "export_bad_date"),
        ({"date": "2026-11-23"}, "export_future_date"),
        ({"date": "2026-11-21"}, "export_no_data"),
        ({"date": "2026-11-20", "directory": "/etc/contact_center"}, "export_path_not_allowed"),
        ({"date": "2026-11-20", "directory": "exports"}, "export_path_not_allowed"),
    ],
)
async def test_refusals_are_translated_validation_errors(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    data: dict[str, str],
    key: str,
) -> None:
    """A bad date, a day without data and a directory outside the allowed ones are refused."""
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, init_integration.entry_id, **data)
    assert caught.value.translation_key == key
    assert not Path(hass.config.path("etc")).exists()


async def test_directory_is_checked_off_the_event_loop(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """The allow-list check reads the disk, so it runs in the executor, and still refuses."""
    checked_in: list[threading.Thread] = []
    is_allowed_path = hass.config.is_allowed_path

    def spy(path: str) -> bool:
        checked_in.append(threading.current_thread())
        return is_allowed_path(path)

    with (
        patch.object(hass.config, "is_allowed_path", spy),
        pytest.raises(ServiceValidationError) as caught,
    ):
        await _download(hass, init_integration.entry_id, date="2026-11-20", directory="/etc/cc")
    assert caught.value.translation_key == "export_path_not_allowed"
    assert checked_in
    assert threading.main_thread() not in checked_in


@pytest.mark.parametrize(
    "fault", [Fault.SERVER_ERROR, Fault.TRUNCATED, Fault.MALFORMED, Fault.HTML, Fault.EMPTY]
)
async def test_failed_download_is_an_error(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
    fault: Fault,
) -> None:
    """A download that fails or brings no readable ZIP saves nothing and says why."""
    simulator.sim.set_fault("live_expert", fault)
    with pytest.raises(HomeAssistantError) as caught:
        await _download(hass, init_integration.entry_id, date="2026-11-20")
    assert caught.value.translation_key == "export_failed"
    assert not isinstance(caught.value, ServiceValidationError)
    assert live_expert(simulator).client_secret not in str(caught.value)
    assert not Path(hass.config.path("contact_center", "exports")).exists()


async def test_unwritable_directory_is_an_error(
    frozen_time: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A directory that cannot be made or written says so."""
    with (
        patch("pathlib.Path.mkdir", side_effect=PermissionError(13, "Permission denied")),
        pytest.raises(HomeAssistantError) as caught,
    ):
        await _download(hass, init_integration.entry_id, date="2026-11-20")
    assert caught.value.translation_key == "export_not_saved"


async def test_entries_that_cannot_export(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Unknown, unloaded, other-vendor and scope-less entries are refused clearly."""
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, "nope")
    assert caught.value.translation_key == "entry_not_found"

    other = MockConfigEntry(domain="other", data={})
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, other.entry_id)
    assert caught.value.translation_key == "entry_not_found"

    sim = live_expert(simulator)
    scopeless = MockConfigEntry(
        domain=DOMAIN,
        unique_id="availability-only@x",
        data=live_expert_data(
            simulator,
            client_id="availability-only",
            client_secret=sim.clients["availability-only"].secret,
        ),
    )
    scopeless.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, scopeless.entry_id)
    assert caught.value.translation_key == "entry_not_loaded"
    assert await hass.config_entries.async_setup(scopeless.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, scopeless.entry_id)
    assert caught.value.translation_key == "export_not_supported"


async def test_live_guide_entries_cannot_export(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The action is Live Expert's: a Live Guide entry is refused."""
    from ..conftest import live_guide_data

    entry = MockConfigEntry(domain=DOMAIN, unique_id="lg", data=live_guide_data(simulator))
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as caught:
        await _download(hass, entry.entry_id)
    assert caught.value.translation_key == "export_not_supported"
