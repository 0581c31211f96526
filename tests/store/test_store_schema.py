"""The shipped migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from alsdx.store.engine import MIGRATIONS, data_dir, database_url, make_engine, migrate
from alsdx.store.schema import Base


def test_migrations_match_models_and_are_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)  # second run: nothing to do, no error
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()  # raises if the chain has two heads
        assert head == "0003"  # 0002: log-in throttle (issue 15); 0003: CDS replay cache (issue 16)
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x/alsdx.db")
    with engine.connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"
        assert conn.execute(text("pragma foreign_keys")).scalar() == 1
    assert (tmp_path / "x").is_dir()
    engine.dispose()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ALSDX_DATABASE_URL": "postgresql+psycopg://u@h/db", "HOME": "/h"}, "postgresql+psycopg://u@h/db"),
        ({"XDG_DATA_HOME": "/data", "HOME": "/h"}, "sqlite:////data/alsdx/alsdx.db"),
        ({"HOME": "/h"}, "sqlite:////h/.local/share/alsdx/alsdx.db"),
        ({"ALSDX_DATABASE_URL": "  ", "HOME": "/h"}, "sqlite:////h/.local/share/alsdx/alsdx.db"),
    ],
)
def test_database_url_precedence(env: dict[str, str], expected: str) -> None:
    assert database_url(env) == expected


def test_data_dir_honours_xdg() -> None:
    assert data_dir({"XDG_DATA_HOME": "/x", "HOME": "/h"}) == Path("/x/alsdx")
