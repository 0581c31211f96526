"""Backup and restore of the registry database, each verified.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot while the
service keeps running; restore copies a backup into the target database the same way.
PostgreSQL: ``pg_dump`` in its custom format (schema with the append-only triggers, sequences and
data) taken in a snapshot this module exports, so the row counts it records are exactly those in the
dump; restored with ``pg_restore`` in one transaction. Needs the PostgreSQL client tools of the
server's major version on PATH.

Beside every backup FILE goes ``FILE.manifest.json``: kind, sha256 of the file, schema revision and
the row count of every table, signed with an HMAC-SHA256 under a key derived from the service's secret
key (alsdx.store.keys: ``ALSDX_SECRET_KEY`` or the key file). Restore refuses a manifest whose signature
does not verify — a tamperer who changes the backup and recomputes the sha256 cannot sign it (issue 15,
finding 12) — then a file whose sha256 differs, and after restoring checks every table's row count.
Backups and manifests are written 0600, in folders created 0700 (finding 9).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url

from alsdx.errors import AlsdxError
from alsdx.store.engine import private_dir
from alsdx.store.keys import derive, secret_key


class BackupError(AlsdxError):
    """A backup or restore could not be made or did not verify; the message says which step."""


@dataclass(frozen=True)
class Manifest:
    kind: str
    sha256: str
    revision: str
    tables: dict[str, int]
    created_at: str
    signature: str = ""
    """HMAC-SHA256 (hex) of the other fields' canonical JSON, under the backup key."""

    def payload(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> Manifest:
        return replace(self, signature=hmac.new(derive(key, "backup"), self.payload(), hashlib.sha256).hexdigest())

    def verify(self, key: bytes) -> bool:
        return bool(self.signature) and hmac.compare_digest(self.signed(key).signature, self.signature)

    def save(self, backup_file: Path) -> Path:
        path = manifest_path(backup_file)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")
        path.chmod(0o600)
        return path


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".manifest.json")


def kind_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"database URL: backup supports sqlite and postgresql, not {backend}")
    return backend


@contextlib.contextmanager
def _private_files() -> Iterator[None]:
    """Files created meanwhile (the backup, pg_dump's output, SQLite's journal) are 0600."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def backup(url: str, out: Path, *, key: bytes | None = None) -> Manifest:
    """Write a verified backup of the database at ``url`` to ``out`` (and its signed manifest);
    ``key``: the service's secret key (default: alsdx.store.keys.secret_key())."""
    if out.exists():
        raise BackupError(f"{out}: exists; choose a new file name")
    key = key or secret_key()
    private_dir(out.parent)
    kind = kind_of(url)
    with _private_files():
        try:
            tables, revision = _backup_sqlite(url, out) if kind == "sqlite" else _backup_postgresql(url, out)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        out.chmod(0o600)
        manifest = Manifest(kind, _sha256(out), revision, tables, datetime.now(UTC).isoformat(timespec="seconds"))
        manifest = manifest.signed(key)
        manifest.save(out)
    return manifest


def restore(url: str, backup_file: Path, *, replace: bool = False, key: bytes | None = None) -> Manifest:
    """Restore ``backup_file`` into the database at ``url``; verify every table's row count."""
    manifest = _read_manifest(backup_file)
    if not manifest.verify(key or secret_key()):
        raise BackupError(
            f"{manifest_path(backup_file)}: the manifest's signature does not verify with this service's key "
            "(changed, unsigned, or made with another ALSDX_SECRET_KEY); refusing to restore"
        )
    kind = kind_of(url)
    if manifest.kind != kind:
        raise BackupError(f"{backup_file}: a {manifest.kind} backup cannot be restored into {kind}")
    if _sha256(backup_file) != manifest.sha256:
        raise BackupError(f"{backup_file}: sha256 differs from its manifest; the file is damaged or was changed")
    if kind == "sqlite":
        private_dir(Path(_sqlite_path(url)).parent)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            holding = {t: n for t, n in _counts(conn).items() if n and t != "alembic_version"}
    finally:
        engine.dispose()
    if holding and not replace:
        raise BackupError(f"target database is not empty ({_describe(holding)}); pass --replace to overwrite it")
    with _private_files():
        if kind == "sqlite":
            _restore_sqlite(backup_file, url)
        else:
            _restore_postgresql(backup_file, url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            restored = _counts(conn)
    finally:
        engine.dispose()
    if restored != manifest.tables:
        raise BackupError(f"restored row counts {restored} differ from the backup's {manifest.tables}")
    return manifest


# --- SQLite ------------------------------------------------------------------------------------------


def _sqlite_path(url: str) -> str:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("database URL: an SQLite file is needed")
    return path


def _backup_sqlite(url: str, out: Path) -> tuple[dict[str, int], str]:
    source = sqlite3.connect(_sqlite_path(url), timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
    finally:
        source.close()
    try:
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"{out}: integrity_check says {ok}")
    finally:
        target.close()
    engine = create_engine(f"sqlite:///{out}")
    try:
        with engine.connect() as conn:
            return _counts(conn), _revision(conn)
    finally:
        engine.dispose()


def _restore_sqlite(backup_file: Path, url: str) -> None:
    target_path = Path(_sqlite_path(url))
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"{target_path}: integrity_check after restore says {ok}")
    finally:
        source.close()
        target.close()


# --- PostgreSQL --------------------------------------------------------------------------------------


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    u = make_url(url)
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    plain = u.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"{cmd[0]} not found: install the PostgreSQL client tools") from None
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[-1000:]}")


def _backup_postgresql(url: str, out: Path) -> tuple[dict[str, int], str]:
    conninfo, env = _libpq(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            tables, revision = _counts(conn), _revision(conn)  # the very snapshot pg_dump copies
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={out}", conninfo], env)  # fmt: skip
            conn.rollback()
    finally:
        engine.dispose()
    _run(["pg_restore", "--list", str(out)], env)  # the archive reads back
    return tables, revision


def _restore_postgresql(backup_file: Path, url: str) -> None:
    conninfo, env = _libpq(url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={conninfo}", str(backup_file)], env)  # fmt: skip


# --- shared ------------------------------------------------------------------------------------------


def _counts(conn: Connection) -> dict[str, int]:
    names = sorted(inspect(conn).get_table_names())
    return {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in names}


def _revision(conn: Connection) -> str:
    if "alembic_version" not in inspect(conn).get_table_names():
        raise BackupError("the database has no alembic_version table: not an alsdx registry")
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _read_manifest(backup_file: Path) -> Manifest:
    path = manifest_path(backup_file)
    try:
        data = json.loads(path.read_text())
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(f"{path}: cannot read the backup's manifest ({exc})") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{t}: {n}" for t, n in sorted(counts.items()))
