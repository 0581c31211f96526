"""Database unavailable -> 503 problem+json with Retry-After, and normal service when it returns.

PostgreSQL is reached through a loopback proxy that the test cuts (the shared server keeps running);
SQLite's outage ("database is locked", I/O errors) is injected at the registry call.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from reliability_helpers import example
from tcp_proxy import TcpProxy

from alsdx.api import Settings, create_app
from alsdx.store import accounts, registry

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def _assert_unavailable(r: object) -> None:
    assert r.status_code == 503, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert r.headers["retry-after"] == "5"  # type: ignore[attr-defined]
    assert r.json()["type"] == "urn:alsdx:problem:database-unavailable"  # type: ignore[attr-defined]


@pytest.fixture
def pg_behind_proxy() -> Iterator[tuple[str, TcpProxy]]:
    name = f"alsdx_down_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    proxy = TcpProxy(5432).start()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{name}", proxy
    finally:
        proxy.cut()
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _token(app: object) -> dict[str, str]:
    with app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        user = accounts.create_user(s, "ana", "password-123", "clinician", "North")
        secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
    return {"Authorization": f"Bearer {secret}"}


def test_postgresql_outage_is_a_503_and_the_service_recovers(pg_behind_proxy: tuple[str, TcpProxy]) -> None:
    url, proxy = pg_behind_proxy
    app = create_app(Settings(database_url=url))
    auth = _token(app)
    case = example()
    with TestClient(app, raise_server_exceptions=False) as client:
        pid = client.post("/v1/patients", json={"reference": "P1"}, headers=auth).json()["id"]
        proxy.cut()
        _assert_unavailable(client.get(f"/v1/patients/{pid}", headers=auth))
        _assert_unavailable(client.post(f"/v1/patients/{pid}/visits", json={**case, "id": "during"}, headers=auth))
        _assert_unavailable(client.post("/v1/assess", json=case, headers=auth))  # the token check needs the database
        client.cookies.set("alsdx_session", "alsdx_not-a-session")
        page = client.get(f"/patients/{pid}", headers={"accept": "text/html"})
        assert page.status_code == 503 and "Service unavailable" in page.text
        client.cookies.clear()
        proxy.restore()
        r = client.post(f"/v1/patients/{pid}/visits", json={**case, "id": "after"}, headers=auth)
        assert r.status_code == 201, r.text
        visits = client.get(f"/v1/patients/{pid}/visits", headers=auth).json()["items"]
        stored = [client.get(f"/v1/patients/{pid}/visits/{v['id']}", headers=auth).json()["case"]["id"] for v in visits]
        assert stored == ["after"]


@pytest.mark.parametrize(
    "error",
    [
        sqlalchemy.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error")),
        sqlalchemy.exc.TimeoutError("QueuePool limit reached"),
    ],
    ids=["locked", "io-error", "pool-timeout"],
)
def test_sqlite_outage_is_a_503(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/r.db"))
    auth = _token(app)

    def fail(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(registry, "list_patients", fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        _assert_unavailable(client.get("/v1/patients", headers=auth))
    assert "database unavailable" in caplog.text and "SELECT" not in caplog.text


def test_a_database_bug_is_not_reported_as_an_outage(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/r.db"))
    auth = _token(app)

    def fail(*_: object, **__: object) -> None:
        raise sqlalchemy.exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))

    monkeypatch.setattr(registry, "list_patients", fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/v1/patients", headers=auth).status_code == 500
