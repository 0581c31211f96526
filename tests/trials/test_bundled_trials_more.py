"""The bundled COURAGE-ALS and ALN-SOD trial files against hand-made patients built from their criteria: one who
passes every evaluable criterion, and one failing each key criterion at its boundary (the threshold itself passes,
one step past it fails), with the window dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.model.case import ALSFRS_ITEMS, Case
from alsdx.trials.model import bundled_trials
from alsdx.trials.screen import TrialResult, screen_cases

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "bulbar-onset.yaml"
DATA = Path(__file__).parents[2] / "src" / "alsdx" / "trials" / "data"
ASSESSED = dt.date(2026, 1, 20)  # the example's assessment date
SOD1 = {"variants": [{"gene": "SOD1", "classification": "pathogenic"}], "c9orf72_repeat_expansion": False}


def _case(**changes: Any) -> Case:
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc.update(changes)
    return Case.model_validate(doc)


def _screen(trial_id: str, case: Case) -> TrialResult:
    (result,) = screen_cases([case], [bundled_trials()[trial_id]])
    (trial,) = result.trials
    return trial


def _results(trial: TrialResult) -> dict[str, str]:
    return {c.id: c.result for c in trial.criteria}


def _failing(trial: TrialResult) -> list[str]:
    return [c.id for c in trial.criteria if c.result == "fail"]


def _riluzole(days: int) -> list[dict[str, Any]]:
    return [{"name": "riluzole", "start_date": (ASSESSED - dt.timedelta(days=days)).isoformat()}]


def _fvc(percent: float) -> list[dict[str, Any]]:
    return [{"date": "2026-01-20", "percent_predicted": percent, "position": "upright"}]


def _alsfrs_r(total: int) -> list[dict[str, Any]]:
    """One visit at the assessment date with the given total (items of 4, then 3s from the first item, speech)."""
    lost = 48 - total
    items = {name: 3 if i < lost else 4 for i, name in enumerate(ALSFRS_ITEMS)}
    return [{"date": "2026-01-20", "gastrostomy": False, "items": items}]


# COURAGE-ALS (NCT04944784)


def test_courage_patient_meeting_every_evaluable_criterion() -> None:
    trial = _screen("courage-als-reldesemtiv", _case())
    assert trial.status == "eligible"
    assert not _failing(trial)
    assert {c.id for c in trial.criteria if c.result == "manual"} >= {
        "possible-lmn",
        "riluzole-stopped",
        "edaravone",
        "other-exclusions",
    }
    # onset 2025-02-01 + 24 calendar months closes first (age 80 would hold until 2039-06-13)
    assert trial.eligible_until == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("changes", "criterion", "passes"),
    [
        ({"alsfrs_r": _alsfrs_r(44)}, "alsfrs-r-total", True),
        ({"alsfrs_r": _alsfrs_r(45)}, "alsfrs-r-total", False),
        ({"fvc": _fvc(65)}, "fvc", True),
        ({"fvc": _fvc(64.9)}, "fvc", False),
        ({"birth_date": "1945-01-21"}, "age", True),  # 80 until the day before the 81st birthday
        ({"birth_date": "1945-01-20"}, "age", False),  # 81 on the assessment date
        ({"symptom_onset": "2024-01-20"}, "onset-window", True),  # exactly 24 calendar months
        ({"symptom_onset": "2024-01-19"}, "onset-window", False),  # one day later
        ({"medications": _riluzole(30)}, "riluzole-stable", True),
        ({"medications": _riluzole(29)}, "riluzole-stable", False),
    ],
)
def test_courage_boundaries(changes: dict[str, Any], criterion: str, passes: bool) -> None:
    trial = _screen("courage-als-reldesemtiv", _case(**changes))
    assert _results(trial)[criterion] == ("pass" if passes else "fail")
    assert _failing(trial) == ([] if passes else [criterion])
    assert trial.status == ("eligible" if passes else "not_eligible")


def test_courage_windows_at_the_boundaries() -> None:
    on_the_last_day = _screen("courage-als-reldesemtiv", _case(symptom_onset="2024-01-20"))
    assert on_the_last_day.eligible_until == ASSESSED
    turning_81 = _screen("courage-als-reldesemtiv", _case(birth_date="1945-01-21"))
    assert turning_81.eligible_until == ASSESSED  # the 81st birthday is 2026-01-21
    too_late = _screen("courage-als-reldesemtiv", _case(symptom_onset="2024-01-19"))
    assert too_late.eligible_from is None  # an onset window never reopens
    riluzole_29_days = _screen("courage-als-reldesemtiv", _case(medications=_riluzole(29)))
    assert riluzole_29_days.eligible_from == ASSESSED + dt.timedelta(days=1)  # 30 days from the start
    assert riluzole_29_days.eligible_until is None


def _one_region_case(bulbar: dict[str, list[str]]) -> Case:
    """Signs in the bulbar region only, EMG of the genioglossus only."""
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["exam"] |= {"bulbar": bulbar, "cervical": {"umn": [], "lmn": []}, "lumbosacral": {"umn": [], "lmn": []}}
    doc["emg"] = doc["emg"][:1]
    return Case.model_validate(doc)


def test_courage_diagnosis_admits_possible_and_leaves_its_lmn_condition_to_the_investigator() -> None:
    possible = _screen(
        "courage-als-reldesemtiv", _one_region_case(yaml.safe_load(EXAMPLE.read_text())["exam"]["bulbar"])
    )
    (diagnosis,) = [c for c in possible.criteria if c.id == "diagnosis"]
    assert (diagnosis.value, diagnosis.result) == ("possible", "pass")
    assert _results(possible)["possible-lmn"] == "manual"
    not_met = _screen("courage-als-reldesemtiv", _one_region_case({"umn": [], "lmn": ["fasciculations"]}))
    (diagnosis,) = [c for c in not_met.criteria if c.id == "diagnosis"]
    assert (diagnosis.value, diagnosis.result) == ("not_met", "fail")
    assert _failing(not_met) == ["diagnosis"]


def test_courage_unknown_alsfrs_r_is_undetermined_not_a_failure() -> None:
    trial = _screen("courage-als-reldesemtiv", _case(alsfrs_r=[]))
    assert _results(trial)["alsfrs-r-total"] == "unknown"
    assert trial.status == "undetermined"


# ALN-SOD-ALS-2351 (NCT06351592)


def _sod1_case(**changes: Any) -> Case:
    base: dict[str, Any] = {"genetics": SOD1, "svc": [{"date": "2026-01-10", "percent_predicted": 62}]}
    return _case(**(base | changes))


def test_aln_sod_patient_meeting_every_evaluable_criterion() -> None:
    trial = _screen("aln-sod-sod1-als", _sod1_case())
    assert trial.status == "eligible"
    assert _results(trial) == {
        "weakness-attributable-to-als": "manual",
        "sod1-variant": "pass",
        "svc": "pass",
        "bmi": "manual",
        "riluzole-stable": "pass",  # on riluzole since 2025-05-10
        "edaravone-stable": "manual",
        "platelets": "manual",
        "blood-pressure": "manual",
        "other-criteria": "manual",
    }
    assert trial.eligible_until is None  # no criterion of this trial closes with time


def test_aln_sod_unknown_genetics_and_svc_are_undetermined() -> None:
    trial = _screen("aln-sod-sod1-als", _case())  # no variants listed, no SVC
    assert trial.status == "undetermined"
    assert _results(trial)["sod1-variant"] == "unknown"
    assert _results(trial)["svc"] == "unknown"


@pytest.mark.parametrize(
    ("changes", "criterion", "passes"),
    [
        ({"svc": [{"date": "2026-01-10", "percent_predicted": 50}]}, "svc", True),
        ({"svc": [{"date": "2026-01-10", "percent_predicted": 49.9}]}, "svc", False),
        (
            {"genetics": {"variants": [{"gene": "SOD1", "classification": "likely_pathogenic"}]}},
            "sod1-variant",
            True,
        ),
        ({"genetics": {"variants": [{"gene": "SOD1", "classification": "vus"}]}}, "sod1-variant", False),
        ({"genetics": {"variants": [{"gene": "FUS", "classification": "pathogenic"}]}}, "sod1-variant", False),
        ({"medications": _riluzole(28)}, "riluzole-stable", True),
        ({"medications": _riluzole(27)}, "riluzole-stable", False),
        ({"medications": []}, "riluzole-stable", True),  # not taking riluzole
    ],
)
def test_aln_sod_boundaries(changes: dict[str, Any], criterion: str, passes: bool) -> None:
    trial = _screen("aln-sod-sod1-als", _sod1_case(**changes))
    assert _results(trial)[criterion] == ("pass" if passes else "fail")
    assert _failing(trial) == ([] if passes else [criterion])


def test_aln_sod_not_taking_riluzole_has_no_window_end() -> None:
    # the riluzole exclusion never holds for a patient not taking it, and is this trial's only time criterion:
    # no window closes (the kernel once returned the "never" sentinel's day before as a date)
    trial = _screen("aln-sod-sod1-als", _sod1_case(medications=[]))
    assert trial.status == "eligible"
    assert trial.eligible_until is None and trial.eligible_from is None


def test_aln_sod_riluzole_window_opens_after_four_weeks() -> None:
    trial = _screen("aln-sod-sod1-als", _sod1_case(medications=_riluzole(27)))
    assert trial.status == "not_eligible"
    assert trial.eligible_from == ASSESSED + dt.timedelta(days=1)  # 28 days from the start


# The commands

runner = CliRunner()


def test_cli_lists_and_checks_the_new_trials() -> None:
    out = runner.invoke(app, ["trials", "list"])
    assert out.exit_code == 0
    assert "courage-als-reldesemtiv" in out.output and "NCT04944784" in out.output
    assert "aln-sod-sod1-als" in out.output and "NCT06351592" in out.output
    for name in ("courage-als-reldesemtiv.yaml", "aln-sod-sod1-als.yaml"):
        checked = runner.invoke(app, ["trials", "check", str(DATA / name)])
        assert checked.exit_code == 0 and "is valid" in checked.output
