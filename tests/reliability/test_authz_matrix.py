"""Authorisation matrix: every endpoint x {anonymous, clinician, admin} x {own clinic, other clinic}.

The patient data belong to clinic North. A North clinician or admin reaches them; a South clinician
or admin gets 404 (as for a patient that does not exist); anonymous callers get 401 (REST) or the
log-in page (web). Administration (users, tokens, sessions, audit) needs the admin role and reaches the
admin's own clinic only (issue 15, finding 1: a South admin minted tokens for North users): a North user,
token or session answers 404 to a South admin. Anyone may issue a token to themselves and revoke their
own; no call issues a token to someone else. The REST API accepts only bearer tokens and the web pages
only the session cookie, so neither credential opens the other door. CDS Hooks accepts only an EHR's
signed JWT.

The matrix is checked against the app's route table: a new endpoint without an entry here fails.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from reliability_helpers import example

from alsdx.api import Settings, create_app
from alsdx.store import accounts, registry

PRINCIPALS = ("anonymous", "north-clinician", "north-admin", "south-clinician", "south-admin")

# kind of each REST endpoint: "auth" any valid token; "patient" own clinic only; "admin" admin role (own clinic's
# lists); "clinic-admin" admin of the North object's clinic; "owner" the North clinician owning the token or an
# admin of North; "cds" EHR JWT
REST: dict[tuple[str, str], str] = {
    ("POST", "/v1/assess"): "auth",
    ("POST", "/v1/assess:batch"): "auth",
    ("GET", "/v1/trials"): "auth",
    ("POST", "/v1/trials:screen"): "auth",
    ("GET", "/v1/me"): "auth",
    ("GET", "/v1/patients"): "auth",
    ("POST", "/v1/patients"): "auth",
    ("GET", "/v1/patients/{patient_id}"): "patient",
    ("PATCH", "/v1/patients/{patient_id}"): "patient",
    ("DELETE", "/v1/patients/{patient_id}"): "patient",
    ("POST", "/v1/patients/{patient_id}/visits"): "patient",
    ("GET", "/v1/patients/{patient_id}/visits"): "patient",
    ("GET", "/v1/patients/{patient_id}/visits/{visit_id}"): "patient",
    ("GET", "/v1/patients/{patient_id}/visits/{visit_id}/versions"): "patient",
    ("POST", "/v1/patients/{patient_id}/visits/{visit_id}/versions"): "patient",
    ("GET", "/v1/patients/{patient_id}/assessment"): "patient",
    ("GET", "/v1/patients/{patient_id}/course"): "patient",
    ("GET", "/v1/patients/{patient_id}/plan"): "patient",
    ("GET", "/v1/patients/{patient_id}/plan.ics"): "patient",
    ("GET", "/v1/users"): "admin",
    ("POST", "/v1/users"): "admin",
    ("POST", "/v1/users/{user_id}/deactivate"): "clinic-admin",
    ("POST", "/v1/users/{user_id}/unlock"): "clinic-admin",
    ("GET", "/v1/tokens"): "admin",
    ("POST", "/v1/tokens"): "auth",
    ("DELETE", "/v1/tokens/{token_id}"): "owner",
    ("GET", "/v1/sessions"): "admin",
    ("DELETE", "/v1/sessions/{session_id}"): "clinic-admin",
    ("GET", "/v1/audit"): "admin",
    ("GET", "/cds-services"): "cds",
    ("POST", "/cds-services/{service_id}"): "cds",
    ("POST", "/cds-services/{service_id}/feedback"): "cds",
}

# kind of each web page: "public"; "session" any logged-in user; "patient" own clinic only
WEB: dict[tuple[str, str], str] = {
    ("GET", "/"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "session",
    ("GET", "/patients"): "session",
    ("POST", "/patients"): "session",
    ("GET", "/patients/{patient_id}"): "patient",
    ("GET", "/patients/{patient_id}/visits/new"): "patient",
    ("POST", "/patients/{patient_id}/visits"): "patient",
    ("GET", "/patients/{patient_id}/visits/{visit_id}"): "patient",
    ("GET", "/patients/{patient_id}/visits/{visit_id}/plots/{kind}.svg"): "patient",
    ("GET", "/patients/{patient_id}/visits/{visit_id}/plan.ics"): "patient",
    ("GET", "/patients/{patient_id}/visits/{visit_id}/edit"): "patient",
    ("POST", "/patients/{patient_id}/visits/{visit_id}/edit"): "patient",
}
PUBLIC_INFRASTRUCTURE = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"}


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    """principal -> bearer secret"""
    sessions: dict[str, str]
    """principal -> web session secret"""

    def fresh_patient(self) -> tuple[str, str]:
        """A new North patient with one visit: (patient id, visit id)."""
        with self.client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            user = accounts.find_user(s, "north-clinician")
            assert user is not None
            patient = registry.create_patient(s, user.clinic_id, f"P-{secrets.token_hex(4)}", "", user.id)
            version = registry.add_visit(s, patient, example(), user.id)
            return patient.id, version.visit_id

    def fresh_token_id(self, kind: str = "api") -> int:
        """A new token (or web session) of the North clinician."""
        with self.client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            user = accounts.find_user(s, "north-clinician")
            assert user is not None
            return accounts.issue_token(s, user, kind=kind, lifetime=timedelta(days=1))[1].id

    def fresh_user_id(self) -> int:
        """A new North clinician (deactivating one must not cut off the matrix's own users)."""
        with self.client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            return accounts.create_user(s, f"n{secrets.token_hex(4)}", "password-123", "clinician", "North").id


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("authz")
    app = create_app(Settings(database_url=f"sqlite:///{folder}/authz.db"))
    tokens, sessions = {}, {}
    with app.state.sessions.begin() as s:
        for who in PRINCIPALS[1:]:
            clinic, role = who.split("-")
            user = accounts.create_user(s, who, "password-123", role, clinic.title())
            tokens[who] = accounts.issue_token(s, user, lifetime=timedelta(days=1))[0]
            sessions[who] = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[0]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield World(client, tokens, sessions)


def _rest_call(world: World, method: str, template: str) -> tuple[str, dict[str, Any]]:
    path, body = template, None
    if "{patient_id}" in template:
        patient, visit = world.fresh_patient()
        path = path.replace("{patient_id}", patient).replace("{visit_id}", visit)
    path = path.replace("{token_id}", str(world.fresh_token_id())).replace("{service_id}", "alsdx-patient-view")
    path = path.replace("{session_id}", str(world.fresh_token_id("session")))
    if "{user_id}" in path:
        path = path.replace("{user_id}", str(world.fresh_user_id()))
    if method in ("POST", "PATCH"):
        body = {
            "/v1/assess": example(),
            "/v1/assess:batch": {"cases": [example()]},
            "/v1/trials:screen": {"cases": [example()], "trials": ["phoenix-amx0035"]},
            "/v1/patients": {"reference": f"R-{secrets.token_hex(4)}"},
            "/v1/users": {"name": f"u{secrets.token_hex(4)}", "password": "password-123", "role": "clinician"},
            "/v1/tokens": {"label": "mine"},
        }.get(template, example() if template.endswith(("visits", "versions")) else {"display_name": "Z"})
        if template.endswith(("/deactivate", "/unlock")):
            body = None
    return path, {"json": body} if body is not None else {}


def _expected_rest(spec: dict[str, Any], who: str, method: str, template: str) -> int:
    kind = REST[(method, template)]
    if kind == "cds" or who == "anonymous":
        return 401
    if kind in ("admin", "clinic-admin") and not who.endswith("admin"):
        return 403
    if kind in ("patient", "clinic-admin", "owner") and not who.startswith("north"):
        return 404
    if kind == "owner" and who == "north-clinician":
        return 204  # the owner revokes their own token
    responses = spec["paths"][template][method.lower()]["responses"]
    return min(int(code) for code in responses if code.startswith("2"))


@pytest.mark.parametrize(("method", "template"), sorted(REST), ids=lambda v: str(v))
def test_rest_matrix(world: World, method: str, template: str) -> None:
    spec = world.client.app.openapi()  # type: ignore[attr-defined]
    for who in PRINCIPALS:
        path, kw = _rest_call(world, method, template)
        headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who != "anonymous" else {}
        r = world.client.request(method, path, headers=headers, **kw)
        expected = _expected_rest(spec, who, method, template)
        assert r.status_code == expected, (who, method, path, r.text[:300])
        if expected >= 400 and REST[(method, template)] != "cds":
            assert r.headers["content-type"] == "application/problem+json"
            assert "north" not in r.text.lower() or who.startswith("north")  # no data of the other clinic


def _bearer(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def test_an_admin_cannot_mint_a_token_for_anyone_else(world: World) -> None:
    """Finding 1's proof: South's admin asked for a token of North's clinician and read North's patients."""
    before = _token_count(world, "north-clinician")
    for who in ("south-admin", "north-admin"):
        r = world.client.post("/v1/tokens", json={"user": "north-clinician"}, headers=_bearer(world, who))
        assert r.status_code == 403 and "token" not in r.json(), who
    assert _token_count(world, "north-clinician") == before


def _token_count(world: World, name: str) -> int:
    with world.client.app.state.sessions() as s:  # type: ignore[attr-defined]
        user = accounts.find_user(s, name)
        assert user is not None
        return len(accounts.list_tokens(s, user_id=user.id))


def test_an_admin_cannot_create_users_in_another_clinic(world: World) -> None:
    name = f"x{secrets.token_hex(4)}"
    body = {"name": name, "password": "password-123", "role": "clinician", "clinic": "North"}
    r = world.client.post("/v1/users", json=body, headers=_bearer(world, "south-admin"))
    assert r.status_code == 403
    with world.client.app.state.sessions() as s:  # type: ignore[attr-defined]
        assert accounts.find_user(s, name) is None
    created = world.client.post("/v1/users", json={**body, "clinic": None}, headers=_bearer(world, "south-admin"))
    assert created.status_code == 201 and created.json()["clinic"] == "South"


def test_an_admin_sees_their_own_clinic_only(world: World) -> None:
    patient, _ = world.fresh_patient()  # North activity in the audit trail
    world.client.get(f"/v1/patients/{patient}", headers=_bearer(world, "north-clinician"))
    world.client.get("/v1/patients", headers=_bearer(world, "south-clinician"))
    world.fresh_token_id("session")
    for admin, own, other in (("south-admin", "South", "north"), ("north-admin", "North", "south")):
        users = world.client.get("/v1/users", headers=_bearer(world, admin)).json()
        assert users and {u["clinic"] for u in users} == {own}, admin
        tokens = world.client.get("/v1/tokens", headers=_bearer(world, admin)).json()
        assert tokens and not any(t["user"].startswith(other) for t in tokens), admin
        sessions = world.client.get("/v1/sessions", headers=_bearer(world, admin)).json()
        assert not any(t["user"].startswith(other) for t in sessions), admin
        trail = world.client.get("/v1/audit?limit=500", headers=_bearer(world, admin)).json()["items"]
        assert trail and not any(e["actor"].startswith(other) for e in trail), admin
        assert (patient in {e["patient_id"] for e in trail}) == (own == "North"), admin


def test_patient_list_shows_own_clinic_only(world: World) -> None:
    patient, _ = world.fresh_patient()
    for who in PRINCIPALS[1:]:
        items = world.client.get("/v1/patients?limit=200", headers={"Authorization": f"Bearer {world.tokens[who]}"})
        ids = {p["id"] for p in items.json()["items"]}
        assert (patient in ids) == who.startswith("north"), who


def test_rest_refuses_the_session_cookie(world: World) -> None:
    world.client.cookies.set("alsdx_session", world.sessions["north-admin"])
    try:
        for method, template in REST:
            if REST[(method, template)] == "cds":
                continue
            path, kw = _rest_call(world, method, template)
            assert world.client.request(method, path, **kw).status_code == 401, (method, template)
    finally:
        world.client.cookies.clear()


def _csrf(world: World, who: str) -> str:
    from alsdx.api.pages.session import csrf_token

    return csrf_token(world.sessions[who])


def _web_call(world: World, method: str, template: str, who: str) -> tuple[str, dict[str, Any]]:
    patient, visit = world.fresh_patient()
    path = template.replace("{patient_id}", patient).replace("{visit_id}", visit).replace("{kind}", "alsfrs-r")
    kw: dict[str, Any] = {"follow_redirects": False}
    if method == "POST":
        data = {"csrf": _csrf(world, who) if who != "anonymous" else ""}
        if template == "/patients":
            data |= {"reference": f"W-{secrets.token_hex(4)}", "display_name": ""}
        kw["data"] = data
    return path, kw


@pytest.mark.parametrize(("method", "template"), sorted(WEB), ids=lambda v: str(v))
def test_web_matrix(world: World, method: str, template: str) -> None:
    kind = WEB[(method, template)]
    for who in PRINCIPALS:
        if template == "/logout" and who != "anonymous":
            continue  # logging out ends the session the other checks use; tests/api covers it
        path, kw = _web_call(world, method, template, who)
        world.client.cookies.clear()
        if who != "anonymous":
            world.client.cookies.set("alsdx_session", world.sessions[who])
        r = world.client.request(method, path, **kw)
        where = r.headers.get("location", "")
        if kind == "public":
            assert r.status_code in (200, 303, 401), (who, path)
            assert not where.startswith("/login") or path.startswith("/login"), (who, path, where)
        elif who == "anonymous":
            assert r.status_code == 303 and where.startswith("/login"), (who, path, r.status_code)
        elif kind == "patient" and who.startswith("south"):
            assert r.status_code == 404, (who, path, r.status_code)
        else:
            assert r.status_code in (200, 303, 422), (who, path, r.status_code, r.text[:200])
            assert not where.startswith("/login"), (who, path)
    world.client.cookies.clear()


def test_web_pages_refuse_the_bearer_token(world: World) -> None:
    patient, _ = world.fresh_patient()
    headers = {"Authorization": f"Bearer {world.tokens['north-admin']}"}
    for path in ("/patients", f"/patients/{patient}"):
        r = world.client.get(path, headers=headers, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route), descending into included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + getattr(route, "path", ""), route


def test_every_route_is_in_the_matrix(world: World) -> None:
    routes = set()
    for path, route in _routes(world.client.app.routes):  # type: ignore[attr-defined]
        if path in PUBLIC_INFRASTRUCTURE:
            continue
        for method in sorted(getattr(route, "methods", None) or []):
            if method != "HEAD":
                routes.add((method, path, isinstance(route, APIRoute) and route.include_in_schema))
    rest = {(m, p) for m, p, in_schema in routes if in_schema}
    web = {(m, p) for m, p, in_schema in routes if not in_schema}
    assert rest == set(REST)
    assert web == set(WEB)


def test_paths_in_openapi_are_all_covered(world: World) -> None:
    spec = world.client.app.openapi()  # type: ignore[attr-defined]
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert documented == set(REST)
    assert all(re.fullmatch(r"[A-Z]+", m) for m, _ in itertools.chain(REST, WEB))
