"""ClairVista Live Expert Enterprise: OAuth client credentials, ExpertAvailability, data export.

A token comes from ``POST /liveexpert/oauth/authorize`` (form-encoded client credentials) and is
sent as ``Authorization: <token_type> <access_token>``. It is cached, renewed shortly before
``expires_in`` runs out, and renewed once more when a request answers 401. Its ``scope``
(``;``-separated) says what the account may use: ``expertAvailabilityCheck`` for the figures,
``dataExport`` for the nightly ZIP files.

ExpertAvailability answers one target per request (an expert, or a category and language), so a
poll asks for every configured target, a few at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import io
import re
from typing import Any, ClassVar, NamedTuple
import zipfile

from yarl import URL

from .client import ContactCenterClient, RawResponse, Vendor, base_url, host_id
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterMissingScopeError,
    ContactCenterResponseError,
)
from .models import (
    AccountIdentity,
    Agent,
    AgentStatus,
    Capabilities,
    ExtraFigure,
    ExtraKind,
    ExtraValue,
    Figures,
    Queue,
    Snapshot,
)
from .parsing import load_json, to_int, to_text

DEFAULT_URL = "https://liveexpert.net"
TOKEN_PATH = "/liveexpert/oauth/authorize"  # noqa: S105 - a path, not a secret
AVAILABILITY_PATH = "/liveexpert/enterprise/ExpertAvailability"
LIST_FILES_PATH = "/dataexport/listFiles"
GET_FILE_PATH = "/liveexpert/enterprise/getFile"

SCOPE_AVAILABILITY = "expertAvailabilityCheck"
SCOPE_EXPORT = "dataExport"

MAX_CONCURRENT_REQUESTS = 4
"""Targets asked at once; enough for a few dozen targets per poll without a burst."""
RENEW_BEFORE_SECONDS = 60.0
"""A token is renewed this long before it expires (at most half its lifetime before)."""
DEFAULT_EXPIRES_IN = 3600
"""Assumed lifetime when the server does not say."""
EXPORT_MAX_BYTES = 256 * 1024 * 1024
"""A day's export of a large center is tens of MiB; more than this is refused."""
EXPORT_TIMEOUT_FACTOR = 12
"""A download may take this many times the client's request timeout."""
MAX_MESSAGE_LENGTH = 200

LATEST_EXPORT = ExtraFigure(key="latest_export", kind=ExtraKind.DATE)
"""The day of the account's newest nightly export, from the slow poll."""

_ID = re.compile(r"^[\w.@+-]+$")
_EXPORT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_PATH_SUFFIX = re.compile(r"/(liveexpert|dataexport)(/.*)?$", re.IGNORECASE)


class Target(NamedTuple):
    """One thing ExpertAvailability is asked about: an expert, or a category in a language."""

    expert_id: str | None = None
    category_id: str | None = None
    language_id: str | None = None

    @property
    def key(self) -> str:
        """Return the queue or agent id of this target."""
        if self.expert_id is not None:
            return self.expert_id
        return f"{self.category_id}:{self.language_id}"

    @property
    def params(self) -> dict[str, str]:
        """Return the URL parameters that ask for this target."""
        if self.expert_id is not None:
            return {"expertID": self.expert_id}
        return {"categoryID": str(self.category_id), "languageID": str(self.language_id)}


def parse_expert_ids(text: str) -> tuple[str, ...]:
    """Read comma-separated expert ids; raises ``ValueError`` for one that cannot be an id."""
    ids: list[str] = []
    for part in text.split(","):
        item = part.strip()
        if not item:
            continue
        if not _ID.match(item):
            raise ValueError(f"not an expert id: {item!r}")
        if item not in ids:
            ids.append(item)
    return tuple(ids)


def parse_category_languages(text: str) -> tuple[tuple[str, str], ...]:
    """Read comma-separated ``categoryID:languageID`` pairs; ``ValueError`` for a malformed one."""
    pairs: list[tuple[str, str]] = []
    for part in text.split(","):
        item = part.strip()
        if not item:
            continue
        category, sep, language = (piece.strip() for piece in item.partition(":"))
        if not sep or not _ID.match(category) or not _ID.match(language):
            raise ValueError(f"not a categoryID:languageID pair: {item!r}")
        if (category, language) not in pairs:
            pairs.append((category, language))
    return tuple(pairs)


def normalize_url(raw: str) -> URL:
    """Return the server's base URL from what a user pastes (an API address is accepted too)."""
    url = base_url(raw, AVAILABILITY_PATH)
    path = _PATH_SUFFIX.sub("", url.path.rstrip("/"))
    return url.with_path(path or "/")


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveExpertSettings:
    """What the user enters; field names are the config entry keys."""

    url: str = DEFAULT_URL
    client_id: str
    client_secret: str = field(repr=False)
    expert_ids: str = ""
    """Comma-separated expert ids."""
    category_languages: str = ""
    """Comma-separated ``categoryID:languageID`` pairs."""


@dataclass(frozen=True, slots=True)
class _Token:
    header: str = field(repr=False)
    scopes: frozenset[str]
    renew_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportTable:
    """One CSV file of an export: its columns as the file names them, and its data rows."""

    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportFile:
    """A downloaded export: the file name the server gave, and the ZIP's bytes."""

    day: date
    filename: str
    content: bytes = field(repr=False)


class LiveExpertClient(ContactCenterClient[LiveExpertSettings]):
    """Client for one Live Expert Enterprise and OAuth client."""

    vendor: ClassVar[str] = "live_expert"
    slow_interval: ClassVar[float] = 3600.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Read the targets from the settings; no I/O happens here."""
        super().__init__(*args, **kwargs)
        self._base = normalize_url(self.settings.url)
        self._host = host_id(self._base)
        self.experts = parse_expert_ids(self.settings.expert_ids)
        self.categories = parse_category_languages(self.settings.category_languages)
        self.targets: tuple[Target, ...] = (
            *(Target(category_id=c, language_id=lang) for c, lang in self.categories),
            *(Target(expert_id=expert) for expert in self.experts),
        )
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()
        self._scopes: frozenset[str] | None = None

    def _url(self, path: str) -> URL:
        return self._base.with_path(self._base.path.rstrip("/") + path)

    # --- what is offered ----------------------------------------------------------------

    @property
    def scopes(self) -> frozenset[str] | None:
        """Return the scopes of the last token, or ``None`` before the first one."""
        return self._scopes

    @property
    def supports_export(self) -> bool:
        """Say whether the account's token allows the data export."""
        return self._scopes is not None and SCOPE_EXPORT in self._scopes

    @property
    def capabilities(self) -> Capabilities:
        """Queues for category targets, agents for expert targets, the export with its scope."""
        queue = (
            frozenset({"waiting", "agents_logged_in", "agents_available", "agents_busy"})
            if self.categories
            else frozenset()
        )
        return Capabilities(
            totals=frozenset({"waiting"}) if self.categories else frozenset(),
            queue=queue,
            agent=frozenset({"status"}) if self.experts else frozenset(),
            queue_ids=frozenset(f"{c}:{lang}" for c, lang in self.categories),
            agent_ids=frozenset(self.experts),
            slow_totals_extras=(LATEST_EXPORT,) if self.supports_export else (),
        )

    # --- the contract -------------------------------------------------------------------

    async def async_identify(self) -> AccountIdentity:
        """Get a token, insist on the availability scope and ask for every target once."""
        token = await self._async_token()
        if SCOPE_AVAILABILITY not in token.scopes:
            raise ContactCenterMissingScopeError(
                f"The client of {self._host} lacks the scope {SCOPE_AVAILABILITY}"
            )
        await self._async_poll(strict=True)
        return AccountIdentity(
            unique_id=f"{self.settings.client_id}@{self._host}",
            title=f"Live Expert {self.settings.client_id}",
        )

    async def async_get_snapshot(self) -> Snapshot:
        """Ask ExpertAvailability about every target and normalize the answers."""
        return await self._async_poll(strict=False)

    async def async_get_slow_extras(self) -> Mapping[str, ExtraValue]:
        """Return the day of the newest export (``None`` when none is listed)."""
        days = await self.async_list_exports()
        return {LATEST_EXPORT.key: max(days, default=None)}

    # --- availability -------------------------------------------------------------------

    async def _async_poll(self, *, strict: bool) -> Snapshot:
        semaphore = asyncio.Semaphore(MAX_CONCURRENT_REQUESTS)

        async def ask(target: Target) -> dict[str, Any]:
            async with semaphore:
                return await self._async_availability(target)

        results = await asyncio.gather(*map(ask, self.targets), return_exceptions=True)
        answers: dict[Target, dict[str, Any]] = {}
        refused: list[ContactCenterError] = []
        for target, result in zip(self.targets, results, strict=True):
            if isinstance(result, _TargetError):
                refused.append(result)
            elif isinstance(result, BaseException):
                raise _most_severe([r for r in results if isinstance(r, BaseException)]) from None
            else:
                answers[target] = result
        if refused and (strict or not answers):
            raise ContactCenterResponseError(str(refused[0]))
        return self.parse(answers)

    async def _async_availability(self, target: Target) -> dict[str, Any]:
        response = await self._async_authorized("GET", AVAILABILITY_PATH, params=target.params)
        where = f"{self._host} ({target.key})"
        if response.status != 200:
            self._raise_vendor_error(response, _maybe_json(response), where, target_error=True)
        data = load_json(response.body, self._host)
        if _is_error(data):
            self._raise_vendor_error(response, data, where, target_error=True)
        item = _result_for(data, target)
        if item is None:
            raise _TargetError(f"{where} answered without a result")
        return item

    def parse(self, answers: Mapping[Target, Mapping[str, Any]]) -> Snapshot:
        """Normalize one result object per target into a snapshot."""
        queues: dict[str, Queue] = {}
        agents: dict[str, Agent] = {}
        for target, item in answers.items():
            logged_in = to_int(item.get("loggedInExperts"))
            active = to_int(item.get("activeExperts"))
            available = to_int(item.get("availableExperts"))
            if target.expert_id is not None:
                agents[target.key] = Agent(
                    id=target.key,
                    name=f"Expert {target.key}",
                    status=derive_status(logged_in, active, available),
                )
            else:
                queues[target.key] = Queue(
                    id=target.key,
                    name=f"Category {target.category_id}, language {target.language_id}",
                    waiting=to_int(item.get("queueLength")),
                    agents_logged_in=logged_in,
                    agents_available=available,
                    agents_busy=active,
                )
        totals = Figures()
        if self.categories:
            waiting = [q.waiting for q in queues.values() if q.waiting is not None]
            # Experts may serve several categories, so only the customers add up.
            totals = Figures(waiting=sum(waiting) if waiting else None)
        return Snapshot(totals=totals, queues=queues, agents=agents)

    # --- data export --------------------------------------------------------------------

    async def async_list_exports(self) -> list[date]:
        """Return the days that have an export file, oldest first."""
        response = await self._async_authorized("GET", LIST_FILES_PATH)
        if response.status != 200:
            self._raise_vendor_error(response, _maybe_json(response), self._host)
        data = _maybe_json(response)
        if _is_error(data):
            self._raise_vendor_error(response, data, self._host)
        try:
            text = response.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ContactCenterResponseError(f"{self._host} sent an unreadable file list") from None
        if text.lstrip().startswith("<"):
            raise ContactCenterResponseError(f"{self._host} sent a page instead of a file list")
        days: set[date] = set()
        for line in text.splitlines():
            match = _EXPORT_NAME.search(line)
            if match is None:
                continue
            try:
                days.add(date.fromisoformat(match.group(1)))
            except ValueError:
                continue
        return sorted(days)

    async def async_download_export(self, day: date) -> ExportFile | None:
        """Fetch one day's ZIP; ``None`` when the day has nothing (HTTP 204)."""
        response = await self._async_authorized(
            "GET",
            GET_FILE_PATH,
            params={"date": day.isoformat()},
            max_body_bytes=EXPORT_MAX_BYTES,
            request_timeout=(self._timeout.total or 10.0) * EXPORT_TIMEOUT_FACTOR,
        )
        if response.status == 204:
            return None
        if response.status != 200:
            self._raise_vendor_error(response, _maybe_json(response), self._host)
        if not response.body.startswith(b"PK"):
            data = _maybe_json(response)
            if _is_error(data):
                self._raise_vendor_error(response, data, self._host)
            raise ContactCenterResponseError(f"{self._host} sent something else than a ZIP file")
        return ExportFile(day=day, filename=f"summary.{day.isoformat()}.zip", content=response.body)

    # --- tokens and requests ------------------------------------------------------------

    async def _async_authorized(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        max_body_bytes: int | None = None,
        request_timeout: float | None = None,
    ) -> RawResponse:
        """Send a request with the token; on 401 renew the token once and try again."""
        token = await self._async_token()
        for attempt in range(2):
            response = await self._request(
                method,
                self._url(path),
                params=params,
                headers={"Authorization": token.header},
                max_body_bytes=max_body_bytes,
                request_timeout=request_timeout,
            )
            if response.status != 401 or attempt:
                return response
            token = await self._async_token(stale=token)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _async_token(self, stale: _Token | None = None) -> _Token:
        """Return a valid token: the cached one, or a new one when it is due or was refused."""
        async with self._token_lock:
            token = self._token
            if token is not None and token is not stale and self._clock() < token.renew_at:
                return token
            self._token = None
            token = await self._async_request_token()
            self._token = token
            self._scopes = token.scopes
            return token

    async def _async_request_token(self) -> _Token:
        response = await self._request(
            "POST",
            self._url(TOKEN_PATH),
            data={
                "grant_type": "client_credentials",
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret,
            },
        )
        data = _maybe_json(response)
        if response.status != 200 or not isinstance(data, dict) or "access_token" not in data:
            message = self._vendor_message(data)
            where = f"{self._host} token endpoint"
            if response.status in (400, 401, 403) and isinstance(data, dict):
                raise ContactCenterAuthError(f"{where} refused the client credentials{message}")
            self.raise_for_status(response, where)
            if not response.body.strip():
                raise ContactCenterResponseError(f"{where} sent an empty answer")
            load_json(response.body, where)  # says what came instead of JSON
            raise ContactCenterResponseError(f"{where} sent an answer without a token{message}")
        access = to_text(data.get("access_token"))
        if access is None:
            raise ContactCenterResponseError(f"{self._host} sent an empty token")
        token_type = to_text(data.get("token_type")) or "LEAccess"
        expires_in = to_int(data.get("expires_in"))
        lifetime = float(DEFAULT_EXPIRES_IN if expires_in is None else expires_in)
        margin = min(RENEW_BEFORE_SECONDS, lifetime / 2)
        scopes = frozenset(
            part.strip() for part in (to_text(data.get("scope")) or "").split(";") if part.strip()
        )
        return _Token(
            header=f"{token_type} {access}",
            scopes=scopes,
            renew_at=self._clock() + timedelta(seconds=lifetime - margin),
        )

    # --- errors -------------------------------------------------------------------------

    def _vendor_message(self, data: Any) -> str:
        """Return ``": <the vendor's words>"`` with secrets blanked, or ``""``."""
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, dict):
            return ""
        message = (
            to_text(data.get("errorMessage"))
            or to_text(data.get("error_description"))
            or to_text(data.get("error"))
        )
        if message is None:
            return ""
        for secret in (self.settings.client_secret, self._token.header if self._token else ""):
            for part in secret.split():
                if len(part) >= 4:
                    message = message.replace(part, "***")
        if len(message) > MAX_MESSAGE_LENGTH:
            message = message[:MAX_MESSAGE_LENGTH] + "..."
        return f": {message}"

    def _raise_vendor_error(
        self, response: RawResponse, data: Any, where: str, *, target_error: bool = False
    ) -> None:
        message = self._vendor_message(data)
        if response.status in (401, 403):
            if response.status == 403 and message:
                raise ContactCenterMissingScopeError(f"{where} refused the request{message}")
            raise ContactCenterAuthError(
                f"{where} refused the token (HTTP {response.status}){message}"
            )
        if response.status >= 500 or response.status == 429:
            raise ContactCenterConnectionError(f"{where} answered HTTP {response.status}{message}")
        if target_error and message:
            raise _TargetError(f"{where} reported an error{message}")
        if message:
            raise ContactCenterResponseError(f"{where} reported an error{message}")
        self.raise_for_status(response, where)
        raise ContactCenterResponseError(f"{where} sent an answer of an unexpected shape")


class _TargetError(ContactCenterResponseError):
    """One target was refused (unknown expert, say); the other targets still count."""


def derive_status(
    logged_in: int | None, active: int | None, available: int | None
) -> AgentStatus | None:
    """Turn an expert's three counters (each 0 or 1) into a status."""
    if available:
        return AgentStatus.AVAILABLE
    if active:
        return AgentStatus.BUSY
    if logged_in == 0:
        return AgentStatus.OFFLINE
    if logged_in is None:
        return None
    return AgentStatus.AWAY


def summarize_export(content: bytes) -> dict[str, ExportTable]:
    """Read every CSV of an export ZIP: its header and number of data rows.

    Column names are not published and may change, so they are read from each file's first line.
    Raises ``ContactCenterResponseError`` when the bytes are not a readable ZIP.
    """
    tables: dict[str, ExportTable] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                if info.is_dir() or not info.filename.lower().endswith(".csv"):
                    continue
                with archive.open(info) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
                    reader = csv.reader(text)
                    header = next(reader, [])
                    rows = sum(1 for row in reader if any(cell.strip() for cell in row))
                tables[info.filename] = ExportTable(
                    columns=tuple(column.strip() for column in header), rows=rows
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, csv.Error) as err:
        raise ContactCenterResponseError(f"The export is not a readable ZIP ({err})") from None
    return tables


def _most_severe(errors: list[BaseException]) -> BaseException:
    for kind in (ContactCenterAuthError, ContactCenterConnectionError, ContactCenterError):
        for error in errors:
            if isinstance(error, kind) and not isinstance(error, _TargetError):
                return error
    return errors[0]


def _maybe_json(response: RawResponse) -> Any:
    body = response.body.strip()
    if not body.startswith((b"{", b"[")):
        return None
    try:
        return load_json(body, "server")
    except ContactCenterResponseError:
        return None


def _is_error(data: Any) -> bool:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    return isinstance(data, dict) and (
        data.get("success") in (False, "false") or "errorMessage" in data
    )


def _result_for(data: Any, target: Target) -> dict[str, Any] | None:
    """Pick the result of ``target`` from an array (or a lone object) of results."""
    candidates = data if isinstance(data, list) else [data]
    items = [item for item in candidates if isinstance(item, dict)]
    for item in items:
        if target.expert_id is not None:
            if to_text(item.get("expertID")) == target.expert_id:
                return item
        elif (to_text(item.get("categoryID")), to_text(item.get("languageID"))) == (
            target.category_id,
            target.language_id,
        ):
            return item
    # A server that leaves the ids out (null) still answers about what was asked.
    return items[0] if len(items) == 1 else None


VENDOR = Vendor(
    key="live_expert",
    name="Live Expert",
    client_class=LiveExpertClient,
    settings_class=LiveExpertSettings,
    queue_model="Category and language",
    agent_model="Expert",
    position=4,
)
