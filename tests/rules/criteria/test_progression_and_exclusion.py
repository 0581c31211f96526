"""The two requirements every criteria set shares (docs/ruleset.md Decisions 13 and 14): progression, and the
exclusion of other causes. Brooks 1994 and 2000 require progressive spread and exclusion by electrophysiology,
pathology and neuroimaging; Shefner 2020 requires progressive motor impairment and investigations excluding other
processes. Category rules per set are in test_<set>.py.
"""

from __future__ import annotations

from criteria_helpers import LMN, UMN, WW

from alsdx import assess
from conftest import build_case, muscle

SETS = ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
DEFINITE = {
    "umn": {"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN},
    "lmn": {"bulbar": WW, "cervical": WW, "lumbosacral": WW},
}


def test_a_course_recorded_as_not_progressive_is_not_met_in_every_set() -> None:
    """Decision 13: without progression no set is met, whatever the signs; the flag `progression_absent` says why
    and documented progression is named as what would restore the category."""
    result = assess(build_case(**DEFINITE, course="not_progressive"))  # type: ignore[arg-type]
    for name in SETS:
        r = getattr(result.criteria, name)
        assert r.category == "not_met" and "progression_absent" in r.flags, name
    assert any(
        n.evidence.startswith("documented progression") and n.would_give == "definite"
        for n in result.criteria.awaji.next_evidence
    )
    assert assess(build_case(**DEFINITE)).criteria.awaji.category == "definite"  # type: ignore[arg-type]


def test_an_unknown_course_is_computed_as_progressive_and_flagged() -> None:
    """Decision 13: `course: unknown` gives the category the signs give, flagged `progression_not_documented`."""
    result = assess(build_case(umn={"cervical": UMN}, lmn={"cervical": LMN}, course="unknown"))
    assert result.criteria.el_escorial_1994.category == "possible"
    assert all("progression_not_documented" in getattr(result.criteria, s).flags for s in SETS)


def test_exclusion_pending_until_other_causes_are_excluded_and_the_work_up_is_recorded() -> None:
    """Decision 14: every set is `exclusion_pending` while other causes are not recorded as excluded, and also
    while a required investigation is outstanding (Williams 2013's essential work-up); the category is unchanged."""
    signs = {"umn": {"cervical": UMN}, "lmn": {"cervical": LMN}}
    assert all("exclusion_pending" in getattr(assess(build_case(**signs)).criteria, s).flags for s in SETS)  # type: ignore[arg-type]
    recorded_only = assess(build_case(**signs, other_causes_excluded=True))  # type: ignore[arg-type]
    assert all("exclusion_pending" in getattr(recorded_only.criteria, s).flags for s in SETS)
    assert not recorded_only.exclusion.complete and "Creatine kinase" in recorded_only.exclusion.outstanding
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
        build_case(**signs, emg=[muscle("biceps_brachii")], other_causes_excluded=True, **work_up)  # type: ignore[arg-type]
    )
    assert done.exclusion.complete
    for name in SETS:
        assert "exclusion_pending" not in getattr(done.criteria, name).flags, name
        assert getattr(done.criteria, name).category == getattr(recorded_only.criteria, name).category, name
