"""The patient page's "Clinical trials" panel (issue 19): status, window, why not and what to record, from the
latest visit's stored assessment; no trials configured is said in words, not an error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import example
from test_web_pages import login, new_patient

from alsdx.api import Settings, create_app
from alsdx.store import accounts, registry
from alsdx.trials.model import Trial, parse_trial

DIAGNOSIS = {
    "id": "diagnosis",
    "kind": "inclusion",
    "fact": "revised_el_escorial",
    "in": ["probable", "probable_laboratory_supported", "definite"],
}
TRIALS = [
    parse_trial(doc)
    for doc in [
        {  # fails on the FVC and misses the SVC
            "id": "fvc-trial",
            "title": "FVC trial",
            "source": "ClinicalTrials.gov NCT00000001",
            "criteria": [
                {
                    "id": "fvc",
                    "kind": "inclusion",
                    "text": "FVC at least 75 %",
                    "fact": "fvc_upright_percent",
                    "min": 75,
                },
                {"id": "svc", "kind": "inclusion", "fact": "svc_percent", "min": 50},
            ],
        },
        {  # passes: open until 24 months from onset, with a criterion for the investigator
            "id": "open-trial",
            "title": "Open trial",
            "source": "ClinicalTrials.gov NCT00000002",
            "criteria": [
                DIAGNOSIS,
                {"id": "onset-window", "kind": "inclusion", "fact": "months_since_onset", "max": 24},
                {"id": "consent", "kind": "inclusion", "text": "Able to give informed consent", "manual": True},
            ],
        },
        {  # no SVC recorded
            "id": "svc-trial",
            "title": "SVC trial",
            "source": "ClinicalTrials.gov NCT00000003",
            "criteria": [DIAGNOSIS, {"id": "svc", "kind": "inclusion", "fact": "svc_percent", "min": 50}],
        },
        {  # too early: 36 months from onset
            "id": "late-trial",
            "title": "Late trial",
            "source": "ClinicalTrials.gov NCT00000004",
            "criteria": [{"id": "late", "kind": "inclusion", "fact": "months_since_onset", "min": 36}],
        },
    ]
]


def _client(tmp_path: Path, trials: list[Trial] | tuple[()]) -> TestClient:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/web.db"), trials=trials)
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "ana", "password-123", "clinician", "North")
    return TestClient(app)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, TRIALS) as c:
        yield c


def _patient_with_visit(c: TestClient, doc: dict[str, Any] | None) -> str:
    pid = new_patient(c, login(c))
    if doc is not None:
        with c.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
            patient = registry.get_patient(s, 1, pid)
            registry.add_visit(s, patient, doc, None)  # type: ignore[arg-type]
    return pid


def _visit() -> dict[str, Any]:
    """The bulbar-onset example (onset 2025-02-01, probable, seen 2026-01-20) with an upright FVC of 52 %."""
    doc = example("bulbar-onset")
    doc["fvc"] = [{"date": "2026-01-20", "percent_predicted": 52, "position": "upright"}]
    return doc


def _card(page: str, trial: str) -> str:
    match = re.search(rf'<article class="trial[^"]*" data-trial="{trial}".*?</article>', page, re.S)
    assert match, trial
    return match[0]


def test_the_panel_shows_status_window_why_not_and_what_to_record(web: TestClient) -> None:
    page = web.get(f"/patients/{_patient_with_visit(web, _visit())}").text
    assert '<h2 id="trials-heading">Clinical trials</h2>' in page
    assert "The latest visit (2026-01-20) screened against 4 trials" in page

    opened = _card(page, "open-trial")
    assert 'data-status="eligible"' in opened and "May be eligible — investigator to confirm" in opened
    assert "Eligible until 2027-02-01 (24 months from onset)" in opened
    assert '<details class="trial-manual" open>' in opened and "Able to give informed consent" in opened
    assert "For the investigator: 1 criterion to check" in opened
    assert "Source: ClinicalTrials.gov NCT00000002" in opened and "Why not" not in opened

    undetermined = _card(page, "svc-trial")
    assert "Undetermined: missing a slow vital capacity (SVC, % predicted)" in undetermined
    assert "If the missing findings allow, eligible until" not in undetermined  # no time criterion: no window

    failing = _card(page, "fvc-trial")
    assert "Not eligible on recorded data" in failing
    assert "FVC (upright): 52 % — needs ≥ 75 %" in failing and "FVC at least 75 %" in failing
    assert re.search(r"To record</h4>\s*<ul[^>]*><li>a slow vital capacity \(SVC, % predicted\)", failing)

    late = _card(page, "late-trial")
    assert "Time since onset: 11 months — needs ≥ 36 months" in late
    assert "May become eligible from 2028-02-01 (36 months from onset)" in late

    # open and undetermined trials first; the not-eligible ones collapsed below, in the list's order
    closed = page.index('<details class="trials-closed">')
    assert page.index('data-trial="open-trial"') < page.index('data-trial="svc-trial"') < closed
    assert closed < page.index('data-trial="fvc-trial"') < page.index('data-trial="late-trial"')
    assert "Not eligible on recorded data: 2 trials" in page


def test_the_panel_words_never_claim_a_diagnosis_or_a_decision(web: TestClient) -> None:
    page = web.get(f"/patients/{_patient_with_visit(web, _visit())}").text
    panel = page[page.index('id="trials"') :]
    assert "The trial's investigator decides eligibility." in panel
    for claim in ("is eligible", "patient has ALS", "diagnosed", "Eligible:"):
        assert claim not in panel, claim


def test_no_trials_configured_is_said_in_words(tmp_path: Path) -> None:
    with _client(tmp_path, ()) as c:
        r = c.get(f"/patients/{_patient_with_visit(c, _visit())}")
        assert r.status_code == 200
        assert "No trials configured for this service" in r.text
        assert 'class="trial ' not in r.text and "Latest assessment (2026-01-20)" in r.text


def test_a_patient_without_a_visit_is_asked_for_one(web: TestClient) -> None:
    r = web.get(f"/patients/{_patient_with_visit(web, None)}")
    assert r.status_code == 200
    assert "Enter a visit to screen this patient against the 4 configured trials." in r.text


def test_the_service_default_screens_the_bundled_trials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALSDX_TRIALS_DIR", raising=False)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/web.db"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "ana", "password-123", "clinician", "North")
    with TestClient(app) as c:
        page = c.get(f"/patients/{_patient_with_visit(c, example('bulbar-onset'))}").text
    for trial in ("phoenix-amx0035", "oral-edaravone-mt1186-a02", "healey-als-platform"):
        assert f'data-trial="{trial}"' in page, trial
    # HEALEY needs an SVC the case does not record; MT-1186 has every ALSFRS-R item >= 2 and FVC 71 %
    assert "Undetermined: missing a slow vital capacity" in _card(page, "healey-als-platform")
    assert 'data-status="eligible"' in _card(page, "oral-edaravone-mt1186-a02")
