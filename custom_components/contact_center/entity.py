"""Base entity: device info for account, queue and agent devices, and change-only state writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect, async_dispatcher_send
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.typing import UndefinedType
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Agent, Figures
from .const import DOMAIN, SIGNAL_NAMES
from .coordinator import (
    ACCOUNT,
    ContactCenterCoordinator,
    ContactCenterSlowCoordinator,
    Subject,
    SubjectKind,
)

_COUNTED_STATES = frozenset({ConfigEntryState.LOADED, ConfigEntryState.SETUP_IN_PROGRESS})
"""Entries whose queue and agent names count for shared names (being set up, or running)."""


class ContactCenterEntity(Entity):
    """An entity about one account, queue or agent of a config entry.

    This is not a ``CoordinatorEntity``: that one is woken on every change of the whole snapshot,
    while this one subscribes to its own subject and writes its state only when what it shows
    changed.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        coordinator: ContactCenterCoordinator,
        subject: Subject,
        description: EntityDescription,
    ) -> None:
        """Name the entity after its description on the subject's device."""
        self.coordinator = coordinator
        self.subject = subject
        self.entity_description = description
        # Built on the entry's unique id, fixed at creation (AccountIdentity): a new secret in
        # reauth never gives the entity a twin.
        device_id = coordinator.device_identifier(subject)
        self._attr_unique_id = f"{device_id}_{description.key}"
        self._attr_device_info = _device_info(coordinator, subject, device_id)
        self._written: tuple[Any, ...] | None = None
        self._name_shared: bool | None = None
        """Whether another entry has a subject of this name: asked again only on SIGNAL_NAMES,
        so a poll's state checks do not walk the other entries."""

    @property
    def subject_data(self) -> Figures | Agent | None:
        """Return the latest data of this entity's subject; ``None`` while it is absent."""
        data = self.coordinator.data
        if self.subject.kind is SubjectKind.ACCOUNT:
            return data.totals
        if self.subject.kind is SubjectKind.QUEUE:
            return data.queues.get(self.subject.id)
        return data.agents.get(self.subject.id)

    @property
    def available(self) -> bool:
        """Available while polling works and the subject is in the latest answer."""
        return self.coordinator.last_update_success and self.subject_data is not None

    @property
    def subject_readable(self) -> bool:
        """Say whether polling works and the latest answer's part about the subject was read.

        Entities that show an absent subject (an agent who logged out) check this instead of
        ``available``: an unreadable answer is not a logout.
        """
        return self.coordinator.last_update_success and not self.coordinator.is_unreadable(
            self.subject
        )

    @property
    def name(self) -> str | UndefinedType | None:
        """Add the account's name when another entry has a queue or agent of the same name.

        The device keeps the vendor's own word; only the entity's name (and so the friendly name
        and a new entity id) says whose figure it is.
        """
        if self._name_shared is None:
            self._name_shared = name_is_shared(self.coordinator, self.subject)
        return self._with_owner(super().name, shared=self._name_shared)

    @property
    def suggested_object_id(self) -> str | None:
        """Build new entity ids from the English name, as Home Assistant does, owner included."""
        # 2026.x keeps the translations in the entity's platform data (the platform's own
        # copy goes in 2026.8); 2025.4 has only the platform's.
        translations = (
            getattr(self, "platform_data", None) or self.platform
        ).object_id_platform_translations
        name = self._with_owner(
            self._name_internal(self._object_id_device_class_name, translations),
            shared=name_is_shared(self.coordinator, self.subject),
        )
        return None if isinstance(name, UndefinedType) else name

    def _with_owner(
        self, name: str | UndefinedType | None, *, shared: bool
    ) -> str | UndefinedType | None:
        if isinstance(name, str) and shared:
            return f"{name} ({self.coordinator.config_entry.title})"
        return name

    def state_fingerprint(self) -> tuple[Any, ...]:
        """Return everything the state shows; the state is written only when this changes."""
        return (self.available, self.state, self.extra_state_attributes, self.name)

    async def async_added_to_hass(self) -> None:
        """Subscribe to the subject's changes."""
        await super().async_added_to_hass()
        self._hang_below_account()
        self.async_on_remove(
            self.coordinator.async_subscribe(self.subject, self._handle_subject_update)
        )
        if self.subject.kind is not SubjectKind.ACCOUNT:
            self.async_on_remove(
                async_dispatcher_connect(self.hass, SIGNAL_NAMES, self._handle_names_changed)
            )
        self._written = self.state_fingerprint()

    @callback
    def _hang_below_account(self) -> None:
        """Link a queue or agent device to the account device by the registry's device id.

        Device info cannot say it: ``via_device`` (an identifier) is deprecated from 2026.x on
        (breaks in 2027.8), and its successor ``via_device_id`` is unknown to 2025.4's device
        info. The device registry takes ``via_device_id`` on every version; the account device
        exists before the platforms are set up.
        """
        if self.subject.kind is SubjectKind.ACCOUNT or self.registry_entry is None:
            return
        account_id = self.coordinator.account_device_id
        device_id = self.registry_entry.device_id
        if account_id is None or device_id is None:
            return
        registry = dr.async_get(self.hass)
        device = registry.async_get(device_id)
        if device is not None and device.via_device_id != account_id:
            registry.async_update_device(device.id, via_device_id=account_id)

    @callback
    def _handle_names_changed(self) -> None:
        self._name_shared = None
        self._handle_subject_update()

    @callback
    def _handle_subject_update(self) -> None:
        fingerprint = self.state_fingerprint()
        if fingerprint != self._written:
            self._written = fingerprint
            self.async_write_ha_state()

    async def async_update(self) -> None:
        """Poll now when asked through ``homeassistant.update_entity``."""
        await self.coordinator.async_request_refresh()


class ContactCenterSlowEntity(CoordinatorEntity[ContactCenterSlowCoordinator]):
    """An account figure read seldom, by the entry's slow coordinator, on the account device."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: ContactCenterCoordinator,
        slow: ContactCenterSlowCoordinator,
        description: EntityDescription,
    ) -> None:
        """Name the entity after its description on the account device."""
        super().__init__(slow)
        self.entity_description = description
        device_id = coordinator.device_identifier(ACCOUNT)
        self._attr_unique_id = f"{device_id}_{description.key}"
        self._attr_device_info = _device_info(coordinator, ACCOUNT, device_id)


def name_is_shared(coordinator: ContactCenterCoordinator, subject: Subject) -> bool:
    """Say whether another entry of the integration has a queue or agent of this name."""
    if subject.kind is SubjectKind.ACCOUNT:
        return False
    name = coordinator.tracked[subject.kind].get(subject.id)
    if name is None:
        return False
    this = coordinator.config_entry
    for entry in coordinator.hass.config_entries.async_entries(DOMAIN):
        if entry.entry_id == this.entry_id or entry.state not in _COUNTED_STATES:
            continue
        other = getattr(entry, "runtime_data", None)
        if isinstance(other, ContactCenterCoordinator) and (
            name in other.tracked_names(subject.kind)
        ):
            return True
    return False


def account_device_info(coordinator: ContactCenterCoordinator) -> DeviceInfo:
    """Return the device info of the entry's account device."""
    return _device_info(coordinator, ACCOUNT, coordinator.device_identifier(ACCOUNT))


def _device_info(
    coordinator: ContactCenterCoordinator, subject: Subject, device_id: str
) -> DeviceInfo:
    vendor = coordinator.vendor
    if subject.kind is SubjectKind.ACCOUNT:
        return DeviceInfo(
            identifiers={(DOMAIN, device_id)},
            name=coordinator.config_entry.title,
            manufacturer=vendor.name,
            model="Account",
            entry_type=DeviceEntryType.SERVICE,
        )
    return DeviceInfo(
        identifiers={(DOMAIN, device_id)},
        name=coordinator.tracked[subject.kind].get(subject.id, subject.id),
        manufacturer=vendor.name,
        model=vendor.queue_model if subject.kind is SubjectKind.QUEUE else vendor.agent_model,
        # A person or a queue is no "service"; None (not left out) also clears the type that
        # devices created by earlier versions have, since the registry updates what is given.
        entry_type=None,
    )


def subjects_for(
    coordinator: ContactCenterCoordinator, kinds: Iterable[SubjectKind]
) -> list[Subject]:
    """Return every tracked subject of the given kinds (the account counts as one)."""
    subjects: list[Subject] = []
    for kind in kinds:
        if kind is SubjectKind.ACCOUNT:
            subjects.append(ACCOUNT)
        else:
            subjects.extend(Subject(kind, key) for key in coordinator.tracked[kind])
    return subjects


def add_entities_for_subjects[DescriptionT: EntityDescription](
    coordinator: ContactCenterCoordinator,
    descriptions: dict[SubjectKind, tuple[DescriptionT, ...]],
    factory: Callable[[ContactCenterCoordinator, Subject, DescriptionT], Entity],
    async_add_entities: Callable[[list[Entity]], None],
) -> None:
    """Add entities for every subject now, and for new queues and agents as they appear."""

    def build(subjects: Iterable[Subject]) -> list[Entity]:
        return [
            factory(coordinator, subject, description)
            for subject in subjects
            for description in descriptions.get(subject.kind, ())
        ]

    hass = coordinator.hass
    async_add_entities(build(subjects_for(coordinator, descriptions)))
    # The other entries' names may now be shared, or no longer be (this one's are gone).
    async_dispatcher_send(hass, SIGNAL_NAMES)
    coordinator.config_entry.async_on_unload(lambda: async_dispatcher_send(hass, SIGNAL_NAMES))

    @callback
    def add_new(subjects: list[Subject]) -> None:
        if entities := build(subjects):
            async_add_entities(entities)
            async_dispatcher_send(hass, SIGNAL_NAMES)

    coordinator.config_entry.async_on_unload(coordinator.async_add_new_subject_listener(add_new))
