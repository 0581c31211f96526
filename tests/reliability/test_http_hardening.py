"""HTTP hardening of the service: security headers on every kind of response, session cookie flags,
CSRF on every form, request size limits, hostile JSON bodies answered 400 rather than 500."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from reliability_helpers import example
from sqlalchemy import func, select

from alsdx.api import Settings, create_app
from alsdx.api.limits import DEFAULT_LIMIT, LIMITS
from alsdx.api.pages.session import csrf_token
from alsdx.store import accounts, registry
from alsdx.store.schema import ApiToken, Patient, Visit, VisitVersion

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from cds_helpers import BASE, auth, settings

CDS_PATH = "/cds-services/alsdx-patient-view"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    """(client, bearer header, session secret) of a North clinician; CDS Hooks trusts the test EHR."""
    import alsdx.api.cds as cds

    monkeypatch.setattr(cds.CdsSettings, "from_env", classmethod(lambda cls, env=None: settings()))
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/h.db"))
    with app.state.sessions.begin() as s:
        user = accounts.create_user(s, "ana", "password-123", "clinician", "North")
        bearer = accounts.issue_token(s, user, lifetime=timedelta(days=1))[0]
        session = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[0]
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        yield c, {"Authorization": f"Bearer {bearer}"}, session


def _security_headers_present(r: object) -> None:
    h = r.headers  # type: ignore[attr-defined]
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_security_headers_on_every_kind_of_response(env: tuple[TestClient, dict[str, str], str]) -> None:
    c, bearer, session = env
    responses = {
        "api json": c.get("/v1/me", headers=bearer),
        "api problem 401": c.get("/v1/me"),
        "api problem 422": c.post("/v1/patients", json={}, headers=bearer),
        "unmatched 404": c.get("/no/such/path"),
        "method 405": c.put("/v1/me", headers=bearer),
        "login page": c.get("/login"),
        "redirect": c.get("/", follow_redirects=False),
        "static": c.get("/static/alsdx.css"),
        "openapi": c.get("/openapi.json"),
        "cds discovery": c.get("/cds-services", headers=auth("/cds-services")),
        "cds 401": c.get("/cds-services"),
        "413": c.post("/v1/assess", content=b"x" * (DEFAULT_LIMIT + 1), headers=bearer),
    }
    c.cookies.set("alsdx_session", session)
    responses["html page"] = c.get("/patients")
    for name, r in responses.items():
        assert r.status_code < 500, name
        _security_headers_present(r)


def test_session_cookie_flags_over_https(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/c.db"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "ana", "password-123", "clinician", "North")
    with TestClient(app, base_url="https://alsdx.example.org") as c:
        page = c.get("/login")
        login_cookie = page.headers["set-cookie"]
        assert "HttpOnly" in login_cookie and "SameSite=strict" in login_cookie and "Secure" in login_cookie
        token = c.cookies["alsdx_login_csrf"]
        r = c.post(
            "/login", data={"name": "ana", "password": "password-123", "login_csrf": token}, follow_redirects=False
        )
        cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("__Host-alsdx_session="))
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "secure", "samesite", "max-age", "path"} <= flags
        assert "samesite=lax" in cookie.lower() and "Path=/" in cookie
        assert "domain" not in flags  # host-only (and the __Host- prefix makes browsers insist on it)
        assert not any(v.startswith("alsdx_session=") for v in r.headers.get_list("set-cookie"))
        assert c.get("/patients", follow_redirects=False).status_code == 200


def test_a_planted_session_cookie_without_the_host_prefix_is_ignored_over_https(tmp_path: Path) -> None:
    """Finding 10: a same-site page (another subdomain) can set ``alsdx_session`` for the parent domain and
    swap the victim into the attacker's session and clinic; it cannot set a ``__Host-`` cookie."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/c.db"))
    with app.state.sessions.begin() as s:
        user = accounts.create_user(s, "mallory", "password-123", "clinician", "Elsewhere")
        planted = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[0]
    with TestClient(app, base_url="https://alsdx.example.org") as c:
        c.cookies.set("alsdx_session", planted)
        r = c.get("/patients", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        c.cookies.clear()
        c.cookies.set("__Host-alsdx_session", planted)
        assert c.get("/patients", follow_redirects=False).status_code == 200
    with TestClient(app) as plain:  # development over plain http: the un-prefixed name
        plain.cookies.set("alsdx_session", planted)
        assert plain.get("/patients", follow_redirects=False).status_code == 200


def _counts(c: TestClient) -> tuple[int, int, int, int]:
    with c.app.state.sessions() as s:  # type: ignore[attr-defined]
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) or 0 for t in (Patient, Visit, VisitVersion, ApiToken)
        )


@pytest.mark.parametrize("csrf", ["", "forged", "other-session"])
def test_every_form_needs_this_sessions_csrf_token(env: tuple[TestClient, dict[str, str], str], csrf: str) -> None:
    c, _, session = env
    with c.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        user = accounts.find_user(s, "ana")
        assert user is not None
        patient = registry.create_patient(s, user.clinic_id, "P1", "", user.id)
        visit = registry.add_visit(s, patient, example(), user.id).visit_id
        other = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[0]
        pid = patient.id
    token = csrf_token(other) if csrf == "other-session" else csrf
    c.cookies.set("alsdx_session", session)
    forms = {
        "/patients": {"reference": "P2", "display_name": "x"},
        f"/patients/{pid}/visits": {"id": "v", "symptom_onset": "2025-01-01", "assessment_date": "2026-01-01"},
        f"/patients/{pid}/visits/{visit}/edit": {"id": "v"},
        "/logout": {},
    }
    before = _counts(c)
    for path, data in forms.items():
        r = c.post(path, data={**data, "csrf": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    assert _counts(c) == before
    assert c.get("/patients", follow_redirects=False).status_code == 200  # the session was not logged out


def test_body_limits(env: tuple[TestClient, dict[str, str], str]) -> None:
    c, bearer, _ = env
    big = 16 * 1024 * 1024
    login = 16 * 1024
    assert dict(LIMITS) == {"/v1/assess:batch": big, "/v1/trials:screen": big, "/cds-services/": big, "/login": login}
    assert DEFAULT_LIMIT == 2 * 1024 * 1024

    def chunks(total: int) -> Iterator[bytes]:
        for _ in range(total // 65536 + 1):
            yield b" " * 65536

    cases = [
        ("/v1/assess", bearer, DEFAULT_LIMIT + 1, True),
        ("/v1/patients", bearer, DEFAULT_LIMIT + 1, True),
        ("/v1/assess:batch", bearer, big + 1, True),
        ("/v1/assess:batch", bearer, DEFAULT_LIMIT + 1, False),  # allowed size: parsed, then 400 (not JSON)
        (CDS_PATH, auth(CDS_PATH), big + 1, True),
        ("/login", {}, login + 1, True),
    ]
    for path, headers, size, refused in cases:
        for body in (b" " * size, chunks(size)):  # declared length, and chunked without one
            ctype = "application/x-www-form-urlencoded" if path == "/login" else "application/json"
            h = {**(auth(path) if path == CDS_PATH else headers), "content-type": ctype}
            r = c.post(path, content=body, headers=h, follow_redirects=False)
            if refused:
                assert r.status_code == 413, (path, size, r.status_code)
                assert r.headers["content-type"] == "application/problem+json"
                _security_headers_present(r)
            else:
                assert r.status_code == 400, (path, r.status_code)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000, b'{"id": ' + b"9" * 5_000 + b"}"],
    ids=["deep-array", "deep-object", "huge-integer"],
)
def test_hostile_json_is_a_400(env: tuple[TestClient, dict[str, str], str], body: bytes) -> None:
    c, bearer, _ = env
    for path in (
        "/v1/assess",
        "/v1/assess:batch",
        "/v1/trials:screen",
        "/v1/patients",
        CDS_PATH,
        CDS_PATH + "/feedback",
    ):
        headers = {**(auth(path) if path.startswith("/cds") else bearer), "content-type": "application/json"}
        r = c.post(path, content=body, headers=headers)
        assert r.status_code == 400, (path, r.status_code, r.text[:200])


def test_deeply_nested_prefetch_resource_is_not_a_500(env: tuple[TestClient, dict[str, str], str]) -> None:
    c, _, _ = env
    ext: dict[str, object] = {"url": "http://example.org/x", "valueString": "v"}
    for _ in range(400):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    hook = {
        "hook": "patient-view",
        "hookInstance": "d5b3a2c1-0000-4000-8000-000000000001",
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "extension": [ext]}},
    }
    r = c.post(CDS_PATH, json=hook, headers=auth(CDS_PATH))
    assert r.status_code < 500, r.text[:300]
