"""Service configuration from ``ALSDX_*`` environment variables (docs/architecture.md: no global state)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from alsdx.store.engine import database_url
from alsdx.store.keys import secret_key


def _default_login_concurrency() -> int:
    """Half the cores: log-ins (argon2) never take every core from the clinicians' requests."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class Settings:
    database_url: str
    open_assess: bool = False
    """``ALSDX_OPEN_ASSESS=1``: the stateless /v1/assess endpoints need no token (they store nothing)."""
    session_hours: float = 12.0
    """Lifetime of a web session (sliding windows are not used: log in again after this)."""
    token_days: float = 90.0
    """Default lifetime of an API token."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """Keys the throttle counters and the audit's hash of unknown names (alsdx.store.keys; ``from_env``
    reads the configured or generated key, a direct construction gets a random one per process)."""
    hsts_seconds: int = 0
    """``ALSDX_HSTS_SECONDS``: Strict-Transport-Security max-age sent on https answers (0: no header)."""
    body_timeout: float = 30.0
    """``ALSDX_BODY_TIMEOUT``: seconds a client has to send a whole request body (else 408)."""
    login_concurrency: int = field(default_factory=_default_login_concurrency)
    """``ALSDX_LOGIN_CONCURRENCY``: password checks (argon2) running at once, outside the database slots."""
    login_queue: int = 32
    """Log-ins allowed to wait for a password check; beyond that, 503 at once."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(env),
            open_assess=env.get("ALSDX_OPEN_ASSESS", "") == "1",
            session_hours=float(env.get("ALSDX_SESSION_HOURS", "12")),
            token_days=float(env.get("ALSDX_TOKEN_DAYS", "90")),
            secret_key=secret_key(env),
            hsts_seconds=int(env.get("ALSDX_HSTS_SECONDS", "0")),
            body_timeout=float(env.get("ALSDX_BODY_TIMEOUT", "30")),
            login_concurrency=int(env.get("ALSDX_LOGIN_CONCURRENCY", "0")) or _default_login_concurrency(),
        )
