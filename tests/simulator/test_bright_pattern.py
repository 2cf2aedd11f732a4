"""The simulated Bright Pattern statsapi: sign-ins, subscriptions, data, faults and movement."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from simulator import Fault, Simulator
from simulator.vendors import bright_pattern as bp_module
from simulator.vendors.bright_pattern import BrightPatternSimulator

from .conftest import FakeClock, Served

TENANT = "127.0.0.1"


def tenant(served: Served) -> BrightPatternSimulator:
    return served.sim.bright_pattern


async def _token(served: Served, **overrides: str) -> aiohttp.ClientResponse:
    form = {
        "grant_type": "client_credentials",
        "client_id": tenant(served).username,
        "client_secret": tenant(served).api_secret,
        "scope": TENANT,
        **overrides,
    }
    async with served.session.post(f"{served.url}{bp_module.TOKEN_PATH}", data=form) as response:
        await response.read()
        return response


async def _bearer(served: Served) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": tenant(served).username,
        "client_secret": tenant(served).api_secret,
        "scope": TENANT,
    }
    async with served.session.post(f"{served.url}{bp_module.TOKEN_PATH}", data=form) as response:
        data = await response.json()
    return {"Authorization": f"Bearer {data['access_token']}"}


async def _call(
    served: Served, method: str, path: str, headers: dict[str, str], body: Any = None
) -> tuple[int, Any]:
    async with served.session.request(
        method, f"{served.url}{path}", headers=headers, json=body
    ) as response:
        raw = await response.read()
        if not raw:
            return response.status, None
        return response.status, await response.json(content_type=None)


def _definition(key: str = "stat_name") -> dict[str, Any]:
    return {
        "app": {
            "stats_totals": ["in_calls_waiting", "in_max_wait_time", "unknown_stat"],
            "service_grids": [
                {
                    "id": "s",
                    "columns": [{"id": "n", key: "name"}, {"id": "w", key: "in_calls_waiting"}],
                }
            ],
            "agent_grids": [
                {
                    "id": "a",
                    "columns": [
                        {"id": "login", key: "login_id"},
                        {"id": "state", key: "acd_state"},
                        {"id": "dur", key: "state_duration"},
                    ],
                }
            ],
            "chat_messages": {"filter": "", "limit": "2"},
        }
    }


async def test_oauth_token(served: Served) -> None:
    async with served.session.post(
        f"{served.url}{bp_module.TOKEN_PATH}",
        data={
            "grant_type": "client_credentials",
            "client_id": tenant(served).username,
            "client_secret": tenant(served).api_secret,
            "scope": TENANT,
        },
    ) as response:
        assert response.status == 200
        data = await response.json()
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == "3600"
    assert data["scope"] == TENANT
    assert data["access_token"] in tenant(served).sessions
    assert (await _token(served, client_secret="x")).status == 401
    assert (await _token(served, scope="other.example")).status == 401
    assert (await _token(served, grant_type="password")).status == 400


async def test_tokens_expire(served: Served) -> None:
    tenant(served).token_lifetime = 60
    headers = await _bearer(served)
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, headers))[0] == 200
    served.clock.tick(61)
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, headers))[0] == 401


async def test_legacy_login_cookies_and_one_session_per_user(served: Served) -> None:
    body = {
        "tenant_url": TENANT,
        "username": tenant(served).username,
        "password": tenant(served).password,
    }
    url = f"{served.url}{bp_module.AUTH_PATH}"
    async with served.session.post(url, json=body) as response:
        assert response.status == 200
        data = await response.json()
        cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    assert set(cookies) == {"X-STATSAPI-TOKEN", "X-STATSAPI-TENANT", "X-STATSAPI-LOGIN"}
    assert cookies["X-STATSAPI-TOKEN"] == data["token"]
    assert data["user_id"]
    first = {"Cookie": f"X-STATSAPI-TOKEN={data['token']}"}
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, first))[0] == 200
    # A new login of the same user ends the first session.
    async with served.session.post(url, json=body) as response:
        await response.read()
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, first))[0] == 401
    for wrong in ({**body, "password": "x"}, {**body, "tenant_url": "x"}):
        async with served.session.post(url, json=wrong) as response:
            assert response.status == 401
    for bad in (b"{", b"[]"):
        async with served.session.post(url, data=bad) as response:
            assert response.status == 400


async def test_legacy_refused_from_5_36(served: Served) -> None:
    tenant(served).server_version = "5.36"
    async with served.session.post(
        f"{served.url}{bp_module.AUTH_PATH}",
        json={"tenant_url": TENANT, "username": "supervisor", "password": "x"},
    ) as response:
        assert response.status == 403
        assert await response.json() == {"error": "illegal login attempt"}


async def test_subscription_lifecycle(served: Served) -> None:
    """204 for the first reads, then data of strings; delete; 404 without a subscription."""
    sim = tenant(served)
    headers = await _bearer(served)
    data_path = bp_module.DATA_PATH
    assert (await _call(served, "GET", data_path, {}))[0] == 401
    assert (await _call(served, "GET", data_path, headers))[0] == 404
    assert (await _call(served, "POST", bp_module.SUBSCRIPTION_PATH, headers, _definition()))[
        0
    ] == 200
    assert [(await _call(served, "GET", data_path, headers))[0] for _ in range(2)] == [204, 204]
    status, body = await _call(served, "GET", data_path, headers)
    assert status == 200
    section = body["app"]
    assert set(section["stats_totals"]) == {"in_calls_waiting", "in_max_wait_time", "unknown_stat"}
    assert section["stats_totals"]["unknown_stat"] == ""
    assert section["service_grids"][0]["id"] == "s"
    row = section["agent_grids"][0]["values"][0]
    assert set(row) == {"login", "state", "dur"}
    assert len(section["chat_messages"]) <= 2

    def strings(value: Any) -> bool:
        if isinstance(value, dict):
            return all(strings(v) for v in value.values())
        if isinstance(value, list):
            return all(strings(v) for v in value)
        return isinstance(value, str)

    assert strings(section)
    assert (await _call(served, "DELETE", bp_module.ACTIVE_SUBSCRIPTION_PATH, headers))[0] == 200
    assert sim.deleted_subscriptions == 1
    assert (await _call(served, "GET", data_path, headers))[0] == 404
    assert (await _call(served, "DELETE", bp_module.ACTIVE_SUBSCRIPTION_PATH, {}))[0] == 401
    assert (await _call(served, "POST", bp_module.SUBSCRIPTION_PATH, {}, _definition()))[0] == 401


async def test_subscription_limit_and_expiry(served: Served) -> None:
    sim = tenant(served)
    sim.subscription_limit = 1
    sim.not_ready_polls = 0
    first, second = await _bearer(served), await _bearer(served)
    path = bp_module.SUBSCRIPTION_PATH
    assert (await _call(served, "POST", path, first, _definition()))[0] == 200
    status, body = await _call(served, "POST", path, second, _definition())
    assert status == 409
    assert body["error_code"] == 409
    # Replacing one's own subscription is not a second one.
    assert (await _call(served, "POST", path, first, _definition()))[0] == 200
    served.clock.tick(sim.subscription_idle_seconds + 1)
    assert (await _call(served, "POST", path, second, _definition()))[0] == 200
    assert (await _call(served, "GET", bp_module.DATA_PATH, first))[0] == 404
    sim.expire_subscriptions()
    assert (await _call(served, "GET", bp_module.DATA_PATH, second))[0] == 404


@pytest.mark.parametrize(
    "definition",
    [
        [],
        {"a": 1, "b": 2},
        {"a": "x"},
        {"a": {"service_grids": "x"}},
        {"a": {"agent_grids": ["x"]}},
        {"a": {"agent_grids": [{"columns": ["x"]}]}},
    ],
)
async def test_bad_definitions(served: Served, definition: Any) -> None:
    headers = await _bearer(served)
    status, body = await _call(served, "POST", bp_module.SUBSCRIPTION_PATH, headers, definition)
    assert status == 400
    assert body["error_message"] == "Invalid subscription"


async def test_old_server_wants_stat_name_spelled_old(served: Served) -> None:
    tenant(served).column_key = "statName"
    headers = await _bearer(served)
    path = bp_module.SUBSCRIPTION_PATH
    assert (await _call(served, "POST", path, headers, _definition()))[0] == 400
    assert (await _call(served, "POST", path, headers, _definition("statName")))[0] == 200
    async with served.session.post(
        f"{served.url}{path}", headers=headers, data=b"not json"
    ) as response:
        assert response.status == 400


async def test_dispositions_and_teams(served: Served) -> None:
    headers = await _bearer(served)
    status, wrapped = await _call(served, "GET", bp_module.DISPOSITIONS_PATH, headers)
    assert status == 200
    assert "Resolved" in wrapped["dispositions"]
    tenant(served).disposition_style = "list"
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, headers))[1] == wrapped[
        "dispositions"
    ]
    status, teams = await _call(served, "GET", bp_module.TEAMS_PATH, headers)
    assert {team["name"] for team in teams} == {"Care", "Front Office"}
    assert (await _call(served, "GET", bp_module.DISPOSITIONS_PATH, {}))[0] == 401
    assert (await _call(served, "GET", bp_module.TEAMS_PATH, {}))[0] == 401


async def test_token_revoked_fault_answers_like_a_bad_secret(served: Served) -> None:
    served.sim.set_fault("bright_pattern", Fault.TOKEN_REVOKED)
    response = await _token(served)
    assert response.status == 401
    assert (await _call(served, "GET", bp_module.DATA_PATH, {}))[0] == 401


def test_durations_and_rows(sim: Simulator) -> None:
    bp = sim.bright_pattern
    bp.set_agent("asmith", "Not Ready", "Lunch", ago=3725)
    assert bp.agent_stats(bp.agents["asmith"])["state_duration"] == "01:02:05"
    assert bp.agent_stats(bp.agents["asmith"])["reason"] == "Lunch"
    bp.duration_style = "seconds"
    assert bp.agent_stats(bp.agents["asmith"])["state_duration"] == "3725"
    for service in bp.services:
        bp.set_waiting(service, 0, 0)
    bp.set_waiting("Sales", 2, 30)
    assert bp.service_stats(bp.services["Sales"])["in_calls_waiting"] == "2"
    assert bp.service_stats(bp.services["Sales"])["in_max_wait_time"] == "30"
    bp.set_waiting("Billing", 1, 10)
    assert bp.totals()["in_max_wait_time"] == "30"


def test_moves_and_posts_messages(clock: FakeClock) -> None:
    """Unfrozen, agents change state and chat messages arrive; the same seed, the same story."""

    def story() -> tuple[Any, ...]:
        local = FakeClock(clock.now)
        sim = Simulator(seed=5, clock=local)
        bp = sim.bright_pattern
        start_states = {a.login_id: a.state for a in bp.agents.values()}
        start_messages = len(bp.messages)
        local.tick(4 * 3600)
        bp.advance_to(sim.now())
        states = {a.login_id: a.state for a in bp.agents.values()}
        assert states != start_states
        assert len(bp.messages) > start_messages
        return states, [m.content for m in bp.messages], bp.totals()

    assert story() == story()


def test_frozen_stays_and_controls(sim: Simulator, clock: FakeClock) -> None:
    bp = sim.bright_pattern
    bp.freeze()
    states = {a.login_id: a.state for a in bp.agents.values()}
    clock.tick(3600)
    bp.advance_to(sim.now())
    assert {a.login_id: a.state for a in bp.agents.values()} == states
    bp.advance_to(sim.now() - 10)
    message_id = bp.post_message("Hello", urgent=True)
    assert bp.messages[-1].id == message_id
    assert bp.messages[-1].urgent
    bp.add_agent("new", "New", "Person")
    assert bp.agents["new"].state == "Ready"
    bp.remove_agent("new")
    assert "new" not in bp.agents
    bp.unfreeze()
    assert not bp.summary()["frozen"]


def test_vendor_contract(sim: Simulator) -> None:
    bp = sim.bright_pattern
    assert sim.vendors["bright_pattern"] is bp
    assert bp.credentials() == {
        "username": "supervisor",
        "api_secret": bp.api_secret,
        "password": bp.password,
    }
    oauth, legacy = bp.config_forms("http://h:1")
    assert oauth == {
        "url": "http://h:1",
        "username": "supervisor",
        "password": bp.api_secret,
        "auth_method": "oauth",
    }
    assert legacy == {"password": bp.password, "auth_method": "legacy"}
    summary = bp.summary()
    assert summary["server_version"] == "5.35"
    assert len(summary["agents"]) == 7
    assert (
        Simulator(seed=0).bright_pattern.api_secret == Simulator(seed=0).bright_pattern.api_secret
    )
    assert Simulator(seed=1).bright_pattern.api_secret != bp.api_secret
