"""No patient identifier or finding reaches the logs: a whole clinic day (REST, web pages, CDS Hooks,
errors, a database outage) runs with every logger at DEBUG, and the captured log is searched for
the identifiers and findings that went in."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from reliability_helpers import example

from alsdx.api import Settings, create_app
from alsdx.api.pages.session import csrf_token
from alsdx.store import accounts, registry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from cds_helpers import BASE, auth, hook_request, settings

REFERENCE, NAME, CASE_ID, EHR_ID = "MRN-LEAK-4711", "Zelda Quixote", "case-leak-0815", "ehr-leak-8842"
COMMENT = "patient Zelda said no"
CLIENT_LOGGERS = ("httpx", "httpcore")
"""The test's own HTTP client logs request URLs; only the service's logs are under test."""


def test_a_clinic_day_leaves_no_patient_data_in_the_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import alsdx.api.cds as cds

    monkeypatch.setattr(cds.CdsSettings, "from_env", classmethod(lambda cls, env=None: settings()))
    caplog.set_level(logging.DEBUG)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/logs.db"))
    with app.state.sessions.begin() as s:
        user = accounts.create_user(s, "ana", "password-123", "clinician", "North")
        bearer = {"Authorization": f"Bearer {accounts.issue_token(s, user, lifetime=timedelta(days=1))[0]}"}
        session = accounts.issue_token(s, user, kind="session", lifetime=timedelta(hours=1))[0]
    case = {**example("limb-onset-emg"), "id": CASE_ID}
    secrets_in = [REFERENCE, NAME, CASE_ID, EHR_ID, COMMENT, case["symptom_onset"], "first_dorsal_interosseous"]
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        pid = c.post("/v1/patients", json={"reference": REFERENCE, "display_name": NAME}, headers=bearer).json()["id"]
        secrets_in.append(pid)
        vid = c.post(f"/v1/patients/{pid}/visits", json=case, headers=bearer).json()["id"]
        for path in ("", "/assessment", "/course", "/plan", "/plan.ics", "/visits", f"/visits/{vid}"):
            assert c.get(f"/v1/patients/{pid}{path}", headers=bearer).status_code == 200, path
        c.get(f"/v1/patients?q={REFERENCE}", headers=bearer)
        c.post("/v1/assess", json=case, headers=bearer)
        bad = {**case, "exam": {"bulbar": {"umn": ["zzz-leak-sign"]}}}
        assert c.post(f"/v1/patients/{pid}/visits", json=bad, headers=bearer).status_code == 422
        c.post("/v1/patients", json={"reference": REFERENCE}, headers=bearer)  # 409 duplicate
        c.get(f"/v1/patients/{pid}x", headers=bearer)  # 404

        c.cookies.set("alsdx_session", session)
        for page in ("/patients", f"/patients/{pid}", f"/patients/{pid}/visits/{vid}", f"/patients?q={NAME}"):
            c.get(page)
        c.post("/patients", data={"csrf": csrf_token(session), "reference": REFERENCE + "-2", "display_name": NAME})
        c.cookies.clear()
        token = c.get("/login").cookies.get("alsdx_login_csrf") or c.cookies.get("alsdx_login_csrf")
        c.post("/login", data={"name": NAME, "password": REFERENCE, "login_csrf": token or ""})

        from alsdx.model.load import case_from_dict

        hook = hook_request(case_from_dict({**case, "id": EHR_ID}))
        path = "/cds-services/alsdx-patient-view"
        cards = c.post(path, json=hook, headers=auth(path)).json()["cards"]
        feedback = {
            "feedback": [
                {
                    "card": cards[0]["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {"userComment": COMMENT},
                    "outcomeTimestamp": "2026-03-02T10:00:00Z",
                }
            ]
        }
        assert c.post(path + "/feedback", json=feedback, headers=auth(path + "/feedback")).status_code == 200

        def outage(*_: object, **__: object) -> None:
            raise sqlalchemy.exc.OperationalError("INSERT INTO visits", {"ref": REFERENCE}, Exception("gone"))

        monkeypatch.setattr(registry, "add_visit", outage)
        assert c.post(f"/v1/patients/{pid}/visits", json=case, headers=bearer).status_code == 503

    server_side = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_side)
    assert "alsdx.access" in logged and "alsdx.cds" in logged  # the logs were captured
    leaked = [s for s in secrets_in if s.lower() in logged.lower()]
    assert leaked == []


def test_database_errors_never_quote_their_parameters(db_url: str) -> None:
    """Error messages reach logs; their SQL parameters would be case documents and references."""
    from sqlalchemy import insert

    from alsdx.store.engine import make_engine
    from alsdx.store.schema import Clinic

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(insert(Clinic).values(name=REFERENCE))
    with pytest.raises(sqlalchemy.exc.IntegrityError) as err, engine.begin() as conn:
        conn.execute(insert(Clinic).values(name=REFERENCE))
    engine.dispose()
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(err.value)


def test_unhandled_errors_are_logged_without_their_message(
    client: TestClient, make_user: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL puts the duplicate value in its message ("Key (...)=(MRN-...) already exists"); any
    unhandled error's message may hold data, so the log gets its type and stack only."""
    caplog.set_level(logging.DEBUG)
    bearer = make_user("ana")  # type: ignore[operator]
    pid = client.post("/v1/patients", json={"reference": REFERENCE}, headers=bearer).json()["id"]

    def crash(*_: object, **__: object) -> None:
        raise ValueError(f"cannot store {REFERENCE} / {NAME}")

    monkeypatch.setattr(registry, "add_visit", crash)
    quiet = TestClient(client.app, raise_server_exceptions=False)
    r = quiet.post(f"/v1/patients/{pid}/visits", json=example(), headers=bearer)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert REFERENCE not in r.text
    server_side = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in server_side)
    assert "unhandled ValueError in POST /v1/patients/{patient_id}/visits" in logged
    assert "registry.add_visit" in logged or "add_visit" in logged  # the stack is there
    assert REFERENCE not in logged and NAME not in logged


def test_two_patients_with_one_reference_at_once_is_a_409_not_a_500(
    client: TestClient, make_user: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The check-then-insert race, replayed: the second insert meets the unique constraint."""
    caplog.set_level(logging.DEBUG)
    bearer = make_user("ana")  # type: ignore[operator]
    assert client.post("/v1/patients", json={"reference": REFERENCE}, headers=bearer).status_code == 201
    monkeypatch.setattr(registry, "_by_reference", lambda *_a, **_k: None)  # both requests passed the check
    r = client.post("/v1/patients", json={"reference": REFERENCE}, headers=bearer)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "reference"
    assert REFERENCE not in "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS))
