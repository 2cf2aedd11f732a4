"""The subscription lifecycle of an entry: setup, 204, 404, 409, 401, faults and unload."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.contact_center.const import DOMAIN
from simulator import Fault
from simulator.vendors.bright_pattern import BrightPatternSimulator

from ..conftest import RunningSimulator
from ..helpers import check_fault_cycle
from .conftest import ENTRY_ID, bp_data, setup_entry

ISSUE_ID = f"{ENTRY_ID}_subscription_limit"


def _paths(simulator: RunningSimulator) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in simulator.sim.requests]


async def test_setup_subscribes_and_unload_deletes(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    auth_method: str,
) -> None:
    """One sign-in, one subscription, one read at setup; unloading deletes the subscription."""
    simulator.sim.reset_log()
    entry = await setup_entry(hass, bp_entry)
    assert entry.state is ConfigEntryState.LOADED
    sign_in = "/configapi/v2/oauth/token" if auth_method == "oauth" else "/statsapi/auth"
    assert _paths(simulator) == [
        ("POST", sign_in),
        ("POST", "/statsapi/subscription"),
        ("GET", "/statsapi/subscription/data"),
    ]
    assert len(bp.subscriptions) == 1

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert _paths(simulator)[-1] == ("DELETE", "/statsapi/subscription/active")
    assert bp.subscriptions == {}
    assert bp.deleted_subscriptions == 1


async def test_each_entry_signs_in_on_a_session_of_its_own(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    auth_method: str,
) -> None:
    """The entry's cookies live in its own jar, never in Home Assistant's; it goes at unload."""
    entry = await setup_entry(hass, bp_entry)
    shared = async_get_clientsession(hass)
    session = entry.runtime_data.client._session
    assert session is not shared
    assert session.cookie_jar is not shared.cookie_jar
    cookies = {cookie.key for cookie in session.cookie_jar}
    assert ("X-STATSAPI-TOKEN" in cookies) is (auth_method == "legacy")
    assert len(shared.cookie_jar) == 0
    assert not session.closed

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert session.closed
    assert not shared.closed


async def test_first_data_waits_then_not_ready(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """A new subscription answering 204 for too long: setup is retried later."""
    bp.not_ready_polls = 100
    entry = await setup_entry(hass, oauth_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert _paths(simulator).count(("GET", "/statsapi/subscription/data")) == 4
    assert "no statistics ready yet" in (entry.reason or "")


async def test_first_data_after_a_few_204(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """A couple of 204 answers at setup are waited out."""
    bp.not_ready_polls = 2
    entry = await setup_entry(hass, oauth_entry)
    assert entry.state is ConfigEntryState.LOADED


async def test_204_later_keeps_the_entities(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    """After the subscription is re-made, its 204 answers keep the previous figures."""
    entry = await setup_entry(hass, oauth_entry)
    coordinator = entry.runtime_data
    before = coordinator.data
    bp.expire_subscriptions()
    bp.not_ready_polls = 3
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert coordinator.data is before
    assert STATE_UNAVAILABLE not in {state.state for state in hass.states.async_all("sensor")}


async def test_404_subscribes_again(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
) -> None:
    entry = await setup_entry(hass, oauth_entry)
    bp.expire_subscriptions()
    simulator.sim.reset_log()
    await entry.runtime_data.async_refresh()
    assert entry.runtime_data.last_update_success
    assert _paths(simulator) == [
        ("GET", "/statsapi/subscription/data"),
        ("POST", "/statsapi/subscription"),
        ("GET", "/statsapi/subscription/data"),
    ]


async def test_409_raises_a_repair_issue_until_it_works(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The tenant's subscription limit: not ready, a clear message and a repair issue."""
    bp.subscription_limit = 0
    entry = await setup_entry(hass, oauth_entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "limit of active subscriptions" in (entry.reason or "")
    issue = issue_registry.async_get_issue(DOMAIN, ISSUE_ID)
    assert issue is not None
    assert issue.translation_key == "subscription_limit"
    assert issue.translation_placeholders == {"name": entry.title}
    assert issue.severity is ir.IssueSeverity.ERROR
    assert not issue.is_fixable

    bp.subscription_limit = 5
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is None

    # Later, while running: the poll fails with the message, then recovers.
    bp.expire_subscriptions()
    bp.subscription_limit = 0
    coordinator = entry.runtime_data
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert "limit of active subscriptions is reached" in caplog.text
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is not None
    bp.subscription_limit = 5
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is None


async def test_issue_of_an_earlier_run_is_cleared(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An issue left from before a restart goes once a poll works."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        ISSUE_ID,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="subscription_limit",
    )
    await setup_entry(hass, oauth_entry)
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is None


async def test_removing_the_entry_removes_its_issue(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    bp.subscription_limit = 0
    entry = await setup_entry(hass, oauth_entry)
    ir.async_create_issue(
        hass,
        DOMAIN,
        "other_issue",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="subscription_limit",
    )
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is not None
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is None
    assert issue_registry.async_get_issue(DOMAIN, "other_issue") is not None


async def test_401_signs_in_again_silently(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
) -> None:
    """An ended session (a server restart, the cookie replaced) is renewed without fuss."""
    entry = await setup_entry(hass, bp_entry)
    bp.revoke_sessions()
    await entry.runtime_data.async_refresh()
    assert entry.runtime_data.last_update_success
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_401_after_signing_in_again_starts_reauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
    auth_method: str,
) -> None:
    """A secret revoked while running: entities unavailable and a reauth flow."""
    entry = await setup_entry(hass, bp_entry)
    if auth_method == "oauth":
        bp.api_secret = "revoked"
    else:
        bp.password = "revoked"
    bp.revoke_sessions()
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert not entry.runtime_data.last_update_success
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert {state.state for state in hass.states.async_all("sensor")} == {STATE_UNAVAILABLE}


async def test_legacy_refused_after_an_upgrade_starts_reauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
) -> None:
    entry = await setup_entry(
        hass,
        MockConfigEntry(domain=DOMAIN, unique_id="x", data=bp_data(simulator, "legacy")),
    )
    bp.server_version = "5.36"
    bp.revoke_sessions()
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize("fault", list(Fault), ids=str)
async def test_fault_makes_entities_unavailable_until_next_good_poll(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    oauth_entry: MockConfigEntry,
    fault: Fault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each fault mode: unavailable after the failed poll, one error line, back afterwards."""
    entry = await setup_entry(hass, oauth_entry)
    await check_fault_cycle(
        hass, simulator.sim, "bright_pattern", entry.runtime_data, fault, caplog
    )


async def test_setup_with_refused_secret_starts_reauth(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    bp: BrightPatternSimulator,
    bp_entry: MockConfigEntry,
) -> None:
    simulator.sim.set_fault("bright_pattern", Fault.TOKEN_REVOKED)
    entry = await setup_entry(hass, bp_entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
