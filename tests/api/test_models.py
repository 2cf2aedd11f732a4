"""The normalized model: value equality, immutability, plain data; the vendor registry; errors."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest

from custom_components.contact_center.api import (
    VENDORS,
    Agent,
    AgentStatus,
    Capabilities,
    ContactCenterError,
    ContactCenterRateLimitError,
    Figures,
    Queue,
    Snapshot,
)
from custom_components.contact_center.api.live_guide import LiveGuideClient, LiveGuideSettings
from custom_components.contact_center.api.models import AGENT_FIGURES, QUEUE_FIGURES, as_plain_data
from custom_components.contact_center.api.parsing import load_json

from .conftest import TOKEN, fixture_bytes, parse_client, since


def parse_center(body: bytes | None = None) -> Snapshot:
    """Parse the center fixture (or ``body``) with a fresh client at the fixed clock."""
    raw = fixture_bytes("live_guide_center.json") if body is None else body
    return parse_client().parse(load_json(raw, "chat.example.com"))


# --- equality ------------------------------------------------------------------------------


def test_two_parses_of_equal_bytes_are_equal() -> None:
    first, second = parse_center(), parse_center()
    assert first is not second
    assert first == second
    assert first.agents == second.agents
    assert first.queues == second.queues


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(b'"chats": "3"', b'"chats": "4"', id="agent-chats"),
        pytest.param(b'"status": "busy"', b'"status": "available"', id="agent-status"),
        pytest.param(b'"onlineFor": "120"', b'"onlineFor": "9120"', id="agent-since"),
        pytest.param(b'"name": "Bob Busy"', b'"name": "Bob B."', id="agent-name"),
        pytest.param(
            b'"inqueue": "1", "maxWaiting": "12"', b'"inqueue": "2", "maxWaiting": "12"', id="queue"
        ),
        pytest.param(b'"inqueue": "4"', b'"inqueue": "5"', id="totals"),
    ],
)
def test_a_change_makes_snapshots_differ(old: bytes, new: bytes) -> None:
    body = fixture_bytes("live_guide_center.json")
    assert body.count(old) == 1
    assert parse_center(body) != parse_center(body.replace(old, new))


def test_equality_ignores_mapping_kind() -> None:
    agent = Agent(id="a", name="A")
    assert Snapshot(agents={"a": agent}) == Snapshot(agents=MappingProxyType({"a": agent}))
    assert Snapshot(agents={"a": agent}) != Snapshot()
    assert Snapshot() == Snapshot(totals=Figures(), queues={}, agents={})


# --- immutability --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "name", "value"),
    [
        pytest.param(Snapshot(), "totals", Figures(waiting=1), id="snapshot-totals"),
        pytest.param(Snapshot(), "agents", {}, id="snapshot-agents"),
        pytest.param(Figures(), "waiting", 3, id="figures"),
        pytest.param(Queue(id="1", name="Sales"), "name", "Other", id="queue"),
        pytest.param(Agent(id="a", name="A"), "status", AgentStatus.BUSY, id="agent"),
        pytest.param(Capabilities(), "queue", frozenset(), id="capabilities"),
        pytest.param(LiveGuideSettings(url="x", token="t"), "token", "u", id="settings"),
    ],
)
def test_frozen(obj: Any, name: str, value: Any) -> None:
    # FrozenInstanceError for dataclasses; a plain AttributeError for the named tuple.
    with pytest.raises(AttributeError):
        setattr(obj, name, value)


def test_snapshot_mappings_are_read_only() -> None:
    snapshot = parse_center()
    with pytest.raises(TypeError):
        snapshot.agents["x"] = Agent(id="x", name="X")  # type: ignore[index]
    with pytest.raises(TypeError):
        snapshot.queues["1"] = Queue(id="1", name="X")  # type: ignore[index]
    with pytest.raises(TypeError):
        del snapshot.agents["bob@example.com"]  # type: ignore[attr-defined]


def test_snapshot_copies_a_plain_dict_and_keeps_a_proxy() -> None:
    agents = {"a": Agent(id="a", name="A")}
    snapshot = Snapshot(agents=agents)
    agents["b"] = Agent(id="b", name="B")
    assert list(snapshot.agents) == ["a"]
    assert isinstance(snapshot.agents, MappingProxyType)
    proxy = MappingProxyType({"1": Queue(id="1", name="Sales")})
    assert Snapshot(queues=proxy).queues is proxy


# --- plain data ----------------------------------------------------------------------------


def test_as_plain_data() -> None:
    data = as_plain_data(parse_center())
    assert data["totals"] == {
        "waiting": 4,
        "longest_wait": 95,
        "agents_logged_in": 4,
        "agents_available": 1,
        "agents_busy": 1,
        "service_level": None,
        "abandoned_pct": None,
        "offered": None,
        "answered": None,
        "abandoned": None,
    }
    assert data["queues"]["2"] == {
        "name": "Support",
        "waiting": 1,
        "longest_wait": 12,
        "agents_logged_in": None,
        "agents_available": None,
        "agents_busy": None,
        "service_level": None,
        "abandoned_pct": None,
        "offered": None,
        "answered": None,
        "abandoned": None,
    }
    assert list(data["queues"]) == ["1", "2", "3"]
    assert data["agents"]["ann@example.com"] == {
        "id": "ann@example.com",
        "name": "Ann Available",
        "raw_status": "available",
        "status": "available",
        "active_conversations": 0,
        "capacity": None,
        "free_slots": None,
        "status_since": None,
        "logged_in_since": "2026-11-23T11:00:00+00:00",
        "reason": None,
        "team": None,
        "queues": ["Sales", "Support"],
    }
    assert data["agents"]["eve@example.com"]["status"] is None
    assert data["agents"]["cleo@example.com"]["queues"] == []
    assert set(data["agents"]) == {
        "ann@example.com",
        "bob@example.com",
        "cleo@example.com",
        "dan@example.com",
        "eve@example.com",
    }


def test_as_plain_data_of_an_empty_snapshot_and_every_agent_figure() -> None:
    assert as_plain_data(Snapshot()) == {
        "totals": dict.fromkeys(QUEUE_FIGURES),
        "queues": {},
        "agents": {},
    }
    agent = Agent(
        id="a",
        name="A",
        status=AgentStatus.AFTER_CALL_WORK,
        raw_status="wrap-up",
        capacity=3,
        free_slots=1,
        status_since=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        logged_in_since=since(60),
        reason="Lunch",
        team="Blue",
        queues=("Q",),
    )
    plain = as_plain_data(Snapshot(agents={"a": agent}))["agents"]["a"]
    assert list(plain) == ["id", "name", "raw_status", *AGENT_FIGURES]
    assert plain["status"] == "after_call_work"
    assert plain["status_since"] == "2026-01-02T03:04:05+00:00"
    assert plain["logged_in_since"] == "2026-11-23T11:59:00+00:00"
    assert (plain["capacity"], plain["free_slots"], plain["reason"], plain["team"]) == (
        3,
        1,
        "Lunch",
        "Blue",
    )


# --- vendor registry -----------------------------------------------------------------------


def test_vendor_registry() -> None:
    vendor = VENDORS["live_guide"]
    assert (vendor.key, vendor.name, vendor.queue_model, vendor.agent_model) == (
        "live_guide",
        "Live Guide",
        "Department",
        "Operator",
    )
    assert vendor.client_class is LiveGuideClient
    assert vendor.settings_class is LiveGuideSettings
    assert LiveGuideClient.vendor == "live_guide"


def test_settings_from_ignores_unknown_keys() -> None:
    settings = VENDORS["live_guide"].settings_from(
        {
            "vendor": "live_guide",
            "url": "https://chat.example.com",
            "token": TOKEN,
            "per_department": False,
            "verify_ssl": False,
            "scan_interval": 30,
        }
    )
    assert settings == LiveGuideSettings(
        url="https://chat.example.com",
        token=TOKEN,
        per_department=False,
        verify_ssl=False,
        response_format="json",
    )


def test_settings_from_uses_defaults() -> None:
    settings = VENDORS["live_guide"].settings_from({"url": "chat.example.com", "token": TOKEN})
    assert settings == LiveGuideSettings(
        url="chat.example.com",
        token=TOKEN,
        per_department=True,
        verify_ssl=True,
        response_format="json",
    )


def test_settings_from_requires_url_and_token() -> None:
    with pytest.raises(TypeError):
        VENDORS["live_guide"].settings_from({"vendor": "live_guide", "url": "chat.example.com"})


# --- errors --------------------------------------------------------------------------------


def test_rate_limit_error_keeps_its_hint() -> None:
    err = ContactCenterRateLimitError("Slow down", retry_after=30.0)
    assert isinstance(err, ContactCenterError)
    assert (str(err), err.retry_after) == ("Slow down", 30.0)
    assert ContactCenterRateLimitError("Slow down").retry_after is None


def test_as_plain_data_lists_extras_only_when_present() -> None:
    """Vendor-specific figures appear under ``extras``, timestamps as ISO text."""
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    snapshot = Snapshot(
        totals=Figures(waiting=1, extras={"quota": 5}),
        agents={"a": Agent(id="a", name="A", extras={"seen": moment})},
    )
    data = as_plain_data(snapshot)
    assert data["totals"]["extras"] == {"quota": 5}
    assert data["agents"]["a"]["extras"] == {"seen": "2026-01-02T03:04:05+00:00"}
    assert "extras" not in as_plain_data(Snapshot())["totals"]
