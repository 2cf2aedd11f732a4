"""ClairVista Live Expert Enterprise: OAuth client credentials, ExpertAvailability, data export.

A token comes from ``POST /liveexpert/oauth/authorize`` (form-encoded client credentials) and is
sent as ``Authorization: <token_type> <access_token>``. It is cached, renewed shortly before
``expires_in`` runs out, and renewed once more when a request answers 401. Its ``scope``
(``;``-separated) says what the account may use: ``expertAvailabilityCheck`` for the figures,
``dataExport`` for the nightly ZIP files.

ExpertAvailability answers one target per request (an expert, or a category and language), so a
poll asks for every configured target, a few at a time. Each target is a whole part of the answer:
one whose answer is an error, a result for another target or a figure that cannot be read is
reported unavailable (``Snapshot.unavailable_*``), while its siblings keep their figures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import io
import lzma
import re
import struct
import time
from typing import IO, Any, ClassVar, NamedTuple
import zipfile
import zlib

from yarl import URL

from .client import (
    ContactCenterClient,
    RawResponse,
    Vendor,
    base_url,
    host_id,
    token_lifetime,
)
from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterError,
    ContactCenterMissingScopeError,
    ContactCenterResponseError,
    ContactCenterServerError,
    ContactCenterTargetError,
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
from .parsing import load_json, read_int, to_text

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
EXPORT_MAX_CSV_BYTES = 64 * 1024 * 1024
"""Decompressed bytes ``summarize_export`` reads at most, over all files: a ZIP that expands
beyond this (a 0.3 MiB ZIP can hold 200 MiB of CSV) is refused instead of read for seconds."""
EXPORT_MAX_SECONDS = 10.0
"""Seconds ``summarize_export`` may take; it runs in Home Assistant's executor."""
EXPORT_MAX_FILES = 1000
_EXPORT_READ = 64 * 1024
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
        refused: dict[Target, _TargetError] = {}
        for target, result in zip(self.targets, results, strict=True):
            if isinstance(result, _TargetError):
                refused[target] = result
            elif isinstance(result, BaseException):
                raise _most_severe([r for r in results if isinstance(r, BaseException)]) from None
            else:
                answers[target] = result
        if refused and (strict or not answers):
            target, error = next(iter(refused.items()))
            raise ContactCenterTargetError(
                str(error),
                field="expert_ids" if target.expert_id is not None else "category_languages",
                target=target.key,
            )
        snapshot = self.parse(answers, refused)
        unavailable = {**snapshot.unavailable_queues, **snapshot.unavailable_agents}
        if unavailable and (strict or len(unavailable) == len(self.targets)):
            # The form wants every target right; a poll with nothing readable is a failed poll.
            raise ContactCenterResponseError(next(iter(unavailable.values())))
        return snapshot

    async def _async_availability(self, target: Target) -> dict[str, Any]:
        response = await self._async_authorized("GET", AVAILABILITY_PATH, params=target.params)
        where = f"{self._host} ({target.key})"
        if response.status != 200:
            self._raise_vendor_error(response, _maybe_json(response), where, target_error=True)
        try:
            data = load_json(response.body, where)
        except ContactCenterResponseError as err:
            raise _TargetError(str(err)) from None
        if _is_error(data):
            self._raise_vendor_error(response, data, where, target_error=True)
        return _result_for(data, target, where)

    def parse(
        self,
        answers: Mapping[Target, Mapping[str, Any]],
        refused: Mapping[Target, ContactCenterError] | None = None,
    ) -> Snapshot:
        """Normalize one result object per target into a snapshot.

        A target in ``refused``, or whose result cannot be read, is listed as unavailable.
        """
        queues: dict[str, Queue] = {}
        agents: dict[str, Agent] = {}
        unavailable: dict[Target, str] = {
            target: str(err) for target, err in (refused or {}).items()
        }
        for target, item in answers.items():
            try:
                read = _read_result(target, item, f"{self._host} ({target.key})")
            except ContactCenterResponseError as err:
                unavailable[target] = str(err)
                continue
            if isinstance(read, Agent):
                agents[target.key] = read
            else:
                queues[target.key] = read
        totals = Figures()
        if self.categories:
            # Experts may serve several categories, so only the customers add up; a total with
            # a target missing would be too low, so it is unknown then.
            waiting = [
                queues[f"{c}:{lang}"].waiting if f"{c}:{lang}" in queues else None
                for c, lang in self.categories
            ]
            totals = Figures(
                waiting=None if None in waiting else sum(n for n in waiting if n is not None)
            )
        return Snapshot(
            totals=totals,
            queues=queues,
            agents=agents,
            unavailable_queues={
                t.key: why for t, why in unavailable.items() if t.expert_id is None
            },
            unavailable_agents={
                t.key: why for t, why in unavailable.items() if t.expert_id is not None
            },
        )

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
        lifetime = token_lifetime(data.get("expires_in"), self._host, DEFAULT_EXPIRES_IN)
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
        message = self.redact(message)
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
            raise ContactCenterServerError(f"{where} answered HTTP {response.status}{message}")
        if target_error and message:
            raise _TargetError(f"{where} reported an error{message}")
        if target_error and response.status == 200:
            raise _TargetError(f"{where} sent an answer of an unexpected shape")
        if message:
            raise ContactCenterResponseError(f"{where} reported an error{message}")
        self.raise_for_status(response, where)
        raise ContactCenterResponseError(f"{where} sent an answer of an unexpected shape")

    def held_secrets(self) -> list[str]:
        """Return the current token, which a vendor's error text may echo."""
        return [self._token.header] if self._token is not None else []


class _TargetError(ContactCenterResponseError):
    """One target was refused (unknown expert, say); the other targets still count."""


def derive_status(
    logged_in: int | None, active: int | None, available: int | None
) -> AgentStatus | None:
    """Turn an expert's three counters (each 0 or 1) into a status.

    Away (logged in, neither available nor active) needs all three: a missing counter is no
    evidence that the expert is not available.
    """
    if available:
        return AgentStatus.AVAILABLE
    if active:
        return AgentStatus.BUSY
    if logged_in == 0:
        return AgentStatus.OFFLINE
    if logged_in is None or active is None or available is None:
        return None
    return AgentStatus.AWAY


_COUNTERS = ("loggedInExperts", "activeExperts", "availableExperts")


def _read_result(target: Target, item: Mapping[str, Any], where: str) -> Queue | Agent:
    """Read one target's figures; a value that is there but not a count is a response error.

    An absent or null figure is unknown (``None``); for an expert each counter is 0 or 1.
    """
    if not item.keys() & {*_COUNTERS, "queueLength"}:
        raise ContactCenterResponseError(f"{where} sent a result without figures")
    if target.expert_id is not None:
        counts = [read_int(item.get(name), where, name) for name in _COUNTERS]
        if any(count is not None and count > 1 for count in counts):
            raise ContactCenterResponseError(f"{where} sent a counter above 1 for one expert")
        logged_in, active, available = counts
        return Agent(
            id=target.key,
            name=f"Expert {target.key}",
            status=derive_status(logged_in, active, available),
        )
    logged_in, active, available = (read_int(item.get(name), where, name) for name in _COUNTERS)
    return Queue(
        id=target.key,
        name=f"Category {target.category_id}, language {target.language_id}",
        waiting=read_int(item.get("queueLength"), where, "queueLength"),
        agents_logged_in=logged_in,
        agents_available=available,
        agents_busy=active,
    )


class _ExportTooLargeError(Exception):
    """The archive expands beyond ``EXPORT_MAX_CSV_BYTES`` or takes too long to read."""


class _BoundedReader(io.RawIOBase):
    """Reads a ZIP member, counting every decompressed byte against one budget for the archive."""

    def __init__(self, member: IO[bytes], budget: list[int], deadline: float) -> None:
        self._member = member
        self._budget = budget
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._member.read(min(len(view), _EXPORT_READ))
        self._budget[0] -= len(data)
        if self._budget[0] < 0 or time.monotonic() > self._deadline:
            raise _ExportTooLargeError
        view[: len(data)] = data
        return len(data)


# What the standard library raises on a damaged archive: an encrypted or unknown-method member
# (RuntimeError, NotImplementedError), a bad deflate, LZMA or bzip2 stream (zlib.error,
# LZMAError, OSError), a bad directory (struct.error, ValueError, OverflowError, KeyError).
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    csv.Error,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
    ValueError,
    struct.error,
    OverflowError,
    KeyError,
    IndexError,
)


def summarize_export(content: bytes) -> dict[str, ExportTable]:
    """Read every CSV of an export ZIP: its header and number of data rows.

    Column names are not published and may change, so they are read from each file's first line.
    Raises ``ContactCenterResponseError`` when the bytes are not a readable ZIP, hold more than
    ``EXPORT_MAX_FILES`` files, expand beyond ``EXPORT_MAX_CSV_BYTES`` or take longer than
    ``EXPORT_MAX_SECONDS`` to read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _read_tables(archive)
    except _ExportTooLargeError:
        failure = (
            f"The export is too large to read (over {EXPORT_MAX_FILES} files, "
            f"{EXPORT_MAX_CSV_BYTES // (1024 * 1024)} MiB of tables or {EXPORT_MAX_SECONDS:.0f} s)"
        )
    except _DAMAGED_ZIP as err:
        failure = f"The export is not a readable ZIP ({type(err).__name__})"
    raise ContactCenterResponseError(failure)


def _read_tables(archive: zipfile.ZipFile) -> dict[str, ExportTable]:
    tables: dict[str, ExportTable] = {}
    budget = [EXPORT_MAX_CSV_BYTES]
    deadline = time.monotonic() + EXPORT_MAX_SECONDS
    members = archive.infolist()
    if len(members) > EXPORT_MAX_FILES:
        raise _ExportTooLargeError
    for info in members:
        if info.is_dir() or not info.filename.lower().endswith(".csv"):
            continue
        with archive.open(info) as member:
            raw = io.BufferedReader(_BoundedReader(member, budget, deadline), _EXPORT_READ)
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(text)
            header = next(reader, [])
            rows = sum(1 for row in reader if any(cell.strip() for cell in row))
        tables[info.filename] = ExportTable(
            columns=tuple(column.strip() for column in header), rows=rows
        )
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


_ID_KEYS = ("expertID", "categoryID", "languageID")


def _result_for(data: Any, target: Target, where: str) -> dict[str, Any]:
    """Pick the result of ``target`` from an array (or a lone object) of results.

    Raises ``_TargetError`` when there is none, or when the results are about another target: a
    result for another expert or category is never credited to the one asked for.
    """
    candidates: list[Any] = data if isinstance(data, list) else [data]
    if not candidates:
        raise _TargetError(f"{where} answered without a result")
    items: list[dict[str, Any]] = [item for item in candidates if isinstance(item, dict)]
    if len(items) != len(candidates):
        raise _TargetError(f"{where} sent results of an unexpected shape")
    ids = [tuple(to_text(item.get(key)) for key in _ID_KEYS) for item in items]
    if target.expert_id is not None:
        matching = [
            item
            for item, (expert, _, _) in zip(items, ids, strict=True)
            if expert == target.expert_id
        ]
    else:
        wanted = (None, target.category_id, target.language_id)
        matching = [item for item, key in zip(items, ids, strict=True) if key == wanted]
    if len(matching) == 1:
        return matching[0]
    if matching:
        raise _TargetError(f"{where} sent more than one result for it")
    # A server that leaves the ids out (null) still answers about what was asked.
    if len(items) == 1 and ids[0] == (None, None, None):
        return items[0]
    raise _TargetError(f"{where} sent a result for another target")


VENDOR = Vendor(
    key="live_expert",
    name="Live Expert",
    client_class=LiveExpertClient,
    settings_class=LiveExpertSettings,
    queue_model="Category and language",
    agent_model="Expert",
    position=4,
)
