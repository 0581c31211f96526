"""GET /v1/trials and POST /v1/trials:screen: the configured trials, the screening's contract JSON (as
``trials.screen.screen_cases`` gives it), inline trials checked as trial files are, bounds, one bad case isolated,
the credentials of /v1/assess."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from service_helpers import EXAMPLE_NAMES, example

from alsdx.api import Settings, create_app, routes_trials
from alsdx.api.trial_schema import MAX_CRITERIA_PER_TRIAL, TRIAL_DOCUMENT, trial_document
from alsdx.model.load import case_from_dict
from alsdx.store import accounts
from alsdx.trials.model import bundled_trials, parse_trial
from alsdx.trials.screen import screen_cases

PROBLEM = "application/problem+json"
SCREEN = "/v1/trials:screen"
ONSET = {
    "id": "onset-24",
    "title": "Onset within 24 months",
    "source": "test trial",
    "criteria": [
        {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 24},
        {"id": "consent", "kind": "inclusion", "text": "Informed consent", "manual": True},
    ],
}


def _client(tmp_path: Path, **kw: Any) -> Iterator[TestClient]:
    trials = kw.pop("trials", None)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/t.db", **kw), trials=trials)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, open_assess=True)


def test_the_list_is_the_configured_trials_each_as_its_file_writes_it(client: TestClient) -> None:
    r = client.get("/v1/trials")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    listed = r.json()
    assert [t["id"] for t in listed] == list(bundled_trials())
    validator = Draft202012Validator(TRIAL_DOCUMENT)
    for doc in listed:
        assert set(doc) == {"id", "title", "source", "criteria"}
        assert list(validator.iter_errors(doc)) == []  # the documented schema describes what is listed
        assert parse_trial(doc) == bundled_trials()[doc["id"]]  # and it can be sent back inline as it is
    phoenix = next(t for t in listed if t["id"] == "phoenix-amx0035")
    assert phoenix["criteria"][2] == {
        "id": "onset-window",
        "kind": "inclusion",
        "text": phoenix["criteria"][2]["text"],
        "fact": "months_since_onset",
        "max": 24,
    }
    assert {"id": "consent", "kind": "inclusion", "text": "Capable of providing informed consent", "manual": True} in (
        phoenix["criteria"]
    )


def test_a_service_without_trials_lists_none_and_says_so_for_an_id(tmp_path: Path) -> None:
    for c in _client(tmp_path, open_assess=True, trials=()):
        assert c.get("/v1/trials").json() == []
        r = c.post(SCREEN, json={"cases": [example(EXAMPLE_NAMES[0])], "trials": ["phoenix-amx0035"]})
        assert r.status_code == 422
        assert "configured: none (ALSDX_TRIALS_DIR holds no trial file)" in r.json()["errors"][0]["message"]


def test_screening_by_id_and_inline_is_the_contracts_json(client: TestClient) -> None:
    docs = [example(n) for n in EXAMPLE_NAMES]
    r = client.post(SCREEN, json={"cases": docs, "trials": ["phoenix-amx0035", ONSET, "healey-als-platform"]})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    trials = [bundled_trials()["phoenix-amx0035"], parse_trial(ONSET), bundled_trials()["healey-als-platform"]]
    expected = screen_cases([case_from_dict(d) for d in docs], trials)
    assert r.json() == [s.model_dump(mode="json") for s in expected]
    first = r.json()[0]
    assert set(first) == {"id", "trials"} and [t["trial"] for t in first["trials"]] == [t.id for t in trials]
    assert set(first["trials"][0]) == {"trial", "status", "eligible_until", "eligible_from", "criteria"}
    assert {t["status"] for s in r.json() for t in s["trials"]} >= {"undetermined", "not_eligible"}


def test_an_invalid_case_gets_its_own_errors_and_the_others_are_screened(client: TestClient) -> None:
    good = example(EXAMPLE_NAMES[0])
    r = client.post(SCREEN, json={"cases": [{"id": "x"}, good], "trials": [ONSET]})
    assert r.status_code == 200
    bad, ok = r.json()
    assert bad["index"] == 0 and bad["ok"] is False
    assert {"field": "symptom_onset", "message": bad["errors"][0]["message"]} in bad["errors"]
    assert ok["id"] == good["id"] and ok["trials"][0]["trial"] == "onset-24"


def test_a_case_the_engine_fails_on_does_not_take_the_others_down(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [example(n) for n in EXAMPLE_NAMES[:3]]
    real = routes_trials.screen_cases

    def breaks_on_the_second(cases: Any, trials: Any) -> Any:
        if any(c.id == docs[1]["id"] for c in cases):
            raise RuntimeError("boom")
        return real(cases, trials)

    monkeypatch.setattr(routes_trials, "screen_cases", breaks_on_the_second)
    r = client.post(SCREEN, json={"cases": docs, "trials": ["phoenix-amx0035"]})
    assert r.status_code == 200
    first, failed, third = r.json()
    assert first["id"] == docs[0]["id"] and third["id"] == docs[2]["id"]
    assert failed == {
        "index": 1,
        "ok": False,
        "errors": [{"field": "(case)", "message": routes_trials.CASE_NOT_SCREENED}],
    }


def _problem(client: TestClient, trials: list[Any]) -> dict[str, Any]:
    r = client.post(SCREEN, json={"cases": [example(EXAMPLE_NAMES[0])], "trials": trials})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    body: dict[str, Any] = r.json()
    return body


def test_an_invalid_inline_trial_is_a_problem_naming_the_item_and_the_criterion(client: TestClient) -> None:
    bad = copy.deepcopy(ONSET)
    bad["criteria"][0] = {"id": "fvc", "kind": "inclusion", "fact": "fvc_percent", "min": 60}
    body = _problem(client, ["phoenix-amx0035", bad])
    assert body["detail"].startswith("trials[1]: criterion 'fvc' (criteria[0]): unknown fact 'fvc_percent'; write one")
    (error,) = body["errors"]
    assert error["field"] == "trials[1]"
    assert error["message"].startswith("criterion 'fvc' (criteria[0]): unknown fact 'fvc_percent'")


def test_an_unknown_id_or_a_path_names_the_configured_trials_and_no_file_is_read(
    client: TestClient, tmp_path: Path
) -> None:
    trial_file = tmp_path / "mine.yaml"
    trial_file.write_text("id: mine\ntitle: T\nsource: s\ncriteria:\n  - {id: c, kind: inclusion, manual: true}\n")
    body = _problem(client, ["x", str(trial_file)])
    assert body["detail"] == "2 trials are invalid"
    first, second = body["errors"]
    assert first["field"] == "trials[0]" and first["message"].startswith(
        f"unknown trial id 'x'; configured: {', '.join(sorted(bundled_trials()))}."
    )
    assert second["field"] == "trials[1]" and "the service reads no file paths" in second["message"]


def test_bounds_and_repeats_are_refused_naming_the_field(client: TestClient) -> None:
    many = copy.deepcopy(ONSET)
    many["criteria"] = [{"id": f"c{i}", "kind": "inclusion", "manual": True} for i in range(MAX_CRITERIA_PER_TRIAL + 1)]
    assert _problem(client, [many])["errors"][0] == {
        "field": "trials[0]",
        "message": f"criteria: {MAX_CRITERIA_PER_TRIAL + 1} criteria; at most {MAX_CRITERIA_PER_TRIAL} per trial",
    }
    wide = copy.deepcopy(ONSET)
    wide["criteria"][0] = {"id": "sex", "kind": "inclusion", "fact": "sex", "in": ["male"] * 51}
    assert _problem(client, [wide])["errors"][0]["message"] == "criteria[0]: in: 51 values; at most 50"
    twice = _problem(client, ["phoenix-amx0035", ONSET, {**ONSET, "title": "again"}])
    assert twice["errors"] == [
        {"field": "trials[2]", "message": "trial 'onset-24' is already named at trials[1]; name each trial once"}
    ]
    too_many = _problem(client, [ONSET | {"id": f"t{i}"} for i in range(21)])
    assert too_many["errors"][0]["field"] == "trials"
    assert _problem(client, [])["errors"][0]["field"] == "trials"
    assert _problem(client, [7])["errors"][0] == {
        "field": "trials[0]",
        "message": "write a configured trial id (a string) or a trial document (an object)",
    }


def test_the_documented_schema_refuses_what_the_service_refuses(client: TestClient) -> None:
    """An inline trial outside the schema (extra key, unknown fact, manual false) is refused by the service too."""
    validator = Draft202012Validator(TRIAL_DOCUMENT)
    for change in (
        {"note": "x"},
        {"criteria": [{"id": "a", "kind": "inclusion", "fact": "fvc", "min": 1}]},
        {"criteria": [{"id": "a", "kind": "inclusion", "manual": False}]},
        {"criteria": [{"id": "a", "kind": "inclusion", "manual": True, "fact": "sex"}]},
    ):
        doc = ONSET | change
        assert list(validator.iter_errors(doc))
        assert _problem(client, [doc])["errors"][0]["field"] == "trials[0]"
    assert list(validator.iter_errors(trial_document(parse_trial(ONSET)))) == []


def test_same_credentials_as_assess(tmp_path: Path) -> None:
    for c in _client(tmp_path):
        body = {"cases": [example(EXAMPLE_NAMES[0])], "trials": ["phoenix-amx0035"]}
        refused = c.post(SCREEN, json=body)
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
        assert c.get("/v1/trials").status_code == 401
        with c.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            user = accounts.create_user(s, "ana", "password-123", "clinician", "North")
            secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
        bearer = {"Authorization": f"Bearer {secret}"}
        assert c.post(SCREEN, json=body, headers=bearer).status_code == 200
        assert c.get("/v1/trials", headers=bearer).status_code == 200
    for c in _client(tmp_path / "open", open_assess=True):  # ALSDX_OPEN_ASSESS=1 opens it as it opens /v1/assess
        assert c.post(SCREEN, json={"cases": [], "trials": [ONSET]}).json() == []
