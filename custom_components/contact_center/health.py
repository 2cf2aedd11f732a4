"""Queue health: ok, warning or alert from the thresholds the user set in the options.

Wallboard products colour each queue green, amber or red; this gives every account and queue
device one enum sensor with that colour's meaning, so lamps and dashboards need no templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)

from .api import Capabilities, Figures
from .const import (
    CONF_LONGEST_WAIT_ALERT,
    CONF_LONGEST_WAIT_WARNING,
    CONF_SERVICE_LEVEL_ALERT,
    CONF_SERVICE_LEVEL_WARNING,
    CONF_WAITING_ALERT,
    CONF_WAITING_WARNING,
)
from .coordinator import SubjectKind
from .entity import ContactCenterEntity


class HealthLevel(StrEnum):
    """How a queue is doing, worst last."""

    OK = "ok"
    WARNING = "warning"
    ALERT = "alert"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One threshold rule; ``key`` names both the rule (in ``reasons``) and its figure."""

    key: str
    warning_option: str
    alert_option: str
    below: bool = False
    """The rule fires when the figure drops below the threshold (service level), not at or above."""
    percent: bool = False

    def fires(self, value: float, threshold: float) -> bool:
        """Say whether the figure crosses the threshold."""
        return value < threshold if self.below else value >= threshold


RULES: tuple[Rule, ...] = (
    Rule(key="waiting", warning_option=CONF_WAITING_WARNING, alert_option=CONF_WAITING_ALERT),
    Rule(
        key="longest_wait",
        warning_option=CONF_LONGEST_WAIT_WARNING,
        alert_option=CONF_LONGEST_WAIT_ALERT,
    ),
    Rule(
        key="service_level",
        warning_option=CONF_SERVICE_LEVEL_WARNING,
        alert_option=CONF_SERVICE_LEVEL_ALERT,
        below=True,
        percent=True,
    ),
)
THRESHOLD_OPTIONS: tuple[str, ...] = tuple(
    option for rule in RULES for option in (rule.warning_option, rule.alert_option)
)


class ArmedRule(NamedTuple):
    """A rule with the thresholds of one entry; ``None`` leaves that level off."""

    rule: Rule
    warning: float | None
    alert: float | None


class Health(NamedTuple):
    """The level and the rules that fired, in the order of ``RULES``."""

    level: HealthLevel
    reasons: tuple[str, ...]


def armed_rules(options: Mapping[str, Any], figures: frozenset[str]) -> tuple[ArmedRule, ...]:
    """Return the rules with a threshold set whose figure the subject reports."""
    armed: list[ArmedRule] = []
    for rule in RULES:
        warning, alert = options.get(rule.warning_option), options.get(rule.alert_option)
        if rule.key in figures and (warning is not None or alert is not None):
            armed.append(ArmedRule(rule, warning, alert))
    return tuple(armed)


def evaluate(figures: Figures, rules: tuple[ArmedRule, ...]) -> Health | None:
    """Return the health of a queue or account; ``None`` when no figure a rule needs is known.

    A rule whose figure is missing from this answer is left out rather than taken as fine.
    """
    if not rules:
        return Health(HealthLevel.OK, ())
    level = HealthLevel.OK
    reasons: list[str] = []
    known = False
    for rule, warning, alert in rules:
        value = getattr(figures, rule.key)
        if value is None:
            continue
        known = True
        if alert is not None and rule.fires(value, alert):
            level = HealthLevel.ALERT
        elif warning is not None and rule.fires(value, warning):
            if level is HealthLevel.OK:
                level = HealthLevel.WARNING
        else:
            continue
        reasons.append(rule.key)
    return Health(level, tuple(reasons)) if known else None


def threshold_errors(values: Mapping[str, float]) -> dict[str, str]:
    """Return the form errors of a set of thresholds, keyed by field."""
    errors: dict[str, str] = {}
    for rule in RULES:
        for option in (rule.warning_option, rule.alert_option):
            value = values.get(option)
            if value is not None and value < 0:
                errors[option] = "negative_threshold"
            elif value is not None and rule.percent and value > 100:
                errors[option] = "not_a_percentage"
        warning, alert = values.get(rule.warning_option), values.get(rule.alert_option)
        if warning is None or alert is None or rule.warning_option in errors:
            continue
        # The warning must come first: fewer waiting, or a higher service level, than the alert.
        if rule.below and warning <= alert:
            errors[rule.warning_option] = "warning_not_above_alert"
        elif not rule.below and warning >= alert:
            errors[rule.warning_option] = "warning_not_below_alert"
    return errors


@dataclass(frozen=True, kw_only=True)
class HealthSensorDescription(SensorEntityDescription):
    """The health sensor of the account or of a queue, with the rules that apply to it."""

    rules: tuple[ArmedRule, ...]


def health_descriptions(
    capabilities: Capabilities, options: Mapping[str, Any]
) -> dict[SubjectKind, tuple[HealthSensorDescription, ...]]:
    """Describe a health sensor for the account and the queues, where they report a rule's figure.

    An account without any such figure (CoBrowser.net reports agents only) gets none: it could
    never be anything but ``ok``.
    """
    rule_figures = frozenset(rule.key for rule in RULES)
    descriptions: dict[SubjectKind, tuple[HealthSensorDescription, ...]] = {}
    for kind, figures in (
        (SubjectKind.ACCOUNT, capabilities.totals),
        (SubjectKind.QUEUE, capabilities.queue),
    ):
        if figures & rule_figures:
            descriptions[kind] = (
                HealthSensorDescription(
                    key="health",
                    translation_key="health",
                    device_class=SensorDeviceClass.ENUM,
                    options=[level.value for level in HealthLevel],
                    rules=armed_rules(options, figures),
                ),
            )
    return descriptions


class HealthSensor(ContactCenterEntity, SensorEntity):
    """ok, warning or alert for the account or a queue; written only when level or reasons change.

    The base class writes a state only when what it shows changed, so a poll that moves the
    figures without crossing a threshold writes nothing.
    """

    entity_description: HealthSensorDescription

    @property
    def _health(self) -> Health | None:
        data = self.subject_data
        if not isinstance(data, Figures):
            return None
        return evaluate(data, self.entity_description.rules)

    @property
    def available(self) -> bool:
        """Unavailable while polling fails, the queue is absent or no needed figure is known."""
        return super().available and self._health is not None

    @property
    def native_value(self) -> str | None:
        """Return the level."""
        health = self._health
        return None if health is None else health.level.value

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the rules that fired; they change only with the level's causes."""
        health = self._health
        return None if health is None else {"reasons": list(health.reasons)}
