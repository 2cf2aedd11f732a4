"""The contract every vendor client implements, and the HTTP plumbing they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, datetime
import logging
import math
import re
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus
import zlib

import aiohttp
from yarl import URL

from .errors import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterResponseError,
    ContactCenterServerError,
)
from .governor import GovernorRegistry
from .models import AccountIdentity, Capabilities, ExtraValue, Problem, Snapshot

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
"""Seconds for a whole request, connect to last byte."""
MAX_BODY_BYTES = 8 * 1024 * 1024
"""A real-time answer for thousands of agents is well under 1 MiB; more means something is wrong."""
_CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"
"""The encodings the client decodes itself, within ``MAX_BODY_BYTES`` (never brotli or zstd)."""
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # zlib reads either header; servers mean either by "deflate"
MIN_TOKEN_LIFETIME = 60.0
MAX_TOKEN_LIFETIME = 86400.0
"""Token lifetimes are clamped to this range: a minute keeps a token from being fetched on every
request, a day keeps a wrong figure (or one of 10**12 seconds) from outliving the token itself."""
_MIN_SECRET_LENGTH = 4
"""Shorter values would blank ordinary words of a vendor's message."""


def utcnow() -> datetime:
    """Return the current time; a seam for tests and benchmarks."""
    return datetime.now(UTC)


def base_url(raw: str, endpoint: str) -> URL:
    """Turn what a user pastes into a server's base URL (``https://`` when no scheme is given).

    A full address of ``endpoint`` is accepted: that path, the query (which may hold a key) and
    the fragment are dropped. Raises ``ValueError`` when no http(s) host is left.
    """
    text = raw.strip()
    if "://" not in text:
        text = f"https://{text}"
    url = URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("not an http(s) URL with a host")
    path = url.path.rstrip("/")
    if path.lower().endswith(endpoint.lower()):
        path = path[: -len(endpoint)]
    return url.with_path(path or "/").with_query(None).with_fragment(None)


def host_id(url: URL) -> str:
    """Return the stable identity of a server: its host, with the port when not the default."""
    host = (url.host or "").lower()
    if ":" in host:  # an IPv6 address keeps its brackets, or the port would blur into it
        host = f"[{host}]"
    return host if url.is_default_port() else f"{host}:{url.port}"


def token_lifetime(value: Any, where: str, default: float) -> float:
    """Read a token's ``expires_in`` (seconds, a number or a string) within the sane range.

    No value (``None``, ``""``) means ``default``; a negative or unreadable one is a response
    error, since a token whose lifetime cannot be read cannot be renewed in time.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    number: float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = float(min(value, int(MAX_TOKEN_LIFETIME) + 1))
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if text.isdecimal() and text.isascii():
            # More digits than a day has seconds: clamp without converting a huge number.
            number = MAX_TOKEN_LIFETIME + 1 if len(text) > 9 else float(text)
        else:
            try:
                number = float(text)
            except ValueError:
                number = None
    if number is None or not math.isfinite(number) or number < 0:
        raise ContactCenterResponseError(f"{where} sent a token lifetime that cannot be read")
    return min(max(number, MIN_TOKEN_LIFETIME), MAX_TOKEN_LIFETIME)


def secret_forms(secret: str) -> set[str]:
    """Return the ways a vendor may echo ``secret``: as is, case-changed and URL-encoded.

    Matching is case-insensitive on top of these, which also covers ``%2f`` against ``%2F``.
    """
    forms: set[str] = set()
    for variant in {secret, secret.upper(), secret.lower(), secret.casefold()}:
        forms.update(
            {
                variant,
                quote(variant, safe=""),
                quote(variant),
                quote_plus(variant),
                quote(quote(variant, safe=""), safe=""),
            }
        )
    return {form for form in forms if len(form) >= _MIN_SECRET_LENGTH}


def blank_secrets(text: str, secrets: Iterable[str], mask: str = "***") -> str:
    """Replace every form of every secret (see ``secret_forms``) in ``text`` with ``mask``."""
    forms: set[str] = set()
    for secret in secrets:
        # A header value ("LEAccess abc...") is blanked part by part: the token alone is echoed.
        for part in secret.split():
            forms |= secret_forms(part)
    if not forms:
        return text
    # Longest first, so a secret's encoded form is blanked whole, not around a shorter form.
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.sub(pattern, mask, text, flags=re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """What a request brought back: status, content type and the capped body."""

    status: int
    content_type: str
    body: bytes
    cookies: Mapping[str, str] = field(default_factory=dict)
    """Cookies the answer set (``Set-Cookie``), by name."""


@dataclass(frozen=True, slots=True)
class SharedState:
    """What the clients of one host share across accounts; the host keeps it and hands it over.

    A client given none gets its own: the library itself keeps nothing between clients.
    """

    governors: GovernorRegistry = field(default_factory=GovernorRegistry)
    """Request governors by token (vendors that limit requests per credential)."""


class ContactCenterClient[SettingsT](ABC):
    """A client for one vendor account.

    The session is injected (Home Assistant passes its shared one); the client sets its own timeouts
    and raises only the errors of ``errors.py``, whose texts never hold a secret.
    """

    vendor: ClassVar[str]
    slow_interval: ClassVar[float] = 3600.0
    """Seconds between two reads of ``async_get_slow_extras``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: SettingsT,
        *,
        request_timeout: float | None = None,
        clock: Callable[[], datetime] | None = None,
        shared: SharedState | None = None,
    ) -> None:
        """Keep the session, settings and shared state; no I/O happens here."""
        self._session = session
        self.settings = settings
        self.shared = SharedState() if shared is None else shared
        # Read at construction, not at import, so tests and callers can shorten it.
        self._timeout = aiohttp.ClientTimeout(total=request_timeout or DEFAULT_TIMEOUT)
        self._clock = clock or utcnow
        self.user_interval: float | None = None
        """Seconds between polls the user chose; set by the caller, read by ``poll_interval``."""
        self._shown_extras: dict[str, int] = {}

    @property
    @abstractmethod
    def capabilities(self) -> Capabilities:
        """Figures this client reports with its current settings."""

    @abstractmethod
    async def async_identify(self) -> AccountIdentity:
        """Check the credentials with one real request and say whose account it is."""

    @abstractmethod
    async def async_get_snapshot(self) -> Snapshot:
        """Fetch and normalize the current figures."""

    def show_extra(self, key: str) -> Callable[[], None]:
        """Ask for a volatile extra figure from the next snapshot on; call the result to stop.

        Each call counts: the figure is reported while at least one caller still wants it.
        """
        self._shown_extras[key] = self._shown_extras.get(key, 0) + 1
        done = False

        def hide() -> None:
            nonlocal done
            if done:
                return
            done = True
            if self._shown_extras[key] <= 1:
                del self._shown_extras[key]
            else:
                self._shown_extras[key] -= 1

        return hide

    def shows_extra(self, key: str) -> bool:
        """Say whether a volatile extra figure is wanted (``show_extra``)."""
        return key in self._shown_extras

    def secrets(self) -> list[str]:
        """Return what no text may show: the settings' hidden fields, and ``held_secrets``."""
        values: list[str] = []
        if is_dataclass(self.settings):
            values = [
                value
                for item in fields(self.settings)
                if not item.repr and isinstance(value := getattr(self.settings, item.name), str)
            ]
        return [*values, *self.held_secrets()]

    def held_secrets(self) -> list[str]:
        """Return the secrets a client got from the server (tokens, session cookies)."""
        return []

    def redact(self, text: str) -> str:
        """Blank every secret of this client in a vendor's text, in any case or URL encoding."""
        return blank_secrets(text, self.secrets())

    async def async_close(self) -> None:  # noqa: B027 - optional hook, most vendors need none
        """Release what the client holds on the server (a session, a subscription)."""

    def poll_interval(self) -> float | None:
        """Return the seconds the client needs between polls (a vendor's limits); ``None``: any.

        The caller polls at the longer of this and ``user_interval``.
        """
        return None

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return what the user must fix (a used-up quota, an unknown queue) as of the last poll."""
        return ()

    async def async_get_dispositions(self) -> list[str]:
        """Return the disposition names; only when ``capabilities.dispositions`` says so."""
        raise NotImplementedError

    async def async_get_slow_extras(self) -> Mapping[str, ExtraValue]:
        """Fetch the account figures that change seldom (``Capabilities.slow_totals_extras``).

        Read every ``slow_interval`` seconds by a coordinator of their own, so a costly request
        (a file list, a quota) is not repeated on every poll. Clients without such figures
        never get this call.
        """
        return {}

    async def _request(
        self,
        method: str,
        url: URL,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Any = None,
        json: Any = None,
        max_body_bytes: int | None = None,
        request_timeout: float | None = None,
        cookies: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Send one request and read at most ``MAX_BODY_BYTES`` of its answer.

        ``max_body_bytes`` and ``request_timeout`` raise the limits for one download.

        aiohttp's own exception texts carry the full URL, query-string tokens included, so none of
        them is passed on: the errors raised here name only the host and the kind of failure.
        ``cookies`` are sent with this request only and win over the shared session's jar, so
        clients sharing one session never send each other's session cookies.

        The body is decoded here, not by aiohttp: its decoder expands a whole network chunk at
        once (a 50 KB gzip answer became over 100 MiB before any cap applied), while this one
        stops at the cap.
        """
        where = url.host or "server"
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                headers={"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
                data=data,
                json=json,
                cookies=cookies,
                auto_decompress=False,
                timeout=(
                    self._timeout
                    if request_timeout is None
                    else aiohttp.ClientTimeout(total=request_timeout)
                ),
                allow_redirects=False,
            ) as response:
                body = await self._read_capped(response, where, max_body_bytes or MAX_BODY_BYTES)
                return RawResponse(
                    response.status,
                    response.content_type,
                    body,
                    {name: morsel.value for name, morsel in response.cookies.items()},
                )
        except TimeoutError:
            failure = f"Timed out talking to {where}"
        except aiohttp.ClientSSLError:
            failure = f"TLS certificate of {where} was not accepted"
        except aiohttp.ClientConnectionError as err:
            failure = f"Cannot connect to {where} ({type(err).__name__})"
        except aiohttp.ClientError as err:
            failure = f"Request to {where} failed ({type(err).__name__})"
        # Raised after the handlers: inside one, the aiohttp error (whose text holds the URL with
        # its query-string token) would stay attached as ``__context__`` despite ``from None``.
        raise ContactCenterConnectionError(failure) from None

    @staticmethod
    async def _read_capped(
        response: aiohttp.ClientResponse, where: str, limit: int = MAX_BODY_BYTES
    ) -> bytes:
        declared = response.content_length
        if declared is not None and declared > limit:
            raise ContactCenterResponseError(f"Answer from {where} is too large ({declared} bytes)")
        encoding = response.headers.get(aiohttp.hdrs.CONTENT_ENCODING, "").strip().lower()
        if encoding in ("", "identity"):
            decoder = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(_GZIP_OR_ZLIB)
        else:
            raise ContactCenterResponseError(
                f"Answer from {where} is in a content encoding the client does not read"
            )
        too_large = f"Answer from {where} is too large (over {limit} bytes)"
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.content.iter_chunked(_CHUNK):
                pending = raw
                while pending:
                    if decoder is None:
                        chunk, pending = pending, b""
                    else:
                        # One byte over the cap is enough to know it is over.
                        chunk = decoder.decompress(pending, limit - size + 1)
                        pending = decoder.unconsumed_tail
                    size += len(chunk)
                    if size > limit:
                        raise ContactCenterResponseError(too_large)
                    chunks.append(chunk)
                    if decoder is not None and decoder.eof:
                        break
        except zlib.error:
            failure = f"Answer from {where} is not readable {encoding} data"
        else:
            if decoder is None or decoder.eof:
                return b"".join(chunks)
            failure = f"Answer from {where} is cut off ({encoding} data ends early)"
        raise ContactCenterResponseError(failure) from None

    @staticmethod
    def raise_for_status(response: RawResponse, where: str) -> None:
        """Map HTTP error statuses to the client's errors."""
        if response.status in (401, 403):
            raise ContactCenterAuthError(
                f"{where} refused the credentials (HTTP {response.status})"
            )
        if response.status >= 500:
            raise ContactCenterServerError(f"{where} answered HTTP {response.status}")
        if response.status >= 400 or response.status in (204, 301, 302, 303, 307, 308):
            raise ContactCenterResponseError(f"{where} answered HTTP {response.status}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Vendor:
    """A vendor the library speaks to, and how its devices are called.

    Each vendor module defines one as ``VENDOR``; the package finds them (``api.VENDORS``).
    """

    key: str
    name: str
    client_class: type[ContactCenterClient[Any]]
    settings_class: type[Any]
    queue_model: str
    agent_model: str
    position: int
    """Where lists of vendors show this one: the order they were added in, new ones last."""
    default_scan_interval: int | None = None
    """Seconds between polls unless the user chooses otherwise; ``None``: the integration's."""
    needs_own_cookie_jar: bool = False
    """The client signs in with cookies: give each client a session and cookie jar of its own,
    or a shared jar would send one account's session cookies with another's requests."""
    settings_identity: Callable[[Any, frozenset[str]], AccountIdentity] | None = None
    """For a vendor whose answers name no account: the identity that stored settings and the ids
    of an entry's queue devices give, without a request. New settings in reauth and reconfigure
    are checked against it, and entries made before the identity rule (``AccountIdentity``) take
    their unique id from it. ``None``: the unique id names the account."""
    figure_names: Mapping[str, str] = field(default_factory=dict)
    """Names of generic figures that mean something narrower on this vendor: ``totals.<figure>``
    or ``queue.<figure>`` to the name's key (a translation key of the integration)."""

    def settings_from(self, data: Mapping[str, Any]) -> Any:
        """Build the settings from stored config data, ignoring keys the settings do not know."""
        names = {item.name for item in fields(self.settings_class)}
        return self.settings_class(**{key: value for key, value in data.items() if key in names})
