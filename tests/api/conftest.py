"""An app on a fresh database, with helpers to create users and their bearer tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from alsdx.api import Settings, create_app
from alsdx.store import accounts


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
