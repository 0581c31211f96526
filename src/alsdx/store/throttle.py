"""Log-in throttling, counted from the audit log's ``login_failed`` rows (so it holds across
processes and restarts).

A name that failed MAX_FAILURES_PER_NAME times within WINDOW, or a client address that failed
MAX_FAILURES_PER_CLIENT times, waits until the oldest of those failures leaves the window; while it
waits, no password is checked, so guessing cannot go on. Names are counted by a hash kept in the
audit row's ``target`` (never the typed name: it may be a mistyped password), for unknown names
exactly as for known ones, so the throttle does not tell which users exist.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from alsdx.store.accounts import aware
from alsdx.store.schema import AuditEvent, utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20


def name_key(name: str) -> str:
    """What a failed log-in records about the name tried (64 characters fit the audit column)."""
    return "name-sha256:" + hashlib.sha256(name.strip().lower().encode("utf-8")).hexdigest()[:52]


def login_wait(session: Session, name: str, client_addr: str | None, now: datetime | None = None) -> int:
    """Seconds before this name may try again from this address; 0 when it may try now."""
    now = now or utcnow()
    waits = [_wait(session, AuditEvent.target == name_key(name), MAX_FAILURES_PER_NAME, now)]
    if client_addr:
        waits.append(_wait(session, AuditEvent.client_addr == client_addr[:64], MAX_FAILURES_PER_CLIENT, now))
    return max(waits)


def _wait(session: Session, which: ColumnElement[bool], limit: int, now: datetime) -> int:
    recent = session.scalars(
        select(AuditEvent.at)
        .where(AuditEvent.action == "login_failed", AuditEvent.at > now - WINDOW, which)
        .order_by(AuditEvent.at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((aware(recent[-1]) + WINDOW - now).total_seconds()))
