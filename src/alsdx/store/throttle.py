"""Log-in throttling: growing delays per name and per (name, client address), claimed atomically.

Two counters apply to each attempt. Per (name, address): the first PAIR_FREE failures are free, then each
further attempt waits twice as long as the one before, up to PAIR_CAP (15 minutes): one address cannot
keep guessing one name. Per name, from any address: NAME_FREE free failures, then delays doubling up to
NAME_CAP (1 minute): a distributed guesser is slowed, while the real user — from their own address —
waits at most a minute, however hard the name is attacked. There is no per-address limit across names,
so people behind one proxy or hospital NAT cannot be locked out together (issue 15, finding 6).

Atomic (finding 5): an attempt *claims* its slot before the password is checked — the counters are
raised and the next allowed time set in one transaction holding the rows (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers), and a success gives the claim back. Parallel
guesses therefore cannot all pass a check made before any of them failed.

Keys are HMACs under the service's secret key (alsdx.store.keys): the table never holds the typed
name, which may be a mistyped password. Counters are forgotten after WINDOW without a failure.
An admin can clear a user's counters (:func:`unlock`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from alsdx.store.accounts import aware
from alsdx.store.keys import derive
from alsdx.store.schema import LoginThrottle, utcnow

WINDOW = timedelta(minutes=15)
PAIR_FREE, PAIR_CAP = 5, timedelta(minutes=15)
NAME_FREE, NAME_CAP = 10, timedelta(minutes=1)


def _mac(key: bytes, text: str) -> str:
    return hmac.new(derive(key, "login-name"), text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def name_key(key: bytes, name: str) -> str:
    """What the throttle and the audit log keep about a typed name: a keyed hash (64 characters)."""
    return "name-hmac:" + _mac(key, name.strip().lower())[:54]


def pair_key(key: bytes, name: str, client_addr: str) -> str:
    return "pair-hmac:" + _mac(key, name.strip().lower() + "\x00" + client_addr)[:54]


def delay(failures: int, free: int, cap: timedelta) -> timedelta:
    """No wait for the first ``free`` failures, then 1 s, 2 s, 4 s ... up to ``cap``."""
    if failures < free:
        return timedelta(0)
    return min(cap, timedelta(seconds=2 ** min(failures - free, 20)))


def _counters(key: bytes, name: str, client_addr: str | None) -> list[tuple[str, int, timedelta]]:
    rows = [(name_key(key, name), NAME_FREE, NAME_CAP)]
    if client_addr:
        rows.append((pair_key(key, name, client_addr), PAIR_FREE, PAIR_CAP))
    return sorted(rows)  # one lock order for every transaction (no deadlock between two attempts)


def claim(session: Session, key: bytes, name: str, client_addr: str | None, now: datetime | None = None) -> int:
    """Claim one attempt: 0 means go ahead (counted as a failure until :func:`succeeded`); otherwise the
    seconds to wait, and nothing was counted."""
    now = now or utcnow()
    counters = _counters(key, name, client_addr)
    nk = name_key(key, name)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for k, _, _ in counters:
        session.execute(
            insert(LoginThrottle)
            .values(key=k, name_key=nk, failures=0, last_failure_at=now, next_attempt_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    keys = [k for k, _, _ in counters]
    rows = {
        r.key: r
        for r in session.scalars(
            select(LoginThrottle).where(LoginThrottle.key.in_(keys)).order_by(LoginThrottle.key).with_for_update()
        )
    }
    wait = 0.0
    for k in keys:
        row = rows[k]
        if aware(row.last_failure_at) <= now - WINDOW:
            row.failures, row.next_attempt_at = 0, now
        wait = max(wait, (aware(row.next_attempt_at) - now).total_seconds())
    if wait > 0:
        return max(1, math.ceil(wait))
    for k, free, cap in counters:
        row = rows[k]
        row.failures += 1
        row.last_failure_at = now
        row.next_attempt_at = now + delay(row.failures, free, cap)
    return 0


def succeeded(session: Session, key: bytes, name: str, client_addr: str | None) -> None:
    """A correct password: forget this address's failures for the name and give back the name's claim."""
    now = utcnow()
    for k, _, _ in _counters(key, name, client_addr):
        row = session.get(LoginThrottle, k, with_for_update=True)
        if row is None:
            continue
        if k.startswith("pair-"):
            session.delete(row)
        else:
            row.failures = max(0, row.failures - 1)
            row.next_attempt_at = now


def unlock(session: Session, key: bytes, name: str) -> int:
    """Clear every counter of a name (an admin's unlock); returns how many were cleared."""
    result = session.execute(delete(LoginThrottle).where(LoginThrottle.name_key == name_key(key, name)))
    return int(getattr(result, "rowcount", 0) or 0)


def wait_for(session: Session, key: bytes, name: str, client_addr: str | None, now: datetime | None = None) -> int:
    """Seconds before this name may try again from this address (read only; 0: may try now)."""
    now = now or utcnow()
    keys = [k for k, _, _ in _counters(key, name, client_addr)]
    waits = [
        (aware(r.next_attempt_at) - now).total_seconds()
        for r in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
        if aware(r.last_failure_at) > now - WINDOW
    ]
    return max([0, *[math.ceil(w) for w in waits]])
