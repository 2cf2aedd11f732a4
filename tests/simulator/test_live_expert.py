"""The Live Expert scenario and wire format, in-process and over HTTP."""

from __future__ import annotations

from datetime import date, timedelta
import io
import json
from typing import Any
import zipfile

import pytest

from simulator import Fault, Simulator
from simulator.__main__ import describe
from simulator.vendors.live_expert import (
    AVAILABILITY_PATH,
    EXPORT_TYPES,
    GET_FILE_PATH,
    LIST_FILES_PATH,
    TOKEN_PATH,
)

from .conftest import FakeClock, Served

# The conftest's clock starts on Wednesday 18 November 2026.
TODAY = date(2026, 11, 18)


async def token(served: Served, client_id: str = "homeassistant") -> str:
    le = served.sim.live_expert
    async with served.session.post(
        served.url + TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": le.clients[client_id].secret,
        },
    ) as response:
        assert response.status == 200
        answer = await response.json()
    assert answer["token_type"] == "LEAccess"
    return f"LEAccess {answer['access_token']}"


async def get(
    served: Served, path: str, auth: str | None, **params: str
) -> tuple[int, Any, dict[str, str]]:
    headers = {} if auth is None else {"Authorization": auth}
    async with served.session.get(served.url + path, params=params, headers=headers) as response:
        raw = await response.read()
        content_type = response.headers.get("Content-Type", "")
        body: Any = raw
        if "json" in content_type:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
        elif "text/plain" in content_type:
            body = raw.decode()
        return response.status, body, dict(response.headers)


async def test_token_endpoint(served: Served) -> None:
    le = served.sim.live_expert
    le.token_lifetime = 90
    async with served.session.post(
        served.url + TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": "availability-only",
            "client_secret": le.clients["availability-only"].secret,
        },
    ) as response:
        answer = await response.json()
    assert answer["scope"] == "expertAvailabilityCheck"
    assert answer["expires_in"] == 90
    assert len(answer["access_token"]) == 32
    for form, status, error in (
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "client_id": "homeassistant"}, 401, "invalid_client"),
        ({"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}, 401, None),
    ):
        async with served.session.post(served.url + TOKEN_PATH, data=form) as response:
            assert response.status == status
            body = await response.json()
            assert body["error"] == (error or "invalid_client")
            assert "error_description" in body
    assert le.tokens_issued == 1


async def test_availability_answers_per_target(served: Served) -> None:
    le = served.sim.live_expert
    le.freeze()
    le.set_expert("1001", "available")
    le.set_direct_queue("1001", 2)
    le.set_queue("12", "1", 3)
    auth = await token(served)
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, expertID="1001")
    assert status == 200
    assert body == [
        {
            "expertID": 1001,
            "categoryID": None,
            "languageID": None,
            "loggedInExperts": 1,
            "activeExperts": 0,
            "availableExperts": 1,
            "queueLength": 2,
        }
    ]
    # The expert id wins when all three are given, as the guide says.
    status, body, _ = await get(
        served, AVAILABILITY_PATH, auth, expertID="1001", categoryID="12", languageID="1"
    )
    assert body[0]["expertID"] == 1001
    assert body[0]["categoryID"] is None
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, categoryID="12", languageID="1")
    serving = [e for e in le.experts.values() if ("12", "1") in e.pairs]
    assert body[0]["queueLength"] == 3
    assert body[0]["loggedInExperts"] == sum(e.state != "offline" for e in serving)
    assert body[0]["availableExperts"] == sum(e.state == "available" for e in serving)
    assert body[0]["activeExperts"] == sum(e.state == "active" for e in serving)
    le.numbers_as_strings = True
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, categoryID="12", languageID="1")
    assert body[0]["queueLength"] == "3"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Either expertID"),
        ({"categoryID": "12"}, "languageID must be specified"),
        ({"expertID": "9999"}, "Unknown expert: 9999"),
        ({"categoryID": "99", "languageID": "1"}, "Unknown category 99"),
    ],
)
async def test_availability_refuses_bad_requests(
    served: Served, params: dict[str, str], message: str
) -> None:
    auth = await token(served)
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, **params)
    assert status == 400
    assert body["success"] is False
    assert message in body["errorMessage"]


async def test_tokens_are_checked(served: Served) -> None:
    le = served.sim.live_expert
    le.token_lifetime = 60
    auth = await token(served)
    for header in (None, "Bearer x", "LEAccess nope", auth.replace("LEAccess", "Bearer")):
        status, body, _ = await get(served, AVAILABILITY_PATH, header, expertID="1001")
        assert status == 401
        assert body == {"success": False, "errorMessage": "Invalid or expired access token"}
    assert (await get(served, AVAILABILITY_PATH, auth, expertID="1001"))[0] == 200
    served.clock.tick(60)
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, expertID="1001")
    assert (status, body["errorMessage"]) == (401, "Access token expired")
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, expertID="1001")
    assert (status, body["errorMessage"]) == (401, "Invalid or expired access token")

    auth = await token(served)
    le.expire_tokens()
    assert (await get(served, AVAILABILITY_PATH, auth, expertID="1001"))[0] == 401
    auth = await token(served)
    le.set_secret("homeassistant", "new-secret")
    assert (await get(served, AVAILABILITY_PATH, auth, expertID="1001"))[0] == 401
    with pytest.raises(ValueError, match="empty"):
        le.set_secret("homeassistant", "")


async def test_scopes_are_enforced(served: Served) -> None:
    export_only = await token(served, "export-only")
    status, body, _ = await get(served, AVAILABILITY_PATH, export_only, expertID="1001")
    assert status == 403
    assert "expertAvailabilityCheck" in body["errorMessage"]
    availability = await token(served, "availability-only")
    for path in (LIST_FILES_PATH, GET_FILE_PATH):
        status, body, _ = await get(served, path, availability, date="2026-11-17")
        assert status == 403
        assert "dataExport" in body["errorMessage"]
    served.sim.live_expert.set_scopes("availability-only", ["dataExport"])
    assert (await get(served, LIST_FILES_PATH, availability))[0] == 200


async def test_failing_target_answers_an_error_body(served: Served) -> None:
    le = served.sim.live_expert
    auth = await token(served)
    le.fail_target("12:1", "Category disabled")
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, categoryID="12", languageID="1")
    assert (status, body) == (200, {"success": False, "errorMessage": "Category disabled"})
    le.fail_target("12:1", None)
    status, body, _ = await get(served, AVAILABILITY_PATH, auth, categoryID="12", languageID="1")
    assert isinstance(body, list)


def test_scenario_moves_and_is_deterministic(clock: FakeClock) -> None:
    def run() -> list[Any]:
        local = FakeClock(clock.now)
        sim = Simulator(seed=5, clock=local)
        seen = []
        for _ in range(120):
            local.tick(30)
            seen.append(
                (
                    sim.live_expert.figures({"categoryID": "17", "languageID": "1"}),
                    sim.live_expert.figures({"expertID": "1004"}),
                    sim.live_expert.summary()["experts"],
                )
            )
        return seen

    first = run()
    assert first == run()
    assert len({str(item[0]) for item in first}) > 5
    assert len({str(item[1]) for item in first}) > 1


def test_freeze_and_controls(sim: Simulator, clock: FakeClock) -> None:
    le = sim.live_expert
    le.freeze()
    assert le.frozen
    before = le.summary()
    clock.tick(3600)
    le.advance_to(sim.now())
    assert le.summary() == before
    le.set_expert("1002", "active")
    assert le.figures({"expertID": "1002"})["activeExperts"] == 1
    with pytest.raises(ValueError, match="unknown state"):
        le.set_expert("1002", "lunch")
    with pytest.raises(ValueError, match="negative"):
        le.set_queue("12", "1", -1)
    le.unfreeze()
    assert not le.frozen
    le.advance_to(le.now - 10)  # the past changes nothing
    clock.tick(10 * 24 * 3600)  # a long gap is caught up in a bounded number of ticks
    le.advance_to(sim.now())
    assert le.now == sim.now()


async def test_list_files_and_get_file(served: Served) -> None:
    le = served.sim.live_expert
    auth = await token(served)
    status, body, headers = await get(served, LIST_FILES_PATH, auth)
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    names = body.splitlines()
    days = [
        date.fromisoformat(name.removeprefix("summary.").removesuffix(".zip")) for name in names
    ]
    assert days == le.export_days()
    assert days[-1] == TODAY - timedelta(days=1)
    assert days[0] >= TODAY - timedelta(days=60)
    assert all(day.weekday() < 5 for day in days)

    status, content, headers = await get(served, GET_FILE_PATH, auth, date="2026-11-17")
    assert status == 200
    assert headers["Content-Type"] == "application/zip;charset=UTF-8"
    assert headers["Content-Disposition"] == 'attachment; filename="summary.2026-11-17.zip"'
    assert content == le.export_zip(date(2026, 11, 17))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.namelist()
        assert members
        assert all(name.endswith(".2026-11-17.csv") for name in members)
        assert {name.split(".")[0] for name in members} <= set(EXPORT_TYPES)

    async with served.session.post(
        served.url + GET_FILE_PATH, data={"date": "2026-11-17"}, headers={"Authorization": auth}
    ) as response:
        assert response.status == 200
        assert await response.read() == content

    for day in ("2026-11-15", "2026-11-18", "2026-09-01"):  # Sunday, today, too old
        status, content, _ = await get(served, GET_FILE_PATH, auth, date=day)
        assert (status, content) == (204, b"")
    status, body, _ = await get(served, GET_FILE_PATH, auth, date="17-11-2026")
    assert status == 400
    assert "Invalid date" in body["errorMessage"]
    status, body, _ = await get(served, GET_FILE_PATH, auth)
    assert (status, body["success"]) == (400, False)


def test_exports_are_deterministic_and_leave_out_empty_types(clock: FakeClock) -> None:
    first = Simulator(seed=9, clock=clock).live_expert
    second = Simulator(seed=9, clock=clock).live_expert
    day = first.export_days()[-1]
    assert first.export_zip(day) == second.export_zip(day)
    assert first.export_zip(day) != Simulator(seed=10, clock=clock).live_expert.export_zip(day)
    first.set_export(day, {"sessions": [["1"]], "interactions": []})
    content = first.export_zip(day)
    assert content is not None
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == [f"sessions.{day.isoformat()}.csv"]
        assert archive.read(archive.namelist()[0]).decode().splitlines()[1] == "1"
    first.set_export(day, None)
    assert first.export_zip(day) is None
    assert day not in first.export_days()
    # Across many generated days, some types are left out for having no rows.
    tables = [second.export_tables(d) for d in second.export_days()]
    assert any(len(t) < len(EXPORT_TYPES) for t in tables)


@pytest.mark.parametrize("path", [AVAILABILITY_PATH, LIST_FILES_PATH, GET_FILE_PATH])
async def test_generic_faults_apply(served: Served, path: str) -> None:
    auth = await token(served)
    served.sim.set_fault("live_expert", Fault.SERVER_ERROR)
    assert (await get(served, path, auth, expertID="1001", date="2026-11-17"))[0] == 500
    served.sim.set_fault("live_expert", Fault.TRUNCATED)
    status, body, _ = await get(served, path, auth, expertID="1001", date="2026-11-17")
    assert status == 200
    served.sim.set_fault("live_expert", Fault.TOKEN_REVOKED)
    status, body, _ = await get(served, path, auth, expertID="1001", date="2026-11-17")
    assert (status, body["success"]) == (401, False)


async def test_token_revoked_on_the_token_endpoint(served: Served) -> None:
    served.sim.set_fault("live_expert", Fault.TOKEN_REVOKED)
    async with served.session.post(
        served.url + TOKEN_PATH,
        data={"grant_type": "client_credentials", "client_id": "homeassistant"},
    ) as response:
        assert response.status == 401
        assert (await response.json())["error"] == "invalid_client"


def test_summary_credentials_and_cli(sim: Simulator) -> None:
    le = sim.live_expert
    assert set(le.summary()) == {
        "experts",
        "queues",
        "tokens",
        "token_lifetime",
        "exports",
        "frozen",
    }
    assert sum(le.summary()["experts"].values()) == 10
    assert le.credentials() == {
        "client_id": "homeassistant",
        "client_secret": le.client_secret,
        "expert_ids": "1001,1003,1004",
        "category_languages": "12:1,12:2,17:1",
    }
    assert le.config_forms("http://h:1") == [{"url": "http://h:1", **le.credentials()}]
    assert le.sample_url("http://h:1") is None
    text = describe(sim, "http://127.0.0.1:8080")
    assert "Live Expert (live_expert)" in text
    assert le.client_secret in text
    assert "Expert IDs:" in text
    assert sim.admin_state()["vendors"]["live_expert"]["title"] == "Live Expert"
