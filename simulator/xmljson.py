"""XML trees turned into JSON the way PHP servers do it.

PHP vendors commonly build an XML document and answer JSON with
``json_encode(simplexml_load_string($xml))``; the ``@attributes`` keys in such answers give it away.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def xml_bytes(root: ET.Element) -> bytes:
    """Serialize ``root`` as an indented UTF-8 document with the usual declaration."""
    ET.indent(root, space="  ")
    return XML_DECLARATION + bytes(ET.tostring(root, encoding="utf-8")) + b"\n"


def simplexml_data(element: ET.Element) -> Any:
    """Convert ``element`` exactly as ``json_decode(json_encode(simplexml_load_string()))`` does.

    Attributes sit under ``@attributes``; a child tag seen once maps to its value, seen more often
    to a list; text-only elements become strings; an empty element becomes ``{}``. Whitespace
    between child elements is dropped, as simplexml drops it.
    """
    children = list(element)
    text = element.text or ""
    if not children and not element.attrib:
        return text if text else {}
    data: dict[str, Any] = {}
    if element.attrib:
        data["@attributes"] = dict(element.attrib)
    if not children and text.strip():
        # simplexml keeps the text of an element with attributes under the index 0.
        data["0"] = text
    # Element values are strings or objects, never lists, so a list here always means "repeated".
    for child in children:
        value = simplexml_data(child)
        current = data.get(child.tag)
        if current is None:
            data[child.tag] = value
        elif isinstance(current, list):
            current.append(value)
        else:
            data[child.tag] = [current, value]
    return data


def php_json(value: Any) -> bytes:
    """Encode ``value`` with ``json_encode``'s defaults: ASCII only, slashes escaped, compact."""
    # "/" only ever occurs inside JSON strings, and "\/" is a valid escape there.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()
