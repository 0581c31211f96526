"""Request-scoped dependencies: a database session per request, the authenticated principal, roles.

The REST API authenticates with ``Authorization: Bearer <token>`` only; the web pages use the
session cookie (and CSRF tokens) instead, so a browser's cookie never authorises an API call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from alsdx.api.problems import ProblemError
from alsdx.api.settings import Settings
from alsdx.store import accounts, audit
from alsdx.store.accounts import Principal

T = TypeVar("T")


async def db_slot(request: Request) -> AsyncIterator[None]:
    """Wait (on the event loop, not in a thread) for one of the app's database slots.

    Without the slots, 50 concurrent writers filled the threadpool with threads blocked on SQLite's
    lock or on an empty connection pool, and the request holding the lock could not get a thread to
    commit: 30 s stalls, then HTTP 500 (benchmarks/concurrent_writes.py, docs/reliability.md)."""
    async with request.app.state.db_slots:
        yield


def get_db(request: Request, _slot: Annotated[None, Depends(db_slot, scope="function")]) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory.begin() as session:
        yield session


Db = Annotated[Session, Depends(get_db, scope="function")]
"""Function scope: the transaction commits before the response is sent. With FastAPI's default
(request scope) it committed after, so a 201 could reach the client for a visit that a crash or a
failed commit then lost (found by benchmarks/fault_kill.py)."""


async def in_db_thread(request: Request, work: Callable[[], T]) -> T:
    """Run blocking database work in the threadpool while holding a database slot (see db_slot)."""
    async with request.app.state.db_slots:
        return await run_in_threadpool(work)


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


async def require_principal_outside_slot(request: Request) -> Principal:
    """The caller, checked in a short transaction of its own: for routes that do slow work (hashing a
    password) before they need the database again, so they do not hold a database slot meanwhile."""
    secret = bearer_secret(request)
    if secret is None:
        raise ProblemError(401, "A bearer token is required (Authorization: Bearer <token>).")

    def check() -> Principal | None:
        with request.app.state.sessions() as db:
            return accounts.authenticate(db, secret, kind="api")

    who = await in_db_thread(request, check)
    if who is None:
        raise ProblemError(401, "The bearer token is unknown, expired or revoked.")
    return who


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
