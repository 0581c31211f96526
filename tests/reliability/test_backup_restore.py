"""``alsdx backup`` / ``alsdx restore``: a verified round trip on SQLite and PostgreSQL. Every row of
every table comes back, the append-only rules still hold, and the service answers as before."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from reliability_helpers import example
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from alsdx.api import Settings, create_app
from alsdx.cli import app as cli
from alsdx.store import backup as store_backup

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
MakeUser = Callable[..., dict[str, str]]


KEY = "backup-test-key-" + "x" * 32


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's key signs and verifies backup manifests (issue 15); never the machine's key file."""
    monkeypatch.setenv("ALSDX_SECRET_KEY", KEY)


@pytest.fixture
def empty_target(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/restored/registry.db"
        return
    name = f"alsdx_restore_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in sorted(inspect(conn).get_table_names()):
                keys = inspect(conn).get_pk_constraint(table)["constrained_columns"] or ["1"]
                order = ", ".join(f'"{k}"' if k != "1" else k for k in keys)
                rows = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}')).all()
                out[table] = [tuple(_plain(v) for v in row) for row in rows]
            return out
    finally:
        engine.dispose()


def _plain(value: Any) -> Any:
    """Same value, same form on both sides (SQLite gives naive datetimes and JSON as text)."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _populate(client: TestClient, make_user: MakeUser) -> tuple[dict[str, str], str, dict[str, Any]]:
    ana = make_user("ana")
    make_user("root", role="admin", clinic="South")
    pid = client.post("/v1/patients", json={"reference": "MRN-1", "display_name": "Ada"}, headers=ana).json()["id"]
    case = example("limb-onset-emg")
    vid = client.post(f"/v1/patients/{pid}/visits", json=case, headers=ana).json()["id"]
    client.post(f"/v1/patients/{pid}/visits/{vid}/versions", json={**case, "course": "unknown"}, headers=ana)
    client.post(f"/v1/patients/{pid}/visits", json=example("bulbar-onset"), headers=ana)
    assessment = client.get(f"/v1/patients/{pid}/assessment", headers=ana).json()
    return ana, pid, assessment


def test_round_trip_restores_every_row(
    client: TestClient, make_user: MakeUser, db_url: str, empty_target: str, tmp_path: Path
) -> None:
    ana, pid, assessment = _populate(client, make_user)
    before = dump(db_url)
    manifest = store_backup.backup(db_url, tmp_path / "backup.bin")
    assert manifest.tables == {t: len(rows) for t, rows in before.items()}
    assert manifest.tables["visit_versions"] == 3 and manifest.tables["audit_events"] > 0

    store_backup.restore(empty_target, tmp_path / "backup.bin")
    assert dump(empty_target) == before

    engine = create_engine(empty_target)
    with pytest.raises(sqlalchemy.exc.DBAPIError), engine.begin() as conn:  # still append-only
        conn.execute(text("UPDATE visit_versions SET assessment_date = '2000-01-01'"))
    engine.dispose()
    with TestClient(create_app(Settings(database_url=empty_target))) as restored:
        again = restored.get(f"/v1/patients/{pid}/assessment", headers=ana)
        assert again.status_code == 200 and again.json() == assessment


def test_replace_rolls_the_database_back_to_the_backup(
    client: TestClient, make_user: MakeUser, db_url: str, tmp_path: Path
) -> None:
    ana, pid, _ = _populate(client, make_user)
    before = dump(db_url)
    store_backup.backup(db_url, tmp_path / "b")
    client.post(f"/v1/patients/{pid}/visits", json=example("lmn-conduction-block"), headers=ana)
    client.post("/v1/patients", json={"reference": "MRN-after"}, headers=ana)
    with pytest.raises(store_backup.BackupError, match="not empty"):
        store_backup.restore(db_url, tmp_path / "b")
    client.app.state.sessions.kw["bind"].dispose()  # type: ignore[attr-defined]  # the service's pooled connections
    store_backup.restore(db_url, tmp_path / "b", replace=True)
    assert dump(db_url) == before


def test_a_damaged_or_foreign_backup_is_refused(db_url: str, empty_target: str, tmp_path: Path) -> None:
    from alsdx.store.engine import make_engine, migrate

    migrate(make_engine(db_url))
    store_backup.backup(db_url, tmp_path / "b")
    with (tmp_path / "b").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(store_backup.BackupError, match="sha256"):
        store_backup.restore(empty_target, tmp_path / "b")
    other = "postgresql+psycopg://postgres@127.0.0.1:5432/x" if db_url.startswith("sqlite") else "sqlite:////tmp/x.db"
    (tmp_path / "c").write_bytes(b"")
    foreign = store_backup.Manifest("sqlite" if "postgresql" in other else "postgresql", "", "", {}, "")
    foreign.signed(KEY.encode()).save(tmp_path / "c")
    with pytest.raises(store_backup.BackupError, match="cannot be restored into"):
        store_backup.restore(other, tmp_path / "c")
    with pytest.raises(store_backup.BackupError, match="exists"):
        store_backup.backup(db_url, tmp_path / "b")


def test_cli_backup_and_restore(db_url: str, empty_target: str, tmp_path: Path) -> None:
    from alsdx.store.engine import make_engine, migrate

    migrate(make_engine(db_url))
    runner = CliRunner()
    out = tmp_path / "cli-backup"
    r = runner.invoke(cli, ["backup", str(out), "--database-url", db_url])
    assert r.exit_code == 0, r.output
    assert "Backed up" in r.output and store_backup.manifest_path(out).exists()
    r = runner.invoke(cli, ["restore", str(out), "--database-url", empty_target])
    assert r.exit_code == 0 and "row counts verified" in r.output
    r = runner.invoke(cli, ["restore", str(tmp_path / "missing"), "--database-url", empty_target])
    assert r.exit_code == 2 and "manifest" in r.output
