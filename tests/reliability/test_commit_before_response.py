"""Every REST request that writes commits its transaction before the response starts, on SQLite and
PostgreSQL. With FastAPI's default dependency scope the commit ran after the response was sent, and
benchmarks/fault_kill.py found acknowledged visits missing after a kill -9 (docs/reliability.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from reliability_helpers import example
from sqlalchemy import event

MakeUser = Callable[..., dict[str, str]]


class Order:
    """Records, in order, the engine's commits and the status line of each response."""

    def __init__(self, client: TestClient) -> None:
        self.events: list[str] = []
        engine = client.app.state.sessions.kw["bind"]  # type: ignore[attr-defined]
        event.listen(engine, "commit", lambda _conn: self.events.append("commit"))
        inner = client.app.middleware_stack  # type: ignore[attr-defined]

        async def app(scope: Any, receive: Any, send: Any) -> None:
            async def spy(message: Any) -> None:
                if message["type"] == "http.response.start":
                    self.events.append(f"response {message['status']}")
                await send(message)

            await inner(scope, receive, spy)

        client.app.middleware_stack = app  # type: ignore[attr-defined]

    def call(self, do: Callable[[], Any]) -> tuple[Any, list[str]]:
        self.events.clear()
        result = do()
        return result, list(self.events)


def test_writes_commit_before_the_response(client: TestClient, make_user: MakeUser) -> None:
    ana, admin = make_user("ana"), make_user("root", role="admin")
    client.get("/v1/me", headers=ana)  # builds the middleware stack
    order = Order(client)
    case = example("bulbar-onset")
    r, seen = order.call(lambda: client.post("/v1/patients", json={"reference": "MRN-9"}, headers=ana))
    assert seen == ["commit", "response 201"]
    pid = r.json()["id"]
    calls = {
        "patch patient": lambda: client.patch(f"/v1/patients/{pid}", json={"display_name": "X"}, headers=ana),
        "create visit": lambda: client.post(f"/v1/patients/{pid}/visits", json=case, headers=ana),
        "read patient (audit row)": lambda: client.get(f"/v1/patients/{pid}", headers=ana),
        "create user": lambda: client.post(
            "/v1/users",
            json={"name": "bob", "password": "password-123", "role": "clinician", "clinic": "North"},
            headers=admin,
        ),
        "create token": lambda: client.post("/v1/tokens", json={"label": "mine"}, headers=admin),
    }
    for name, call in calls.items():
        response, seen = order.call(call)
        assert response.status_code in (200, 201), (name, response.text)
        assert seen == ["commit", f"response {response.status_code}"], name
    vid = client.get(f"/v1/patients/{pid}/visits", headers=ana).json()["items"][0]["id"]
    response, seen = order.call(
        lambda: client.post(f"/v1/patients/{pid}/visits/{vid}/versions", json=case, headers=ana)
    )
    assert response.status_code == 201 and seen == ["commit", "response 201"]
    response, seen = order.call(lambda: client.delete(f"/v1/patients/{pid}", headers=ana))
    assert response.status_code == 204 and seen == ["commit", "response 204"]


@pytest.mark.parametrize("status", [404, 422])
def test_a_refused_write_commits_nothing_before_answering(client: TestClient, make_user: MakeUser, status: int) -> None:
    ana = make_user("ana")
    client.get("/v1/me", headers=ana)
    order = Order(client)
    target = "/v1/patients/no-such-patient/visits" if status == 404 else "/v1/patients"
    body = example("bulbar-onset") if status == 404 else {"reference": "has space"}
    response, seen = order.call(lambda: client.post(target, json=body, headers=ana))
    assert response.status_code == status
    assert seen == [f"response {status}"]  # rolled back
