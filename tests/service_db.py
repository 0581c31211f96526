"""Registry database fixtures (loaded by tests/conftest.py): a fresh, migrated database per test,
on SQLite and on PostgreSQL.

PostgreSQL is the local server (127.0.0.1:5432, user postgres, trust auth). A template database is
migrated once per test session and copied per test; everything created is dropped at the end. If the
server is down, the PostgreSQL half of the suite fails: nothing is skipped.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta

import psycopg
import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from alsdx.api import Settings, create_app
from alsdx.store import accounts
from alsdx.store.engine import make_engine, migrate

PG_ADMIN = os.environ.get("ALSDX_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's production cost is ~0.1 s per hash by design; tests use its cheapest profile."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"alsdx_tmpl_{secrets.token_hex(4)}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    engine = make_engine(PG_URL.format(name=name))
    migrate(engine)
    engine.dispose()
    yield name
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """URL of a freshly migrated, empty registry database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/registry.db"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    template = request.getfixturevalue("pg_template")
    name = f"alsdx_t_{secrets.token_hex(4)}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    yield PG_URL.format(name=name)
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url))) as c:
        yield c


@pytest.fixture
def make_user(client: TestClient) -> Callable[..., dict[str, str]]:
    """make_user(name, role, clinic) -> Authorization header with a fresh bearer token."""

    def make(name: str, role: str = "clinician", clinic: str = "North") -> dict[str, str]:
        with client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            user = accounts.find_user(s, name) or accounts.create_user(s, name, "password-123", role, clinic)
            secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
        return {"Authorization": f"Bearer {secret}"}

    return make
