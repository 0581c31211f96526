"""El Escorial 1994 (Brooks BR, J Neurol Sci 1994;124 Suppl:96-107; docs/ruleset.md §1), one category at a time.

Each test states the rule it checks and meets it with the fewest findings, then takes one region away and expects
the category below. The 1994 categories rest on clinical signs only (Decision 10); progression and exclusion,
common to every set, are in test_progression_and_exclusion.py.
"""

from __future__ import annotations

from criteria_helpers import CERVICAL_FIB, LMN, LUMBOSACRAL_FIB, UMN, category, criteria_result

from alsdx.rules.criteria import CATEGORIES
from alsdx.rules.criteria.interpretation import Interpretation

SET = "el_escorial_1994"


def ee94(interpretation: Interpretation | None = None, **findings: object) -> str:
    return category(SET, interpretation, **findings)


def test_the_1994_categories_lowest_first() -> None:
    """Brooks 1994 grades definite, probable, possible and suspected ALS; anything less is not met."""
    assert CATEGORIES[SET] == ("not_met", "suspected", "possible", "probable", "definite")


# --- definite (Decision 5) ------------------------------------------------------------------------------------
def test_definite_needs_umn_and_lmn_in_bulbar_and_two_spinal_regions() -> None:
    """Definite: UMN and LMN signs in the bulbar region and in two spinal regions. With one of those regions
    fewer (bulbar and cervical), UMN bulbar lies rostral to LMN cervical: probable."""
    three = ("bulbar", "cervical", "lumbosacral")
    assert ee94(umn=dict.fromkeys(three, UMN), lmn=dict.fromkeys(three, LMN)) == "definite"
    two = ("bulbar", "cervical")
    assert ee94(umn=dict.fromkeys(two, UMN), lmn=dict.fromkeys(two, LMN)) == "probable"


def test_definite_in_three_spinal_regions_without_bulbar_signs() -> None:
    """Definite: UMN and LMN signs in three spinal regions (cervical, thoracic, lumbosacral). Without the thoracic
    region: probable."""
    spinal = ("cervical", "thoracic", "lumbosacral")
    assert ee94(umn=dict.fromkeys(spinal, UMN), lmn=dict.fromkeys(spinal, LMN)) == "definite"
    two = ("cervical", "lumbosacral")
    assert ee94(umn=dict.fromkeys(two, UMN), lmn=dict.fromkeys(two, LMN)) == "probable"


def test_definite_counts_regions_with_both_signs_unless_the_count_reading_is_chosen() -> None:
    """Decision 5: three regions must each carry UMN *and* LMN signs. Here only bulbar and thoracic do, so the
    default is probable; the alternative `definite-count-reading` (bulbar with both, UMN and LMN each in two
    spinal regions) gives definite, and the assessment reports the difference."""
    findings = {
        "umn": {"bulbar": UMN, "cervical": UMN, "thoracic": UMN},
        "lmn": {"bulbar": LMN, "thoracic": LMN, "lumbosacral": LMN},
    }
    result = criteria_result(SET, **findings)
    assert result.category == "probable"
    assert ee94(Interpretation(definite_count_reading=True), **findings) == "definite"
    assert [(a.interpretation, a.category) for a in result.alternatives] == [("definite-count-reading", "definite")]


# --- probable (Decisions 4 and 6) -----------------------------------------------------------------------------
def test_probable_needs_umn_in_two_regions_lmn_in_two_and_umn_rostral() -> None:
    """Probable: UMN signs in two regions, LMN signs in two regions, some UMN signs rostral to LMN signs. One UMN
    region fewer leaves LMN in two regions: suspected. One LMN region fewer leaves UMN and LMN together in
    cervical: possible."""
    assert ee94(umn={"bulbar": UMN, "cervical": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN}) == "probable"
    assert ee94(umn={"bulbar": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN}) == "suspected"
    assert ee94(umn={"bulbar": UMN, "cervical": UMN}, lmn={"cervical": LMN}) == "possible"


def test_probable_needs_no_region_with_both_signs() -> None:
    """Decision 6 counts UMN and LMN regions separately: UMN bulbar and cervical, LMN thoracic and lumbosacral."""
    assert ee94(umn={"bulbar": UMN, "cervical": UMN}, lmn={"thoracic": LMN, "lumbosacral": LMN}) == "probable"


def test_probable_needs_some_umn_rostral_to_lmn() -> None:
    """Decision 4: with UMN cervical and lumbosacral and LMN bulbar and cervical no UMN region lies above an LMN
    region, so the two-and-two counts are not enough; LMN rostral to UMN gives possible."""
    assert ee94(umn={"cervical": UMN, "lumbosacral": UMN}, lmn={"bulbar": LMN, "cervical": LMN}) == "possible"


def test_one_umn_region_is_probable_only_under_the_any_region_reading() -> None:
    """Decision 6's alternative `probable-any-region`: signs in two regions with UMN rostral to LMN, without UMN
    in two regions. By default one UMN region with LMN in two is suspected."""
    findings = {"umn": {"bulbar": UMN}, "lmn": {"cervical": LMN, "lumbosacral": LMN}}
    assert ee94(**findings) == "suspected"
    assert ee94(Interpretation(probable_any_region=True), **findings) == "probable"


# --- possible (Decision 8) ------------------------------------------------------------------------------------
def test_possible_with_umn_and_lmn_in_one_region() -> None:
    """Possible: UMN and LMN signs together in one region. Without the LMN sign: not met."""
    assert ee94(umn={"cervical": UMN}, lmn={"cervical": LMN}) == "possible"
    assert ee94(umn={"cervical": UMN}) == "not_met"


def test_possible_with_umn_signs_in_two_regions() -> None:
    """Possible: UMN signs (alone) in two regions. One region fewer: not met."""
    assert ee94(umn={"bulbar": UMN, "lumbosacral": ["babinski"]}) == "possible"
    assert ee94(umn={"lumbosacral": ["babinski"]}) == "not_met"


def test_possible_with_lmn_rostral_to_umn_but_not_the_other_way_round() -> None:
    """Possible: LMN signs rostral to UMN signs (LMN cervical, UMN lumbosacral). The mirror image, UMN bulbar
    above LMN cervical with one region each, meets no 1994 category (docs/ruleset.md §1's example)."""
    assert ee94(umn={"lumbosacral": UMN}, lmn={"cervical": LMN}) == "possible"
    assert ee94(umn={"bulbar": ["jaw_jerk"]}, lmn={"cervical": LMN}) == "not_met"


# --- suspected (Decision 9) -----------------------------------------------------------------------------------
def test_suspected_needs_lmn_signs_in_two_regions() -> None:
    """Suspected (1994 only): LMN signs in two or more regions. One region fewer: not met."""
    assert ee94(lmn={"cervical": LMN, "lumbosacral": LMN}) == "suspected"
    assert ee94(lmn={"cervical": LMN}) == "not_met"


def test_a_added_umn_sign_never_lowers_suspected() -> None:
    """Decision 9: "LMN signs only" describes the picture; UMN bulbar added to LMN in two regions below it stays
    suspected (UMN in one region is not yet probable)."""
    assert ee94(umn={"bulbar": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN}) == "suspected"


# --- which evidence (Decisions 3 and 10) ----------------------------------------------------------------------
def test_emg_does_not_enter_the_1994_categories() -> None:
    """Decision 10: in 1994 EMG confirms or extends, the categories are clinical. UMN cervical with EMG LMN loss in
    two regions is not met here (revised El Escorial makes it laboratory-supported probable)."""
    assert ee94(umn={"cervical": UMN}, emg=CERVICAL_FIB + LUMBOSACRAL_FIB) == "not_met"


def test_weakness_alone_is_not_clinical_lmn_unless_the_alternative_is_chosen() -> None:
    """Decision 3: weakness alone is not an LMN sign (UMN lesions also weaken). UMN with weakness in cervical is not
    met; under `weakness-counts-as-lmn` it is possible, and the assessment reports that reading."""
    findings = {"umn": {"cervical": UMN}, "lmn": {"cervical": ["weakness"]}}
    result = criteria_result(SET, **findings)
    assert result.category == "not_met"
    assert ee94(Interpretation(weakness_counts_as_lmn=True), **findings) == "possible"
    assert [(a.interpretation, a.category) for a in result.alternatives] == [("weakness-counts-as-lmn", "possible")]
