"""Tolerant readers for vendor answers: numbers as strings, collapsed lists, XML-to-JSON shapes.

Nothing here raises on odd input: a value that cannot be read becomes ``None`` (one figure missing),
and the vendor module decides whether the answer as a whole is usable.
"""

from __future__ import annotations

from collections.abc import Iterable
import math
from typing import Any
from xml.etree import ElementTree as ET

# orjson ships with Home Assistant and parses these answers about twice as fast as json.
import orjson

from .errors import ContactCenterResponseError


def load_json(body: bytes, where: str) -> Any:
    """Decode a JSON body, or raise a response error that says what came instead."""
    if not body.strip():
        raise ContactCenterResponseError(f"{where} sent an empty answer")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ContactCenterResponseError(f"{where} sent {describe_body(body)}") from None


def load_xml(body: bytes, where: str) -> Any:
    """Decode an XML body into the shape PHP's ``json_encode(simplexml_load_string(...))`` gives."""
    if not body.strip():
        raise ContactCenterResponseError(f"{where} sent an empty answer")
    try:
        root = ET.fromstring(body)  # noqa: S314 - body is size-capped; expat refuses entity bombs
    except (ET.ParseError, LookupError, ValueError):
        # LookupError / ValueError: an unknown or multi-byte encoding in the XML declaration.
        raise ContactCenterResponseError(f"{where} sent {describe_body(body)}") from None
    if root.tag.lower() == "html":
        raise ContactCenterResponseError(f"{where} sent an HTML page instead of data")
    try:
        converted = element_to_data(root)
    except RecursionError:
        raise ContactCenterResponseError(f"{where} sent XML nested too deeply") from None
    # simplexml drops the root element's name; a bare error document would then lose its meaning.
    if root.tag == "error":
        return {"error": converted if isinstance(converted, str) else root.text or ""}
    return converted


def element_to_data(element: ET.Element) -> Any:
    """Convert one element the way simplexml and json_encode do.

    Attributes go under ``@attributes``; a child name seen once maps to an object, seen more than
    once to a list; an element with only text becomes that text (always a string).
    """
    children = list(element)
    if not children and not element.attrib:
        return (element.text or "").strip()
    data: dict[str, Any] = {}
    if element.attrib:
        data["@attributes"] = dict(element.attrib)
    grouped: dict[str, list[Any]] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(element_to_data(child))
    for tag, values in grouped.items():
        data[tag] = values[0] if len(values) == 1 else values
    return data


def describe_body(body: bytes) -> str:
    """Say what kind of unreadable body arrived, without quoting it (it may echo secrets)."""
    head = body.lstrip()[:64].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page instead of data"
    if head.startswith(b"<"):
        return "XML that could not be read"
    if head.startswith((b"{", b"[")):
        return "JSON that is cut off or malformed"
    return f"an unreadable answer ({len(body)} bytes)"


def as_list(value: Any, item_key: str | None = None) -> list[dict[str, Any]]:
    """Return the objects of a section however the XML-to-JSON conversion shaped it.

    Accepted: a list; an object holding the list under ``item_key`` (``{"department": [...]}``); one
    object standing for a one-element list; an object keyed by index; nothing (``None``, ``""``,
    ``{}``). Anything in the list that is not an object is dropped.
    """
    while True:
        if value is None or value in ("", {}):
            return []
        if isinstance(value, list):
            return [item for item in value if isinstance(item, dict)]
        if not isinstance(value, dict):
            return []
        # A wrapper may carry attributes of its own beside the items (simplexml keeps them).
        if item_key is not None and item_key in value and value.keys() <= {item_key, "@attributes"}:
            value = value[item_key]
            continue
        if all(isinstance(item, dict) for item in value.values()) and all(
            key.isdigit() for key in value
        ):
            return list(value.values())
        return [value]


def to_int(value: Any) -> int | None:
    """Read a whole, non-negative number from a number or a string; ``None`` if there is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return round(value) if math.isfinite(value) and value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.isdecimal():
            try:
                return int(text)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                return None
        try:
            number = float(text)
        except ValueError:
            return None
        return round(number) if math.isfinite(number) and number >= 0 else None
    return None


def to_percent(value: Any) -> float | None:
    """Read a percentage: ``"85.5"``, ``"85.5%"``, ``"85,5 %"`` or a number; ``None`` otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return round(number, 2)


def to_seconds(value: Any) -> int | None:
    """Read a duration given as whole seconds or as ``[[HH:]MM:]SS``; ``None`` if there is none."""
    if isinstance(value, str) and ":" in value:
        parts = value.strip().split(":")
        if len(parts) > 3 or not all(part.strip().isdecimal() for part in parts):
            return None
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    return to_int(value)


def to_text(value: Any) -> str | None:
    """Return a non-empty string, or ``None``."""
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def first_text(sources: Iterable[dict[str, Any]], key: str) -> str | None:
    """Return the first non-empty text found under ``key`` in the given objects."""
    for source in sources:
        text = to_text(source.get(key))
        if text is not None:
            return text
    return None


def read_count(value: Any, what: str) -> int | None:
    """Read a whole, non-negative count strictly; ``None`` only for no value (absent, ``""``).

    Accepted: an integer, an integral float (``3.0``) and a string of digits (``"3"``). Anything
    else (``"2.6"``, ``-1``, ``true``, a list, an object) is a ``ContactCenterResponseError``
    naming ``what``: a count is never rounded, and a value that is there but unreadable is not
    a missing one.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= 0:
            return value
    elif isinstance(value, float):
        if math.isfinite(value) and value >= 0 and value.is_integer():
            return int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.isascii() and text.isdecimal() and len(text) <= _MAX_COUNT_DIGITS:
            return int(text)
    raise ContactCenterResponseError(f"{what} is not a count")


_MAX_COUNT_DIGITS = 18
"""More digits than any real count; also keeps ``int()`` far from its digit limit."""


def read_percent(value: Any, what: str) -> float | None:
    """Read a percentage from 0 to 100 strictly: ``"85.5"``, ``"85.5%"``, ``"85,5 %"``, a number.

    ``None`` for no value (absent, ``""``); anything else unreadable, or outside 0..100, is a
    ``ContactCenterResponseError`` naming ``what``. Nothing is rounded.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or not 0 <= number <= 100:
        raise ContactCenterResponseError(f"{what} is not a percentage")
    return number
