"""Authentication, roles, clinic isolation and the audit trail — on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from service_helpers import example

MakeUser = Callable[..., dict[str, str]]


def _patient_with_visit(client: TestClient, auth: dict[str, str]) -> tuple[str, str]:
    pid = client.post("/v1/patients", json={"reference": "NORTH-7"}, headers=auth).json()["id"]
    vid = client.post(f"/v1/patients/{pid}/visits", json=example("bulbar-onset"), headers=auth).json()["id"]
    return pid, vid


def test_another_clinics_patient_is_not_found_anywhere(client: TestClient, make_user: MakeUser) -> None:
    north, south = make_user("ana", clinic="North"), make_user("bob", clinic="South")
    south_admin = make_user("sue", role="admin", clinic="South")
    pid, vid = _patient_with_visit(client, north)
    routes = [
        ("get", f"/v1/patients/{pid}", None),
        ("patch", f"/v1/patients/{pid}", {"display_name": "x"}),
        ("delete", f"/v1/patients/{pid}", None),
        ("get", f"/v1/patients/{pid}/visits", None),
        ("post", f"/v1/patients/{pid}/visits", example("bulbar-onset")),
        ("get", f"/v1/patients/{pid}/visits/{vid}", None),
        ("get", f"/v1/patients/{pid}/visits/{vid}/versions", None),
        ("post", f"/v1/patients/{pid}/visits/{vid}/versions", example("bulbar-onset")),
        ("get", f"/v1/patients/{pid}/assessment", None),
    ]
    for auth in (south, south_admin):
        for method, url, body in routes:
            r = client.request(method, url, json=body, headers=auth)
            assert r.status_code == 404, (method, url, r.status_code)
            assert r.json()["detail"] == "No such patient in your clinic."
        assert client.get("/v1/patients", headers=auth).json()["total"] == 0
    # the owner still sees everything unchanged
    assert client.get(f"/v1/patients/{pid}", headers=north).json()["display_name"] == ""
    assert client.get(f"/v1/patients/{pid}/visits", headers=north).json()["total"] == 1


def test_same_reference_in_two_clinics_stays_separate(client: TestClient, make_user: MakeUser) -> None:
    north, south = make_user("ana", clinic="North"), make_user("bob", clinic="South")
    a = client.post("/v1/patients", json={"reference": "P1", "display_name": "North's"}, headers=north).json()
    b = client.post("/v1/patients", json={"reference": "P1", "display_name": "South's"}, headers=south).json()
    assert a["id"] != b["id"]
    assert [p["display_name"] for p in client.get("/v1/patients", headers=south).json()["items"]] == ["South's"]


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/v1/patients"), ("post", "/v1/patients"), ("get", "/v1/me"), ("get", "/v1/users")],
)
def test_missing_or_bad_token_is_401(client: TestClient, method: str, url: str) -> None:
    for headers in ({}, {"Authorization": "Bearer alsdx_wrong"}, {"Authorization": "Basic abc"}):
        r = client.request(method, url, headers=headers, json={})
        assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"


def test_clinicians_cannot_administer(client: TestClient, make_user: MakeUser) -> None:
    auth = make_user("ana")
    assert client.get("/v1/users", headers=auth).status_code == 403
    assert client.get("/v1/tokens", headers=auth).status_code == 403
    assert client.get("/v1/audit", headers=auth).status_code == 403
    r = client.post(
        "/v1/users",
        json={"name": "x", "password": "password-123", "role": "admin", "clinic": "N"},
        headers=auth,
    )
    assert r.status_code == 403


def test_admin_creates_users_and_revokes_their_tokens(client: TestClient, make_user: MakeUser) -> None:
    admin = make_user("root", role="admin", clinic="North")
    r = client.post("/v1/users", json={"name": "cy", "password": "password-123", "role": "clinician"}, headers=admin)
    assert r.status_code == 201 and r.json()["clinic"] == "North"
    again = client.post(
        "/v1/users",
        json={"name": "cy", "password": "password-123", "role": "clinician", "clinic": "North"},
        headers=admin,
    )
    assert again.status_code == 409
    cy = make_user("cy")
    tok = client.post("/v1/tokens", json={"label": "laptop", "days": 1}, headers=cy).json()
    laptop = {"Authorization": f"Bearer {tok['token']}"}
    assert client.get("/v1/me", headers=laptop).json() == {"name": "cy", "role": "clinician", "clinic": "North"}
    listed = client.get("/v1/tokens", headers=admin).json()
    assert all(t["token"] is None for t in listed) and "laptop" in [t["label"] for t in listed]
    assert client.delete(f"/v1/tokens/{tok['id']}", headers=admin).status_code == 204
    assert client.get("/v1/me", headers=laptop).status_code == 401
    # no API call mints a token for another person, not even for an admin
    assert client.post("/v1/tokens", json={"user": "cy"}, headers=admin).status_code == 403
    assert client.post("/v1/tokens", json={"user": "nobody"}, headers=admin).status_code == 403


def test_audit_records_who_read_which_patient_without_findings(
    client: TestClient, make_user: MakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    ana, admin = make_user("ana"), make_user("root", role="admin")
    caplog.set_level(logging.DEBUG)
    pid, _ = _patient_with_visit(client, ana)
    client.get(f"/v1/patients/{pid}/assessment", headers=ana)
    client.get("/v1/patients", params={"q": "NORTH-7"}, headers=ana)
    log = client.get("/v1/audit", params={"patient_id": pid}, headers=admin).json()
    actions = [(e["actor"], e["action"]) for e in reversed(log["items"])]
    assert actions == [("ana", "patient.create"), ("ana", "visit.create"), ("ana", "assessment.read")]
    assert all(e["client_addr"] == "testclient" for e in log["items"])
    everything = str(client.get("/v1/audit", headers=admin).json())
    for finding in ("NORTH-7", "jaw_jerk", "example-bulbar-onset", "riluzole"):
        assert finding not in everything
    # everything the server side logged (the test's own HTTP client logs the URLs it calls)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/v1/patients/{patient_id}/assessment" in logged  # the route template, not the id
    for secret in (pid, "NORTH-7", "jaw_jerk"):
        assert secret not in logged
