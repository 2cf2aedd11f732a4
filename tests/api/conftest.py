"""Helpers for the client-library tests: fixture files, a hand-moved clock, a parse-only client.

The library is free of Home Assistant, so none of these tests starts a Home Assistant instance.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest

from custom_components.contact_center.api.live_guide import LiveGuideClient, LiveGuideSettings

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 12, 0, 0, 654_321, tzinfo=UTC)
"""The fixed "now" of the parse tests; the microseconds must be dropped from derived timestamps."""
NOW_S = NOW.replace(microsecond=0)
TOKEN = "SECRET-TOKEN-0123456789abcdef0123"
"""A distinctive token, so a leak into any text is easy to find."""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The client library needs no Home Assistant instance; override the root conftest's fixture."""


class Clock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def fixture_bytes(name: str) -> bytes:
    """Return the raw bytes of a file in ``fixtures/``."""
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    """Return a decoded JSON file of ``fixtures/``."""
    return json.loads(fixture_bytes(name))


def parse_client(clock: Clock | None = None, **settings: Any) -> LiveGuideClient:
    """Return a client for ``parse`` only: its session is a mock that no test may touch."""
    values: dict[str, Any] = {"url": "https://chat.example.com", "token": TOKEN, **settings}
    return LiveGuideClient(MagicMock(spec=[]), LiveGuideSettings(**values), clock=clock or Clock())


def since(seconds: int) -> datetime:
    """Return the ``logged_in_since`` of an operator online for ``seconds`` at ``NOW``."""
    return NOW_S - timedelta(seconds=seconds)
