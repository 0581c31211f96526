"""Primary lateral sclerosis (Turner MR, Barohn RJ, Corcia P, et al. Primary lateral sclerosis: consensus
diagnostic criteria. J Neurol Neurosurg Psychiatry 2020;91:373-377; docs/ruleset.md §6 and Decision 15).

Mandatory: onset at 25 or older; UMN signs in at least two of the bulbar, upper-limb and lower-limb regions; no
active LMN degeneration; no sensory loss; progression. Probable PLS from two years after onset, definite from
four. Each test checks one condition at its boundary, through the assessment's `pls` result.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alsdx import assess, load_case
from alsdx.model.case import Case

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "cases"
UMN3 = {
    "bulbar": {"umn": ["jaw_jerk"]},
    "cervical": {"umn": ["hoffmann"]},
    "lumbosacral": {"umn": ["babinski"]},
}


def pls_of(**fields: Any) -> Any:
    """The `pls` result for UMN signs in three regions, onset 10 March 2020 at 50, unless fields say otherwise."""
    doc = {
        "id": "p",
        "age_at_onset": 50,
        "symptom_onset": "2020-03-10",
        "assessment_date": "2025-01-01",
        "course": "progressive",
        "exam": UMN3,
        **fields,
    }
    return assess(Case.model_validate(doc)).pls


def category(**fields: Any) -> str:
    return str(pls_of(**fields).category)


# --- duration (Decision 15, anniversaries per Decision 16) -----------------------------------------------------
@pytest.mark.parametrize(
    ("assessed", "expected"),
    [
        ("2022-03-09", "not_met"),
        ("2022-03-10", "probable"),
        ("2024-03-09", "probable"),
        ("2024-03-10", "definite"),
    ],
)
def test_probable_from_the_second_anniversary_definite_from_the_fourth(assessed: str, expected: str) -> None:
    """Probable PLS when the UMN-only picture has lasted two years, definite at four; on the anniversary itself the
    longer duration holds, the day before it does not."""
    assert category(assessment_date=assessed) == expected


@pytest.mark.parametrize(
    ("assessed", "expected"),
    [
        ("2022-02-27", "not_met"),
        ("2022-02-28", "probable"),  # 29 Feb 2020 + 2 years clamps to 28 Feb 2022 (Decision 16)
        ("2024-02-28", "probable"),
        ("2024-02-29", "definite"),  # 2024 is a leap year: the 4th anniversary is 29 Feb itself
    ],
)
def test_29_february_onset(assessed: str, expected: str) -> None:
    """Decision 15: a 29 February onset has its anniversaries on 28 February in common years."""
    assert category(symptom_onset="2020-02-29", assessment_date=assessed) == expected


def test_before_two_years_names_the_re_examination_dates_and_the_als_caveat() -> None:
    """Before the 2nd anniversary: not met, UMN-predominant ALS not excluded, re-examine at the 2nd and 4th
    anniversaries; between them only the 4th is left; from the 4th, no caveat."""
    early = pls_of(assessment_date="2021-01-01")
    assert early.category == "not_met"
    assert early.re_examine_on == [date(2022, 3, 10), date(2024, 3, 10)]
    assert early.caveat and "UMN-predominant ALS is not excluded" in early.caveat
    assert pls_of(assessment_date="2023-01-01").re_examine_on == [date(2024, 3, 10)]
    late = pls_of()
    assert late.category == "definite" and late.re_examine_on == [] and late.caveat is None


def test_the_example_pls_case_is_definite() -> None:
    """examples/cases/mimic-pls.yaml: UMN signs in three regions for five years, normal EMG, no sensory loss."""
    result = assess(load_case(EXAMPLES / "mimic-pls.yaml")).pls
    assert result.category == "definite" and result.re_examine_on == [] and result.caveat is None


# --- age at onset ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("age", "expected"), [(25, "definite"), (24.99, "not_met")])
def test_onset_at_25_or_older(age: float, expected: str) -> None:
    """Onset at 25 or older: 25 meets it, a day under does not (and the explanation says so)."""
    result = pls_of(age_at_onset=age)
    assert result.category == expected
    assert any("onset before age 25" in s for s in result.explanation) == (expected == "not_met")


def test_age_from_the_birth_date_turns_25_on_the_birthday() -> None:
    """Age at onset from the birth date is calendar age: 25 on the birthday, not the day before."""
    assert category(age_at_onset=None, birth_date="1995-03-10") == "definite"
    assert category(age_at_onset=None, birth_date="1995-03-11") == "not_met"


def test_unknown_age_is_computed_and_flagged() -> None:
    """Decision 15: without an age, computed as if 25 or older and flagged `age_not_documented`."""
    result = pls_of(age_at_onset=None)
    assert result.category == "definite" and result.flags == ["age_not_documented"]


# --- UMN regions ----------------------------------------------------------------------------------------------
def test_umn_signs_in_two_of_bulbar_upper_and_lower_limb_thoracic_not_counted() -> None:
    """Two of the three regions suffice; thoracic UMN signs do not count, so cervical with thoracic is one. (The
    regions without signs are recorded as examined: a region not examined is not known to be free of LMN signs.)"""
    two = {"bulbar": {}, "cervical": {"umn": ["hoffmann"]}, "lumbosacral": {"umn": ["babinski"]}}
    assert category(exam=two) == "definite"
    one = {"bulbar": {}, "cervical": {"umn": ["hoffmann"]}, "thoracic": {"umn": ["hyperreflexia"]}, "lumbosacral": {}}
    result = pls_of(exam=one)
    assert result.category == "not_met"
    assert any("UMN signs in fewer than 2" in s for s in result.explanation)


# Unknown is not absent: "absence of active LMN degeneration" (Turner 2020) is a finding about each of the three
# regions, so a region neither examined nor studied by EMG cannot count as spared (docs/ruleset.md, Decision 15).
UMN_LIMBS = {"cervical": {"umn": ["hoffmann"]}, "lumbosacral": {"umn": ["babinski"]}}
UNSETTLED = "the absence of LMN degeneration cannot be settled"


def unsettled(result: Any) -> str | None:
    return next((s for s in result.explanation if UNSETTLED in s), None)


def test_third_region_not_examined_leaves_pls_unsettled_and_names_it() -> None:
    result = pls_of(exam=UMN_LIMBS)
    assert result.category == "not_met"
    sentence = unsettled(result)
    assert sentence and "bulbar neither examined nor studied by EMG" in sentence
    assert "cervical" not in sentence.split(":")[-1] and "lumbosacral" not in sentence.split(":")[-1]


def test_third_region_examined_normal_settles_it() -> None:
    result = pls_of(exam={**UMN_LIMBS, "bulbar": {}})
    assert result.category == "definite" and unsettled(result) is None


def test_third_region_studied_by_emg_without_denervation_settles_it() -> None:
    result = pls_of(exam=UMN_LIMBS, emg=[{"muscle": "tongue", "side": "left"}])
    assert result.category == "definite" and unsettled(result) is None


def test_explicit_examined_false_is_not_examined() -> None:
    result = pls_of(exam={**UMN_LIMBS, "bulbar": {"examined": False}})
    assert result.category == "not_met" and unsettled(result)


def test_thoracic_not_examined_does_not_unsettle_it() -> None:
    result = pls_of()  # UMN3: bulbar, cervical and lumbosacral examined, thoracic omitted
    assert result.category == "definite" and unsettled(result) is None


def test_active_lmn_elsewhere_excludes_whatever_was_not_examined() -> None:
    result = pls_of(exam={**UMN_LIMBS, "cervical": {"umn": ["hoffmann"], "lmn": ["atrophy"]}})
    assert result.category == "not_met" and unsettled(result) is None
    assert any("active LMN degeneration" in s for s in result.explanation)


# --- no active LMN degeneration -------------------------------------------------------------------------------
def test_clinical_atrophy_is_active_lmn_degeneration_isolated_fasciculations_are_not() -> None:
    """alsdx reads active LMN degeneration as recorded atrophy or an Awaji EMG region; fasciculations seen on
    examination alone do not exclude PLS."""
    atrophy = {**UMN3, "cervical": {"umn": ["hoffmann"], "lmn": ["atrophy"]}}
    fasciculations = {**UMN3, "cervical": {"umn": ["hoffmann"], "lmn": ["fasciculations"]}}
    assert category(exam=atrophy) == "not_met"
    assert category(exam=fasciculations) == "definite"


def emg(*muscles: str) -> list[dict[str, Any]]:
    return [{"muscle": m, "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True} for m in muscles]


def test_an_awaji_emg_region_is_active_lmn_degeneration_one_muscle_is_not() -> None:
    """One denervated limb muscle is not a region (Decision 2); two of different nerves and roots are."""
    assert category(emg=emg("first_dorsal_interosseous")) == "definite"
    result = pls_of(emg=emg("first_dorsal_interosseous", "biceps_brachii"))
    assert result.category == "not_met"
    assert any("active LMN degeneration" in s for s in result.explanation)


# --- sensory loss and progression -----------------------------------------------------------------------------
def test_objective_sensory_loss_excludes() -> None:
    assert category(exam={**UMN3, "sensory_loss": True}) == "not_met"


def test_progression_decision_13() -> None:
    """Not progressive: not met. Unknown: computed as progressive and flagged."""
    assert category(course="not_progressive") == "not_met"
    result = pls_of(course="unknown")
    assert result.category == "definite" and result.flags == ["progression_not_documented"]
