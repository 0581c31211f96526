"""Gold Coast (Shefner JM, Al-Chalabi A, Baker MR, et al. A proposal for new diagnostic criteria for ALS. Clin
Neurophysiol 2020;131:1975-1978; docs/ruleset.md §4 and Decision 12), one requirement at a time.

All three must hold: progressive motor impairment after a period of normal motor function; UMN and LMN
dysfunction in at least one region, or LMN dysfunction in at least two regions; investigations excluding other
processes. Clinical LMN dysfunction is weakness with wasting; EMG LMN dysfunction follows the Awaji muscle rule.
The result is two-valued. Each test meets the rule with the fewest findings and takes one region or finding away.
"""

from __future__ import annotations

from typing import Any

from criteria_helpers import (
    BULBAR_FASC,
    CERVICAL_FASC,
    LUMBOSACRAL_FASC,
    UMN,
    WW,
    category,
    criteria_result,
)

from alsdx.rules.criteria import CATEGORIES

SET = "gold_coast"


def gold_coast(**findings: Any) -> str:
    return category(SET, **findings)


def test_the_result_is_met_or_not_met() -> None:
    """Gold Coast has no grades (Lee 2023; Ferullo 2024): the criteria are met or not."""
    assert CATEGORIES[SET] == ("not_met", "met")


# --- UMN and LMN in one region, or LMN in two regions ---------------------------------------------------------
def test_umn_and_lmn_dysfunction_in_one_region() -> None:
    """UMN and LMN dysfunction together in one region: met. Without the LMN dysfunction: not met."""
    assert gold_coast(umn={"cervical": UMN}, lmn={"cervical": WW}) == "met"
    assert gold_coast(umn={"cervical": UMN}) == "not_met"


def test_lmn_dysfunction_in_two_regions_without_umn_signs() -> None:
    """LMN dysfunction in two regions is enough (progressive muscular atrophy). One region fewer: not met."""
    assert gold_coast(lmn={"cervical": WW, "lumbosacral": WW}) == "met"
    assert gold_coast(lmn={"cervical": WW}) == "not_met"


def test_umn_in_one_region_and_lmn_in_another() -> None:
    """UMN dysfunction in one region and LMN dysfunction in another involve two regions: met (Decision 12)."""
    assert gold_coast(umn={"bulbar": ["jaw_jerk"]}, lmn={"lumbosacral": WW}) == "met"
    assert gold_coast(umn={"bulbar": ["jaw_jerk"]}) == "not_met"


def test_umn_signs_only_are_never_met() -> None:
    """Without LMN dysfunction the criteria are not met, however many regions have UMN signs (the PLS pattern)."""
    assert gold_coast(umn={"bulbar": UMN, "cervical": UMN, "thoracic": UMN, "lumbosacral": UMN}) == "not_met"


# --- what counts as LMN dysfunction (Decisions 1, 3, 12) ------------------------------------------------------
def test_clinical_lmn_dysfunction_is_weakness_with_wasting() -> None:
    """Clinical LMN dysfunction of a region is weakness and wasting together: either alone, or fasciculations seen
    on examination, do not make it."""
    assert gold_coast(lmn={"cervical": ["weakness", "atrophy"], "lumbosacral": WW}) == "met"
    assert gold_coast(lmn={"cervical": ["atrophy"], "lumbosacral": WW}) == "not_met"
    assert gold_coast(lmn={"cervical": ["weakness"], "lumbosacral": WW}) == "not_met"
    assert gold_coast(umn={"cervical": UMN}, lmn={"cervical": ["fasciculations"]}) == "not_met"


def test_emg_supplies_lmn_dysfunction_with_fasciculation_potentials() -> None:
    """EMG LMN dysfunction: chronic neurogenic change with ongoing denervation, fasciculation potentials included.
    One genioglossus muscle is a bulbar region; one limb muscle is not a region (Decision 2)."""
    assert gold_coast(umn={"cervical": UMN}, emg=BULBAR_FASC) == "met"
    assert gold_coast(umn={"cervical": UMN}, emg=LUMBOSACRAL_FASC[:1]) == "not_met"


def test_emg_lmn_dysfunction_in_two_regions_alone() -> None:
    """EMG LMN dysfunction in two regions, nothing found clinically: met. One EMG region fewer: not met."""
    assert gold_coast(emg=CERVICAL_FASC + LUMBOSACRAL_FASC) == "met"
    assert gold_coast(emg=CERVICAL_FASC) == "not_met"


def test_pseudobulbar_affect_is_not_a_gold_coast_umn_sign() -> None:
    """Gold Coast's list of UMN signs (brisk or pathological reflexes, spasticity, slowed movements) has no
    pseudobulbar affect: with it as the only bulbar sign, LMN cervical is one region; a brisk jaw jerk meets."""
    assert gold_coast(umn={"bulbar": ["pseudobulbar_affect"]}, lmn={"cervical": WW}) == "not_met"
    assert gold_coast(umn={"bulbar": ["pseudobulbar_affect", "jaw_jerk"]}, lmn={"cervical": WW}) == "met"


def test_the_explanation_names_the_missing_half_of_weakness_with_wasting() -> None:
    """The explanation says which half of "weakness and wasting" a region lacks."""

    def sentence(lmn: list[str]) -> str:
        result = criteria_result(SET, umn={"cervical": UMN}, lmn={"bulbar": lmn})
        (text,) = [s for s in result.explanation if s.startswith("Clinical LMN signs in bulbar")]
        return text

    assert "bulbar without weakness (and no EMG" in sentence(["atrophy"])
    assert "bulbar without wasting (and no EMG" in sentence(["weakness", "fasciculations"])
    assert "bulbar without weakness or wasting (and no EMG" in sentence(["fasciculations"])


# --- progressive motor impairment after normal motor function (Decision 13) -----------------------------------
def test_progressive_motor_impairment_is_required() -> None:
    """A course recorded as not progressive is not met; an unknown course is computed and flagged."""
    pma = {"lmn": {"cervical": WW, "lumbosacral": WW}}
    assert gold_coast(**pma, course="not_progressive") == "not_met"
    unknown = criteria_result(SET, **pma, course="unknown")
    assert unknown.category == "met" and "progression_not_documented" in unknown.flags


def test_normal_motor_function_before_onset_is_required() -> None:
    """Progressive impairment must follow a period of normal motor function: recorded as false, not met; the case
    model presumes it when omitted."""
    pma = {"lmn": {"cervical": WW, "lumbosacral": WW}}
    assert gold_coast(**pma, normal_motor_function_before_onset=False) == "not_met"
    assert gold_coast(**pma) == "met"


# --- exclusion of other processes (Decision 14) ---------------------------------------------------------------
def test_exclusion_of_other_processes_is_a_flag_beside_the_result() -> None:
    """Investigations must exclude other processes. alsdx shows the result the signs give and marks it
    `exclusion_pending` until other causes are recorded as excluded and the required work-up is done; the
    category is the same either way."""
    findings: dict[str, Any] = {"umn": {"cervical": UMN}, "lmn": {"cervical": WW}}
    pending = criteria_result(SET, **findings)
    assert pending.category == "met" and "exclusion_pending" in pending.flags
    excluded = criteria_result(
        SET,
        **findings,
        other_causes_excluded=True,
        labs=[{"date": "2025-12-01", "ck_u_per_l": 250, "tsh_mu_per_l": 1.2, "calcium_mmol_per_l": 2.3}],
        investigations=[
            {"test": "blood_count_inflammatory_markers", "date": "2025-12-01", "result": "normal"},
            {"test": "biochemistry", "date": "2025-12-01", "result": "normal"},
        ],
        ncs={"motor_conduction_block": False, "sensory_abnormal": False},
        imaging={"cervical_spine_mri": "normal", "brain_mri": "not_done"},
        emg=[{"muscle": "biceps_brachii", "side": "right", "fibrillations_psw": False, "chronic_neurogenic": True}],
    )
    assert excluded.category == "met" and "exclusion_pending" not in excluded.flags
