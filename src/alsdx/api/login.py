"""Log-in that cannot starve the service (issue 15, findings 2, 4, 5 and 6).

A log-in is three steps. (1) In a database slot, briefly: claim an attempt from the throttle
(alsdx.store.throttle) and read the user's password hash — a dummy hash for an unknown name.
(2) Outside any slot: one argon2 verify in a thread of the app's own small pool (``login_concurrency``
at once, ``login_queue`` waiting, beyond that 503 at once), so known and unknown names cost the same and
log-ins never hold the database while hashing. (3) In a slot again: issue the session or record the
failure. Before, argon2 ran while holding the one SQLite slot and 20 log-ins stalled every user for 8.8 s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import anyio
import anyio.to_thread
from fastapi import Request
from sqlalchemy.orm import Session

from alsdx.api.deps import client_addr, in_db_thread
from alsdx.store import accounts, audit, throttle
from alsdx.store.schema import User


class PasswordChecks:
    """The app's bounded pool for argon2 work (checks on log-in, hashes of new passwords)."""

    def __init__(self, concurrency: int, queue: int) -> None:
        self.limiter = anyio.CapacityLimiter(max(1, concurrency))
        self.capacity = max(1, concurrency) + queue
        self.in_flight = 0
        """Log-ins between their start and their answer (counted on the event loop: no race)."""

    @contextlib.contextmanager
    def admitted(self) -> Iterator[bool]:
        """True when this log-in may go on; False when ``concurrency + queue`` are already under way."""
        if self.in_flight >= self.capacity:
            yield False
            return
        self.in_flight += 1
        try:
            yield True
        finally:
            self.in_flight -= 1

    async def run(self, fn, *args):  # type: ignore[no-untyped-def]
        return await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter)


@dataclass(frozen=True)
class LoginResult:
    secret: str | None = None
    """The new session's secret (log-in succeeded)."""
    wait: int = 0
    """Throttled: seconds before this name may try again from this address."""
    busy: bool = False
    """Too many log-ins waiting for a password check: try again in a moment."""


def _check(password_hash: str, password: str, known: bool) -> tuple[bool, str | None]:
    ok = accounts.verify_password(password_hash, password)
    rehash = accounts.hash_password(password) if ok and known and accounts.needs_rehash(password_hash) else None
    return ok, rehash


async def log_in(request: Request, name: str, password: str) -> LoginResult:
    checks: PasswordChecks = request.app.state.password_checks
    with checks.admitted() as admitted:
        if not admitted:
            return LoginResult(busy=True)
        return await _log_in(request, name, password, checks)


async def _log_in(request: Request, name: str, password: str, checks: PasswordChecks) -> LoginResult:
    app = request.app
    key: bytes = app.state.settings.secret_key
    addr = client_addr(request)

    def claim() -> tuple[int, accounts.LoginRecord | None]:
        with app.state.sessions.begin() as db:
            wait = throttle.claim(db, key, name, addr)
            return (wait, None) if wait else (0, accounts.login_record(db, name))

    wait, found = await in_db_thread(request, claim)
    if wait or found is None:
        return LoginResult(wait=wait)
    ok, rehash = await checks.run(_check, found.password_hash, password, found.user_id is not None)

    def finish() -> str | None:
        with app.state.sessions.begin() as db:
            user = db.get(User, found.user_id) if found.user_id is not None else None
            if ok and user is not None and user.active:
                return _succeeded(request, db, user, rehash if user.password_hash == found.password_hash else None)
            audit.record(
                db,
                "login_failed",
                user_id=user.id if user else None,
                actor=user.name if user else "",
                target=None if user else throttle.name_key(key, name),
                client_addr=addr,
            )
            return None

    return LoginResult(secret=await in_db_thread(request, finish))


def _succeeded(request: Request, db: Session, user: User, rehash: str | None) -> str:
    settings = request.app.state.settings
    if rehash:
        user.password_hash = rehash
    throttle.succeeded(db, settings.secret_key, user.name, client_addr(request))
    hours = settings.session_hours
    secret, _ = accounts.issue_token(db, user, kind="session", label="web", lifetime=timedelta(hours=hours))
    audit.record(db, "login", user_id=user.id, actor=user.name, client_addr=client_addr(request))
    return secret
