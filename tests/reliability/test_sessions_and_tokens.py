"""Bearer tokens and web sessions end when they should: expiry, revocation, log-out, a deactivated
user; and log-in throttling (5 failures per name, 20 per address, per 15 minutes)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alsdx.api import Settings, create_app
from alsdx.store import accounts, throttle
from alsdx.store.schema import AuditEvent, User, utcnow


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/t.db"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "ana", "password-123", "clinician", "North")
        accounts.create_user(s, "root", "password-123", "admin", "North")
    with TestClient(app) as c:
        yield c


def _token(c: TestClient, name: str, lifetime: timedelta = timedelta(days=1), kind: str = "api") -> tuple[str, int]:
    with c.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        user = accounts.find_user(s, name)
        assert user is not None
        secret, row = accounts.issue_token(s, user, kind=kind, lifetime=lifetime)
        return secret, row.id


def _me(c: TestClient, secret: str) -> int:
    return c.get("/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code


def _later(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    moved = utcnow() + delta
    monkeypatch.setattr(accounts, "utcnow", lambda: moved)
    monkeypatch.setattr(throttle, "utcnow", lambda: moved)


def test_token_works_until_it_expires(app_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    secret, _ = _token(app_client, "ana", timedelta(hours=1))
    assert _me(app_client, secret) == 200
    _later(monkeypatch, timedelta(minutes=59))
    assert _me(app_client, secret) == 200
    _later(monkeypatch, timedelta(hours=1, seconds=1))
    r = app_client.get("/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


def test_revoked_token_stops_at_once_and_others_keep_working(app_client: TestClient) -> None:
    admin, _ = _token(app_client, "root")
    secret, token_id = _token(app_client, "ana")
    other, _ = _token(app_client, "ana")
    assert _me(app_client, secret) == 200
    r = app_client.delete(f"/v1/tokens/{token_id}", headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code == 204
    assert _me(app_client, secret) == 401
    assert _me(app_client, other) == 200
    listed = app_client.get("/v1/tokens", headers={"Authorization": f"Bearer {admin}"}).json()
    assert [t["revoked"] for t in listed if t["id"] == token_id] == [True]
    assert all("token" not in t or t["token"] is None for t in listed)  # secrets are never listed


def test_deactivated_user_loses_every_token_and_session(app_client: TestClient) -> None:
    secret, _ = _token(app_client, "ana")
    session, _ = _token(app_client, "ana", kind="session")
    with app_client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        s.scalars(select(User).where(User.name == "ana")).one().active = False
    assert _me(app_client, secret) == 401
    app_client.cookies.set("alsdx_session", session)
    r = app_client.get("/patients", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_token_kinds_do_not_mix(app_client: TestClient) -> None:
    session, _ = _token(app_client, "ana", kind="session")
    api, _ = _token(app_client, "ana")
    assert _me(app_client, session) == 401  # a session secret is not an API token
    app_client.cookies.set("alsdx_session", api)
    assert app_client.get("/patients", follow_redirects=False).status_code == 303  # nor the reverse


@pytest.mark.parametrize("secret", ["", "alsdx_", "alsdx_" + "a" * 300, "not-a-token", "Bearer"])
def test_malformed_tokens_are_401(app_client: TestClient, secret: str) -> None:
    assert _me(app_client, secret) == 401


def test_web_session_expires(app_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    session, _ = _token(app_client, "ana", timedelta(hours=12), kind="session")
    app_client.cookies.set("alsdx_session", session)
    assert app_client.get("/patients", follow_redirects=False).status_code == 200
    _later(monkeypatch, timedelta(hours=12, seconds=1))
    assert app_client.get("/patients", follow_redirects=False).status_code == 303


# --- log-in throttling ---------------------------------------------------------------------------------


def _attempt(c: TestClient, name: str, password: str) -> tuple[int, str]:
    page = c.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    r = c.post("/login", data={"name": name, "password": password, "login_csrf": token}, follow_redirects=False)
    return r.status_code, r.headers.get("retry-after", "")


def test_five_failures_throttle_the_name_even_with_the_right_password(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(throttle.MAX_FAILURES_PER_NAME):
        assert _attempt(app_client, "ana", "wrong-password")[0] == 401
    status, retry = _attempt(app_client, "ana", "password-123")
    assert status == 429 and 0 < int(retry) <= 15 * 60
    assert _attempt(app_client, "root", "password-123")[0] == 303  # another name is not affected
    _later(monkeypatch, throttle.WINDOW + timedelta(seconds=1))
    assert _attempt(app_client, "ana", "password-123")[0] == 303


def test_four_failures_do_not_throttle(app_client: TestClient) -> None:
    for _ in range(throttle.MAX_FAILURES_PER_NAME - 1):
        assert _attempt(app_client, "ana", "wrong-password")[0] == 401
    assert _attempt(app_client, "ana", "password-123")[0] == 303


def test_unknown_names_are_throttled_like_known_ones(app_client: TestClient) -> None:
    """Otherwise the 429 would tell an attacker which user names exist."""
    for name in ("ana", "nobody"):
        for _ in range(throttle.MAX_FAILURES_PER_NAME):
            assert _attempt(app_client, name, "wrong-password")[0] == 401
        assert _attempt(app_client, name, "wrong-password")[0] == 429


def test_one_address_is_throttled_across_names(app_client: TestClient) -> None:
    for i in range(throttle.MAX_FAILURES_PER_CLIENT):
        assert _attempt(app_client, f"guess{i}", "wrong-password")[0] == 401
    assert _attempt(app_client, "ana", "password-123")[0] == 429


def test_failed_log_ins_record_a_hash_of_the_name_never_the_name(app_client: TestClient) -> None:
    _attempt(app_client, "Password-Typed-As-Name", "x")
    with app_client.app.state.sessions() as s:  # type: ignore[attr-defined]
        row = s.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    assert row.target == throttle.name_key("password-typed-as-name")
    assert "Password" not in (row.actor + (row.target or ""))
