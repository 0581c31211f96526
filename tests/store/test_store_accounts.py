"""Users with argon2 hashes and hashed, expiring, revocable bearer tokens — on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alsdx.store import accounts
from alsdx.store.schema import ApiToken, User

PASSWORD = "correct horse battery"


def _user(s: Session, name: str = "ana", role: str = "clinician", clinic: str = "North") -> User:
    return accounts.create_user(s, name, PASSWORD, role, clinic)


def test_password_is_stored_as_argon2_and_checked(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        user = _user(s)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
    with sessions.begin() as s:
        found = accounts.check_password(s, "ana", PASSWORD)
        assert found is not None and found.clinic.name == "North"
        assert accounts.check_password(s, "ana", PASSWORD + "x") is None
        assert accounts.check_password(s, "nobody", PASSWORD) is None


def test_inactive_user_cannot_log_in_or_use_tokens(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        user = _user(s)
        secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
        user.active = False
    with sessions.begin() as s:
        assert accounts.check_password(s, "ana", PASSWORD) is None
        assert accounts.authenticate(s, secret) is None


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("bad name", "clinician", PASSWORD, "name"),
        ("ana", "superuser", PASSWORD, "role"),
        ("ana", "admin", "short", "password"),
    ],
)
def test_invalid_user_requests_name_the_field(
    sessions: sessionmaker[Session], name: str, role: str, password: str, field: str
) -> None:
    with sessions.begin() as s, pytest.raises(accounts.AccountError, match=rf"^{field}:"):
        accounts.create_user(s, name, password, role, "North")


def test_duplicate_user_name_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        _user(s)
        with pytest.raises(accounts.AccountError, match="already exists"):
            _user(s, clinic="South")


def test_clinics_are_shared_by_name(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a, b, c = _user(s, "a"), _user(s, "b"), _user(s, "c", clinic="South")
        assert a.clinic_id == b.clinic_id != c.clinic_id


def test_token_is_stored_hashed_and_authenticates(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        secret, row = accounts.issue_token(s, _user(s, role="admin"), label="ci", lifetime=timedelta(days=1))
        assert secret.startswith("alsdx_") and len(secret) > 40
        assert row.token_sha256 == accounts.token_digest(secret) != secret
    with sessions.begin() as s:
        stored = s.scalars(select(ApiToken)).all()
        assert all(secret not in (t.token_sha256, t.label) for t in stored)
        who = accounts.authenticate(s, secret)
        assert who is not None and (who.name, who.role, who.clinic_name) == ("ana", "admin", "North")
        assert who.is_admin
        assert accounts.authenticate(s, secret + "x") is None
        assert accounts.authenticate(s, "not-a-token") is None
        assert accounts.authenticate(s, secret, kind="session") is None


def test_expired_and_revoked_tokens_are_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        user = _user(s)
        expired, _ = accounts.issue_token(s, user, lifetime=timedelta(seconds=-1))
        live, row = accounts.issue_token(s, user, lifetime=timedelta(days=1))
        token_id = row.id
    with sessions.begin() as s:
        assert accounts.authenticate(s, expired) is None
        assert accounts.authenticate(s, live) is not None
        assert accounts.revoke_token(s, token_id) is not None
    with sessions.begin() as s:
        assert accounts.authenticate(s, live) is None
        assert [t.revoked_at is not None for t in accounts.list_tokens(s)] == [False, True]
