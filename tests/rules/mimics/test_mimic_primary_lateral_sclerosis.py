"""PLS as a mimic reads the PLS kernel (Turner 2020): consider before 2 years, likely when probable+."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "primary_lateral_sclerosis"
UMN = {"bulbar": {}, "cervical": {"umn": ["hoffmann", "spasticity"]}, "lumbosacral": {"umn": ["babinski"]}}


def test_umn_only_under_two_years_is_considered_with_the_caveat():
    r = mimic(ID, exam=UMN, age_at_onset=50, symptom_onset="2024-01-01", assessment_date="2025-12-31")
    assert r["level"] == 1 and r["flag_umn_only_two_regions"] and r["against_under_two_years"]


def test_second_anniversary_makes_it_likely():
    r = mimic(ID, exam=UMN, age_at_onset=50, symptom_onset="2024-01-01", assessment_date="2026-01-01")
    assert r["level"] == 2 and r["flag_two_years_without_lmn"] and not r["flag_four_years_without_lmn"]


def test_atrophy_is_active_lmn_degeneration():
    exam = {**UMN, "lumbosacral": {"umn": ["babinski"], "lmn": ["atrophy"]}}
    assert mimic(ID, exam=exam, age_at_onset=50, assessment_date="2026-06-01")["level"] == 0


def test_isolated_fasciculations_do_not_exclude():
    exam = {**UMN, "lumbosacral": {"umn": ["babinski"], "lmn": ["fasciculations"]}}
    assert mimic(ID, exam=exam, age_at_onset=50, assessment_date="2026-06-01")["level"] == 2


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0


def test_bulbar_not_examined_leaves_the_pattern_unsettled():
    """Turner 2020 asks for no active LMN degeneration; an unexamined bulbar region cannot count as free of it."""
    limbs = {k: v for k, v in UMN.items() if k != "bulbar"}
    r = mimic(ID, exam=limbs, age_at_onset=50, symptom_onset="2024-01-01", assessment_date="2026-01-01")
    assert r["level"] == 0 and not r["flag_umn_only_two_regions"]
    r = mimic(ID, exam=UMN, age_at_onset=50, symptom_onset="2024-01-01", assessment_date="2026-01-01")
    assert r["level"] == 2
