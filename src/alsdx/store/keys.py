"""The service's secret key: it keys the audit's hash of unknown log-in names and the throttle's
counters (so a reader of the database cannot recover what was typed), and signs backups.

``ALSDX_SECRET_KEY`` (at least 32 characters) wins; otherwise the key is read from
``ALSDX_SECRET_KEY_FILE`` or ``$XDG_DATA_HOME/alsdx/secret.key``, created there (random, 0600, in a
0700 folder) on first use. Restoring a backup on another machine needs the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from alsdx.store.engine import data_dir, private_dir

MIN_KEY_CHARS = 32


class SecretKeyError(ValueError):
    """The configured key cannot be used (message names the variable)."""


def key_file(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("ALSDX_SECRET_KEY_FILE") or data_dir(env) / "secret.key")


def secret_key(env: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    configured = env.get("ALSDX_SECRET_KEY", "").strip()
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise SecretKeyError(f"ALSDX_SECRET_KEY: at least {MIN_KEY_CHARS} characters (e.g. `openssl rand -hex 32`)")
        return configured.encode()
    path = key_file(env)
    if not path.exists():
        private_dir(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    if len(text) < MIN_KEY_CHARS:
        raise SecretKeyError(f"{path}: the key file holds fewer than {MIN_KEY_CHARS} characters")
    return text.encode()


def derive(key: bytes, purpose: str) -> bytes:
    """One key per purpose, so a value keyed for one use says nothing about another."""
    return hmac.new(key, purpose.encode(), hashlib.sha256).digest()
