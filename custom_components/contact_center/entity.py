"""Base entity: device info for account, queue and agent devices, and change-only state writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Agent, Figures
from .const import DOMAIN
from .coordinator import (
    ACCOUNT,
    ContactCenterCoordinator,
    ContactCenterSlowCoordinator,
    Subject,
    SubjectKind,
)


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

    def state_fingerprint(self) -> tuple[Any, ...]:
        """Return everything the state shows; the state is written only when this changes."""
        return (self.available, self.state, self.extra_state_attributes)

    async def async_added_to_hass(self) -> None:
        """Subscribe to the subject's changes."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_subscribe(self.subject, self._handle_subject_update)
        )
        self._written = self.state_fingerprint()

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
        entry_type=DeviceEntryType.SERVICE,
        via_device=(DOMAIN, coordinator.device_identifier(ACCOUNT)),
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

    async_add_entities(build(subjects_for(coordinator, descriptions)))

    @callback
    def add_new(subjects: list[Subject]) -> None:
        if entities := build(subjects):
            async_add_entities(entities)

    coordinator.config_entry.async_on_unload(coordinator.async_add_new_subject_listener(add_new))
