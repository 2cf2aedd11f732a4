"""wolkvox real-time skill report (``/api/v2/real_time.php?api=skills``).

One GET per skill and poll (the API takes one ``skill_id``), with the ``wolkvox-token`` header.
The token allows two requests at once and a daily quota of uses, which the customer's other
wolkvox tools share: every request goes through the token's :class:`RequestGovernor`, which
sends one at a time and spaces the polls so a day of polling stays within a share of the quota
read from ``information.php?api=token_info``. Figures arrive as strings, ``code`` as a number
or a string, and errors are told apart by their message, not their status. An answer outside the
envelope, or a record for another skill, is refused (the rule in ``parsing``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import re
from typing import Any, ClassVar

from yarl import URL

from .client import ContactCenterClient, RawResponse, Vendor
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
    ContactCenterServerError,
)
from .governor import QUOTA_RETRY, RequestGovernor
from .models import (
    AccountIdentity,
    Capabilities,
    ExtraFigure,
    ExtraKind,
    Figures,
    Problem,
    Queue,
    Snapshot,
)
from .parsing import is_empty, load_json, read_int, read_percent, read_records, read_text, to_text

REAL_TIME_PATH = "/api/v2/real_time.php"
INFORMATION_PATH = "/api/v2/information.php"
TOKEN_HEADER = "wolkvox-token"  # noqa: S105 - a header name
SERVER_HEADER = "wolkvox_server"
DEFAULT_QUOTA_SHARE = 50
"""Percent of the daily quota polling may use; the rest is left to the customer's other tools."""
SIMULTANEOUS_RETRY = 60.0

QUOTA_EXHAUSTED = "quota_exhausted"
INVALID_SKILL = "invalid_skill"

_CODE = re.compile(r"^(?:wv)?(\d{1,6})$", re.IGNORECASE)
_HOST = re.compile(r"^wv(\d{1,6})\.wolkvox\.com$", re.IGNORECASE)
_SKILL = re.compile(r"^\d{1,12}$")

SERVICE_LEVEL_10 = "service_level_10s"
SERVICE_LEVEL_30 = "service_level_30s"
QUOTA_USED = "quota_used"
QUOTA_LIMIT = "quota_limit"
POLL_INTERVAL = "poll_interval"


@dataclass(frozen=True, slots=True, kw_only=True)
class WolkvoxSettings:
    """What the user enters; field names are the config entry keys."""

    server: str
    token: str = field(repr=False)
    skill_ids: str
    """Comma-separated skill numbers."""
    quota_share: int = DEFAULT_QUOTA_SHARE


def server_url(raw: str) -> URL:
    """Turn a server code (``0002``, ``wv0002``), a host or a full base URL into the base URL.

    Raises ``ValueError`` for anything else. A path to the API itself is cut back to the base.
    """
    text = raw.strip()
    if match := _CODE.match(text):
        return URL(f"https://wv{match.group(1)}.wolkvox.com")
    if "://" not in text:
        text = f"https://{text}"
    url = URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("not a server code or an http(s) URL with a host")
    path = url.path.rstrip("/")
    cut = path.lower().find("/api/v2")
    if cut >= 0:
        path = path[:cut]
    return url.with_path(path or "/").with_query(None).with_fragment(None)


def server_code(url: URL) -> str | None:
    """Return the server code of a ``wvNNNN.wolkvox.com`` URL, else ``None``."""
    match = _HOST.match(url.host or "")
    return match.group(1) if match else None


def server_label(url: URL) -> str:
    """Return how the server is named in titles: its code, or its host (and port)."""
    code = server_code(url)
    if code is not None:
        return code
    host = (url.host or "").lower()
    return host if url.is_default_port() else f"{host}:{url.port}"


def settings_identity(settings: WolkvoxSettings, queue_ids: Iterable[str]) -> AccountIdentity:
    """Return the identity of a wolkvox entry: its server and the skills it was made for.

    No answer names the operation (``token_info`` holds only the quota) and the token is a secret
    that gets replaced, so the server and the skills chosen at creation are what is left; the
    skills' devices add nothing to the settings.
    """
    base = server_url(settings.server)
    skills = sorted(set(parse_skill_ids(settings.skill_ids)), key=int)
    label = server_label(base)
    return AccountIdentity(
        unique_id=f"wolkvox_{label}_{'-'.join(skills)}",
        title=f"wolkvox {label}",
        names_account=False,
        server=label,
    )


def parse_skill_ids(raw: str) -> tuple[str, ...]:
    """Read comma-separated skill numbers (spaces and semicolons allowed), without repeats.

    Raises ``ValueError`` when one is not a number or none is given.
    """
    parts = [part.strip() for part in re.split(r"[,;\s]+", raw) if part.strip()]
    if not parts or not all(_SKILL.match(part) for part in parts):
        raise ValueError("skill ids must be numbers separated by commas")
    return tuple(dict.fromkeys(parts))


class QuotaExhaustedError(ContactCenterRateLimitError):
    """The token's daily quota is used up (``TOKEN LIMIT EXCEEDED``)."""


class _InvalidSkillError(ContactCenterResponseError):
    """The server does not know the skill (``SOME PARAMETERS ARE REQUIRED`` or no data)."""


def _message(body: bytes) -> str:
    """Return the vendor's message in capitals, from the envelope or the plain body."""
    text = body[:4096].decode("utf-8", "replace")
    try:
        data = load_json(body, "")
    except ContactCenterResponseError:
        return text.upper()
    if isinstance(data, dict):
        parts = [to_text(data.get(key)) for key in ("error", "msg", "message")]
        return " ".join(part for part in parts if part).upper() or text.upper()
    return text.upper()


def classify(status: int, body: bytes, where: str) -> None:
    """Raise the error a wolkvox answer stands for; return for a successful one.

    The vendor tells its errors apart by message (all 403s look alike), so the message decides;
    the status decides what is left. No text of the body goes into an error.
    """
    if status == 200:
        return
    message = _message(body)
    if "TOKEN LIMIT EXCEEDED" in message:
        raise QuotaExhaustedError(
            f"{where}: the token's daily quota is used up", QUOTA_RETRY.total_seconds()
        )
    if "SIMULTANEOUS" in message:
        raise ContactCenterRateLimitError(
            f"{where}: too many requests at once for this token", SIMULTANEOUS_RETRY
        )
    if "VALIDATE TOKEN" in message or "ENTER THE WOLKVOX-TOKEN" in message or status == 401:
        raise ContactCenterAuthError(f"{where} refused the token (HTTP {status})")
    if "SOME PARAMETERS ARE REQUIRED" in message:
        raise _InvalidSkillError(f"{where} does not know this skill")
    if "DOES NOT EXIST" in message:
        raise ContactCenterResponseError(f"{where} does not offer this report")
    if status == 403:
        # During maintenance the APIs answer 403 with some other text.
        raise ContactCenterConnectionError(f"{where} is unavailable (maintenance, HTTP 403)")
    if status >= 500:
        raise ContactCenterServerError(f"{where} answered HTTP {status}")
    if status:
        raise ContactCenterResponseError(f"{where} answered HTTP {status}")
    raise ContactCenterResponseError(f"{where} reported an error")


def _envelope(response: RawResponse, where: str) -> list[dict[str, Any]]:
    """Check a 200 answer's envelope and return its ``data`` records.

    The envelope is the document's ``{code, error, msg, data}``; an answer without ``code`` and
    ``data`` is not a wolkvox answer (a proxy's, a maintenance page's), whatever else it holds.
    """
    data = load_json(response.body, where)
    if not isinstance(data, dict):
        raise ContactCenterResponseError(f"{where} sent an answer of an unexpected shape")
    code = read_int(data.get("code"), where, "a status code")
    if code is not None and code != 200:
        # Some answers carry the error in the envelope of an HTTP 200.
        classify(code, response.body, where)
    if code is None or "data" not in data:
        raise ContactCenterResponseError(f"{where} sent an answer without the wolkvox envelope")
    if not is_empty(data.get("error")):
        classify(0, response.body, where)
    records = data["data"]
    if type(records) is dict:
        records = [records]
    return read_records(records, where, "data")


def parse_skill(
    skill_id: str, records: Iterable[dict[str, Any]], where: str = "wolkvox"
) -> Queue | None:
    """Return the queue of one skill from the ``data`` records; ``None`` when it has none.

    The one record must name the skill asked for: another skill's figures are an error, never
    shown as this skill's.
    """
    items = list(records)
    if not items:
        return None
    if len(items) > 1:
        raise ContactCenterResponseError(f"{where} sent more than one record for a skill")
    record = items[0]
    reported = read_text(record.get("skill_id"), where, "a skill id")
    if reported is None or not _SKILL.match(reported) or int(reported) != int(skill_id):
        raise ContactCenterResponseError(f"{where} sent a record for another skill")
    extras = {
        SERVICE_LEVEL_10: read_percent(record.get("service_level_10seg"), where, "a service level"),
        SERVICE_LEVEL_30: read_percent(record.get("service_level_30seg"), where, "a service level"),
    }
    return Queue(
        id=skill_id,
        name=read_text(record.get("skill_name"), where, "a skill name") or skill_id,
        waiting=read_int(record.get("calls_in_queue_now"), where, "calls in queue"),
        offered=read_int(record.get("stat_inbound"), where, "a call count"),
        answered=read_int(record.get("stat_answer"), where, "a call count"),
        abandoned=read_int(record.get("stat_abandon"), where, "a call count"),
        service_level=read_percent(record.get("service_level_20seg"), where, "a service level"),
        abandoned_pct=read_percent(record.get("by_abandon"), where, "an abandon rate"),
        extras={key: value for key, value in extras.items() if value is not None},
    )


class WolkvoxClient(ContactCenterClient[WolkvoxSettings]):
    """Client for one wolkvox token and a list of skills."""

    vendor: ClassVar[str] = "wolkvox"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prepare the URLs and find the token's governor; no I/O happens here."""
        super().__init__(*args, **kwargs)
        self._base = server_url(self.settings.server)
        self._where = server_label(self._base)
        root = self._base.path.rstrip("/")
        self._real_time_url = self._base.with_path(root + REAL_TIME_PATH)
        self._information_url = self._base.with_path(root + INFORMATION_PATH)
        self.skill_ids = parse_skill_ids(self.settings.skill_ids)
        self._headers = {TOKEN_HEADER: self.settings.token}
        if (code := server_code(self._base)) is not None:
            self._headers[SERVER_HEADER] = code
        self._share = min(max(self.settings.quota_share, 1), 100) / 100
        self.governor: RequestGovernor = self.shared.governors.governor_for(self.settings.token)
        self.invalid_skills: tuple[str, ...] = ()

    @property
    def capabilities(self) -> Capabilities:
        """Skill figures per skill; the calls in queue of all skills on the account."""
        return Capabilities(
            totals=frozenset({"waiting"}),
            queue=frozenset(
                {"waiting", "offered", "answered", "abandoned", "service_level", "abandoned_pct"}
            ),
            totals_extras=(
                ExtraFigure(key=QUOTA_USED, kind=ExtraKind.TOTAL, unit="uses", diagnostic=True),
                ExtraFigure(key=QUOTA_LIMIT, kind=ExtraKind.COUNT, unit="uses", diagnostic=True),
                ExtraFigure(key=POLL_INTERVAL, kind=ExtraKind.DURATION, diagnostic=True),
            ),
            queue_extras=(
                ExtraFigure(key=SERVICE_LEVEL_10, kind=ExtraKind.PERCENT),
                ExtraFigure(key=SERVICE_LEVEL_30, kind=ExtraKind.PERCENT),
            ),
        )

    async def async_identify(self) -> AccountIdentity:
        """Read the token's quota once: an answer proves the server and the token."""
        await self._read_quota()
        return settings_identity(self.settings, ())

    async def async_close(self) -> None:
        """Stop counting this client's polls in the token's budget."""
        self.governor.detach(self)

    def poll_interval(self) -> float | None:
        """Return the interval that keeps every client of the token within its share."""
        return self.governor.interval(self.user_interval)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Report a used-up quota and each skill the server does not know."""
        problems: list[Problem] = []
        if self.governor.paused_until is not None:
            problems.append(Problem(key=QUOTA_EXHAUSTED))
        problems.extend(
            Problem(key=INVALID_SKILL, subject=skill, placeholders=(("skill", skill),))
            for skill in self.invalid_skills
        )
        return tuple(problems)

    async def async_get_snapshot(self) -> Snapshot:
        """Read each skill in turn through the governor, then the quota when it is due."""
        governor = self.governor
        governor.attach(self, len(self.skill_ids), self._share)
        now = self._clock()
        if governor.is_paused(now):
            raise QuotaExhaustedError(
                f"{self._where}: the token's daily quota is used up; polling paused",
                QUOTA_RETRY.total_seconds(),
            )
        if governor.quota_due(now):
            await self._read_quota()
        queues: dict[str, Queue] = {}
        invalid: list[str] = []
        for skill_id in self.skill_ids:
            queue = await self._read_skill(skill_id)
            if queue is None:
                invalid.append(skill_id)
            else:
                queues[skill_id] = queue
        governor.resume()
        self.invalid_skills = tuple(invalid)
        waiting = [queue.waiting for queue in queues.values() if queue.waiting is not None]
        totals = Figures(
            waiting=sum(waiting) if waiting else None,
            extras={
                key: value
                for key, value in (
                    (QUOTA_USED, governor.used_today),
                    (QUOTA_LIMIT, governor.quota.limit if governor.quota else None),
                    (POLL_INTERVAL, self.poll_interval()),
                )
                if value is not None
            },
        )
        return Snapshot(totals=totals, queues=queues)

    async def _get(self, url: URL, params: dict[str, str]) -> list[dict[str, Any]]:
        """Send one GET through the governor and return the envelope's records."""

        async def request() -> RawResponse:
            return await self._request("GET", url, params=params, headers=self._headers)

        response = await self.governor.run(request)
        try:
            classify(response.status, response.body, self._where)
            return _envelope(response, self._where)
        except QuotaExhaustedError:
            self.governor.pause(self._clock())
            raise

    async def _read_quota(self) -> None:
        records = await self._get(self._information_url, {"api": "token_info"})
        if len(records) > 1:
            raise ContactCenterResponseError(f"{self._where} sent more than one token record")
        record = records[0] if records else {}
        limit = read_int(record.get("token_limit"), self._where, "a token limit")
        used = read_int(record.get("token_use_today"), self._where, "a token use count")
        if limit is None:
            raise ContactCenterResponseError(
                f"{self._where} sent token information without a limit"
            )
        self.governor.set_quota(limit, used or 0, self._clock())

    async def _read_skill(self, skill_id: str) -> Queue | None:
        try:
            records = await self._get(self._real_time_url, {"api": "skills", "skill_id": skill_id})
        except _InvalidSkillError:
            return None
        return parse_skill(skill_id, records, self._where)


VENDOR = Vendor(
    key="wolkvox",
    name="wolkvox",
    client_class=WolkvoxClient,
    settings_class=WolkvoxSettings,
    queue_model="Skill",
    agent_model="Agent",
    position=2,
    # Its generic service level is the one at 20 seconds, beside extras at 10 and 30.
    figure_names={
        "totals.service_level": "service_level_20s",
        "queue.service_level": "service_level_20s",
    },
    # The vendor's own guidance: one consumption every five minutes.
    default_scan_interval=300,
    settings_identity=settings_identity,
)
