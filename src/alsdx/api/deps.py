"""Request-scoped dependencies: a database session per request, the authenticated principal, roles.

The REST API authenticates with ``Authorization: Bearer <token>`` only; the web pages use the
session cookie (and CSRF tokens) instead, so a browser's cookie never authorises an API call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from alsdx.api.problems import ProblemError
from alsdx.api.settings import Settings
from alsdx.store import accounts, audit
from alsdx.store.accounts import Principal


def get_db(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory.begin() as session:
        yield session


Db = Annotated[Session, Depends(get_db)]


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def require_principal(request: Request, db: Db) -> Principal:
    secret = bearer_secret(request)
    if secret is None:
        raise ProblemError(401, "A bearer token is required (Authorization: Bearer <token>).")
    who = accounts.authenticate(db, secret, kind="api")
    if who is None:
        raise ProblemError(401, "The bearer token is unknown, expired or revoked.")
    return who


Caller = Annotated[Principal, Depends(require_principal)]


def require_admin(who: Caller) -> Principal:
    if not who.is_admin:
        raise ProblemError(403, "This needs the admin role.")
    return who


Admin = Annotated[Principal, Depends(require_admin)]


def client_addr(request: Request) -> str | None:
    return request.client.host if request.client else None


def record(
    db: Session,
    request: Request,
    who: Principal,
    action: str,
    patient_id: str | None = None,
    target: str | None = None,
) -> None:
    audit.record(
        db,
        action,
        user_id=who.user_id,
        actor=who.name,
        patient_id=patient_id,
        target=target,
        client_addr=client_addr(request),
    )
