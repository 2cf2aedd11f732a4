"""The shared client base: decoded-size cap, token lifetimes and secret blanking."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
import tracemalloc
from typing import Any
from urllib.parse import quote, quote_plus
import zlib

import aiohttp
from aiohttp import web
import pytest
from yarl import URL

from custom_components.contact_center.api import ContactCenterResponseError
from custom_components.contact_center.api.client import (
    MAX_BODY_BYTES,
    MAX_TOKEN_LIFETIME,
    MIN_TOKEN_LIFETIME,
    blank_secrets,
    token_lifetime,
)
from custom_components.contact_center.api.live_expert import LiveExpertClient, LiveExpertSettings

SECRET = "Se/cr+et=0123&abc"
Answer = tuple[bytes, dict[str, str]]


def _gzip(data: bytes, wbits: int = 31) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


def _zeros_gzip(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, compressor.flush()])


@pytest.fixture
async def serve(socket_enabled: None) -> AsyncIterator[Callable[[Answer], Any]]:
    """Serve one answer on 127.0.0.1 to a session that decompresses, as Home Assistant's does."""
    answers: list[Answer] = []

    async def handler(_request: web.Request) -> web.Response:
        body, headers = answers[-1]
        return web.Response(body=body, headers={"Content-Type": "application/json", **headers})

    app = web.Application()
    app.router.add_get("/x", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        client = LiveExpertClient(
            session, LiveExpertSettings(client_id="c", client_secret=SECRET), request_timeout=30
        )

        async def fetch(answer: Answer) -> bytes:
            answers.append(answer)
            response = await client._request("GET", URL(f"http://127.0.0.1:{port}/x"))
            return response.body

        yield fetch
    await runner.cleanup()


@pytest.mark.parametrize(
    "headers",
    [{}, {"Content-Encoding": "gzip"}, {"Content-Encoding": "deflate"}, {"Content-Encoding": "x"}],
    ids=["identity", "gzip", "deflate", "unknown"],
)
async def test_bodies_are_decoded_by_the_client(
    serve: Callable[[Answer], Any], headers: dict[str, str]
) -> None:
    body = b'{"ok": true}' * 1000
    encoding = headers.get("Content-Encoding")
    sent = {"gzip": _gzip(body), "deflate": _gzip(body, 15)}.get(encoding or "", body)
    if encoding == "x":
        with pytest.raises(ContactCenterResponseError, match="content encoding"):
            await serve((sent, headers))
    else:
        assert await serve((sent, headers)) == body


@pytest.mark.parametrize(
    ("sent", "match"),
    [
        (_gzip(b"[1, 2, 3]" * 100)[:-8], "cut off"),
        (b"\x1f\x8b\x08\x00garbage-garbage", "not readable gzip"),
    ],
    ids=["cut", "garbage"],
)
async def test_damaged_gzip_is_a_response_error(
    serve: Callable[[Answer], Any], sent: bytes, match: str
) -> None:
    with pytest.raises(ContactCenterResponseError, match=match) as caught:
        await serve((sent, {"Content-Encoding": "gzip"}))
    assert caught.value.__context__ is None or "gzip" not in str(caught.value.__context__)


async def test_gzip_bomb_is_refused_within_the_cap(serve: Callable[[Answer], Any]) -> None:
    """64 MiB of zeros in 64 KiB of gzip: refused after about the cap, not after the whole."""
    bomb = _zeros_gzip(64 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ContactCenterResponseError, match="too large"):
            await serve((bomb, {"Content-Encoding": "gzip"}))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 3600.0),
        ("", 3600.0),
        (3600, 3600.0),
        ("7200", 7200.0),
        (" 90 ", 90.0),
        (120.5, 120.5),
        ("120.5", 120.5),
        (0, MIN_TOKEN_LIFETIME),
        (5, MIN_TOKEN_LIFETIME),
        (251606865660, MAX_TOKEN_LIFETIME),
        ("9" * 5000, MAX_TOKEN_LIFETIME),
        (10**400, MAX_TOKEN_LIFETIME),
        (1e300, MAX_TOKEN_LIFETIME),
    ],
)
def test_token_lifetime_is_clamped(value: Any, seconds: float) -> None:
    assert token_lifetime(value, "host", 3600.0) == seconds


@pytest.mark.parametrize(
    "value", [-1, "-5", "soon", True, [3600], {"s": 1}, float("nan"), float("inf"), "1e999"]
)
def test_unreadable_token_lifetime_is_a_response_error(value: Any) -> None:
    with pytest.raises(ContactCenterResponseError, match="token lifetime"):
        token_lifetime(value, "host", 3600.0)


@pytest.mark.parametrize(
    "echo",
    [
        SECRET,
        SECRET.upper(),
        SECRET.lower(),
        quote(SECRET, safe=""),
        quote(SECRET, safe="").lower(),
        quote(SECRET),
        quote_plus(SECRET),
        quote_plus(SECRET.upper()),
        quote(quote(SECRET, safe=""), safe=""),
        SECRET.swapcase(),
    ],
)
def test_secrets_are_blanked_in_every_form(echo: str) -> None:
    text = blank_secrets(f"invalid client_secret={echo}; retry", [SECRET, "LEAccess tok-12345"])
    assert text == "invalid client_secret=***; retry"
    assert blank_secrets("token tok-12345 refused", ["LEAccess tok-12345"]) == "token *** refused"
    # Too short to blank without blanking ordinary words.
    assert blank_secrets("a b c", ["a"]) == "a b c"
    assert blank_secrets("nothing", []) == "nothing"


def test_client_redacts_its_settings_and_tokens() -> None:
    client = LiveExpertClient(
        aiohttp.ClientSession.__new__(aiohttp.ClientSession),
        LiveExpertSettings(client_id="visible-id", client_secret=SECRET),
    )
    assert client.secrets() == [SECRET]
    assert client.redact(f"{SECRET.upper()} for visible-id") == "*** for visible-id"


def test_every_vendor_redacts_its_hidden_settings() -> None:
    """The base reads the secrets from the settings' hidden fields: no vendor lists its own."""
    from custom_components.contact_center.api.live_guide import LiveGuideClient, LiveGuideSettings

    client = LiveGuideClient(
        aiohttp.ClientSession.__new__(aiohttp.ClientSession),
        LiveGuideSettings(url="https://chat.example.com", token="tok-" + SECRET),
    )
    assert client.secrets() == ["tok-" + SECRET]
    assert client.redact(quote_plus("tok-" + SECRET)) == "***"
