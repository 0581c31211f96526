"""Clinics, users (argon2 password hashes) and bearer tokens (only their sha256 is stored).

A token's secret is shown once, when it is created. Web sessions are tokens of kind "session",
so logging out, expiry and revocation work the same way for both.

Password hashing and checking are CPU-bound (argon2, ~0.1 s by design) and kept apart from the database
work: :func:`login_record` and :func:`verify_password` let the service check a password without holding a
database slot (issue 15: argon2 inside the slot let 20 log-ins stall every user of an SQLite registry).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alsdx.store.passwords import PasswordPolicyError, check_password_policy
from alsdx.store.schema import ROLES, ApiToken, Clinic, User, utcnow

TOKEN_PREFIX = "alsdx_"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A user or token request that cannot be carried out (message names the field)."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: what authorisation decisions need, detached from the session."""

    user_id: int
    name: str
    role: str
    clinic_id: int
    clinic_name: str
    token_id: int

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def aware(ts: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def get_or_create_clinic(session: Session, name: str) -> Clinic:
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("clinic: give a name of 1-100 characters")
    clinic = session.scalar(select(Clinic).where(Clinic.name == name))
    if clinic is None:
        clinic = Clinic(name=name)
        session.add(clinic)
        session.flush()
    return clinic


def check_new_password(name: str, password: str) -> None:
    """The password policy (length, not a common password, not the name); raises AccountError."""
    try:
        check_password_policy(password, user_inputs=[name])
    except PasswordPolicyError as exc:
        raise AccountError(f"password: {exc}") from None


def hash_password(password: str) -> str:
    """argon2 hash (CPU-bound: call it outside a database slot in the service)."""
    return _hasher.hash(password)


def create_user(
    session: Session, name: str, password: str, role: str, clinic: str, *, password_hash: str | None = None
) -> User:
    """``password_hash``: computed beforehand (outside the database slot) by :func:`hash_password`."""
    if not NAME_PATTERN.match(name):
        raise AccountError("name: 1-64 characters of letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise AccountError(f"role: must be one of {', '.join(ROLES)}, got {role!r}")
    check_new_password(name, password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"name: user {name!r} already exists")
    user = User(
        name=name,
        password_hash=password_hash or hash_password(password),
        role=role,
        clinic_id=get_or_create_clinic(session, clinic).id,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> User | None:
    if not NAME_PATTERN.match(name):
        return None  # no such user can exist (and PostgreSQL refuses NUL characters in a query)
    return session.scalar(select(User).where(User.name == name))


@dataclass(frozen=True)
class LoginRecord:
    """What a log-in needs from the database, read before the password is checked (outside the slot)."""

    user_id: int | None
    password_hash: str
    """The user's hash, or a dummy hash for an unknown name, so that both cost one argon2 verify."""
    active: bool


_dummy: tuple[PasswordHasher, str] | None = None


def dummy_hash() -> str:
    """A hash of a random password with the current parameters: unknown names are verified against it,
    so they take as long as known ones (issue 15: unknown names took twice as long, a hash plus a verify)."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


def login_record(session: Session, name: str) -> LoginRecord:
    user = find_user(session, name)
    if user is None:
        return LoginRecord(None, dummy_hash(), False)
    return LoginRecord(user.id, user.password_hash, user.active)


def verify_password(password_hash: str, password: str) -> bool:
    """argon2 verify (CPU-bound, no database)."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None (one verify whether or not the user exists).
    For the command line and tests; the service uses login_record + verify_password outside its slot."""
    found = login_record(session, name)
    if not verify_password(found.password_hash, password) or found.user_id is None or not found.active:
        return None
    return session.get(User, found.user_id)


def issue_token(
    session: Session, user: User, *, kind: str = "api", label: str = "", lifetime: timedelta
) -> tuple[str, ApiToken]:
    """Create a token; returns the secret (shown once) and its row."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        kind=kind,
        label=label[:100],
        token_sha256=token_digest(secret),
        expires_at=utcnow() + lifetime,
    )
    session.add(row)
    session.flush()
    return secret, row


def authenticate(session: Session, secret: str, kind: str = "api") -> Principal | None:
    """The principal behind a live, unrevoked token of this kind whose user is active; else None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_digest(secret), ApiToken.kind == kind))
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    user = row.user
    if not user.active:
        return None
    return Principal(user.id, user.name, user.role, user.clinic_id, user.clinic.name, row.id)


def revoke_all(session: Session, user_id: int) -> int:
    """Revoke every live API token and web session of a user; returns how many."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def deactivate(session: Session, user: User) -> int:
    """Cut a user off: inactive (cannot log in) and every session and token revoked; returns how many."""
    user.active = False
    return revoke_all(session, user.id)


def list_sessions(session: Session, clinic_id: int) -> list[ApiToken]:
    """Live (unexpired, unrevoked) web sessions of a clinic's users, newest first."""
    q = (
        select(ApiToken)
        .join(User, ApiToken.user_id == User.id)
        .where(
            ApiToken.kind == "session",
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
            User.clinic_id == clinic_id,
        )
        .order_by(ApiToken.id.desc())
    )
    return list(session.scalars(q))


def revoke_token(session: Session, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_tokens(session: Session, user_id: int | None = None, clinic_id: int | None = None) -> list[ApiToken]:
    q = select(ApiToken).join(User, ApiToken.user_id == User.id).where(ApiToken.kind == "api").order_by(ApiToken.id)
    if user_id is not None:
        q = q.where(ApiToken.user_id == user_id)
    if clinic_id is not None:
        q = q.where(User.clinic_id == clinic_id)
    return list(session.scalars(q))


def has_users(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def random_password() -> str:
    return secrets.token_urlsafe(15)


def set_password(session: Session, name: str, password: str) -> User:
    """New password; every session and token of the user is revoked (whoever knew the old one is out)."""
    user = find_user(session, name)
    if user is None:
        raise AccountError(f"name: no user named {name!r}")
    check_new_password(name, password)
    user.password_hash = hash_password(password)
    revoke_all(session, user.id)
    return user
