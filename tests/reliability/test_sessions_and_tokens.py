"""Bearer tokens and web sessions end when they should: expiry, revocation, log-out, a deactivated
user; and log-in throttling (growing delays per name and address, and per name; issue 15)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alsdx.api import Settings, create_app
from alsdx.store import accounts, throttle
from alsdx.store.schema import AuditEvent, LoginThrottle, User, utcnow


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


def _from(c: TestClient, address: str) -> TestClient:
    """Another client of the same app, seen as coming from ``address``."""
    return TestClient(c.app, client=(address, 40000))


def test_failures_from_one_address_bring_growing_delays_not_a_lock(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(throttle.PAIR_FREE):
        assert _attempt(app_client, "ana", "wrong-password")[0] == 401
    status, retry = _attempt(app_client, "ana", "password-123")  # even the right password waits
    assert (status, retry) == (429, "1")
    waits = []
    for step in range(1, 6):  # each further failure doubles the wait
        _later(monkeypatch, timedelta(seconds=2**step * 2))
        assert _attempt(app_client, "ana", "wrong-password")[0] == 401
        waits.append(int(_attempt(app_client, "ana", "wrong-password")[1]))
    assert waits == sorted(waits) and waits[-1] > waits[0] and waits[-1] <= throttle.PAIR_CAP.total_seconds()
    _later(monkeypatch, timedelta(minutes=16))
    assert _attempt(app_client, "ana", "password-123")[0] == 303


def test_an_attacked_name_still_logs_in_from_its_own_address(app_client: TestClient) -> None:
    """Finding 6: five bad log-ins locked the admin out for 15 minutes, from everywhere."""
    for _ in range(throttle.PAIR_FREE + 3):
        _attempt(app_client, "root", "wrong-password")
    assert _attempt(app_client, "root", "wrong-password")[0] == 429
    with _from(app_client, "10.0.0.7") as own:
        assert _attempt(own, "root", "password-123")[0] == 303


def test_many_failures_from_many_addresses_delay_the_name_by_at_most_a_minute(app_client: TestClient) -> None:
    for i in range(throttle.NAME_FREE + 4):
        with _from(app_client, f"10.1.0.{i}") as c:
            _attempt(c, "ana", "wrong-password")
    with _from(app_client, "10.2.0.1") as own:
        status, retry = _attempt(own, "ana", "password-123")
    assert status == 429 and 0 < int(retry) <= throttle.NAME_CAP.total_seconds()


def test_one_address_is_not_throttled_across_names(app_client: TestClient) -> None:
    """Finding 6: 20 failures from one address (a proxy, a hospital NAT) locked out everyone behind it."""
    for i in range(25):
        assert _attempt(app_client, f"guess{i}", "wrong-password")[0] == 401
    assert _attempt(app_client, "ana", "password-123")[0] == 303


def test_unknown_names_are_throttled_like_known_ones(app_client: TestClient) -> None:
    """Otherwise the 429 would tell an attacker which user names exist."""
    for name in ("ana", "nobody"):
        for _ in range(throttle.PAIR_FREE):
            assert _attempt(app_client, name, "wrong-password")[0] == 401
        assert _attempt(app_client, name, "wrong-password")[0] == 429


def test_an_admin_of_the_clinic_unlocks_a_user(app_client: TestClient) -> None:
    for _ in range(throttle.PAIR_FREE):
        _attempt(app_client, "ana", "wrong-password")
    assert _attempt(app_client, "ana", "password-123")[0] == 429
    admin, _ = _token(app_client, "root")
    with app_client.app.state.sessions() as s:  # type: ignore[attr-defined]
        ana_id = s.scalars(select(User.id).where(User.name == "ana")).one()
    r = app_client.post(f"/v1/users/{ana_id}/unlock", headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code == 204
    assert _attempt(app_client, "ana", "password-123")[0] == 303


def test_failed_log_ins_keep_the_user_id_or_a_keyed_hash_never_the_name(app_client: TestClient) -> None:
    """Finding 14: the audit kept an unsalted SHA-256 of whatever was typed as the name."""
    _attempt(app_client, "Password-Typed-As-Name", "x")
    _attempt(app_client, "ana", "wrong-password")
    with app_client.app.state.sessions() as s:  # type: ignore[attr-defined]
        unknown, known = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
        ).all()
        ana_id = s.scalars(select(User.id).where(User.name == "ana")).one()
        stored = " ".join(str(v) for row in s.execute(select(LoginThrottle)).scalars() for v in vars(row).values())
    key = app_client.app.state.settings.secret_key  # type: ignore[attr-defined]
    assert unknown.user_id is None and unknown.target == throttle.name_key(key, "Password-Typed-As-Name")
    unsalted = hashlib.sha256(b"password-typed-as-name").hexdigest()
    assert unsalted[:40] not in (unknown.target or "") and "Password" not in unknown.actor + (unknown.target or "")
    assert known.user_id == ana_id and known.target is None
    assert unsalted[:40] not in stored and "Password" not in stored
