"""Every category of every criteria set, built from the papers' definitions (docs/ruleset.md §1-4, Decisions)."""

from __future__ import annotations

import pytest

from alsdx.engine.assess import assess
from alsdx.rules.criteria.interpretation import Interpretation
from conftest import build_case, muscle

UMN = ["hyperreflexia"]
LMN = ["atrophy", "fasciculations"]
WW = ["weakness", "atrophy"]  # Gold Coast clinical LMN


def categories(interp: Interpretation | None = None, **kw: object) -> dict[str, str]:
    result = assess(build_case(**kw), interp)  # type: ignore[arg-type]
    return {
        name: getattr(result.criteria, name).category
        for name in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
    }


def cats(**kw: object) -> tuple[str, str, str, str]:
    c = categories(**kw)
    return c["el_escorial_1994"], c["revised_el_escorial"], c["awaji"], c["gold_coast"]


# --- definite: UMN and LMN in bulbar + 2 spinal, or 3 spinal regions ---
def test_definite_bulbar_and_two_spinal() -> None:
    assert cats(
        umn={"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN}, lmn={"bulbar": WW, "cervical": WW, "lumbosacral": WW}
    ) == ("definite", "definite", "definite", "met")


def test_definite_three_spinal() -> None:
    assert (
        cats(
            umn={"cervical": UMN, "thoracic": UMN, "lumbosacral": UMN},
            lmn={"cervical": LMN, "thoracic": LMN, "lumbosacral": LMN},
        )[:3]
        == ("definite",) * 3
    )


def test_two_regions_with_both_is_probable_not_definite() -> None:
    assert cats(umn={"bulbar": UMN, "cervical": UMN}, lmn={"bulbar": LMN, "cervical": LMN})[:3] == ("probable",) * 3


# --- probable: UMN >= 2 regions, LMN >= 2 regions, some UMN rostral to LMN ---
def test_probable_umn_rostral_in_different_regions() -> None:
    assert (
        cats(umn={"bulbar": UMN, "cervical": UMN}, lmn={"cervical": LMN, "lumbosacral": LMN})[:3] == ("probable",) * 3
    )


def test_lmn_rostral_to_umn_is_only_possible() -> None:
    # LMN bulbar + cervical, UMN thoracic + lumbosacral: no UMN rostral to LMN
    assert (
        cats(umn={"thoracic": UMN, "lumbosacral": UMN}, lmn={"bulbar": LMN, "cervical": LMN})[:3] == ("possible",) * 3
    )


def test_one_umn_region_is_not_probable_under_default_reading() -> None:
    kw = {"umn": {"bulbar": UMN}, "lmn": {"cervical": LMN, "lumbosacral": LMN}}
    assert cats(**kw)[:3] == ("suspected", "not_met", "not_met")
    alt = categories(Interpretation(probable_any_region=True), **kw)
    assert alt["el_escorial_1994"] == "probable" and alt["awaji"] == "probable"


# --- possible ---
def test_possible_same_region() -> None:
    assert cats(umn={"cervical": UMN}, lmn={"cervical": LMN})[:3] == ("possible",) * 3


def test_possible_umn_alone_in_two_regions() -> None:
    assert cats(umn={"bulbar": UMN, "lumbosacral": ["babinski"]})[:3] == ("possible",) * 3


def test_umn_alone_in_one_region_is_not_met() -> None:
    assert cats(umn={"lumbosacral": ["babinski"]}) == ("not_met",) * 4


def test_umn_and_lmn_in_non_adjacent_pattern_not_met() -> None:
    # UMN bulbar only + LMN cervical only: UMN rostral but 1 region each -> nothing under El Escorial
    assert cats(umn={"bulbar": ["jaw_jerk"]}, lmn={"cervical": LMN})[:3] == ("not_met",) * 3


# --- 1994 suspected: LMN in >= 2 regions ---
def test_suspected_lmn_two_regions() -> None:
    assert cats(lmn={"cervical": LMN, "lumbosacral": LMN})[0] == "suspected"
    assert cats(lmn={"cervical": LMN})[0] == "not_met"


# --- Decision 3: weakness alone ---
def test_weakness_alone_is_not_clinical_lmn_by_default() -> None:
    kw = {"umn": {"cervical": UMN}, "lmn": {"cervical": ["weakness"]}}
    assert cats(**kw) == ("not_met",) * 4
    alt = categories(Interpretation(weakness_counts_as_lmn=True), **kw)
    assert alt["el_escorial_1994"] == "possible"
    result = assess(build_case(**kw))  # type: ignore[arg-type]
    assert any(
        a.interpretation == "weakness-counts-as-lmn" and a.category == "possible"
        for a in result.criteria.awaji.alternatives
    )
    assert any("Weakness alone in cervical" in s for s in result.criteria.awaji.explanation)


# --- Decision 5 alternative: count reading ---
def test_definite_count_reading() -> None:
    # bulbar UMN+LMN; UMN cervical+thoracic; LMN thoracic+lumbosacral: only 2 regions with both
    kw = {
        "umn": {"bulbar": UMN, "cervical": UMN, "thoracic": UMN},
        "lmn": {"bulbar": LMN, "thoracic": LMN, "lumbosacral": LMN},
    }
    assert cats(**kw)[0] == "probable"
    assert categories(Interpretation(definite_count_reading=True), **kw)["el_escorial_1994"] == "definite"


# --- revised El Escorial laboratory-supported (Decision 7) ---
def test_probable_laboratory_supported() -> None:
    emg = [
        muscle("biceps_brachii", fib=True),
        muscle("first_dorsal_interosseous", fib=True),
        muscle("tibialis_anterior", fib=True),
        muscle("vastus_lateralis", fib=True),
    ]
    # Awaji removed the laboratory-supported category; with UMN in one region only, Awaji probable (UMN in >= 2
    # regions, Decision 6) is not reached - the down-grade Muscle Nerve 2015;51:822 describes.
    assert cats(umn={"cervical": UMN}, emg=emg) == ("not_met", "probable_laboratory_supported", "possible", "met")


def test_laboratory_support_needs_two_emg_regions() -> None:
    emg = [muscle("biceps_brachii", fib=True), muscle("first_dorsal_interosseous", fib=True)]
    assert cats(umn={"cervical": UMN}, emg=emg)[1] == "not_met"


def test_fasciculation_potentials_under_awaji_vs_reec() -> None:
    emg = [muscle("tibialis_anterior", fasc=True), muscle("vastus_lateralis", fasc=True)]
    assert cats(umn={"cervical": UMN, "lumbosacral": ["babinski"]}, lmn={"cervical": LMN}, emg=emg) == (
        "possible",
        "possible",
        "probable",
        "met",
    )


# --- revised El Escorial familial (Decision 11) ---
def test_familial_laboratory_supported_takes_precedence() -> None:
    kw = {
        "umn": {"cervical": UMN},
        "lmn": {"cervical": LMN},
        "family_history_als": True,
        "genetics": {"variants": [{"gene": "SOD1", "classification": "pathogenic"}]},
    }
    assert cats(**kw)[1] == "definite_familial_laboratory_supported"


@pytest.mark.parametrize(
    ("family", "variant"),
    [
        (False, {"gene": "SOD1", "classification": "pathogenic"}),
        (True, {"gene": "SOD1", "classification": "vus"}),
        (True, {"gene": "NEK1", "classification": "pathogenic"}),
    ],
)
def test_familial_requires_history_and_dominant_pathogenic_variant(family: bool, variant: dict) -> None:
    kw = {
        "umn": {"cervical": UMN},
        "lmn": {"cervical": LMN},
        "family_history_als": family,
        "genetics": {"variants": [variant]},
    }
    assert cats(**kw)[1] == "possible"


def test_c9orf72_expansion_counts_for_familial() -> None:
    kw = {
        "umn": {"cervical": UMN},
        "lmn": {"cervical": LMN},
        "family_history_als": True,
        "genetics": {"c9orf72_repeat_expansion": True},
    }
    assert cats(**kw)[1] == "definite_familial_laboratory_supported"


# --- Gold Coast (Decision 12) ---
def test_gold_coast_lmn_only_two_regions_pma() -> None:
    assert cats(lmn={"cervical": WW, "lumbosacral": WW})[3] == "met"


def test_gold_coast_needs_weakness_and_wasting() -> None:
    assert cats(lmn={"cervical": ["atrophy"], "lumbosacral": ["fasciculations"]})[3] == "not_met"
    assert cats(lmn={"cervical": ["weakness"], "lumbosacral": ["weakness"]})[3] == "not_met"


def test_gold_coast_umn_and_lmn_in_different_regions() -> None:
    assert cats(umn={"bulbar": ["jaw_jerk"]}, lmn={"lumbosacral": WW})[3] == "met"


def test_gold_coast_umn_only_never_met() -> None:
    assert cats(umn={"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN})[3] == "not_met"


def test_gold_coast_ignores_pseudobulbar_affect() -> None:
    assert cats(umn={"bulbar": ["pseudobulbar_affect"]}, lmn={"cervical": WW})[3] == "not_met"
    assert cats(umn={"bulbar": ["pseudobulbar_affect", "jaw_jerk"]}, lmn={"cervical": WW})[3] == "met"


def test_gold_coast_emg_supplies_lmn() -> None:
    emg = [muscle("genioglossus", fasc=True)]
    assert cats(umn={"cervical": UMN}, emg=emg)[3] == "met"


def test_gold_coast_requires_normal_motor_function_before_onset() -> None:
    assert cats(lmn={"cervical": WW, "lumbosacral": WW}, normal_motor_function_before_onset=False)[3] == "not_met"


# --- Decision 13: progression ---
def test_not_progressive_means_not_met_everywhere() -> None:
    kw = {
        "umn": {"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN},
        "lmn": {"bulbar": WW, "cervical": WW, "lumbosacral": WW},
    }
    assert cats(**kw, course="not_progressive") == ("not_met",) * 4
    result = assess(build_case(**kw, course="not_progressive"))  # type: ignore[arg-type]
    assert "progression_absent" in result.criteria.gold_coast.flags
    assert any(
        n.evidence.startswith("documented progression") and n.would_give == "definite"
        for n in result.criteria.awaji.next_evidence
    )


def test_unknown_progression_computed_and_flagged() -> None:
    kw = {"umn": {"cervical": UMN}, "lmn": {"cervical": LMN}}
    result = assess(build_case(**kw, course="unknown"))  # type: ignore[arg-type]
    assert result.criteria.el_escorial_1994.category == "possible"
    assert all(
        "progression_not_documented" in getattr(result.criteria, s).flags
        for s in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
    )


# --- Decision 14: exclusion ---
def test_exclusion_pending_follows_other_causes_excluded_and_the_outstanding_work_up() -> None:
    kw = {"umn": {"cervical": UMN}, "lmn": {"cervical": LMN}}
    assert "exclusion_pending" in assess(build_case(**kw)).criteria.awaji.flags  # type: ignore[arg-type]
    recorded_only = assess(build_case(**kw, other_causes_excluded=True))  # type: ignore[arg-type]
    assert "exclusion_pending" in recorded_only.criteria.awaji.flags and not recorded_only.exclusion.complete
    assert "Creatine kinase" in recorded_only.exclusion.outstanding
    work_up = {
        "labs": [{"date": "2025-12-01", "ck_u_per_l": 250, "tsh_mu_per_l": 1.2, "calcium_mmol_per_l": 2.3}],
        "investigations": [
            {"test": "blood_count_inflammatory_markers", "date": "2025-12-01", "result": "normal"},
            {"test": "biochemistry", "date": "2025-12-01", "result": "normal"},
        ],
        "ncs": {"motor_conduction_block": False, "sensory_abnormal": False},
        "imaging": {"cervical_spine_mri": "normal", "brain_mri": "not_done"},
    }
    done = assess(
        build_case(**kw, emg=[muscle("biceps_brachii")], other_causes_excluded=True, **work_up)  # type: ignore[arg-type]
    )
    assert "exclusion_pending" not in done.criteria.awaji.flags and done.exclusion.complete
    assert done.criteria.awaji.category == recorded_only.criteria.awaji.category


# --- next evidence ---
def test_next_evidence_names_the_awaji_emg_that_would_raise() -> None:
    result = assess(build_case(umn={"cervical": UMN, "lumbosacral": ["babinski"]}, lmn={"cervical": LMN}))
    awaji = {(n.evidence, n.would_give) for n in result.criteria.awaji.next_evidence}
    assert any("lumbosacral muscles" in e and g == "probable" for e, g in awaji)
    # the larger addition (fibrillations) is not listed when fasciculation potentials already suffice
    assert not any(e.startswith("EMG fibrillations") and "lumbosacral" in e for e, _ in awaji)


def test_next_evidence_pairs_when_no_single_addition_suffices() -> None:
    result = assess(build_case())
    assert result.criteria.el_escorial_1994.category == "not_met"
    assert any(
        " and " in n.evidence and n.would_give == "possible" for n in result.criteria.el_escorial_1994.next_evidence
    )


def test_top_category_has_no_next_evidence() -> None:
    result = assess(
        build_case(
            umn={"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN},
            lmn={"bulbar": WW, "cervical": WW, "lumbosacral": WW},
        )
    )
    assert result.criteria.awaji.next_evidence == [] and result.criteria.gold_coast.next_evidence == []


def test_every_category_below_the_top_names_what_would_raise_it() -> None:
    """Issue 17: one finding, else two, for every set not at its top (the README's limb-onset-emg: Awaji probable)."""
    from pathlib import Path

    from alsdx.engine.next_evidence import TOP_RANK
    from alsdx.model.load import load_case
    from alsdx.rules.criteria import CATEGORIES

    for path in sorted((Path(__file__).parents[3] / "examples" / "cases").glob("*.yaml")):
        result = assess(load_case(path))
        for name, cats in CATEGORIES.items():
            r = getattr(result.criteria, name)
            if cats.index(r.category) < TOP_RANK[name] and r.flags.count("progression_absent") == 0:
                assert r.next_evidence, (path.name, name, r.category)
                assert all(cats.index(n.would_give) > cats.index(r.category) for n in r.next_evidence)
    limb = assess(load_case(Path(__file__).parents[3] / "examples" / "cases" / "limb-onset-emg.yaml"))
    assert limb.criteria.awaji.category == "probable"
    assert any(n.would_give == "definite" for n in limb.criteria.awaji.next_evidence)


def test_gold_coast_sentence_names_the_missing_half_of_weakness_with_wasting() -> None:
    def sentence(lmn: list[str]) -> str:
        result = assess(build_case(umn={"cervical": UMN}, lmn={"bulbar": lmn}))
        (text,) = [s for s in result.criteria.gold_coast.explanation if s.startswith("Clinical LMN signs in bulbar")]
        return text

    assert "bulbar without weakness (and no EMG" in sentence(["atrophy"])
    assert "bulbar without wasting (and no EMG" in sentence(["weakness", "fasciculations"])
    assert "bulbar without weakness or wasting (and no EMG" in sentence(["fasciculations"])
