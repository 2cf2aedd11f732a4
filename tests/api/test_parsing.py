"""The readers of api/parsing.py: strict and tolerant numbers, texts, lists, JSON, PHP-style XML."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.contact_center.api import ContactCenterResponseError
from custom_components.contact_center.api.parsing import (
    as_list,
    describe_body,
    first_text,
    load_json,
    load_xml,
    read_int,
    read_object,
    read_records,
    read_text,
    to_int,
    to_text,
)

from .conftest import TOKEN, fixture_bytes, fixture_json

WHERE = "chat.example.com"

# --- to_int --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(0, 0, id="int-zero"),
        pytest.param(7, 7, id="int"),
        pytest.param(10**12, 10**12, id="int-large"),
        pytest.param(-1, None, id="int-negative"),
        pytest.param(3.0, 3, id="float-whole"),
        pytest.param(2.6, 3, id="float-rounded-up"),
        pytest.param(2.4, 2, id="float-rounded-down"),
        pytest.param(-0.0, 0, id="float-negative-zero"),
        pytest.param(-0.5, None, id="float-negative"),
        pytest.param(float("nan"), None, id="float-nan"),
        pytest.param(float("inf"), None, id="float-inf"),
        pytest.param(float("-inf"), None, id="float-minus-inf"),
        pytest.param(True, None, id="bool-true"),
        pytest.param(False, None, id="bool-false"),
        pytest.param(None, None, id="none"),
        pytest.param("12", 12, id="str-digits"),
        pytest.param("007", 7, id="str-leading-zeros"),
        pytest.param(" 12\n", 12, id="str-padded"),
        pytest.param("", None, id="str-empty"),
        pytest.param("   ", None, id="str-spaces"),
        pytest.param("-3", None, id="str-negative"),
        pytest.param("-0", 0, id="str-negative-zero"),
        pytest.param("+5", 5, id="str-plus"),
        pytest.param("4.4", 4, id="str-float"),
        pytest.param("4.6", 5, id="str-float-rounded"),
        pytest.param("1e3", 1000, id="str-exponent"),
        pytest.param("nan", None, id="str-nan"),
        pytest.param("inf", None, id="str-inf"),
        pytest.param("1e999", None, id="str-overflowing-float"),
        pytest.param("9" * 5000, None, id="str-more-digits-than-int-converts"),
        pytest.param("\u0661\u0662", 12, id="str-arabic-indic-digits"),
        pytest.param("\u00b2", None, id="str-superscript-two"),
        pytest.param("12abc", None, id="str-garbage-suffix"),
        pytest.param("abc", None, id="str-garbage"),
        pytest.param("0x10", None, id="str-hex"),
        pytest.param(b"12", None, id="bytes"),
        pytest.param([1], None, id="list"),
        pytest.param({"value": 1}, None, id="dict"),
    ],
)
def test_to_int(value: Any, expected: int | None) -> None:
    result = to_int(value)
    assert result == expected
    assert result is None or type(result) is int


# --- to_text / first_text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Sales", "Sales", id="str"),
        pytest.param("  Sales \n", "Sales", id="str-padded"),
        pytest.param("", None, id="str-empty"),
        pytest.param(" \t", None, id="str-spaces"),
        pytest.param(14101, "14101", id="int"),
        pytest.param(0, "0", id="int-zero"),
        pytest.param(1.5, "1.5", id="float"),
        pytest.param(True, None, id="bool"),
        pytest.param(None, None, id="none"),
        pytest.param([], None, id="list"),
        pytest.param({"name": "x"}, None, id="dict"),
        pytest.param(b"x", None, id="bytes"),
    ],
)
def test_to_text(value: Any, expected: str | None) -> None:
    assert to_text(value) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param([{"name": "Ann"}, {"name": "Bob"}], "Ann", id="first-wins"),
        pytest.param([{"name": " "}, {}, {"name": 7}], "7", id="blank-and-missing-skipped"),
        pytest.param([{"other": "x"}], None, id="absent"),
        pytest.param([], None, id="no-sources"),
    ],
)
def test_first_text(sources: list[dict[str, Any]], expected: str | None) -> None:
    assert first_text(sources, "name") == expected


# --- as_list -------------------------------------------------------------------------------

SALES = {"@attributes": {"id": "1", "name": "Sales"}, "inqueue": "0"}
SUPPORT = {"@attributes": {"id": "2", "name": "Support"}, "inqueue": "2"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param([SALES, SUPPORT], [SALES, SUPPORT], id="list"),
        pytest.param([], [], id="empty-list"),
        pytest.param({"department": [SALES, SUPPORT]}, [SALES, SUPPORT], id="wrapped-list"),
        pytest.param({"department": SALES}, [SALES], id="wrapped-one-object"),
        pytest.param({"department": ""}, [], id="wrapped-empty-text"),
        pytest.param({"department": {"department": [SALES]}}, [SALES], id="wrapped-twice"),
        pytest.param(SALES, [SALES], id="collapsed-one-object"),
        pytest.param({"0": SALES, "1": SUPPORT}, [SALES, SUPPORT], id="keyed-by-index"),
        pytest.param(
            {"0": SALES, "1": "x"}, [{"0": SALES, "1": "x"}], id="index-keys-not-all-objects"
        ),
        pytest.param(
            {"customers": {"inqueue": "1"}},
            [{"customers": {"inqueue": "1"}}],
            id="object-of-objects",
        ),
        pytest.param(
            {"department": [SALES], "@attributes": {"count": "1"}},
            [SALES],
            id="wrapper-with-attributes-unwraps",
        ),
        pytest.param(
            {"department": [SALES], "name": "x"},
            [{"department": [SALES], "name": "x"}],
            id="item-key-beside-other-keys-is-one-object",
        ),
        pytest.param(None, [], id="none"),
        pytest.param("", [], id="empty-text"),
        pytest.param({}, [], id="empty-object"),
        pytest.param("Sales", [], id="text"),
        pytest.param(3, [], id="number"),
        pytest.param(
            [SALES, "x", 3, None, [SUPPORT], SUPPORT], [SALES, SUPPORT], id="non-objects-dropped"
        ),
    ],
)
def test_as_list(value: Any, expected: list[dict[str, Any]]) -> None:
    assert as_list(value, "department") == expected


def test_as_list_without_item_key_keeps_the_wrapper() -> None:
    assert as_list({"department": [SALES]}) == [{"department": [SALES]}]


# --- load_json -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", f"{WHERE} sent an empty answer", id="empty"),
        pytest.param(b" \r\n\t ", f"{WHERE} sent an empty answer", id="whitespace"),
        pytest.param(
            b"<!DOCTYPE html><html><body>Maintenance</body></html>",
            f"{WHERE} sent an HTML page instead of data",
            id="html-page",
        ),
        pytest.param(
            b"\n  <HTML><p>502</p></HTML>",
            f"{WHERE} sent an HTML page instead of data",
            id="html-upper",
        ),
        pytest.param(
            b'{"global": {"customers": {"inq',
            f"{WHERE} sent JSON that is cut off or malformed",
            id="truncated",
        ),
        pytest.param(
            b'[{"a": 1},]', f"{WHERE} sent JSON that is cut off or malformed", id="trailing-comma"
        ),
        pytest.param(b"<status/>", f"{WHERE} sent XML that could not be read", id="xml-instead"),
        pytest.param(
            b"Service unavailable", f"{WHERE} sent an unreadable answer (19 bytes)", id="plain-text"
        ),
        pytest.param(b"\xff\xfe{}", f"{WHERE} sent an unreadable answer (4 bytes)", id="not-utf8"),
    ],
)
def test_load_json_refuses(body: bytes, message: str) -> None:
    with pytest.raises(ContactCenterResponseError) as caught:
        load_json(body, WHERE)
    assert str(caught.value) == message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b'{"a": "1", "b": [1, 2.5]}', {"a": "1", "b": [1, 2.5]}, id="object"),
        pytest.param(b"  [1]\n", [1], id="list-padded"),
        pytest.param(b'"text"', "text", id="string"),
    ],
)
def test_load_json_reads(body: bytes, expected: Any) -> None:
    assert load_json(body, WHERE) == expected


def test_load_json_reads_the_seed_fixture() -> None:
    assert load_json(fixture_bytes("live_guide_seed.json"), WHERE) == fixture_json(
        "live_guide_seed.json"
    )


# --- load_xml ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"<status><a>1</a></status>", {"a": "1"}, id="text-only-child-is-string"),
        pytest.param(b"<status><a>  1 \n</a></status>", {"a": "1"}, id="text-stripped"),
        pytest.param(
            b"<status><a/><b></b></status>", {"a": "", "b": ""}, id="empty-element-is-empty-text"
        ),
        pytest.param(
            b'<status><a id="1" name="Sales"/></status>',
            {"a": {"@attributes": {"id": "1", "name": "Sales"}}},
            id="attributes",
        ),
        pytest.param(
            b'<status><a id="1">ignored text</a></status>',
            {"a": {"@attributes": {"id": "1"}}},
            id="text-beside-attributes-dropped",
        ),
        pytest.param(
            b"<status><a><b>1</b></a></status>", {"a": {"b": "1"}}, id="single-child-is-object"
        ),
        pytest.param(
            b"<status><a><b>1</b><b>2</b><c>3</c><b>4</b></a></status>",
            {"a": {"b": ["1", "2", "4"], "c": "3"}},
            id="repeated-children-are-list",
        ),
        pytest.param(
            b'<status v="2"><d id="1"><n>0</n></d><d id="2"><n>3</n></d></status>',
            {
                "@attributes": {"v": "2"},
                "d": [
                    {"@attributes": {"id": "1"}, "n": "0"},
                    {"@attributes": {"id": "2"}, "n": "3"},
                ],
            },
            id="root-attributes-and-repeated-objects",
        ),
        pytest.param(b"<status>text</status>", "text", id="text-only-root"),
        pytest.param(b"<status/>", "", id="empty-root"),
        pytest.param(
            b'<?xml version="1.0" encoding="ISO-8859-1"?><status><n>Z\xfcrich</n></status>',
            {"n": "Z\u00fcrich"},
            id="latin1-declared",
        ),
        pytest.param(
            b'<!DOCTYPE status [<!ENTITY e "x">]><status><n>&e;</n></status>',
            {"n": "x"},
            id="internal-entity",
        ),
    ],
)
def test_load_xml_follows_simplexml(body: bytes, expected: Any) -> None:
    assert load_xml(body, WHERE) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"<error>Invalid token</error>", {"error": "Invalid token"}, id="text"),
        pytest.param(
            b'<error code="401">Invalid token</error>',
            {"error": "Invalid token"},
            id="with-attribute",
        ),
        pytest.param(b"<error/>", {"error": ""}, id="empty"),
        pytest.param(
            b"<error><message>Invalid token</message></error>", {"error": ""}, id="nested"
        ),
        pytest.param(
            b"<Error>Invalid token</Error>", "Invalid token", id="other-case-is-not-an-error"
        ),
    ],
)
def test_load_xml_keeps_the_meaning_of_an_error_root(body: bytes, expected: Any) -> None:
    assert load_xml(body, WHERE) == expected


def test_load_xml_matches_the_json_twins() -> None:
    for name in ("live_guide_seed", "live_guide_center", "live_guide_single", "live_guide_empty"):
        converted = load_xml(fixture_bytes(f"{name}.xml"), WHERE)
        assert set(converted) == set(fixture_json(f"{name}.json"))
    center = load_xml(fixture_bytes("live_guide_center.xml"), WHERE)
    assert center["operators"]["operator"][1] == {
        "@attributes": {"name": "Bob Busy", "email": "bob@example.com"},
        "status": "busy",
        "chats": "3",
        "onlineFor": "120",
        "departments": {"department": {"@attributes": {"id": "2", "name": "Support"}}},
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", f"{WHERE} sent an empty answer", id="empty"),
        pytest.param(b"\n \n", f"{WHERE} sent an empty answer", id="whitespace"),
        pytest.param(
            b"<html><body>Login</body></html>",
            f"{WHERE} sent an HTML page instead of data",
            id="html-root-well-formed",
        ),
        pytest.param(
            b"<HTML><body/></HTML>",
            f"{WHERE} sent an HTML page instead of data",
            id="html-root-upper",
        ),
        pytest.param(
            b"<!DOCTYPE html><html><body><br></body></html>",
            f"{WHERE} sent an HTML page instead of data",
            id="html-page-malformed",
        ),
        pytest.param(
            b"<status><a>1</status>",
            f"{WHERE} sent XML that could not be read",
            id="mismatched-tag",
        ),
        pytest.param(
            b"<status><a>1</a>", f"{WHERE} sent XML that could not be read", id="truncated"
        ),
        pytest.param(
            b"<status>\xff</status>", f"{WHERE} sent XML that could not be read", id="bad-utf8"
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="bogus"?><status/>',
            f"{WHERE} sent XML that could not be read",
            id="unknown-encoding",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="rot13"?><status/>',
            f"{WHERE} sent XML that could not be read",
            id="non-text-codec",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="shift_jis"?><status/>',
            f"{WHERE} sent XML that could not be read",
            id="multi-byte-encoding",
        ),
        pytest.param(
            b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s>&x;</s>',
            f"{WHERE} sent XML that could not be read",
            id="external-entity",
        ),
        pytest.param(
            b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10)
                for i in range(7)
            )
            + b"]><s>&h;</s>",
            f"{WHERE} sent XML that could not be read",
            id="entity-expansion-bomb",
        ),
        pytest.param(
            b'{"global": {}}', f"{WHERE} sent JSON that is cut off or malformed", id="json-instead"
        ),
        pytest.param(
            b"<a>" * 20_000 + b"</a>" * 20_000,
            f"{WHERE} sent XML nested too deeply",
            id="deep-nesting",
        ),
    ],
)
def test_load_xml_refuses(body: bytes, message: str) -> None:
    with pytest.raises(ContactCenterResponseError) as caught:
        load_xml(body, WHERE)
    assert str(caught.value) == message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None


# --- describe_body -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            b"<!doctype html><title>Error</title>token=" + TOKEN.encode(),
            "an HTML page instead of data",
            id="html",
        ),
        pytest.param(
            b"  <html>" + TOKEN.encode(), "an HTML page instead of data", id="html-padded"
        ),
        pytest.param(
            b"<status token='" + TOKEN.encode() + b"'>", "XML that could not be read", id="xml"
        ),
        pytest.param(
            b'{"token": "' + TOKEN.encode() + b'"',
            "JSON that is cut off or malformed",
            id="json-object",
        ),
        pytest.param(b'["' + TOKEN.encode(), "JSON that is cut off or malformed", id="json-list"),
        pytest.param(
            b"Invalid token " + TOKEN.encode(),
            f"an unreadable answer ({14 + len(TOKEN)} bytes)",
            id="text",
        ),
        pytest.param(b"", "an unreadable answer (0 bytes)", id="empty"),
    ],
)
def test_describe_body_never_quotes_the_body(body: bytes, expected: str) -> None:
    description = describe_body(body)
    assert description == expected
    assert TOKEN not in description
    assert "SECRET" not in description


def test_load_errors_never_quote_the_body() -> None:
    body = b"Access denied for token " + TOKEN.encode()
    for loader in (load_json, load_xml):
        with pytest.raises(ContactCenterResponseError) as caught:
            loader(body, WHERE)
        for text in (str(caught.value), repr(caught.value), str(caught.value.__context__)):
            assert TOKEN not in text


# --- the strict readers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (0, 0),
        (3.0, 3),
        ("3", 3),
        (" 3 ", 3),
        ("3.0", 3),
        ("3.", 3),
        ("", None),
        ("  ", None),
        (None, None),
        ({}, None),
    ],
)
def test_read_int(value: Any, expected: int | None) -> None:
    assert read_int(value, WHERE, "a count") == expected


@pytest.mark.parametrize(
    "value",
    [
        *(-1, "-1", 2.6, "2.6", "3.01", "1e3", "n/a", "\u00b2", "\u0663", "9" * 19, 1e18),
        *(float("nan"), float("inf"), True, False, [], [3], {"v": 3}),
    ],
)
def test_read_int_refuses(value: Any) -> None:
    with pytest.raises(ContactCenterResponseError, match=f"^{WHERE} sent a count of an"):
        read_int(value, WHERE, "a count")


@pytest.mark.parametrize(
    ("value", "expected"), [(" Ann ", "Ann"), (7, "7"), ("", None), (" ", None), (None, None)]
)
def test_read_text(value: Any, expected: str | None) -> None:
    assert read_text(value, WHERE, "a name") == expected


@pytest.mark.parametrize("value", [1.5, True, ["Ann"], {"first": "Ann"}])
def test_read_text_refuses(value: Any) -> None:
    with pytest.raises(ContactCenterResponseError):
        read_text(value, WHERE, "a name")


@pytest.mark.parametrize(
    ("value", "expected"), [({"a": 1}, {"a": 1}), ({}, {}), ("", {}), (None, {}), ([], {})]
)
def test_read_object(value: Any, expected: dict[str, Any]) -> None:
    assert read_object(value, WHERE, "figures") == expected


@pytest.mark.parametrize("value", ["busy", 0, True, [{"a": 1}]])
def test_read_object_refuses(value: Any) -> None:
    with pytest.raises(ContactCenterResponseError):
        read_object(value, WHERE, "figures")


ONE = {"id": "1"}
TWO = {"id": "2"}


@pytest.mark.parametrize(
    ("value", "item_key", "expected"),
    [
        ([ONE, TWO], None, [ONE, TWO]),
        ([], None, []),
        ({}, None, []),
        ("", None, []),
        (None, None, []),
        ({"0": ONE, "1": TWO}, None, [ONE, TWO]),
        ({"item": [ONE, TWO]}, "item", [ONE, TWO]),
        ({"item": ONE}, "item", [ONE]),
        ({"item": ONE, "@attributes": {"n": "1"}}, "item", [ONE]),
        (ONE, "item", [ONE]),
    ],
)
def test_read_records(value: Any, item_key: str | None, expected: list[dict[str, Any]]) -> None:
    assert read_records(value, WHERE, "items", item_key) == expected


@pytest.mark.parametrize(
    ("value", "item_key"),
    [
        ("busy", None),
        (3, None),
        (True, None),
        ([1, 2], None),
        ([ONE, "x"], None),
        ([ONE, None], None),
        ({"0": ONE, "1": 2}, None),
        (ONE, None),
        ({"message": "busy"}, None),
        ({"item": "busy"}, "item"),
        ({"item": ""}, "item"),
        ({"item": [ONE, 3]}, "item"),
        ("busy", "item"),
    ],
)
def test_read_records_refuses(value: Any, item_key: str | None) -> None:
    with pytest.raises(ContactCenterResponseError, match=f"^{WHERE} sent items of an"):
        read_records(value, WHERE, "items", item_key)
