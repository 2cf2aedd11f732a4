"""Fault modes and the broken answers they produce; nothing here knows about a vendor."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
import json
from typing import Any
from xml.etree import ElementTree as ET

from aiohttp import web


class Fault(StrEnum):
    """A way for a vendor's API to misbehave; the core applies it around any vendor's handler."""

    TOKEN_REVOKED = "token_revoked"  # noqa: S105 - a fault's name, not a secret
    """The credentials are treated as invalid and answered exactly as a bad credential is."""
    UNAUTHORIZED = "unauthorized"
    """HTTP 401."""
    FORBIDDEN = "forbidden"
    """HTTP 403."""
    SERVER_ERROR = "server_error"
    """HTTP 500 with a small body."""
    SLOW = "slow"
    """The answer is held ``Simulator.slow_seconds`` (or until released), then sent normally."""
    MALFORMED = "malformed"
    """200 with the normal content type and a body that is not valid JSON or XML."""
    TRUNCATED = "truncated"
    """200 with the normal body cut at half and a Content-Length matching what is sent."""
    EMPTY = "empty"
    """200 with the normal content type and a zero-byte body."""
    HTML = "html"
    """200 ``text/html``: a proxy's sign-in page instead of data."""
    OVERSIZED = "oversized"
    """200 with a body of ``Simulator.oversized_bytes`` that starts like valid JSON."""


# A captive portal or corporate proxy answers 200 with its own page; that, not a 4xx, is what
# clients meet in the field when a network in between wants a sign-in.
HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in required - Secure Web Gateway</title>
<style>
body { font-family: Arial, sans-serif; background: #f3f4f6; color: #1f2937; }
.box { max-width: 28rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 6px; }
</style>
</head>
<body>
<div class="box">
<h1>Your session has expired</h1>
<p>Access to this site requires you to sign in to the corporate web gateway.</p>
<form method="post" action="/sso/login">
<label>User name <input type="text" name="username" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<p><small>Reference: 7f3c2a91-4b1e &middot; Policy: Authentication required</small></p>
</div>
</body>
</html>
"""

SERVER_ERROR_BODY = b"500 Internal Server Error\n"
_OVERSIZED_HEAD = b'{"status":"ok","items":['
_OVERSIZED_CHUNK = 64 * 1024


def body_bytes(response: web.Response) -> bytes:
    """Return a vendor answer's body, which the core needs as bytes to rewrite it."""
    body = response.body
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if body is None:
        return b""
    raise TypeError("vendor handlers must answer with a bytes body")


def replace_body(response: web.Response, body: bytes) -> web.Response:
    """Return a copy of ``response`` with another body and a Content-Length that matches it."""
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "transfer-encoding")
    }
    copy = web.Response(status=response.status, body=body, headers=headers)
    for name, morsel in response.cookies.items():
        copy.cookies[name] = morsel
    return copy


def malformed(body: bytes, content_type: str) -> bytes:
    """Return a body in the same dialect as ``body`` that no parser accepts."""
    if "json" in content_type:
        try:
            value = json.loads(body)
        except ValueError:
            return body + b",}"
        return _garbled_json(value).encode()
    if "xml" in content_type:
        return _garbled_xml(body)
    middle = len(body) // 2
    return body[:middle] + b"\x00\xff\xfe{<" + body[middle:]


def _garbled_json(value: Any) -> str:
    """Write ``value`` with the seed's own defects: key-less objects for lists, trailing commas."""
    if isinstance(value, dict):
        members = "".join(f"{json.dumps(key)}:{_garbled_json(v)}," for key, v in value.items())
        return "{" + (members or ",") + "}"
    if isinstance(value, list):
        return "{" + ("".join(f"{_garbled_json(item)}," for item in value) or ",") + "}"
    # A lone scalar has no container to spoil, so the stray brace goes after it.
    return json.dumps(value) + ",}"


def _garbled_xml(body: bytes) -> bytes:
    """Close the document with a tag that does not match its root element."""
    try:
        root = ET.fromstring(body)  # noqa: S314 - our own vendor's answer, never outside input
    except ET.ParseError:
        return body + b"</"
    closing = f"</{root.tag}>".encode()
    cut = body.rfind(closing)
    head = body[:cut] if cut >= 0 else body
    return head + f"</{root.tag}s>\n<{root.tag}".encode()


def truncated(body: bytes) -> bytes:
    """Return the first half of ``body``."""
    return body[: len(body) // 2]


def oversized_chunks(size: int) -> Iterator[bytes]:
    """Yield exactly ``size`` bytes of a JSON document that looks valid but never ends."""
    remaining = size
    buffer = bytearray(_OVERSIZED_HEAD)
    index = 0
    while remaining > 0:
        while len(buffer) < _OVERSIZED_CHUNK:
            buffer += b'{"id":%d,"padding":"%s"},' % (index, b"x" * 200)
            index += 1
        chunk = bytes(buffer[: min(_OVERSIZED_CHUNK, remaining)])
        del buffer[: len(chunk)]
        remaining -= len(chunk)
        yield chunk


async def send_oversized(
    request: web.Request, size: int, *, declare_length: bool
) -> web.StreamResponse:
    """Stream ``size`` bytes, chunked or under a true Content-Length.

    A client that gives up half-way closes the connection; the write errors that follow are the
    expected end of this answer, not a failure of the simulator.
    """
    response = web.StreamResponse(status=200)
    response.content_type = "application/json"
    if declare_length:
        response.content_length = size
    else:
        response.enable_chunked_encoding()
    try:
        await response.prepare(request)
        for chunk in oversized_chunks(size):
            await response.write(chunk)
        await response.write_eof()
    except ConnectionError:
        pass
    return response
