"""Reading vendor answers: the one rule every vendor module follows, and the readers for it.

The rule
--------
An answer is read completely, as the vendor's document in ``shared/seeds`` describes it, or it is
a :class:`ContactCenterResponseError`. The coordinator turns that error into unavailable entities
and one log line, exactly as for a server that is down; the previous figures are never replaced by
figures the answer does not support. In particular:

- The documented quirks are tolerated, because real servers produce them: numbers sent as
  strings (``"3"``, ``" 3 "``) or as integral decimals (``3.0``, ``"3.0"``); a one-element list
  collapsed to its element; ``""`` (or an empty XML element) for "no value"; PHP's ``{}`` for an
  empty list; the XML-to-JSON shapes of Live Guide (``@attributes``, a list wrapped in an object
  named after its items, an object keyed by index).
- Anything else is a wrong shape, and a wrong shape anywhere makes the whole answer an error: a
  string, a number or ``true`` where a list or an object belongs, a list of numbers where records
  belong, a record without the id that names it, two records with the same id, a record for
  another id than the one asked for.
- Nothing is rounded, guessed or defaulted. ``"2.6"`` customers is an error, not 3; ``"-1"``,
  ``"n/a"`` and ``true`` are errors, not 0 or ``None``. A value the document allows to be empty
  (``""``, absent) is ``None``: that one figure is unknown, and a total built from it is unknown
  too, never a sum that treats it as 0.
- A partial answer is accepted only where a whole part is optional by the document: a department
  that is offline is absent, a skill the server does not know has no record, a target that
  answered an error makes only its own entities unavailable.
- Error texts name the host and the part that was wrong, never a value: a body may echo a secret.

The strict readers (``read_*``) raise :class:`ContactCenterResponseError` for a value they cannot
read. The lenient ones (``to_*``, ``as_list``) predate the rule; modules not yet moved to it use
them, and they return ``None`` or drop what they cannot read.
"""

from __future__ import annotations

from collections.abc import Iterable
import math
import re
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


# --- strict readers (the rule above) ---------------------------------------------------------

_INTEGRAL = re.compile(r"[0-9]{1,18}(?:\.0*)?")
_DECIMAL = re.compile(r"[0-9]{1,18}(?:[.,][0-9]*)?")


def _wrong(where: str, what: str) -> ContactCenterResponseError:
    return ContactCenterResponseError(f"{where} sent {what} of an unexpected shape")


def is_empty(value: Any) -> bool:
    """Tell whether ``value`` is the documents' "no value": absent, ``null``, ``""`` or ``{}``.

    ``{}`` is how the XML-to-JSON conversion writes an empty element.
    """
    return value is None or (type(value) is str and not value.strip()) or value == {}


def read_int(value: Any, where: str, what: str) -> int | None:
    """Read a whole number of 0 or more; ``None`` for no value; an error for anything else.

    Accepted: ``3``, ``3.0``, ``"3"``, ``" 3 "``, ``"3.0"``. Refused: ``"2.6"`` (never rounded),
    negatives, ``true``, words, lists and objects.
    """
    if type(value) is int:
        if value >= 0:
            return value
        raise _wrong(where, what)
    if type(value) is float:
        if math.isfinite(value) and value >= 0 and value.is_integer() and value < 1e18:
            return int(value)
        raise _wrong(where, what)
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        if _INTEGRAL.fullmatch(text):
            return int(text.split(".", 1)[0])
        raise _wrong(where, what)
    if is_empty(value):
        return None
    raise _wrong(where, what)


def read_percent(value: Any, where: str, what: str) -> float | None:
    """Read a percentage from 0 to 100: ``85.5``, ``"85.5"``, ``"85.5%"``, ``"85,5 %"``.

    ``None`` for no value; an error for anything else (a word, a negative, more than 100).
    """
    if type(value) is int or type(value) is float:
        number = float(value)
    elif type(value) is str:
        text = value.strip().removesuffix("%").strip()
        if not text:
            return None
        if not _DECIMAL.fullmatch(text):
            raise _wrong(where, what)
        number = float(text.replace(",", "."))
    elif is_empty(value):
        return None
    else:
        raise _wrong(where, what)
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise _wrong(where, what)
    # Two decimals are what the vendors show; more would only make equal polls look changed.
    return round(number, 2)


def read_text(value: Any, where: str, what: str) -> str | None:
    """Read a text (a number gives its digits); ``None`` for no value; else an error."""
    if type(value) is str:
        return value.strip() or None
    if type(value) is int:
        return str(value)
    if is_empty(value):
        return None
    raise _wrong(where, what)


def read_object(value: Any, where: str, what: str) -> dict[str, Any]:
    """Read an object; ``{}`` for no value; an error for anything else."""
    if type(value) is dict:
        return value
    if is_empty(value) or value == []:
        return {}
    raise _wrong(where, what)


def read_records(
    value: Any, where: str, what: str, item_key: str | None = None
) -> list[dict[str, Any]]:
    """Read a list of records in any shape the documents allow; an error for anything else.

    Accepted: a list of objects; an object holding that list (or one object) under ``item_key``;
    one object standing for a one-element list (only with ``item_key``: the XML-to-JSON quirk);
    an object keyed by index (PHP's array with gaps); no value or ``[]`` for none.
    Refused: a text, a number, a boolean, a list holding anything but objects.
    """
    while True:
        if type(value) is list:
            if all(type(item) is dict for item in value):
                return value
            raise _wrong(where, what)
        if is_empty(value):
            return []
        if type(value) is not dict:
            raise _wrong(where, what)
        if item_key is not None and item_key in value and value.keys() <= {item_key, "@attributes"}:
            value = value[item_key]
            if type(value) is dict:
                return [value]
            if is_empty(value):
                raise _wrong(where, what)
            continue
        if all(key.isdigit() for key in value):
            return read_records(list(value.values()), where, what)
        if item_key is None:
            raise _wrong(where, what)
        return [value]
