"""Service configuration from ``ALSDX_*`` environment variables (DESIGN.md: no global state)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from alsdx.store.engine import database_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    open_assess: bool = False
    """``ALSDX_OPEN_ASSESS=1``: the stateless /v1/assess endpoints need no token (they store nothing)."""
    session_hours: float = 12.0
    """Lifetime of a web session (sliding windows are not used: log in again after this)."""
    token_days: float = 90.0
    """Default lifetime of an API token."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(env),
            open_assess=env.get("ALSDX_OPEN_ASSESS", "") == "1",
            session_hours=float(env.get("ALSDX_SESSION_HOURS", "12")),
            token_days=float(env.get("ALSDX_TOKEN_DAYS", "90")),
        )
