"""The CDS Hooks JWT replay cache in the alsdx database (table ``cds_token_uses``, migration 0003).

A token id is claimed with one INSERT on the (iss, jti) primary key: the database, not a process, decides which of
two workers (or a restarted instance) saw it first, so a replayed token is refused everywhere. Expired ids are
deleted at most once a minute per process.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from alsdx.store.schema import CdsTokenUse

PURGE_EVERY_SECONDS = 60.0


class DbReplayCache:
    def __init__(self, sessions: Any, leeway_seconds: int) -> None:
        self.sessions = sessions
        self.leeway = leeway_seconds
        self._purged_at = 0.0

    def remember(self, iss: str, jti: str, exp: float, now: float) -> bool:
        """True when (iss, jti) was not seen before (and is now remembered until exp + leeway)."""
        with self.sessions() as session:
            if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
                session.execute(delete(CdsTokenUse).where(CdsTokenUse.exp + self.leeway < now))
                session.commit()
                self._purged_at = time.monotonic()
            session.add(CdsTokenUse(iss=iss, jti=jti, exp=exp))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
        return True
