"""Revised El Escorial (Brooks BR, Miller RG, Swash M, Munsat TL; Amyotroph Lateral Scler Other Motor Neuron Disord
2000;1:293-299; docs/ruleset.md §2), one category at a time.

Each test states the rule it checks and meets it with the fewest findings, then takes one region away and expects
the category below. Definite, probable and possible rest on clinical signs; EMG enters only through the two
laboratory-supported categories (Decision 10). Progression and exclusion: test_progression_and_exclusion.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from criteria_helpers import (
    BULBAR_FIB,
    CERVICAL_FASC,
    CERVICAL_FIB,
    LMN,
    LUMBOSACRAL_FASC,
    LUMBOSACRAL_FIB,
    UMN,
    category,
)

from alsdx.rules.criteria import CATEGORIES

SET = "revised_el_escorial"
LAB = "probable_laboratory_supported"
FAMILIAL = "definite_familial_laboratory_supported"


def reec(**findings: Any) -> str:
    return category(SET, **findings)


def familial() -> dict[str, Any]:
    """A family history of ALS and a pathogenic SOD1 variant (Decision 11's first two conditions)."""
    return {"family_history_als": True, "genetics": {"variants": [{"gene": "SOD1", "classification": "pathogenic"}]}}


def test_the_revised_categories_lowest_first() -> None:
    """Brooks 2000 grades definite (and definite familial, laboratory-supported), probable, probable
    laboratory-supported and possible; "clinically suspected" is not a category of the revision (Decision 9)."""
    assert CATEGORIES[SET] == ("not_met", "possible", LAB, "probable", "definite", FAMILIAL)


# --- definite, probable, possible: clinical signs (Decisions 5, 6, 8) -----------------------------------------
def test_definite_needs_umn_and_lmn_in_three_regions() -> None:
    """Clinically definite: UMN and LMN signs in the bulbar region and two spinal regions (or three spinal
    regions). One region fewer: probable."""
    three = ("bulbar", "cervical", "lumbosacral")
    assert reec(umn=dict.fromkeys(three, UMN), lmn=dict.fromkeys(three, LMN)) == "definite"
    two = ("bulbar", "cervical")
    assert reec(umn=dict.fromkeys(two, UMN), lmn=dict.fromkeys(two, LMN)) == "probable"


def test_probable_needs_umn_in_two_regions_lmn_in_two_and_umn_rostral() -> None:
    """Clinically probable: UMN and LMN signs in two regions each, some UMN signs rostral to LMN signs. One UMN
    region fewer meets nothing: unlike 1994, the revision has no "suspected"."""
    assert reec(umn={"bulbar": UMN, "cervical": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN}) == "probable"
    assert reec(umn={"bulbar": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN}) == "not_met"


def test_possible_by_each_of_its_three_clauses() -> None:
    """Clinically possible: UMN and LMN signs in one region, or UMN signs in two regions, or LMN signs rostral to
    UMN signs; with one region fewer each is not met."""
    assert reec(umn={"cervical": UMN}, lmn={"cervical": LMN}) == "possible"
    assert reec(umn={"cervical": UMN, "lumbosacral": UMN}) == "possible"
    assert reec(umn={"lumbosacral": UMN}, lmn={"cervical": LMN}) == "possible"
    assert reec(umn={"cervical": UMN}) == "not_met"
    assert reec(lmn={"cervical": LMN}) == "not_met"


def test_lmn_signs_only_meet_no_revised_category() -> None:
    """Decision 9: a pure LMN syndrome in two regions (1994's "suspected") is not met under the revision."""
    assert reec(lmn={"cervical": LMN, "lumbosacral": LMN}) == "not_met"


# --- probable, laboratory-supported (Decision 7) --------------------------------------------------------------
def test_laboratory_supported_needs_umn_signs_and_emg_in_two_regions() -> None:
    """Clinically probable - laboratory-supported: UMN signs in at least one region and EMG evidence of LMN loss
    in at least two regions. EMG in one region fewer, or no UMN sign: not met."""
    assert reec(umn={"cervical": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == LAB
    assert reec(umn={"cervical": UMN}, emg=CERVICAL_FIB) == "not_met"
    assert reec(emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "not_met"


def test_laboratory_support_may_come_from_regions_without_umn_signs() -> None:
    """The UMN region and the two EMG regions need not coincide: UMN bulbar, EMG cervical and lumbosacral."""
    assert reec(umn={"bulbar": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == LAB


def test_laboratory_support_counts_bulbar_emg_from_one_muscle() -> None:
    """Decision 2: one qualifying bulbar muscle makes a region; with cervical EMG that is two regions."""
    assert reec(umn={"lumbosacral": ["babinski"]}, emg=BULBAR_FIB + CERVICAL_FIB) == LAB


def test_laboratory_support_needs_fibrillations_not_fasciculation_potentials() -> None:
    """Decision 1: for the revised criteria a muscle needs fibrillations or positive sharp waves with chronic
    neurogenic change; fasciculation potentials in their place do not count (Awaji's change)."""
    assert reec(umn={"cervical": UMN}, emg=CERVICAL_FASC + LUMBOSACRAL_FASC) == "not_met"


def test_laboratory_supported_ranks_between_possible_and_probable() -> None:
    """Clinically possible findings with EMG in two regions become laboratory-supported probable; clinically
    probable findings stay probable with the same EMG (EMG never makes clinical probable or definite)."""
    assert reec(umn={"cervical": UMN}, lmn={"cervical": LMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == LAB
    probable = {"umn": {"bulbar": UMN, "cervical": UMN}, "lmn": {"cervical": LMN, "lumbosacral": LMN}}
    assert reec(**probable, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "probable"
    # UMN in two regions with clinical LMN in one and EMG in the other: Awaji's probable, laboratory-supported here
    assert reec(umn={"bulbar": UMN, "cervical": UMN}, lmn={"cervical": LMN}, emg=LUMBOSACRAL_FIB + CERVICAL_FIB) == LAB


# --- definite familial, laboratory-supported (Decision 11) -----------------------------------------------------
def test_familial_needs_history_variant_and_umn_with_lmn_in_one_region() -> None:
    """Definite familial - laboratory-supported: a family history, a pathogenic variant in a dominant ALS gene, and
    UMN with LMN signs in at least one region. With UMN and LMN in different regions (one region fewer carrying
    both): not familial, and UMN cervical above LMN lumbosacral alone meets nothing."""
    assert reec(umn={"cervical": UMN}, lmn={"cervical": LMN}, **familial()) == FAMILIAL
    assert reec(umn={"cervical": UMN}, lmn={"lumbosacral": LMN}, **familial()) == "not_met"


def test_familial_takes_precedence_over_definite() -> None:
    """Decision 11: the familial category is evaluated before all others."""
    three = ("bulbar", "cervical", "lumbosacral")
    assert reec(umn=dict.fromkeys(three, UMN), lmn=dict.fromkeys(three, LMN), **familial()) == FAMILIAL


def test_familial_lmn_evidence_may_be_emg() -> None:
    """Decision 11: the region's LMN evidence may be clinical or the revised EMG rule (fibrillations), not
    fasciculation potentials."""
    assert reec(umn={"cervical": UMN}, emg=CERVICAL_FIB, **familial()) == FAMILIAL
    assert reec(umn={"cervical": UMN}, emg=CERVICAL_FASC, **familial()) == "not_met"


@pytest.mark.parametrize(
    ("family", "genetics"),
    [
        (False, {"variants": [{"gene": "SOD1", "classification": "pathogenic"}]}),
        (True, {"variants": [{"gene": "SOD1", "classification": "vus"}]}),
        (True, {"variants": [{"gene": "NEK1", "classification": "pathogenic"}]}),  # a risk gene, not dominant
        (True, {"c9orf72_repeat_expansion": False}),
    ],
    ids=["no-family-history", "vus", "risk-gene", "no-expansion"],
)
def test_familial_is_not_given_without_history_and_a_dominant_pathogenic_variant(family: bool, genetics: dict) -> None:
    """Decision 11: a variant of uncertain significance, a risk gene or a missing family history leave the other
    categories (here possible)."""
    assert (
        reec(umn={"cervical": UMN}, lmn={"cervical": LMN}, family_history_als=family, genetics=genetics) == "possible"
    )


@pytest.mark.parametrize(
    "genetics",
    [
        {"c9orf72_repeat_expansion": True},
        {"variants": [{"gene": "TARDBP", "classification": "likely_pathogenic"}]},
    ],
    ids=["c9orf72", "likely-pathogenic"],
)
def test_familial_with_a_c9orf72_expansion_or_a_likely_pathogenic_variant(genetics: dict) -> None:
    """Decision 11: a C9orf72 repeat expansion counts, and so does a likely pathogenic dominant variant."""
    found = {"umn": {"cervical": UMN}, "lmn": {"cervical": LMN}}
    assert reec(**found, family_history_als=True, genetics=genetics) == FAMILIAL
