"""PLS consensus criteria (Turner 2020; alsdx decision 15): boundaries of age, regions, LMN, duration."""

from __future__ import annotations

from typing import Any

import pytest

from alsdx.columns.from_case import case_columns
from alsdx.model.case import Case
from alsdx.rules.criteria.pls import CATEGORIES, pls
from alsdx.rules.criteria.regions import region_evidence

UMN3 = {
    "bulbar": {"umn": ["jaw_jerk"]},
    "cervical": {"umn": ["hoffmann"]},
    "lumbosacral": {"umn": ["babinski"]},
}


def pls_of(**fields: Any) -> dict[str, Any]:
    doc = {
        "id": "p",
        "age_at_onset": 50,
        "symptom_onset": "2020-03-10",
        "assessment_date": "2025-01-01",
        "course": "progressive",
        "exam": UMN3,
        **fields,
    }
    cols = case_columns([Case.model_validate(doc)])
    out = pls({**cols, **region_evidence(cols)})
    row = {k: v[0].item() for k, v in out.items()}
    row["category"] = CATEGORIES[row["category"]]
    return row


@pytest.mark.parametrize(
    ("assessed", "category"),
    [
        ("2022-03-09", "not_met"),
        ("2022-03-10", "probable"),
        ("2024-03-09", "probable"),
        ("2024-03-10", "definite"),
    ],
)
def test_duration_counts_calendar_anniversaries(assessed, category):
    assert pls_of(assessment_date=assessed)["category"] == category


@pytest.mark.parametrize(
    ("assessed", "category"),
    [
        ("2022-02-27", "not_met"),
        ("2022-02-28", "probable"),  # 29 Feb 2020 + 2 years clamps to 28 Feb 2022 (decision 16's clamping)
        ("2024-02-28", "probable"),
        ("2024-02-29", "definite"),  # 2024 is a leap year: the 4th anniversary is 29 Feb itself
    ],
)
def test_29_february_onset(assessed, category):
    assert pls_of(symptom_onset="2020-02-29", assessment_date=assessed)["category"] == category


def test_under_two_years_flags_re_examination_and_the_als_caveat():
    row = pls_of(assessment_date="2021-01-01")
    assert row["category"] == "not_met" and row["pattern"]
    assert row["re_examine_2y"] and row["re_examine_4y"] and row["umn_predominant_als_not_excluded"]
    later = pls_of(assessment_date="2023-01-01")
    assert not later["re_examine_2y"] and later["re_examine_4y"]
    assert not pls_of()["umn_predominant_als_not_excluded"]


@pytest.mark.parametrize(("age", "category"), [(25, "definite"), (24.99, "not_met")])
def test_age_at_onset_boundary_25(age, category):
    row = pls_of(age_at_onset=age)
    assert row["category"] == category and row["age_under_25"] == (category == "not_met")


def test_age_from_birth_date_turns_25_on_the_birthday():
    assert pls_of(age_at_onset=None, birth_date="1995-03-10")["category"] == "definite"
    assert pls_of(age_at_onset=None, birth_date="1995-03-11")["category"] == "not_met"


def test_unknown_age_is_computed_and_flagged():
    row = pls_of(age_at_onset=None)
    assert row["category"] == "definite" and row["age_not_documented"]


def test_two_of_three_regions_thoracic_does_not_count():
    two = {"bulbar": {}, "cervical": {"umn": ["hoffmann"]}, "lumbosacral": {"umn": ["babinski"]}}
    assert pls_of(exam=two)["category"] == "definite"
    row = pls_of(exam={"cervical": {"umn": ["hoffmann"]}, "thoracic": {"umn": ["hyperreflexia"]}})
    assert row["category"] == "not_met" and row["umn_region_count"] == 1


# Unknown is not absent: "absence of active LMN degeneration" (Turner 2020) is a finding about each of the three
# regions, so a region neither examined nor studied by EMG cannot count as spared.
UMN_LIMBS = {"cervical": {"umn": ["hoffmann"]}, "lumbosacral": {"umn": ["babinski"]}}


def test_third_region_not_examined_leaves_pls_unsettled():
    row = pls_of(exam=UMN_LIMBS)
    assert row["category"] == "not_met" and not row["pattern"]
    assert row["lmn_not_assessed"] and row["lmn_not_assessed_bulbar"]
    assert not row["lmn_not_assessed_cervical"] and not row["lmn_not_assessed_lumbosacral"]


def test_third_region_examined_normal_settles_it():
    row = pls_of(exam={**UMN_LIMBS, "bulbar": {}})
    assert row["category"] == "definite" and not row["lmn_not_assessed"]


def test_third_region_studied_by_emg_without_denervation_settles_it():
    tongue = [{"muscle": "tongue", "side": "left"}]
    row = pls_of(exam=UMN_LIMBS, emg=tongue)
    assert row["category"] == "definite" and not row["lmn_not_assessed"]


def test_explicit_examined_false_is_not_examined():
    row = pls_of(exam={**UMN_LIMBS, "bulbar": {"examined": False}})
    assert row["category"] == "not_met" and row["lmn_not_assessed"]


def test_thoracic_not_examined_does_not_unsettle_it():
    row = pls_of()  # UMN3: bulbar, cervical and lumbosacral examined, thoracic omitted
    assert row["category"] == "definite" and not row["lmn_not_assessed"]


def test_active_lmn_elsewhere_excludes_whatever_was_not_examined():
    exam = {**UMN_LIMBS, "cervical": {"umn": ["hoffmann"], "lmn": ["atrophy"]}}
    row = pls_of(exam=exam)
    assert row["category"] == "not_met" and row["active_lmn"] and not row["lmn_not_assessed"]


def test_clinical_atrophy_is_active_lmn_but_isolated_fasciculations_are_not():
    atrophy = {**UMN3, "cervical": {"umn": ["hoffmann"], "lmn": ["atrophy"]}}
    fasc = {**UMN3, "cervical": {"umn": ["hoffmann"], "lmn": ["fasciculations"]}}
    assert pls_of(exam=atrophy)["category"] == "not_met"
    assert pls_of(exam=fasc)["category"] == "definite"


def emg(*muscles: str) -> list[dict[str, Any]]:
    return [{"muscle": m, "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True} for m in muscles]


def test_awaji_emg_region_is_active_lmn_but_one_muscle_is_not_a_region():
    assert pls_of(emg=emg("first_dorsal_interosseous"))["category"] == "definite"
    row = pls_of(emg=emg("first_dorsal_interosseous", "biceps_brachii"))
    assert row["category"] == "not_met" and row["active_lmn"]


def test_sensory_loss_excludes():
    assert pls_of(exam={**UMN3, "sensory_loss": True})["category"] == "not_met"


def test_progression_decision_13():
    assert pls_of(course="not_progressive")["category"] == "not_met"
    row = pls_of(course="unknown")
    assert row["category"] == "definite" and row["progression_not_documented"]
