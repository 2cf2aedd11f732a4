"""The wolkvox client without Home Assistant: input readers, answers, errors and the governor."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
import gc
import json
from typing import Any
from unittest.mock import MagicMock

import pytest
from yarl import URL

from custom_components.contact_center.api import (
    ContactCenterAuthError,
    ContactCenterConnectionError,
    ContactCenterRateLimitError,
    ContactCenterResponseError,
)
from custom_components.contact_center.api.client import RawResponse, SharedState
from custom_components.contact_center.api.governor import (
    QUOTA_REFRESH,
    GovernorRegistry,
    RequestGovernor,
    token_key,
)
from custom_components.contact_center.api.parsing import read_percent
from custom_components.contact_center.api.wolkvox import (
    QuotaExhaustedError,
    WolkvoxClient,
    WolkvoxSettings,
    _envelope,
    classify,
    parse_skill,
    parse_skill_ids,
    server_label,
    server_url,
)

from .conftest import NOW, TOKEN, Clock


def _body(status: int | str, message: str | None, data: Any = None) -> bytes:
    return json.dumps({"code": status, "error": message, "msg": message, "data": data}).encode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0002", "https://wv0002.wolkvox.com"),
        (" wv0019 ", "https://wv0019.wolkvox.com"),
        ("wv0002.wolkvox.com", "https://wv0002.wolkvox.com"),
        (
            "https://wv0002.wolkvox.com/api/v2/real_time.php?api=skills",
            "https://wv0002.wolkvox.com/",
        ),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
        ("https://proxy.example/wolkvox/", "https://proxy.example/wolkvox"),
    ],
)
def test_server_url(raw: str, expected: str) -> None:
    assert str(server_url(raw)).rstrip("/") == expected.rstrip("/")


@pytest.mark.parametrize("raw", ["", "ftp://x", "https://", "   "])
def test_server_url_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="server code"):
        server_url(raw)


def test_server_label() -> None:
    assert server_label(URL("https://wv0002.wolkvox.com")) == "0002"
    assert server_label(URL("http://127.0.0.1:8080")) == "127.0.0.1:8080"
    assert server_label(URL("https://Proxy.Example")) == "proxy.example"


def test_parse_skill_ids() -> None:
    assert parse_skill_ids(" 101, 102;103 101\n104") == ("101", "102", "103", "104")
    for bad in ("", " , ", "sales", "101,x", "1.5"):
        with pytest.raises(ValueError, match="numbers"):
            parse_skill_ids(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85.5", 85.5),
        ("85.5%", 85.5),
        (" 85,5 % ", 85.5),
        ("100", 100.0),
        (42, 42.0),
        (33.333, 33.33),
        ("", None),
        (None, None),
    ],
)
def test_read_percent(value: Any, expected: float | None) -> None:
    assert read_percent(value, "w", "a service level") == expected


@pytest.mark.parametrize("value", ["n/a", "-1", "nan", "101", "1e2", "8.3.3", True, [], {"v": 1}])
def test_read_percent_refuses(value: Any) -> None:
    with pytest.raises(ContactCenterResponseError, match="^w sent a service level of an"):
        read_percent(value, "w", "a service level")


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (403, "TOKEN LIMIT EXCEEDED", QuotaExhaustedError),
        (
            403,
            "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
            ContactCenterRateLimitError,
        ),
        (403, "PLEASE VALIDATE TOKEN", ContactCenterAuthError),
        (401, "PLEASE ENTER THE WOLKVOX-TOKEN", ContactCenterAuthError),
        (401, None, ContactCenterAuthError),
        (400, "SOME PARAMETERS ARE REQUIRED", ContactCenterResponseError),
        (400, "THE API YOU WANT TO CONSULT DOES NOT EXIST", ContactCenterResponseError),
        (403, "Server under maintenance", ContactCenterConnectionError),
        (503, None, ContactCenterConnectionError),
        (404, None, ContactCenterResponseError),
    ],
)
def test_classify_by_message(status: int, message: str | None, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        classify(status, _body(status, message), "wv0002")
    assert "wv0002" in str(info.value)


def test_classify_plain_text_and_success() -> None:
    classify(200, b"anything", "x")
    with pytest.raises(QuotaExhaustedError) as info:
        classify(403, b"403 token limit exceeded", "x")
    assert info.value.retry_after == 3600
    with pytest.raises(ContactCenterConnectionError):
        classify(403, b"[1, 2]", "x")
    with pytest.raises(ContactCenterConnectionError):
        classify(403, b'{"code": 403}', "x")


def _response(body: bytes | dict[str, Any], status: int = 200) -> RawResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse(status, "application/json", raw)


def test_envelope_shapes() -> None:
    record = {"skill_id": "1"}
    assert _envelope(_response({"code": "200", "data": [record]}), "w") == [record]
    assert _envelope(_response({"code": 200, "error": None, "data": record}), "w") == [record]
    assert _envelope(_response({"code": 200, "data": None}), "w") == []
    assert _envelope(_response({"code": 200, "data": ""}), "w") == []
    assert _envelope(_response({"code": 200, "error": "", "data": []}), "w") == []
    with pytest.raises(QuotaExhaustedError):
        _envelope(_response({"code": "403", "error": "TOKEN LIMIT EXCEEDED", "data": []}), "w")
    with pytest.raises(QuotaExhaustedError):
        _envelope(_response({"code": 200, "error": "TOKEN LIMIT EXCEEDED", "data": []}), "w")
    for bad in (b"[]", b'{"code": 200, "data": 5}', b"", b"<html>"):
        with pytest.raises(ContactCenterResponseError):
            _envelope(_response(bad), "w")


WOLKVOX_RECORD = {
    "skill_id": "101",
    "skill_name": "Ventas",
    "calls_in_queue_now": "3",
    "stat_inbound": "120",
    "stat_answer": "110",
    "stat_abandon": "10",
    "service_level_10seg": "70",
    "service_level_20seg": "80.5",
    "service_level_30seg": "90%",
    "by_abandon": "8.33",
}


def wolkvox_answer(*records: Any, **envelope: Any) -> dict[str, Any]:
    body = {"code": 200, "error": None, "msg": "1 records were found", "data": list(records)}
    body.update(envelope)
    return {key: value for key, value in body.items() if value is not _ABSENT}


_ABSENT = object()


def with_record(**fields: Any) -> dict[str, Any]:
    return wolkvox_answer({**WOLKVOX_RECORD, **fields})


WOLKVOX_WRONG_SHAPES = [
    # The shapes of issue 9: an empty skill, or another skill's figures, before.
    pytest.param({}, id="no-envelope"),
    pytest.param({"message": "busy"}, id="other-object"),
    pytest.param(WOLKVOX_RECORD, id="record-without-envelope"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, code=_ABSENT), id="no-code"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, data=_ABSENT), id="no-data"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, code="OK"), id="code-word"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, code=True), id="code-true"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, error="something broke"), id="error-beside-200"),
    pytest.param(wolkvox_answer(data="temporarily unavailable"), id="data-text"),
    pytest.param(wolkvox_answer(data=5), id="data-number"),
    pytest.param(wolkvox_answer(data=True), id="data-true"),
    pytest.param(wolkvox_answer(1, 2), id="data-list-of-numbers"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, "junk"), id="data-junk-item"),
    pytest.param(with_record(skill_id="102"), id="another-skill"),
    pytest.param(with_record(skill_id=""), id="skill-id-empty"),
    pytest.param(with_record(skill_id=None), id="skill-id-missing"),
    pytest.param(with_record(skill_id="10l"), id="skill-id-word"),
    pytest.param(with_record(skill_id=["101"]), id="skill-id-list"),
    pytest.param(wolkvox_answer(WOLKVOX_RECORD, WOLKVOX_RECORD), id="two-records"),
    pytest.param(
        wolkvox_answer(WOLKVOX_RECORD, {**WOLKVOX_RECORD, "skill_id": "9"}), id="two-skills"
    ),
    pytest.param(with_record(calls_in_queue_now="2.6"), id="waiting-fraction"),
    pytest.param(with_record(calls_in_queue_now="-1"), id="waiting-negative"),
    pytest.param(with_record(calls_in_queue_now="many"), id="waiting-word"),
    pytest.param(with_record(calls_in_queue_now=True), id="waiting-true"),
    pytest.param(with_record(stat_inbound="1e3"), id="inbound-exponent"),
    pytest.param(with_record(stat_answer=[1]), id="answered-list"),
    pytest.param(with_record(stat_abandon="n/a"), id="abandoned-word"),
    pytest.param(with_record(service_level_20seg="n/a"), id="service-level-word"),
    pytest.param(with_record(service_level_20seg="120"), id="service-level-over-100"),
    pytest.param(with_record(service_level_10seg="-5"), id="service-level-negative"),
    pytest.param(with_record(service_level_30seg=[90]), id="service-level-list"),
    pytest.param(with_record(by_abandon="lots"), id="abandon-rate-word"),
    pytest.param(with_record(skill_name={"es": "Ventas"}), id="name-object"),
]


@pytest.mark.parametrize("answer", WOLKVOX_WRONG_SHAPES)
def test_wrong_shapes_are_errors(answer: Any) -> None:
    with pytest.raises(ContactCenterResponseError) as caught:
        parse_skill("101", _envelope(_response(answer), "0002"), "0002")
    assert str(caught.value).startswith("0002 ")
    assert TOKEN not in repr(caught.value)


def test_the_good_answer_of_the_wrong_shapes_table_is_read() -> None:
    queue = parse_skill("101", _envelope(_response(with_record()), "0002"), "0002")
    assert queue is not None
    assert (queue.waiting, queue.service_level) == (3, 80.5)
    assert parse_skill("0101", [WOLKVOX_RECORD]) == replace(queue, id="0101")


def test_parse_skill() -> None:
    record = {
        "skill_id": "101",
        "skill_name": " Ventas ",
        "calls_in_queue_now": "3",
        "stat_inbound": "120",
        "stat_answer": "110",
        "stat_abandon": "10",
        "service_level_10seg": "70%",
        "service_level_20seg": "80.5",
        "service_level_30seg": "",
        "by_abandon": "8.33 %",
    }
    queue = parse_skill("101", [record])
    assert queue is not None
    assert (queue.id, queue.name, queue.waiting, queue.offered) == ("101", "Ventas", 3, 120)
    assert (queue.answered, queue.abandoned) == (110, 10)
    assert (queue.service_level, queue.abandoned_pct) == (80.5, 8.33)
    assert dict(queue.extras) == {"service_level_10s": 70.0}
    # A record of the asked skill without figures: named by its id, every figure unknown.
    other = parse_skill("7", [{"skill_id": "7"}])
    assert other is not None
    assert (other.id, other.name, other.waiting) == ("7", "7", None)
    assert parse_skill("7", []) is None


def _client(**settings: Any) -> WolkvoxClient:
    values: dict[str, Any] = {"server": "0002", "token": TOKEN, "skill_ids": "1,2", **settings}
    return WolkvoxClient(MagicMock(spec=[]), WolkvoxSettings(**values), clock=Clock())


def test_client_settings_and_headers() -> None:
    client = _client(quota_share=500)
    assert client.skill_ids == ("1", "2")
    assert client._headers == {"wolkvox-token": TOKEN, "wolkvox_server": "0002"}
    assert str(client._real_time_url) == "https://wv0002.wolkvox.com/api/v2/real_time.php"
    assert client._share == 1.0
    assert TOKEN not in repr(client.settings)
    assert "wolkvox_server" not in _client(server="http://127.0.0.1:1")._headers
    assert client.capabilities.queue >= {"waiting", "service_level", "abandoned_pct"}
    assert client.poll_interval() == 0
    assert client.problems == ()


def test_token_key_is_one_way() -> None:
    assert token_key(TOKEN) == token_key(TOKEN)
    assert TOKEN not in token_key(TOKEN)
    assert len(token_key(TOKEN)) == 16


class _Owner:
    """A client stand-in: the governor holds its clients weakly."""


def test_governor_budget() -> None:
    governor = RequestGovernor("k")
    owner_a, owner_b = _Owner(), _Owner()
    assert governor.interval(300) == 300
    assert governor.quota_due(NOW)
    governor.attach(owner_a, 3, 0.5)
    governor.set_quota(1000, 10, NOW)
    assert not governor.quota_due(NOW + QUOTA_REFRESH - timedelta(seconds=1))
    assert governor.quota_due(NOW + QUOTA_REFRESH)
    # 86400 * 3 / (500 - 6) = 524.7
    assert governor.interval(300) == 525
    assert governor.interval(900) == 900
    governor.attach(owner_b, 2, 0.2)
    # The smaller share rules: 86400 * 5 / (200 - 6) = 2226.8
    assert governor.interval(None) == 2227
    governor.detach(owner_b)
    governor.detach(owner_b)
    assert governor.requests_per_round == 3
    # A quota too small for any share: one round a day at most.
    governor.set_quota(4, 0, NOW)
    assert governor.interval(300) == 86400 * 3
    assert governor.used_today == 0
    governor.pause(NOW)
    assert governor.is_paused(NOW)
    assert not governor.is_paused(NOW + timedelta(hours=1))
    governor.set_quota(1_000_000, 0, NOW)
    assert governor.interval(300) == 3600
    governor.resume()
    assert governor.interval(300) == 300


async def test_governor_runs_one_at_a_time() -> None:
    governor = RequestGovernor("k")
    running = 0
    most = 0

    async def request() -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.001)
        running -= 1
        return 1

    results = await asyncio.gather(*(governor.run(request) for _ in range(5)))
    assert results == [1] * 5
    assert most == 1
    assert governor.max_in_flight == 1
    assert governor.uses_since_reading == 5


def test_governor_registry_is_shared_by_token() -> None:
    registry = GovernorRegistry()
    first = registry.governor_for(TOKEN)
    assert registry.governor_for(TOKEN) is first
    assert first.key == token_key(TOKEN)
    assert registry.governor_for(TOKEN + "x") is not first
    # Another registry (another host) knows nothing of this one's tokens.
    assert GovernorRegistry().governor_for(TOKEN) is not first


def test_clients_share_governors_only_through_their_shared_state() -> None:
    settings = WolkvoxSettings(server="0002", token=TOKEN, skill_ids="101")
    shared = SharedState()
    first = WolkvoxClient(MagicMock(spec=[]), settings, shared=shared)
    second = WolkvoxClient(MagicMock(spec=[]), settings, shared=shared)
    alone = WolkvoxClient(MagicMock(spec=[]), settings)
    assert first.governor is second.governor
    assert alone.governor is not first.governor


def test_governor_holds_clients_weakly() -> None:
    governor = RequestGovernor("k")
    owner = _Owner()
    governor.attach(owner, 4, 0.5)
    assert governor.requests_per_round == 4
    del owner
    gc.collect()
    assert governor.requests_per_round == 0


@pytest.mark.parametrize(
    ("records", "message"),
    [
        pytest.param([{"token_limit": "5"}, {"token_limit": "6"}], "more than one", id="two"),
        pytest.param([], "without a limit", id="none"),
        pytest.param([{"token_use_today": "3"}], "without a limit", id="no-limit"),
        pytest.param([{"token_limit": "5.5"}], "token limit of an unexpected", id="fraction"),
        pytest.param([{"token_limit": "5", "token_use_today": "x"}], "use count", id="used-word"),
    ],
)
async def test_unreadable_token_information_is_an_error(
    records: list[dict[str, Any]], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client()

    async def answer(url: URL, params: dict[str, str]) -> list[dict[str, Any]]:
        return records

    monkeypatch.setattr(client, "_get", answer)
    with pytest.raises(ContactCenterResponseError, match=message):
        await client.async_identify()
