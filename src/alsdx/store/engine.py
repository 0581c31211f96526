"""Where the database lives, how to connect, and bringing its schema up to date.

``ALSDX_DATABASE_URL`` wins; otherwise SQLite at ``$XDG_DATA_HOME/alsdx/alsdx.db``
(``~/.local/share/alsdx/alsdx.db``). SQLite connections run in WAL mode with foreign keys on.

An SQLite database holds patient data: its file is created 0600 in a folder created 0700 (an existing
file is narrowed to 0600), and SQLite gives its WAL and SHM files the database file's permissions
(issue 15: all were 0644 in 0755 folders).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".local" / "share")
    return Path(base) / "alsdx"


def database_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    url = env.get("ALSDX_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir(env) / 'alsdx.db'}"


def private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) with mode 0700; a folder alsdx created earlier is narrowed
    to 0700 too, but an existing folder the operator chose (``/srv``, ``/tmp``) is left as it is."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask
    elif path.name == "alsdx":
        path.chmod(0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if missing; narrow an existing file to 0600."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        path.chmod(0o600)


POOL_SIZE, MAX_OVERFLOW = 5, 10
"""PostgreSQL connections per process (SQLAlchemy's defaults, made explicit for :func:`max_concurrency`)."""


def make_engine(url: str) -> Engine:
    """``hide_parameters``: database errors end up in logs, and their parameters are case documents."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            private_dir(Path(path).parent)
            private_file(Path(path))
            for suffix in ("-wal", "-shm"):
                side = Path(path + suffix)
                if side.exists():
                    side.chmod(0o600)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args={"connect_timeout": 5},
        hide_parameters=True,
    )


def in_memory(url: str) -> bool:
    """An SQLite database that lives in one process's memory (``sqlite://``, ``:memory:``, ``mode=memory``): worker
    processes cannot share it, each would get its own."""
    if not url.startswith("sqlite"):
        return False
    path = url.split("://", 1)[-1].lstrip("/")
    return path in ("", ":memory:") or "mode=memory" in url or path.startswith(":memory:")


def max_concurrency(url: str) -> int:
    """How many requests may use the database at once: SQLite has one writer at a time (and nearly every
    request writes, if only to the audit log), PostgreSQL as many as the connection pool holds."""
    return 1 if url.startswith("sqlite") else POOL_SIZE + MAX_OVERFLOW


def _begin_immediate(conn: Any) -> None:
    """Take SQLite's write lock when a transaction starts: a transaction that read first and wrote
    later fails at once ("database is locked") if another connection wrote in between, whereas
    BEGIN IMMEDIATE waits for the lock (up to the 30 s timeout)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _begin_immediate, not by the driver
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def migrate(engine: Engine) -> None:
    """Run the shipped Alembic migrations up to head (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_store(url: str | None = None) -> sessionmaker[Session]:
    """Connect, migrate, and return a session factory."""
    engine = make_engine(url or database_url())
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
