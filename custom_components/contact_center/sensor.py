"""Sensors: queue figures for the account and each queue, and each agent's state."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, cast

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import Agent, AgentStatus, Capabilities, ExtraFigure, ExtraKind, Figures
from .coordinator import (
    ContactCenterConfigEntry,
    ContactCenterCoordinator,
    ContactCenterSlowCoordinator,
    Subject,
    SubjectKind,
)
from .entity import ContactCenterEntity, ContactCenterSlowEntity, add_entities_for_subjects
from .health import HealthSensor, health_descriptions

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FiguresSensorDescription(SensorEntityDescription):
    """A figure of the account or of a queue; ``key`` names the model field."""

    value_fn: Callable[[Figures], StateType]


@dataclass(frozen=True, kw_only=True)
class AgentSensorDescription(SensorEntityDescription):
    """A figure of an agent; ``key`` names the model field it needs."""

    value_fn: Callable[[Agent | None], StateType | datetime]
    attributes_fn: Callable[[Agent | None], Mapping[str, Any] | None] = lambda _: None
    available_when_absent: bool = False
    """An absent agent is logged out: some figures still have a true value then."""


def _figure(key: str) -> Callable[[Figures], StateType]:
    def value(figures: Figures) -> StateType:
        result: StateType = getattr(figures, key)
        return result

    return value


FIGURE_SENSORS: tuple[FiguresSensorDescription, ...] = (
    FiguresSensorDescription(
        key="waiting",
        translation_key="waiting",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("waiting"),
    ),
    FiguresSensorDescription(
        key="longest_wait",
        translation_key="longest_wait",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_figure("longest_wait"),
    ),
    FiguresSensorDescription(
        key="agents_logged_in",
        translation_key="agents_logged_in",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("agents_logged_in"),
    ),
    FiguresSensorDescription(
        key="agents_available",
        translation_key="agents_available",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("agents_available"),
    ),
    FiguresSensorDescription(
        key="agents_busy",
        translation_key="agents_busy",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("agents_busy"),
    ),
    FiguresSensorDescription(
        key="service_level",
        translation_key="service_level",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("service_level"),
    ),
    FiguresSensorDescription(
        key="abandoned_pct",
        translation_key="abandoned_pct",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_figure("abandoned_pct"),
    ),
    FiguresSensorDescription(
        key="offered",
        translation_key="offered",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=_figure("offered"),
    ),
    FiguresSensorDescription(
        key="answered",
        translation_key="answered",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=_figure("answered"),
    ),
    FiguresSensorDescription(
        key="abandoned",
        translation_key="abandoned",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=_figure("abandoned"),
    ),
)


def _agent_figure(key: str) -> Callable[[Agent | None], StateType | datetime]:
    def value(agent: Agent | None) -> StateType | datetime:
        result: StateType | datetime = getattr(agent, key) if agent is not None else None
        return result

    return value


def _status(agent: Agent | None) -> StateType:
    if agent is None:
        return AgentStatus.OFFLINE
    return agent.status


def _status_attributes(agent: Agent | None) -> Mapping[str, Any] | None:
    if agent is None:
        return None
    # Both change only with the agent's assignment or state, never by themselves between polls.
    # A vendor that does not say (no queues per agent, no word of its own) shows no attribute.
    attributes: dict[str, Any] = {}
    if agent.queues:
        attributes["queues"] = list(agent.queues)
    if agent.raw_status is not None:
        attributes["vendor_status"] = agent.raw_status
    return attributes or None


def _reason(agent: Agent | None) -> StateType:
    if agent is None:
        return None
    # The agent is reported and gives no reason: known to be none, not unknown.
    return agent.reason or ""


AGENT_SENSORS: tuple[AgentSensorDescription, ...] = (
    AgentSensorDescription(
        key="status",
        translation_key="agent_status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in AgentStatus],
        value_fn=_status,
        attributes_fn=_status_attributes,
        available_when_absent=True,
    ),
    AgentSensorDescription(
        key="active_conversations",
        translation_key="active_conversations",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_agent_figure("active_conversations"),
    ),
    AgentSensorDescription(
        key="capacity",
        translation_key="capacity",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_agent_figure("capacity"),
    ),
    AgentSensorDescription(
        key="free_slots",
        translation_key="free_slots",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_agent_figure("free_slots"),
    ),
    AgentSensorDescription(
        key="status_since",
        translation_key="status_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_agent_figure("status_since"),
    ),
    AgentSensorDescription(
        key="logged_in_since",
        translation_key="logged_in_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        # Seldom used on wallboards or in automations; one per agent adds up.
        entity_registry_enabled_default=False,
        value_fn=_agent_figure("logged_in_since"),
    ),
    AgentSensorDescription(
        key="reason",
        translation_key="reason",
        value_fn=_reason,
    ),
    AgentSensorDescription(
        key="team",
        translation_key="team",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_agent_figure("team"),
    ),
)


@dataclass(frozen=True, kw_only=True)
class ExtraSensorDescription(SensorEntityDescription):
    """A vendor-specific figure declared by the client (``ExtraFigure``)."""

    extra_key: str
    volatile: bool = False


_EXTRA_KINDS: dict[ExtraKind, dict[str, Any]] = {
    ExtraKind.COUNT: {"state_class": SensorStateClass.MEASUREMENT},
    ExtraKind.TOTAL: {"state_class": SensorStateClass.TOTAL_INCREASING},
    ExtraKind.DURATION: {
        "device_class": SensorDeviceClass.DURATION,
        "native_unit_of_measurement": UnitOfTime.SECONDS,
        "state_class": SensorStateClass.MEASUREMENT,
        "suggested_display_precision": 0,
    },
    ExtraKind.PERCENT: {
        "native_unit_of_measurement": PERCENTAGE,
        "state_class": SensorStateClass.MEASUREMENT,
    },
    ExtraKind.TIMESTAMP: {"device_class": SensorDeviceClass.TIMESTAMP},
    ExtraKind.DATE: {"device_class": SensorDeviceClass.DATE},
    ExtraKind.TEXT: {},
}


def _extra_description(extra: ExtraFigure) -> ExtraSensorDescription:
    unit: dict[str, Any] = (
        {"native_unit_of_measurement": extra.unit}
        if extra.unit is not None and extra.kind in (ExtraKind.COUNT, ExtraKind.TOTAL)
        else {}
    )
    return ExtraSensorDescription(
        key=f"extra_{extra.key}",
        translation_key=extra.key,
        extra_key=extra.key,
        volatile=extra.volatile,
        entity_category=EntityCategory.DIAGNOSTIC if extra.diagnostic else None,
        entity_registry_enabled_default=extra.enabled_by_default,
        **_EXTRA_KINDS[extra.kind],
        **unit,
    )


def _named(
    descriptions: Iterable[FiguresSensorDescription], scope: str, names: Mapping[str, str]
) -> Iterator[FiguresSensorDescription]:
    """Give a figure the vendor's narrower name; the key (and so the unique id) stays."""
    for description in descriptions:
        name = names.get(f"{scope}.{description.key}")
        yield description if name is None else replace(description, translation_key=name)


def sensor_descriptions(
    capabilities: Capabilities, names: Mapping[str, str] | None = None
) -> dict[SubjectKind, tuple[SensorEntityDescription, ...]]:
    """Pick the descriptions whose figure the client reports, and add its own figures.

    ``names`` is the vendor's ``figure_names``.
    """
    names = names or {}
    return {
        SubjectKind.ACCOUNT: (
            *_named((d for d in FIGURE_SENSORS if d.key in capabilities.totals), "totals", names),
            *map(_extra_description, capabilities.totals_extras),
        ),
        SubjectKind.QUEUE: (
            *_named((d for d in FIGURE_SENSORS if d.key in capabilities.queue), "queue", names),
            *map(_extra_description, capabilities.queue_extras),
        ),
        SubjectKind.AGENT: (
            *(d for d in AGENT_SENSORS if d.key in capabilities.agent),
            *map(_extra_description, capabilities.agent_extras),
        ),
    }


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ContactCenterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for the account, every queue and every agent, now and as they appear."""
    coordinator = entry.runtime_data
    add_entities_for_subjects(
        coordinator,
        sensor_descriptions(coordinator.capabilities, coordinator.vendor.figure_names),
        _make_sensor,
        async_add_entities,
    )
    add_entities_for_subjects(
        coordinator,
        health_descriptions(coordinator.capabilities, entry.options),
        HealthSensor,
        async_add_entities,
    )
    if (slow := coordinator.slow) is not None:
        async_add_entities(
            SlowExtraSensor(coordinator, slow, _extra_description(extra))
            for extra in coordinator.capabilities.slow_totals_extras
        )


def _make_sensor(
    coordinator: ContactCenterCoordinator, subject: Subject, description: SensorEntityDescription
) -> SensorEntity:
    if isinstance(description, AgentSensorDescription):
        return AgentSensor(coordinator, subject, description)
    if isinstance(description, ExtraSensorDescription):
        return ExtraSensor(coordinator, subject, description)
    return FiguresSensor(coordinator, subject, cast(FiguresSensorDescription, description))


class FiguresSensor(ContactCenterEntity, SensorEntity):
    """A figure of the account or of a queue."""

    entity_description: FiguresSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the figure."""
        data = self.subject_data
        return self.entity_description.value_fn(data) if isinstance(data, Figures) else None


class AgentSensor(ContactCenterEntity, SensorEntity):
    """A figure of an agent."""

    entity_description: AgentSensorDescription

    @property
    def _agent(self) -> Agent | None:
        data = self.subject_data
        return data if isinstance(data, Agent) else None

    @property
    def available(self) -> bool:
        """An agent's state stays known while they are logged out (it is ``offline``)."""
        if self.entity_description.available_when_absent:
            return self.subject_readable
        return super().available

    @property
    def native_value(self) -> StateType | datetime:
        """Return the figure."""
        return self.entity_description.value_fn(self._agent)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return stable attributes of an agent's state (queues served, the vendor's word)."""
        return self.entity_description.attributes_fn(self._agent)


class ExtraSensor(ContactCenterEntity, SensorEntity):
    """A vendor-specific figure of the account, a queue or an agent."""

    entity_description: ExtraSensorDescription

    async def async_added_to_hass(self) -> None:
        """Ask the client for a volatile figure while this (enabled) entity shows it.

        The last answer was read without a figure nobody showed: the first entity to show it
        asks for a poll in a moment (gathered, so a batch of entities asks once), not an interval
        later.
        """
        await super().async_added_to_hass()
        if self.entity_description.volatile:
            client = self.coordinator.client
            key = self.entity_description.extra_key
            missing = not client.shows_extra(key)
            self.async_on_remove(client.show_extra(key))
            if missing:
                self.coordinator.async_request_volatile_refresh()

    @property
    def native_value(self) -> StateType | date | datetime:
        """Return the figure."""
        data = self.subject_data
        return None if data is None else data.extras.get(self.entity_description.extra_key)


class SlowExtraSensor(ContactCenterSlowEntity, SensorEntity):
    """An account figure the slow coordinator reads (the newest export, say)."""

    entity_description: ExtraSensorDescription
    coordinator: ContactCenterSlowCoordinator

    @property
    def native_value(self) -> StateType | date | datetime:
        """Return the figure."""
        data = self.coordinator.data
        return None if data is None else data.get(self.entity_description.extra_key)
