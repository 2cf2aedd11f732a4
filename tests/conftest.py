"""Fixtures shared by the integration tests: a running simulator and a config entry for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.system_info import async_get_system_info
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.contact_center.const import (
    CONF_PER_DEPARTMENT,
    CONF_VENDOR,
    DOMAIN,
)
from simulator import Simulator, run_simulator

FROZEN_NOW = "2026-11-23T12:00:00+00:00"
TEST_HOST = "chat.example.com"
TEST_TITLE = f"Live Guide {TEST_HOST}"
TEST_UNIQUE_ID = f"live_guide_{TEST_HOST}_1-2-3-4"
"""The simulator's departments (all online) are 1 to 4."""

NEWER_REGISTRY_FIELDS = ("object_id_base", "suggested_object_id")


@dataclass
class RunningSimulator:
    """A simulator serving on 127.0.0.1 and its base URL."""

    sim: Simulator
    url: str

    @property
    def token(self) -> str:
        """The Live Guide access token the simulator accepts."""
        return self.sim.live_guide.token


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize registry entries and states the Home Assistant way (stable, no random ids).

    One set of snapshots serves every tested Home Assistant: registry fields that only newer
    releases write (2026.x: ``object_id_base``, the name the entity id was made from, and
    ``suggested_object_id``) are left out.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension).with_defaults(
        exclude=props(*NEWER_REGISTRY_FIELDS)
    )


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create the entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


DEPRECATION_MARKS = (
    "Detected that custom integration 'contact_center'",
    "was called from contact_center",
)
"""How Home Assistant reports a deprecated call by this integration (it breaks later)."""


@pytest.fixture(autouse=True)
def no_deprecated_calls(caplog: pytest.LogCaptureFixture) -> Generator[None]:
    """Fail a test whose run made Home Assistant report a deprecated call by the integration.

    The suite runs on the floor (2025.4) and on the newest harness: there, such a report names
    what the next releases remove, so a test sees it before users do.
    """
    yield
    reports = [
        record.getMessage()
        for record in caplog.get_records("call")
        if any(mark in record.getMessage() for mark in DEPRECATION_MARKS)
    ]
    assert not reports, reports


@pytest.fixture(autouse=True)
def short_client_timeout() -> Generator[None]:
    """Keep the timeout tests quick: the client gives up after half a second."""
    with patch("custom_components.contact_center.api.client.DEFAULT_TIMEOUT", 0.5):
        yield


@pytest.fixture
def frozen_time(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Freeze the clock, so derived timestamps are the same on every run.

    Request it before ``hass`` (first argument), so Home Assistant starts in the frozen time.
    While frozen, the event loop's clock stands still too: only ticks move timers and timeouts.
    """
    freezer.move_to(FROZEN_NOW)
    return freezer


@pytest.fixture
async def system_info_ready(hass: HomeAssistant) -> None:
    """Read the system info once before time is frozen (request it before ``frozen_time``).

    Downloading diagnostics reads it, and its first read compiles serializers that cannot be
    built while freezegun fakes datetime.
    """
    await async_get_system_info(hass)


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """Serve the vendor APIs on 127.0.0.1, on Home Assistant's clock, without random movement.

    Reading Home Assistant's clock keeps the server's relative figures (onlineFor) consistent
    with the frozen time of the tests that freeze it; tests change figures explicitly.
    """
    sim = Simulator(seed=7, clock=lambda: dt_util.utcnow().timestamp())
    sim.live_guide.freeze()
    sim.slow_seconds = 5.0
    async with run_simulator(sim, host="127.0.0.1", port=0) as url:
        yield RunningSimulator(sim=sim, url=url)


def live_guide_data(simulator: RunningSimulator, **overrides: object) -> dict[str, object]:
    """Return config entry data for the simulator's Live Guide."""
    return {
        CONF_VENDOR: "live_guide",
        CONF_URL: simulator.url,
        CONF_TOKEN: simulator.token,
        CONF_PER_DEPARTMENT: True,
        CONF_VERIFY_SSL: True,
        **overrides,
    }


@pytest.fixture
def mock_config_entry(simulator: RunningSimulator) -> MockConfigEntry:
    """A Live Guide entry pointing at the simulator, with a stable title and unique id."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TEST_TITLE,
        unique_id=TEST_UNIQUE_ID,
        data=live_guide_data(simulator),
        entry_id="01JDCONTACTCENTER0000000001",
        version=2,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up the entry against the simulator."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry
