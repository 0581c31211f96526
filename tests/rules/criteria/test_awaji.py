"""Awaji-shima (de Carvalho M, Dengler R, Eisen A, et al. Electrodiagnostic criteria for diagnosis of ALS. Clin
Neurophysiol 2008;119:497-503; docs/ruleset.md §3), one rule at a time.

Awaji keeps the revised El Escorial categories but lets EMG evidence of LMN loss count like clinical LMN signs in a
region, accepts fasciculation potentials in place of fibrillations and positive sharp waves (in a muscle with
chronic neurogenic change), and drops "probable - laboratory-supported". Each test meets a category with the
fewest findings and takes one region away. Progression and exclusion: test_progression_and_exclusion.py.
"""

from __future__ import annotations

from typing import Any

from criteria_helpers import (
    BULBAR_FASC,
    CERVICAL_FASC,
    CERVICAL_FIB,
    LMN,
    LUMBOSACRAL_FASC,
    LUMBOSACRAL_FIB,
    UMN,
    category,
    criteria_result,
)

from alsdx.rules.criteria import CATEGORIES
from alsdx.rules.criteria.interpretation import Interpretation
from conftest import muscle

SET = "awaji"


def awaji(interpretation: Interpretation | None = None, **findings: Any) -> str:
    return category(SET, interpretation, **findings)


def test_the_awaji_categories_have_no_laboratory_supported_or_suspected() -> None:
    """de Carvalho 2008 drops "probable - laboratory-supported"; "suspected" (1994) is not an Awaji category."""
    assert CATEGORIES[SET] == ("not_met", "possible", "probable", "definite")


# --- EMG is equivalent to clinical LMN signs (Decision 10) ----------------------------------------------------
def test_definite_with_emg_in_place_of_clinical_lmn_signs() -> None:
    """Definite: UMN and LMN evidence in three regions, where LMN evidence of cervical and lumbosacral is EMG only.
    With the lumbosacral EMG one muscle short of a region (Decision 2), two regions carry both: probable."""
    umn = {"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN}
    assert awaji(umn=umn, lmn={"bulbar": LMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "definite"
    assert awaji(umn=umn, lmn={"bulbar": LMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB[:1]) == "probable"


def test_probable_with_lmn_evidence_from_emg_in_two_regions() -> None:
    """Probable: UMN in two regions, LMN (here EMG) in two regions, UMN rostral to LMN. One UMN region fewer (UMN
    bulbar only, LMN below it) meets no Awaji category."""
    assert awaji(umn={"bulbar": UMN, "cervical": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "probable"
    assert awaji(umn={"bulbar": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "not_met"


def test_clinical_and_emg_lmn_evidence_add_up_across_regions() -> None:
    """UMN bulbar and cervical, clinical LMN cervical, EMG lumbosacral: LMN in two regions, probable (the revised
    criteria call the same findings laboratory-supported)."""
    umn = {"bulbar": UMN, "cervical": UMN}
    assert awaji(umn=umn, lmn={"cervical": LMN}, emg=LUMBOSACRAL_FIB) == "probable"
    assert awaji(umn=umn, lmn={"cervical": LMN}) == "possible"


def test_possible_with_umn_and_emg_lmn_in_one_region() -> None:
    """Possible: UMN and LMN in one region, the LMN evidence from EMG. One cervical muscle is not a region: not
    met."""
    assert awaji(umn={"cervical": UMN}, emg=CERVICAL_FIB) == "possible"
    assert awaji(umn={"cervical": UMN}, emg=CERVICAL_FIB[:1]) == "not_met"


def test_one_bulbar_muscle_is_a_region() -> None:
    """Decision 2: one qualifying bulbar muscle (genioglossus) gives bulbar LMN evidence; with UMN bulbar,
    possible."""
    assert awaji(umn={"bulbar": ["jaw_jerk"]}, emg=BULBAR_FASC) == "possible"
    assert awaji(umn={"bulbar": ["jaw_jerk"]}) == "not_met"


def test_laboratory_supported_findings_are_possible_under_awaji() -> None:
    """Without the laboratory-supported category, UMN in one region with EMG in two is possible (probable needs UMN
    in two regions): the down-grade the Muscle Nerve 2015;51:822 meta-analysis describes."""
    assert awaji(umn={"cervical": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "possible"


def test_lmn_evidence_only_meets_no_awaji_category() -> None:
    """Clinical or EMG LMN evidence in two regions without UMN signs is not met (no "suspected")."""
    assert awaji(lmn={"cervical": LMN}, emg=LUMBOSACRAL_FIB) == "not_met"


# --- fasciculation potentials (Decision 1) --------------------------------------------------------------------
def test_fasciculation_potentials_count_like_fibrillations() -> None:
    """Fasciculation potentials with chronic neurogenic change count as active denervation. UMN cervical and
    lumbosacral, clinical LMN cervical, fasciculation potentials in two lumbosacral muscles: probable. With one of
    the two muscles only: possible (UMN and LMN together in cervical)."""
    umn = {"cervical": UMN, "lumbosacral": ["babinski"]}
    assert awaji(umn=umn, lmn={"cervical": LMN}, emg=LUMBOSACRAL_FASC) == "probable"
    assert awaji(umn=umn, lmn={"cervical": LMN}, emg=LUMBOSACRAL_FASC[:1]) == "possible"


def test_fasciculation_potentials_need_chronic_neurogenic_change() -> None:
    """de Carvalho 2008 counts fasciculation potentials in a muscle that also shows chronic neurogenic change;
    without it neither fasciculation potentials nor fibrillations make the muscle count."""
    emg = [
        muscle("biceps_brachii", fasc=True, fib=True, chronic=False),
        muscle("first_dorsal_interosseous", fasc=True, chronic=False),
    ]
    assert awaji(umn={"cervical": UMN}, emg=emg) == "not_met"
    assert awaji(umn={"cervical": UMN}, emg=CERVICAL_FASC) == "possible"


def test_weakness_alone_is_not_lmn_and_the_alternative_reading_is_reported() -> None:
    """Decision 3 holds for Awaji: weakness alone is not clinical LMN. Under `weakness-counts-as-lmn` UMN and
    weakness in cervical are possible; the assessment reports the alternative and says why it is not met."""
    findings = {"umn": {"cervical": UMN}, "lmn": {"cervical": ["weakness"]}}
    result = criteria_result(SET, **findings)
    assert result.category == "not_met"
    assert awaji(Interpretation(weakness_counts_as_lmn=True), **findings) == "possible"
    assert [(a.interpretation, a.category) for a in result.alternatives] == [("weakness-counts-as-lmn", "possible")]
    assert any("Weakness alone in cervical" in sentence for sentence in result.explanation)
