"""One coordinator per config entry.

It polls the client, keeps track of which queues and agents exist, and wakes each entity only when
its own queue or agent changed: a poll costs work in proportion to what changed, not to the number
of entities.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_VERIFY_SSL
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.aiohttp_client import (
    async_create_clientsession,
    async_get_clientsession,
)
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import (
    ContactCenterAuthError,
    ContactCenterClient,
    ContactCenterError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ContactCenterTargetError,
    Problem,
    SharedState,
    Snapshot,
    Vendor,
    find_vendor,
)
from .api.models import Capabilities, ExtraValue
from .const import (
    AGENTS_ALL,
    AGENTS_NONE,
    CONF_AGENTS,
    CONF_VENDOR,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    SIGNAL_NAMES,
    STALE_AFTER,
)

type ContactCenterConfigEntry = ConfigEntry[ContactCenterCoordinator]

SHARED: HassKey[SharedState] = HassKey(DOMAIN)
"""What the clients of this Home Assistant instance share (request governors): it outlives
reloads of an entry, and a second instance in the same process has its own."""
STORE_VERSION = 1
STORE_SAVE_DELAY = 600.0
"""Seconds a changed stale clock may wait before it is written (at most one write per delay)."""


class SubjectKind(StrEnum):
    """What an entity is about."""

    ACCOUNT = "account"
    QUEUE = "queue"
    AGENT = "agent"


class Subject(NamedTuple):
    """One account, queue or agent of an entry; the unit of change tracking."""

    kind: SubjectKind
    id: str


ACCOUNT = Subject(SubjectKind.ACCOUNT, "")

# First match wins: a refused credential asks for new ones; everything else retries next poll.
_ERROR_MAP: tuple[tuple[type[ContactCenterError], type[HomeAssistantError], str], ...] = (
    (ContactCenterAuthError, ConfigEntryAuthFailed, "invalid_auth"),
    (ContactCenterRateLimitError, UpdateFailed, "rate_limited"),
    (ContactCenterTargetError, UpdateFailed, "target_refused"),
    (ContactCenterResponseError, UpdateFailed, "invalid_response"),
    # Reached, but failing: not "cannot reach" (which would send people to check the network).
    (ContactCenterServerError, UpdateFailed, "server_error"),
    (ContactCenterError, UpdateFailed, "cannot_connect"),
)


def mapped_error(err: ContactCenterError, *, auth_asks_reauth: bool = True) -> HomeAssistantError:
    """Return the Home Assistant error for a client error, with its translation."""
    raised, translation_key = next(
        (raised, key) for kind, raised, key in _ERROR_MAP if isinstance(err, kind)
    )
    if not auth_asks_reauth:
        raised = UpdateFailed
    return raised(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders={"error": str(err)},
    )


@callback
def _keep_polling() -> None:
    """Listen to nothing; being registered is what keeps the schedule running."""


@callback
def async_create_client(
    hass: HomeAssistant, vendor: Vendor, data: Mapping[str, Any]
) -> tuple[ContactCenterClient[Any], CALLBACK_TYPE]:
    """Build the vendor's client for config data, with this instance's shared state.

    A vendor that signs in with cookies gets a session and cookie jar of its own; the callback
    returned releases that session once the client is done (for the others it does nothing).
    """
    verify_ssl = data.get(CONF_VERIFY_SSL, True)
    if vendor.needs_own_cookie_jar:
        # unsafe: servers addressed by IP (on premises) keep their cookies too.
        session = async_create_clientsession(
            hass,
            verify_ssl=verify_ssl,
            auto_cleanup=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        release: CALLBACK_TYPE = session.detach
    else:
        session = async_get_clientsession(hass, verify_ssl=verify_ssl)
        release = lambda: None  # noqa: E731 - Home Assistant owns the shared session
    shared = hass.data.setdefault(SHARED, SharedState())
    return vendor.client_class(session, vendor.settings_from(data), shared=shared), release


def stale_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Return the store of an entry's stale clock (when its queues and agents were last seen)."""
    return Store(hass, STORE_VERSION, f"{DOMAIN}.{entry_id}.last_seen")


def entry_account_id(entry: ConfigEntry) -> str:
    """Return what every device and entity unique id of an entry starts with.

    The entry's unique id, which is fixed when the entry is created (see ``AccountIdentity``);
    the entry id only for an entry that has none.
    """
    return entry.unique_id or entry.entry_id


def device_subject(account_id: str, device: dr.DeviceEntry) -> Subject | None:
    """Return the subject a device stands for, when its identifier starts with ``account_id``."""
    for domain, identifier in device.identifiers:
        if domain != DOMAIN:
            continue
        if identifier == account_id:
            return ACCOUNT
        for kind in (SubjectKind.QUEUE, SubjectKind.AGENT):
            prefix = f"{account_id}_{kind}_"
            if identifier.startswith(prefix):
                return Subject(kind, identifier[len(prefix) :])
    return None


def known_queue_ids(
    hass: HomeAssistant, entry: ConfigEntry, account_id: str | None = None
) -> frozenset[str]:
    """Return the ids of the queues an entry has devices for."""
    account_id = account_id or entry_account_id(entry)
    return frozenset(
        subject.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if (subject := device_subject(account_id, device)) is not None
        and subject.kind is SubjectKind.QUEUE
    )


def default_scan_interval(vendor_key: str) -> int:
    """Return a vendor's default poll interval in seconds (some vendors ask for slow polling)."""
    vendor = find_vendor(vendor_key)
    if vendor is None or vendor.default_scan_interval is None:
        return DEFAULT_SCAN_INTERVAL
    return vendor.default_scan_interval


def scan_interval(entry: ConfigEntry) -> timedelta:
    """Return the poll interval the user chose (options), or the vendor's default."""
    default = default_scan_interval(entry.data.get(CONF_VENDOR, ""))
    return timedelta(seconds=entry.options.get(CONF_SCAN_INTERVAL, default))


def followed_agents(options: Mapping[str, Any]) -> frozenset[str] | None:
    """Return the ids of the agents that get devices (option ``agents``); ``None``: every one."""
    chosen = options.get(CONF_AGENTS, AGENTS_ALL)
    if chosen == AGENTS_ALL:
        return None
    if chosen == AGENTS_NONE:
        return frozenset()
    return frozenset(chosen)


VOLATILE_GATHER_SECONDS = 0.5
"""How long entities that start to show a volatile figure are gathered into one poll."""


class ContactCenterCoordinator(DataUpdateCoordinator[Snapshot]):
    """Polls one vendor account."""

    config_entry: ContactCenterConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ContactCenterConfigEntry,
        client: ContactCenterClient[Any],
        vendor: Vendor,
    ) -> None:
        """Set up polling; ``always_update=False`` skips everything when a poll changed nothing."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=scan_interval(entry),
            always_update=False,
        )
        self.client = client
        self.vendor = vendor
        self.slow: ContactCenterSlowCoordinator | None = None
        self.account_device_id: str | None = None
        """The device registry's id of the account device, set once at setup; queue and agent
        devices link to it, so no entity has to look it up among the entry's devices."""
        """Reads the client's seldom-changing account figures, when it has any."""
        self.update_interval = self.poll_interval()
        # Entities that start to show a volatile figure are added one after another, over
        # several turns of the event loop: waiting a moment gathers them into a single poll,
        # where an immediate one would leave the later ones for a second poll.
        self._volatile_debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=VOLATILE_GATHER_SECONDS,
            immediate=False,
            function=self.async_refresh,
        )
        # Issues raised by an earlier coordinator of this entry (a failed setup, a restart).
        prefix = f"{entry.entry_id}_"
        self._issues: set[str] = {
            issue_id
            for domain, issue_id in ir.async_get(hass).issues
            if domain == DOMAIN and issue_id.startswith(prefix)
        }
        self.account_id: str = entry_account_id(entry)
        # Queues and agents (id -> name) that have entities: present now, or absent for less than
        # STALE_AFTER.
        self.tracked: dict[SubjectKind, dict[str, str]] = {
            SubjectKind.QUEUE: {},
            SubjectKind.AGENT: {},
        }
        self._tracked_names: dict[SubjectKind, frozenset[str]] = {}
        self._absent_since: dict[Subject, datetime] = {}
        # The stale clock is kept on disk, so a restart or reload does not start it again.
        self._store = stale_store(hass, entry.entry_id)
        self._save_pending = False
        self._seen_at: datetime | None = None
        """When the last answer came: the last time the subjects it mentioned were seen."""
        # A centre with thousands of agents may follow a few, or none: the totals stay.
        self.followed_agents = followed_agents(entry.options)
        self.entity_options: dict[str, Any] = {}
        """The options the entities were set up with; a change to them reloads the entry."""
        self._subscribers: dict[Subject, list[CALLBACK_TYPE]] = {}
        self._new_subject_listeners: list[Callable[[list[Subject]], None]] = []
        self._pending_new: list[Subject] = []
        self._dispatched: Snapshot | None = None
        self._dispatched_success = False
        self._stop_polling: CALLBACK_TYPE = _keep_polling

    @property
    def capabilities(self) -> Capabilities:
        """Return what the client reports; some clients learn part of it at the first request."""
        return self.client.capabilities

    # Identity of devices ---------------------------------------------------------------------

    def device_identifier(self, subject: Subject) -> str:
        """Return the device identifier of a subject (stable across restarts)."""
        if subject.kind is SubjectKind.ACCOUNT:
            return self.account_id
        return f"{self.account_id}_{subject.kind}_{subject.id}"

    def subject_from_device(self, device: dr.DeviceEntry) -> Subject | None:
        """Return the subject a device of this entry stands for, or ``None``."""
        return device_subject(self.account_id, device)

    # Tracking --------------------------------------------------------------------------------

    async def async_restore_tracked(self) -> None:
        """Track the queues and agents that have devices from earlier runs.

        An agent who is logged out at start-up still gets entities (showing offline), and the
        stale clock goes on from when each was last seen, before the restart too.
        """
        stored = await self._store.async_load() or {}
        self._seen_at = dt_util.parse_datetime(stored.get("seen_at") or "")
        registry = dr.async_get(self.hass)
        orphans: list[Subject] = []
        capabilities = self.capabilities
        declared = {
            SubjectKind.QUEUE: capabilities.queue_ids,
            SubjectKind.AGENT: capabilities.agent_ids,
        }
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            subject = self.subject_from_device(device)
            if subject is None or subject.kind is SubjectKind.ACCOUNT:
                continue
            if subject.kind is SubjectKind.QUEUE and not capabilities.queue:
                # The settings no longer ask for queue figures: those devices would stay empty.
                orphans.append(subject)
                continue
            known = declared[subject.kind]
            if subject.kind is SubjectKind.AGENT and not self.follows_agent(subject.id):
                # The options no longer follow this agent.
                orphans.append(subject)
                continue
            if known is not None and subject.id not in known:
                # A target the user removed from the settings: it will never be reported again.
                orphans.append(subject)
                continue
            self.tracked[subject.kind][subject.id] = device.name or subject.id
            self._tracked_names.pop(subject.kind, None)
        absent: dict[str, str] = stored.get("absent", {})
        for kind, tracked in self.tracked.items():
            for subject_id in tracked:
                since = dt_util.parse_datetime(absent.get(f"{kind}:{subject_id}", ""))
                if since is not None:
                    self._absent_since[Subject(kind, subject_id)] = since
        if orphans:
            self._remove_devices(orphans)

    def follows_agent(self, agent_id: str) -> bool:
        """Say whether the options give this agent a device."""
        return self.followed_agents is None or agent_id in self.followed_agents

    def is_present(self, subject: Subject) -> bool:
        """Say whether the last answer mentioned the subject (the account always is)."""
        if subject.kind is SubjectKind.QUEUE:
            return subject.id in self.data.queues or subject.id in self.data.unavailable_queues
        if subject.kind is SubjectKind.AGENT:
            return subject.id in self.data.agents or subject.id in self.data.unavailable_agents
        return True

    def is_unreadable(self, subject: Subject) -> bool:
        """Say whether the last answer's part about the subject could not be read."""
        if subject.kind is SubjectKind.QUEUE:
            return subject.id in self.data.unavailable_queues
        if subject.kind is SubjectKind.AGENT:
            return subject.id in self.data.unavailable_agents
        return False

    def _track(self, snapshot: Snapshot) -> None:
        """Follow arrivals, absences and departures.

        Runs on every poll, so the common case (the same queues and agents as last time) costs two
        set comparisons; the rest grows with the number of changes.
        """
        now = dt_util.utcnow()
        last_seen = self._seen_at or now
        previous = self.data
        for kind, current, failed, earlier, earlier_failed in (
            (
                SubjectKind.QUEUE,
                snapshot.queues,
                snapshot.unavailable_queues,
                previous.queues if previous else None,
                previous.unavailable_queues if previous else None,
            ),
            (
                SubjectKind.AGENT,
                snapshot.agents,
                snapshot.unavailable_agents,
                previous.agents if previous else None,
                previous.unavailable_agents if previous else None,
            ),
        ):
            if (
                earlier is not None
                and earlier_failed is not None
                and earlier.keys() == current.keys()
                and earlier_failed.keys() == failed.keys()
            ):
                continue
            self._log_unreadable(kind, failed, earlier_failed or {})
            tracked = self.tracked[kind]
            for key in current.keys() - tracked.keys():
                if kind is SubjectKind.AGENT and not self.follows_agent(key):
                    continue
                tracked[key] = current[key].name
                self._tracked_names.pop(kind, None)
                self._pending_new.append(Subject(kind, key))
            # An unreadable subject was mentioned: it is not gone, only unavailable this poll.
            seen = current.keys() | failed.keys()
            for key in tracked.keys() - seen:
                self._absent_since.setdefault(Subject(kind, key), last_seen)
            for subject in [s for s in self._absent_since if s.kind is kind and s.id in seen]:
                del self._absent_since[subject]
        stale = [
            subject for subject, since in self._absent_since.items() if now - since >= STALE_AFTER
        ]
        if stale:
            self._remove_devices(stale)
        self._seen_at = now
        self._schedule_save()

    def _log_unreadable(
        self, kind: SubjectKind, failed: Mapping[str, str], earlier: Mapping[str, str]
    ) -> None:
        """Log once when a queue's or agent's part of an answer turns unreadable, once when back."""
        for key in failed.keys() - earlier.keys():
            LOGGER.warning("%s: %s %s is unavailable: %s", self.name, kind, key, failed[key])
        for key in earlier.keys() - failed.keys():
            LOGGER.info("%s: %s %s is readable again", self.name, kind, key)

    def _remove_devices(self, subjects: list[Subject]) -> None:
        registry = dr.async_get(self.hass)
        # One pass over the entry's devices, however many subjects go at once.
        devices = {
            identifier: device
            for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id)
            for domain, identifier in device.identifiers
            if domain == DOMAIN
        }
        for subject in subjects:
            LOGGER.debug("Removing %s %s: not seen for %s", subject.kind, subject.id, STALE_AFTER)
            self.forget(subject)
            device = devices.get(self.device_identifier(subject))
            if device is not None:
                registry.async_update_device(
                    device.id, remove_config_entry_id=self.config_entry.entry_id
                )

    @callback
    def async_request_volatile_refresh(self) -> None:
        """Poll soon, once for every volatile figure an entity has just started to show."""
        self.config_entry.async_create_background_task(
            self.hass, self._volatile_debouncer.async_call(), "contact_center volatile figures"
        )

    async def async_shutdown(self) -> None:
        """Cancel a gathered poll for volatile figures too."""
        self._volatile_debouncer.async_shutdown()
        await super().async_shutdown()

    def tracked_names(self, kind: SubjectKind) -> frozenset[str]:
        """Return the names of the tracked queues or agents, kept until that set changes.

        Other entries ask this for every one of their entities when names may have become
        shared: a set built once per change keeps that from growing with both entries' sizes.
        """
        names = self._tracked_names.get(kind)
        if names is None:
            names = self._tracked_names[kind] = frozenset(self.tracked[kind].values())
        return names

    @callback
    def forget(self, subject: Subject) -> None:
        """Stop tracking a subject (its device is being removed); it returns if it reappears."""
        if subject.kind is not SubjectKind.ACCOUNT:
            self.tracked[subject.kind].pop(subject.id, None)
            self._tracked_names.pop(subject.kind, None)
            # Another entry's subject of the same name may no longer share it.
            async_dispatcher_send(self.hass, SIGNAL_NAMES)
        self._absent_since.pop(subject, None)
        self._schedule_save()

    def _schedule_save(self) -> None:
        # Once per delay, however often it changes: every poll moves ``seen_at`` on.
        if not self._save_pending:
            self._save_pending = True
            self._store.async_delay_save(self._stored_clock, STORE_SAVE_DELAY)

    def _stored_clock(self) -> dict[str, Any]:
        self._save_pending = False
        return {
            "seen_at": None if self._seen_at is None else self._seen_at.isoformat(),
            "absent": {
                f"{subject.kind}:{subject.id}": since.isoformat()
                for subject, since in self._absent_since.items()
            },
        }

    async def async_save_tracked(self) -> None:
        """Write the stale clock now (the entry unloads; its successor reads it at setup)."""
        await self._store.async_save(self._stored_clock())

    # Polling ---------------------------------------------------------------------------------

    def poll_interval(self) -> timedelta:
        """Return the longer of the user's interval and the one the client needs (vendor limits)."""
        user = scan_interval(self.config_entry)
        self.client.user_interval = user.total_seconds()
        needed = self.client.poll_interval()
        return user if needed is None else max(user, timedelta(seconds=needed))

    async def _async_update_data(self) -> Snapshot:
        """Fetch one snapshot and map the client's errors to Home Assistant's.

        Afterwards, whatever the outcome, the interval follows the client's needs and its
        problems are shown as repair issues.
        """
        # A poll that outlasts its interval would overlap the next one and show stale figures
        # as current: bound the whole poll (every request of it) by the interval.
        bound = self.update_interval or scan_interval(self.config_entry)
        try:
            async with asyncio.timeout(bound.total_seconds()):
                return await self._async_fetch()
        except TimeoutError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="poll_timeout",
                translation_placeholders={"seconds": f"{bound.total_seconds():g}"},
            ) from err
        finally:
            self.update_interval = self.poll_interval()
            self._sync_issues(self.client.problems)

    async def _async_fetch(self) -> Snapshot:
        try:
            snapshot = await self.client.async_get_snapshot()
        except ContactCenterError as err:
            raise mapped_error(err) from err
        self._track(snapshot)
        return snapshot

    def _issue_id(self, problem: Problem) -> str:
        return f"{self.config_entry.entry_id}_{problem.key}_{problem.subject}".rstrip("_")

    @callback
    def _sync_issues(self, problems: tuple[Problem, ...]) -> None:
        """Raise a repair issue for each new problem and delete those that went away."""
        current: set[str] = set()
        for problem in problems:
            issue_id = self._issue_id(problem)
            current.add(issue_id)
            if issue_id in self._issues:
                continue
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=problem.key,
                translation_placeholders={
                    "name": self.config_entry.title,
                    **dict(problem.placeholders),
                },
            )
        for issue_id in self._issues - current:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        self._issues = current

    @callback
    def async_clear_issues(self) -> None:
        """Delete this entry's repair issues (it is being unloaded)."""
        self._sync_issues(())

    # Listeners -------------------------------------------------------------------------------

    @callback
    def async_subscribe(self, subject: Subject, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update_callback`` when this subject's data or the availability changes."""
        if not self._subscribers:
            # The base class polls only while it has listeners: hold one for all subscribers.
            self._stop_polling = self.async_add_listener(_keep_polling)
        callbacks = self._subscribers.setdefault(subject, [])
        callbacks.append(update_callback)

        @callback
        def unsubscribe() -> None:
            callbacks.remove(update_callback)
            if not callbacks:
                del self._subscribers[subject]
            if not self._subscribers:
                self._stop_polling()

        return unsubscribe

    @callback
    def async_add_new_subject_listener(
        self, new_subjects_callback: Callable[[list[Subject]], None]
    ) -> CALLBACK_TYPE:
        """Call back with queues and agents seen for the first time, so platforms add entities."""
        self._new_subject_listeners.append(new_subjects_callback)
        return lambda: self._new_subject_listeners.remove(new_subjects_callback)

    @callback
    def async_update_listeners(self) -> None:
        """Dispatch to the entities of the subjects that changed, and announce new subjects."""
        super().async_update_listeners()
        if self._pending_new:
            new, self._pending_new = self._pending_new, []
            for listener in list(self._new_subject_listeners):
                listener(new)
        data = self.data
        previous = self._dispatched
        if (
            previous is None
            or data is None
            or not self.last_update_success
            or not self._dispatched_success
        ):
            changed: list[Subject] = list(self._subscribers)
        else:
            changed = self._changed_subjects(previous, data)
        self._dispatched = data
        self._dispatched_success = self.last_update_success
        for subject in changed:
            for update_callback in list(self._subscribers.get(subject, ())):
                update_callback()

    @staticmethod
    def _changed_subjects(previous: Snapshot, data: Snapshot) -> list[Subject]:
        changed: list[Subject] = []
        if previous.totals != data.totals or previous.messages != data.messages:
            changed.append(ACCOUNT)
        for kind, old, new, old_failed, new_failed in (
            (
                SubjectKind.QUEUE,
                previous.queues,
                data.queues,
                previous.unavailable_queues,
                data.unavailable_queues,
            ),
            (
                SubjectKind.AGENT,
                previous.agents,
                data.agents,
                previous.unavailable_agents,
                data.unavailable_agents,
            ),
        ):
            changed.extend(
                Subject(kind, key) for key, value in new.items() if old.get(key) != value
            )
            changed.extend(Subject(kind, key) for key in old.keys() - new.keys())
            # An agent shown as logged out while absent turns unavailable when unreadable.
            changed.extend(
                Subject(kind, key)
                for key in old_failed.keys() ^ new_failed.keys()
                if key not in old and key not in new
            )
        return changed


class ContactCenterSlowCoordinator(DataUpdateCoordinator[Mapping[str, ExtraValue]]):
    """Reads the account figures that change seldom (a daily export, say) on their own schedule.

    A refused credential is left to the main coordinator, which asks for reauthentication: this
    one only marks its entities unavailable.
    """

    config_entry: ContactCenterConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: ContactCenterConfigEntry, client: ContactCenterClient[Any]
    ) -> None:
        """Poll every ``client.slow_interval`` seconds; unchanged figures write nothing."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{entry.title} (slow figures)",
            update_interval=timedelta(seconds=client.slow_interval),
            always_update=False,
        )
        self.client = client

    async def _async_update_data(self) -> Mapping[str, ExtraValue]:
        """Fetch the slow figures and map the client's errors to Home Assistant's."""
        try:
            return dict(await self.client.async_get_slow_extras())
        except ContactCenterError as err:
            raise mapped_error(err, auth_asks_reauth=False) from err
