"""The patient-view trial card (issue 19), on the CDS Hooks specification's own request and HL7's Patient/example
record with an ALS problem (onset 2025-09-01, male, born 1974-12-25; the hook's date 2026-11-23): a card when a
configured trial may be eligible or is undetermined, with the window, what to check and the investigator's count;
none when every trial is not eligible or no trial is configured; never a claim of eligibility."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from test_hl7_and_cds_hooks_spec_examples import (
    CDS_RESPONSE,
    als_condition,
    call,
    errors,
    official_record,
    prefetch,
    spec_client,
    spec_request,
)

from alsdx.api import Settings, create_app
from alsdx.api.cds import hooks
from alsdx.api.cds.cards import SOURCES, TRIALS_NOTE
from alsdx.trials.catalog import ENV_VAR
from alsdx.trials.model import Trial, parse_trial

TRIALS_SOURCE = SOURCES["trials"]["label"]


def trial(id_: str, *criteria: dict[str, Any]) -> Trial:
    return parse_trial(
        {"id": id_, "title": f"Trial {id_}", "source": f"registry record of {id_}", "criteria": list(criteria)}
    )


MANUAL = {"id": "consent", "kind": "inclusion", "text": "Able to give informed consent", "manual": True}
MAY = trial(
    "may",
    {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 24},  # 14 months: until 2027-09-01
    {"id": "sex", "kind": "inclusion", "fact": "sex", "in": ["male"]},
    MANUAL,
)
UNDETERMINED = trial(
    "undetermined",
    {"id": "age", "kind": "inclusion", "fact": "age_years", "min": 18},
    {"id": "fvc", "kind": "inclusion", "text": "FVC at least 50 % predicted", "fact": "fvc_upright_percent", "min": 50},
    {"id": "svc", "kind": "inclusion", "fact": "svc_percent", "min": 55},
    MANUAL,
    {"id": "procedures", "kind": "inclusion", "manual": True},
)
NOT_ELIGIBLE = trial("too-late", {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 6})
LATER = trial("later", {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "min": 18})


def cards(client: TestClient) -> list[dict[str, Any]]:
    r = call(client, spec_request("example", prefetch([*official_record(), als_condition()])))
    assert r.status_code == 200, r.text
    assert errors(CDS_RESPONSE, r.json()) == []  # CDS Hooks 2.0.1's field tables
    found: list[dict[str, Any]] = r.json()["cards"]
    return found


def trial_cards(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in found if c["source"]["label"] == TRIALS_SOURCE]


def test_a_patient_who_may_be_eligible_or_is_undetermined_gets_one_card_with_window_and_what_to_check(monkeypatch):
    found = cards(spec_client(monkeypatch, trials=[NOT_ELIGIBLE, UNDETERMINED, MAY, LATER]))
    (card,) = trial_cards(found)
    assert card is found[-1] and found[0]["source"]["label"].startswith("ALS criteria")  # after the other cards
    assert card["summary"] == (
        "Clinical trials (alsdx screening): may be eligible for 1 trial; eligibility undetermined for 1 trial. "
        "The investigator decides"
    )
    assert card["indicator"] == "info" and card["source"]["url"].startswith("https://")
    assert card["extension"] == {
        "alsdx.trials": {
            "too-late": "not_eligible",
            "undetermined": "undetermined",
            "may": "eligible",
            "later": "not_eligible",
        }
    }
    may, undetermined, later, note = card["detail"].split("\n\n")
    assert may.splitlines() == [
        "**Trial may** (`may`): may be eligible; window: eligible until 2027-09-01 (a time criterion is no longer met "
        "after it).",
        "- For the investigator: 1 criterion alsdx does not evaluate",
        "- Source: registry record of may",
    ]
    assert undetermined.splitlines() == [
        "**Trial undetermined** (`undetermined`): eligibility undetermined.",
        "- To check, not recorded: FVC at least 50 % predicted (latest upright FVC, % predicted)",
        "- To check, not recorded: latest slow vital capacity, % predicted",
        "- For the investigator: 2 criteria alsdx does not evaluate",
        "- Source: registry record of undetermined",
    ]
    assert later.splitlines()[0] == "**Trial later** (`later`): not yet: its time criteria are met from 2027-03-01."
    assert note == TRIALS_NOTE and "too-late" not in card["detail"]
    words = (card["summary"] + card["detail"]).replace("may be eligible", "").replace("eligible until", "")
    assert "eligible" not in words.replace("eligibility undetermined", "").replace("does not establish eligibility", "")


def test_no_card_when_every_trial_is_not_eligible_or_none_is_configured(monkeypatch):
    not_eligible = cards(spec_client(monkeypatch, trials=[NOT_ELIGIBLE, LATER]))
    assert trial_cards(not_eligible) == [] and not_eligible  # the other cards are answered as before
    without = cards(spec_client(monkeypatch, trials=()))
    assert [c["summary"] for c in without] == [c["summary"] for c in not_eligible]


def test_the_trials_come_from_the_configured_directory(monkeypatch, tmp_path: Path):
    """CdsService's default is ALSDX_TRIALS_DIR (else the bundled trials); an empty directory: no card."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert trial_cards(cards(spec_client(monkeypatch))) == []
    (tmp_path / "may.yaml").write_text(
        yaml.safe_dump(MAY.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    )
    (card,) = trial_cards(cards(spec_client(monkeypatch)))
    assert card["extension"] == {"alsdx.trials": {"may": "eligible"}}


def test_the_service_screens_against_the_apps_trials(tmp_path: Path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/a.db"), trials=[MAY])
    assert app.state.cds.hooks.trials == (MAY,) == app.state.trials


def test_the_screening_reuses_the_hooks_assessment(monkeypatch):
    seen: list[Any] = []
    real = hooks.screen_cases

    def spy(cases: Any, trials: Any, assessments: Any = None) -> Any:
        seen.append(assessments)
        return real(cases, trials, assessments)

    monkeypatch.setattr(hooks, "screen_cases", spy)
    assert trial_cards(cards(spec_client(monkeypatch, trials=[MAY])))
    ((assessment,),) = seen
    assert assessment.id == "example"


def test_a_screening_failure_costs_only_the_trial_card(monkeypatch):
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(hooks, "screen_cases", broken)
    found = cards(spec_client(monkeypatch, trials=[MAY]))
    (card,) = trial_cards(found)
    assert card["summary"].startswith("alsdx could not screen this patient against the clinic's trials")
    assert found[0]["source"]["label"].startswith("ALS criteria")
