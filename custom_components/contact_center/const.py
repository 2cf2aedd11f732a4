"""Constants of the Contact Center integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "contact_center"
LOGGER = logging.getLogger(__package__)

# Config entry keys. A key only one vendor uses may as well live in its module under vendors/.

CONF_VENDOR: Final = "vendor"
CONF_PER_DEPARTMENT: Final = "per_department"
CONF_SERVER: Final = "server"
CONF_SKILL_IDS: Final = "skill_ids"
CONF_QUOTA_SHARE: Final = "quota_share"
CONF_ALL_AGENTS: Final = "all_agents"
CONF_TENANT_URL: Final = "tenant_url"
CONF_AUTH_METHOD: Final = "auth_method"
CONF_CLIENT_ID: Final = "client_id"
CONF_CLIENT_SECRET: Final = "client_secret"  # noqa: S105 - a field name
CONF_EXPERT_IDS: Final = "expert_ids"
CONF_CATEGORY_LANGUAGES: Final = "category_languages"

DEFAULT_SCAN_INTERVAL: Final = 15
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 3600

STALE_AFTER: Final = timedelta(days=7)
"""A queue or agent absent from every answer for this long is gone for good: its device is removed.

Live chat servers list only logged-in operators and online departments, so a short absence is a
normal night or holiday; a week without a sighting is not.
"""

CONF_WAITING_WARNING: Final = "waiting_warning"
CONF_WAITING_ALERT: Final = "waiting_alert"
CONF_LONGEST_WAIT_WARNING: Final = "longest_wait_warning"
CONF_LONGEST_WAIT_ALERT: Final = "longest_wait_alert"
CONF_SERVICE_LEVEL_WARNING: Final = "service_level_warning"
CONF_SERVICE_LEVEL_ALERT: Final = "service_level_alert"

CONF_AGENTS: Final = "agents"
"""Which agents get devices: ``AGENTS_ALL``, ``AGENTS_NONE`` or a list of agent ids."""
CONF_CHOSEN_AGENTS: Final = "chosen_agents"
"""The options form's multi-select; stored as the list in ``CONF_AGENTS``."""
AGENTS_ALL: Final = "all"
AGENTS_NONE: Final = "none"
AGENTS_CHOSEN: Final = "chosen"

SIGNAL_NAMES: Final = f"{DOMAIN}_names"
"""Sent when an entry's queues or agents come or go: names shared between entries may change."""
