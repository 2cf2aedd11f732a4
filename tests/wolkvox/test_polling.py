"""Polling within wolkvox's limits: one request at a time, a daily budget, quota and skills."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.contact_center.api import VENDORS
from custom_components.contact_center.api.wolkvox import WolkvoxClient
from custom_components.contact_center.const import CONF_QUOTA_SHARE, CONF_SKILL_IDS, DOMAIN
from custom_components.contact_center.coordinator import SHARED, async_create_client
from simulator import Fault

from ..conftest import RunningSimulator
from .conftest import TITLE, UNIQUE_ID, setup_entry, wolkvox_data

REAL_TIME = "/api/v2/real_time.php"
INFORMATION = "/api/v2/information.php"


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _variant(simulator: RunningSimulator, **overrides: object) -> MockConfigEntry:
    """Return the usual entry with other settings."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=UNIQUE_ID,
        data=wolkvox_data(simulator, **overrides),
    )


def _issues(hass: HomeAssistant) -> set[str]:
    return {issue_id for domain, issue_id in ir.async_get(hass).issues if domain == DOMAIN}


async def test_setup_reads_quota_then_each_skill(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """One token information and one request per skill, all with the token header."""
    simulator.sim.reset_log()
    entry = await setup_entry(hass, wolkvox_entry)
    assert entry.state is ConfigEntryState.LOADED
    requests = simulator.sim.requests
    assert [(r.path, r.query.get("skill_id")) for r in requests] == [
        (INFORMATION, None),
        (REAL_TIME, "101"),
        (REAL_TIME, "102"),
        (REAL_TIME, "103"),
    ]
    assert all(r.headers["wolkvox-token"] == simulator.sim.wolkvox.token for r in requests)
    assert all(r.query["api"] in ("skills", "token_info") for r in requests)
    # A full URL, not a server code: no wolkvox_server header.
    assert all("wolkvox_server" not in r.headers for r in requests)
    assert simulator.sim.wolkvox.used_today == 4


async def test_interval_stretches_to_fit_the_budget(
    hass: HomeAssistant,
    frozen_time: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
) -> None:
    """3 skills on 50 % of 1000 uses (less 6 quota reads) need 525 s between polls, not 300."""
    entry = await setup_entry(hass, wolkvox_entry)
    coordinator = entry.runtime_data
    assert coordinator.update_interval == timedelta(seconds=525)
    assert hass.states.get("sensor.wolkvox_0002_poll_interval").state == "525"
    assert hass.states.get("sensor.wolkvox_0002_daily_quota").state == "1000"
    # The token information counts itself; then one use per skill.
    assert hass.states.get("sensor.wolkvox_0002_quota_used_today").state == "4"

    simulator.sim.reset_log()
    await _tick(hass, frozen_time, 300)
    assert simulator.sim.requests == []
    await _tick(hass, frozen_time, 225)
    assert len(simulator.sim.requests) == 3
    assert hass.states.get("sensor.wolkvox_0002_quota_used_today").state == "7"

    # A bigger quota lets the user's 300 s rule again (read again after four hours).
    simulator.sim.wolkvox.quota_limit = 5000
    for _ in range(28):
        await _tick(hass, frozen_time, coordinator.update_interval.total_seconds())
    assert coordinator.update_interval == timedelta(seconds=300)
    assert hass.states.get("sensor.wolkvox_0002_poll_interval").state == "300"


async def test_share_of_the_quota_is_configurable(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """A 10 % share of 1000 uses for 1 skill: 86400 / (100 - 6) = 920 s."""
    entry = await setup_entry(
        hass, _variant(simulator, **{CONF_SKILL_IDS: "101", CONF_QUOTA_SHARE: 10})
    )
    assert entry.runtime_data.update_interval == timedelta(seconds=920)


async def test_two_entries_share_one_token(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """Two entries of one token: never two requests at once, and one budget for both.

    Runs on the real clock with a slow server, so requests that could overlap would.
    """
    wolkvox = simulator.sim.wolkvox
    wolkvox.latency = 0.02
    first = await setup_entry(hass, wolkvox_entry)
    second = await setup_entry(
        hass,
        MockConfigEntry(
            domain=DOMAIN,
            title="wolkvox 0002 support",
            unique_id="second",
            data=wolkvox_data(simulator, **{CONF_SKILL_IDS: "102,103"}),
        ),
    )
    assert first.runtime_data.client.governor is second.runtime_data.client.governor
    simulator.sim.reset_log()
    wolkvox.max_in_flight = 0
    for _ in range(3):
        await asyncio.gather(
            first.runtime_data.async_refresh(),
            second.runtime_data.async_refresh(),
            first.runtime_data.async_refresh(),
        )
    assert first.runtime_data.last_update_success
    assert second.runtime_data.last_update_success
    assert len(simulator.sim.requests) >= 3 * (3 + 2)
    assert simulator.sim.max_concurrent["wolkvox"] == 1
    assert wolkvox.max_in_flight == 1
    assert wolkvox.refused_simultaneous == 0
    assert first.runtime_data.client.governor.max_in_flight == 1
    # 5 skills a round: 86400 * 5 / 494 = 875 s for both entries.
    assert first.runtime_data.update_interval == timedelta(seconds=875)
    assert second.runtime_data.update_interval == timedelta(seconds=875)

    # Unloading one gives its share of the budget back to the other.
    assert await hass.config_entries.async_unload(second.entry_id)
    await first.runtime_data.async_refresh()
    assert first.runtime_data.update_interval == timedelta(seconds=525)


async def test_quota_exhausted_pauses_and_recovers(
    hass: HomeAssistant,
    frozen_time: FrozenDateTimeFactory,
    simulator: RunningSimulator,
    wolkvox_entry: MockConfigEntry,
) -> None:
    """A used-up quota: unavailable, a repair issue, hourly tries without requests between."""
    wolkvox = simulator.sim.wolkvox
    entry = await setup_entry(hass, wolkvox_entry)
    coordinator = entry.runtime_data
    wolkvox.used_today = wolkvox.quota_limit
    await _tick(hass, frozen_time, 525)
    assert not coordinator.last_update_success
    assert coordinator.last_exception.translation_key == "rate_limited"
    assert hass.states.get("sensor.ventas_waiting").state == STATE_UNAVAILABLE
    issue_id = f"{entry.entry_id}_quota_exhausted"
    assert _issues(hass) == {issue_id}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue.translation_key == "quota_exhausted"
    assert issue.translation_placeholders == {"name": TITLE}
    assert coordinator.update_interval == timedelta(hours=1)

    # A refresh asked for within the hour sends nothing.
    simulator.sim.reset_log()
    await coordinator.async_refresh()
    assert simulator.sim.requests == []
    assert _issues(hass) == {issue_id}

    # Still used up after an hour: one try, still paused.
    await _tick(hass, frozen_time, 3600)
    assert len(simulator.sim.requests) == 1
    assert not coordinator.last_update_success

    # The quota renews: the next hourly try works and the issue goes.
    wolkvox.used_today = 0
    await _tick(hass, frozen_time, 3600)
    assert coordinator.last_update_success
    assert hass.states.get("sensor.ventas_waiting").state != STATE_UNAVAILABLE
    assert _issues(hass) == set()
    assert coordinator.update_interval == timedelta(seconds=525)


async def test_quota_exhausted_at_setup_clears_after_retry(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """Issues raised while setting up are found again and deleted once polling works."""
    wolkvox = simulator.sim.wolkvox
    wolkvox.used_today = wolkvox.quota_limit
    entry = await setup_entry(hass, wolkvox_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert _issues(hass) == {f"{entry.entry_id}_quota_exhausted"}
    # A retry of the setup within the hour keeps the pause: no request is sent.
    simulator.sim.reset_log()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert simulator.sim.requests == []
    # The hour is over (the pause is lifted) and the quota renewed.
    wolkvox.used_today = 0
    hass.data[SHARED].governors.governor_for(wolkvox.token).resume()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert _issues(hass) == set()


async def test_quota_pause_stays_with_its_home_assistant(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """The pause lives in this instance's data: another Home Assistant starts unpaused."""
    wolkvox = simulator.sim.wolkvox
    wolkvox.used_today = wolkvox.quota_limit
    entry = await setup_entry(hass, wolkvox_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    paused = hass.data[SHARED].governors.governor_for(wolkvox.token)
    assert paused.is_paused(dt_util.utcnow())
    async with async_test_home_assistant() as other:
        client, release = async_create_client(other, VENDORS["wolkvox"], entry.data)
        assert isinstance(client, WolkvoxClient)
        assert client.governor is not paused
        assert not client.governor.is_paused(dt_util.utcnow())
        assert other.data[SHARED] is not hass.data[SHARED]
        release()
        await other.async_stop(force=True)


async def test_invalid_skill_is_a_repair_issue(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """An unknown skill: a repair issue naming it; the other skills keep working."""
    simulator.sim.wolkvox.invalid_skill_style = "parameters"
    entry = await setup_entry(hass, _variant(simulator, **{CONF_SKILL_IDS: "101,999,998"}))
    coordinator = entry.runtime_data
    assert coordinator.last_update_success
    assert set(coordinator.data.queues) == {"101"}
    assert _issues(hass) == {
        f"{entry.entry_id}_invalid_skill_999",
        f"{entry.entry_id}_invalid_skill_998",
    }
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"{entry.entry_id}_invalid_skill_999")
    assert issue.translation_placeholders == {"name": TITLE, "skill": "999"}
    assert hass.states.get("sensor.ventas_waiting").state == "0"

    # Answered with empty data instead: still invalid. Then the skill appears.
    simulator.sim.wolkvox.invalid_skill_style = "empty"
    simulator.sim.wolkvox.add_skill("998", "Retención")
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _issues(hass) == {f"{entry.entry_id}_invalid_skill_999"}
    assert set(coordinator.data.queues) == {"101", "998"}
    assert hass.states.get("sensor.retencion_waiting").state == "0"

    # Unloading the entry takes its issues away.
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert _issues(hass) == set()


async def test_simultaneous_limit_retries_later(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """Other tools holding both slots: this poll fails as rate limited, the next one works."""
    entry = await setup_entry(hass, wolkvox_entry)
    coordinator = entry.runtime_data
    simulator.sim.wolkvox.in_flight = 2
    await coordinator.async_refresh()
    assert coordinator.last_exception.translation_key == "rate_limited"
    assert _issues(hass) == set()
    simulator.sim.wolkvox.in_flight = 0
    await coordinator.async_refresh()
    assert coordinator.last_update_success


async def test_maintenance_makes_entities_unavailable(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """Maintenance (a 403 of its own) is a connection error, not a credential problem."""
    entry = await setup_entry(hass, wolkvox_entry)
    coordinator = entry.runtime_data
    simulator.sim.wolkvox.maintenance = True
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.last_exception.translation_key == "cannot_connect"
    assert hass.states.get("sensor.ventas_waiting").state == STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    simulator.sim.wolkvox.maintenance = False
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.ventas_waiting").state == "0"


async def test_revoked_token_starts_reauth(
    hass: HomeAssistant, simulator: RunningSimulator, wolkvox_entry: MockConfigEntry
) -> None:
    """PLEASE VALIDATE TOKEN during polling asks the user for a new token."""
    entry = await setup_entry(hass, wolkvox_entry)
    simulator.sim.set_fault("wolkvox", Fault.TOKEN_REVOKED)
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
