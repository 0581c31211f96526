"""Clinics, users (argon2 password hashes) and bearer tokens (only their sha256 is stored).

A token's secret is shown once, when it is created. Web sessions are tokens of kind "session",
so logging out, expiry and revocation work the same way for both.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

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


def create_user(session: Session, name: str, password: str, role: str, clinic: str) -> User:
    if not NAME_PATTERN.match(name):
        raise AccountError("name: 1-64 characters of letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise AccountError(f"role: must be one of {', '.join(ROLES)}, got {role!r}")
    if len(password) < 10:
        raise AccountError("password: at least 10 characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"name: user {name!r} already exists")
    user = User(
        name=name,
        password_hash=_hasher.hash(password),
        role=role,
        clinic_id=get_or_create_clinic(session, clinic).id,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def check_password(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None (same work whether or not the user exists)."""
    user = find_user(session, name)
    try:
        _hasher.verify(user.password_hash if user else _hasher.hash(secrets.token_hex(8)), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


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


def revoke_token(session: Session, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    q = select(ApiToken).where(ApiToken.kind == "api").order_by(ApiToken.id)
    if user_id is not None:
        q = q.where(ApiToken.user_id == user_id)
    return list(session.scalars(q))


def has_users(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def random_password() -> str:
    return secrets.token_urlsafe(15)


def set_password(session: Session, name: str, password: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise AccountError(f"name: no user named {name!r}")
    if len(password) < 10:
        raise AccountError("password: at least 10 characters")
    user.password_hash = _hasher.hash(password)
    return user
