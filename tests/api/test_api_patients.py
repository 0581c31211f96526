"""Patients, visits and stored assessments through the REST API — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from service_helpers import example

from alsdx import RULESET_VERSION
from alsdx.engine.assess import assess
from alsdx.model.load import case_from_dict
from alsdx.store.registry import sha256_of

MakeUser = Callable[..., dict[str, str]]


def _patient(client: TestClient, auth: dict[str, str], reference: str = "MRN-1", name: str = "") -> str:
    r = client.post("/v1/patients", json={"reference": reference, "display_name": name}, headers=auth)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_patient_crud(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    pid = _patient(client, auth, "MRN-1", "Ada")
    assert client.get(f"/v1/patients/{pid}", headers=auth).json()["display_name"] == "Ada"
    r = client.patch(f"/v1/patients/{pid}", json={"display_name": "Ada L."}, headers=auth)
    assert r.status_code == 200 and r.json()["display_name"] == "Ada L." and r.json()["reference"] == "MRN-1"
    dup = client.post("/v1/patients", json={"reference": "MRN-1"}, headers=auth)
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "reference"
    bad = client.post("/v1/patients", json={"reference": "has space"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reference"
    assert client.delete(f"/v1/patients/{pid}", headers=auth).status_code == 204
    assert client.get(f"/v1/patients/{pid}", headers=auth).status_code == 404


def test_list_is_searchable_and_paginated(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    for i in range(5):
        _patient(client, auth, f"P{i}", "Smith" if i % 2 else "Jones")
    page = client.get("/v1/patients", params={"limit": 2}, headers=auth).json()
    assert (page["total"], len(page["items"]), page["next_offset"]) == (5, 2, 2)
    last = client.get("/v1/patients", params={"limit": 2, "offset": 4}, headers=auth).json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    smiths = client.get("/v1/patients", params={"q": "smi"}, headers=auth).json()
    assert sorted(p["reference"] for p in smiths["items"]) == ["P1", "P3"]
    r = client.get("/v1/patients", params={"limit": 0}, headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"


def test_visit_versions_and_latest_assessment(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    pid = _patient(client, auth)
    first = example("limb-onset-emg")
    r = client.post(f"/v1/patients/{pid}/visits", json=first, headers=auth)
    assert r.status_code == 201 and r.json()["version"] == 1
    vid = r.json()["id"]

    latest = client.get(f"/v1/patients/{pid}/assessment", headers=auth).json()
    assert latest["assessment"] == assess(case_from_dict(first)).model_dump(mode="json")
    assert latest["input_sha256"] == sha256_of(first) and latest["ruleset_version"] == RULESET_VERSION
    assert (latest["visit_id"], latest["version"]) == (vid, 1)

    edited = {**first, "other_causes_excluded": True}
    r = client.post(f"/v1/patients/{pid}/visits/{vid}/versions", json=edited, headers=auth)
    assert r.status_code == 201 and r.json()["version"] == 2
    latest = client.get(f"/v1/patients/{pid}/assessment", headers=auth).json()
    assert latest["version"] == 2 and latest["input_sha256"] == sha256_of(edited)
    assert latest["assessment"] == assess(case_from_dict(edited)).model_dump(mode="json")

    assert client.get(f"/v1/patients/{pid}/visits/{vid}", params={"version": 1}, headers=auth).json()["case"] == first
    assert client.get(f"/v1/patients/{pid}/visits/{vid}", headers=auth).json()["case"] == edited
    versions = client.get(f"/v1/patients/{pid}/visits/{vid}/versions", headers=auth).json()
    assert [v["version"] for v in versions] == [1, 2]
    assert client.get(f"/v1/patients/{pid}/visits/{vid}", params={"version": 3}, headers=auth).status_code == 404
    # found by schemathesis in CI: a version beyond the database's integer range was a 500 (OverflowError)
    huge = client.get(f"/v1/patients/{pid}/visits/{vid}", params={"version": 2**63}, headers=auth)
    assert huge.status_code == 422 and "version" in huge.text

    client.post(f"/v1/patients/{pid}/visits", json=example("bulbar-onset"), headers=auth)
    visits = client.get(f"/v1/patients/{pid}/visits", headers=auth).json()
    assert visits["total"] == 2 and [v["assessment_date"] for v in visits["items"]] == [
        "2026-03-02",
        "2026-01-20",
    ]
    assert client.get("/v1/patients", headers=auth).json()["items"][0]["last_visit"] == "2026-03-02"


def test_invalid_visit_is_refused_and_nothing_is_stored(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    pid = _patient(client, auth)
    r = client.post(f"/v1/patients/{pid}/visits", json={**example("bulbar-onset"), "course": "?"}, headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "course"
    assert client.get(f"/v1/patients/{pid}/visits", headers=auth).json()["total"] == 0
    assert client.get(f"/v1/patients/{pid}/assessment", headers=auth).status_code == 404


def test_plan_and_its_calendar(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    pid = _patient(client, auth)
    doc = example("bulbar-onset")
    assert client.get(f"/v1/patients/{pid}/plan", headers=auth).status_code == 404
    client.post(f"/v1/patients/{pid}/visits", json=doc, headers=auth)
    plan = client.get(f"/v1/patients/{pid}/plan", headers=auth).json()
    assert plan["plan"] == assess(case_from_dict(doc)).plan.model_dump(mode="json")
    ics = client.get(f"/v1/patients/{pid}/plan.ics", headers=auth)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    unfolded = ics.text.replace("\r\n ", "")  # RFC 5545 folds long lines
    assert ics.text.startswith("BEGIN:VCALENDAR") and "riluzole monthly (ALT above ULN on 2025-12-01) check" in unfolded


def test_course_of_the_latest_visit(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    pid = _patient(client, auth)
    doc = example("bulbar-onset")
    assert client.get(f"/v1/patients/{pid}/course", headers=auth).status_code == 404
    client.post(f"/v1/patients/{pid}/visits", json=doc, headers=auth)
    course = client.get(f"/v1/patients/{pid}/course", headers=auth).json()
    assert course["course"] == assess(case_from_dict(doc)).course.model_dump(mode="json")
    assert course["course"]["alsfrs_r"]["total"] == 36
