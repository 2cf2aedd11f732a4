"""Binary sensors that drive lights: customers waiting, agent available."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Agent, AgentStatus, Capabilities, Figures
from .coordinator import (
    ContactCenterConfigEntry,
    ContactCenterCoordinator,
    Subject,
    SubjectKind,
)
from .entity import ContactCenterEntity, add_entities_for_subjects

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FiguresBinarySensorDescription(BinarySensorEntityDescription):
    """A yes/no reading of the account's or a queue's figures."""

    figure: str
    is_on_fn: Callable[[Figures], bool | None]
    opt_in: bool = False
    """Created only for clients listing the key in ``Capabilities.opt_in``."""


@dataclass(frozen=True, kw_only=True)
class AgentBinarySensorDescription(BinarySensorEntityDescription):
    """A yes/no reading of an agent; an absent (logged-out) agent is passed as ``None``."""

    figure: str
    is_on_fn: Callable[[Agent | None], bool | None]


FIGURE_BINARY_SENSORS: tuple[FiguresBinarySensorDescription, ...] = (
    FiguresBinarySensorDescription(
        key="customers_waiting",
        translation_key="customers_waiting",
        figure="waiting",
        is_on_fn=lambda figures: None if figures.waiting is None else figures.waiting > 0,
    ),
    FiguresBinarySensorDescription(
        key="capacity_available",
        translation_key="capacity_available",
        figure="agents_available",
        opt_in=True,
        is_on_fn=lambda figures: (
            None if figures.agents_available is None else figures.agents_available > 0
        ),
    ),
)

AGENT_BINARY_SENSORS: tuple[AgentBinarySensorDescription, ...] = (
    AgentBinarySensorDescription(
        key="available",
        translation_key="agent_available",
        figure="status",
        is_on_fn=lambda agent: agent is not None and agent.status is AgentStatus.AVAILABLE,
    ),
)


def binary_sensor_descriptions(
    capabilities: Capabilities,
) -> dict[SubjectKind, tuple[BinarySensorEntityDescription, ...]]:
    """Pick the descriptions whose figure the client reports (and opt-in ones it asks for)."""
    figures = tuple(
        d for d in FIGURE_BINARY_SENSORS if not d.opt_in or d.key in capabilities.opt_in
    )
    return {
        SubjectKind.ACCOUNT: tuple(d for d in figures if d.figure in capabilities.totals),
        SubjectKind.QUEUE: tuple(d for d in figures if d.figure in capabilities.queue),
        SubjectKind.AGENT: tuple(d for d in AGENT_BINARY_SENSORS if d.figure in capabilities.agent),
    }


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ContactCenterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors for the account, every queue and every agent."""
    coordinator = entry.runtime_data
    add_entities_for_subjects(
        coordinator,
        binary_sensor_descriptions(coordinator.capabilities),
        _make_binary_sensor,
        async_add_entities,
    )


def _make_binary_sensor(
    coordinator: ContactCenterCoordinator,
    subject: Subject,
    description: BinarySensorEntityDescription,
) -> BinarySensorEntity:
    if isinstance(description, AgentBinarySensorDescription):
        return AgentBinarySensor(coordinator, subject, description)
    return FiguresBinarySensor(
        coordinator, subject, cast(FiguresBinarySensorDescription, description)
    )


class FiguresBinarySensor(ContactCenterEntity, BinarySensorEntity):
    """A yes/no reading of the account's or a queue's figures."""

    entity_description: FiguresBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the reading."""
        data = self.subject_data
        return self.entity_description.is_on_fn(data) if isinstance(data, Figures) else None


class AgentBinarySensor(ContactCenterEntity, BinarySensorEntity):
    """A yes/no reading of an agent; known (off) while the agent is logged out."""

    entity_description: AgentBinarySensorDescription

    @property
    def available(self) -> bool:
        """A logged-out agent is simply not available: the entity stays available."""
        return self.subject_readable

    @property
    def is_on(self) -> bool | None:
        """Return the reading."""
        data = self.subject_data
        return self.entity_description.is_on_fn(data if isinstance(data, Agent) else None)
