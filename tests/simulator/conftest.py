"""Fixtures for the simulator's own tests: a hand-moved clock and a served simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import aiohttp
import pytest

from simulator import Simulator, run_simulator

EPOCH = 1_795_000_000.0


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: float = EPOCH) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Served:
    """A simulator on 127.0.0.1 with a client session pointed at it."""

    sim: Simulator
    clock: FakeClock
    url: str
    session: aiohttp.ClientSession

    @property
    def status_url(self) -> str:
        return f"{self.url}/lg/export/status.php"

    def params(self, **extra: str) -> dict[str, str]:
        return {"token": self.sim.live_guide.token, **extra}


def parse_xml(raw: bytes) -> ET.Element:
    """Parse an answer of our own simulator."""
    return ET.fromstring(raw)  # noqa: S314 - the simulator's own output


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The simulator needs no Home Assistant instance; override the root conftest's fixture."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Simulator:
    return Simulator(seed=0, clock=clock)


@pytest.fixture
async def served(socket_enabled: None, sim: Simulator, clock: FakeClock) -> AsyncIterator[Served]:
    async with (
        run_simulator(sim) as url,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
    ):
        yield Served(sim, clock, url, session)
