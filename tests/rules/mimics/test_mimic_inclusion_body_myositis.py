"""Inclusion body myositis (ENMC 2011): onset > 45, weakness > 12 months, CK <= 15 x ULN; FF / KE pattern."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "inclusion_body_myositis"
PATTERN = {"weakness": {"finger_flexors": True, "quadriceps": True}, "cervical": {"lmn": ["weakness"]}}


def ibm(**fields):
    base = {
        "exam": PATTERN,
        "age_at_onset": 60,
        "symptom_onset": "2023-01-01",
        "assessment_date": "2025-06-01",
        "labs": lab(ck_u_per_l=800, ck_uln_u_per_l=200),
    }
    return mimic(ID, **{**base, **fields})


def test_enmc_probable_features_are_likely():
    r = ibm()
    assert r["level"] == 2 and r["flag_finger_flexor_weakness"] and r["flag_quadriceps_weakness"]


@pytest.mark.parametrize(("age", "level"), [(45, 0), (45.01, 2)])
def test_onset_age_boundary_45(age, level):
    assert ibm(age_at_onset=age)["level"] == level


def test_onset_age_from_birth_date_day_after_45th_birthday():
    at = ibm(age_at_onset=None, birth_date="1978-01-01", symptom_onset="2023-01-01")
    after = ibm(age_at_onset=None, birth_date="1977-12-31", symptom_onset="2023-01-01")
    assert at["against_onset_45_or_younger"] and at["level"] == 0
    assert after["flag_onset_after_45"] and after["level"] == 2


@pytest.mark.parametrize(("assessed", "level"), [("2024-01-01", 1), ("2024-01-02", 2)])
def test_duration_boundary_twelve_months(assessed, level):
    r = ibm(symptom_onset="2023-01-01", assessment_date=assessed)
    assert r["level"] == level


@pytest.mark.parametrize(("ck", "level", "beyond"), [(3000, 2, False), (3001, 1, True)])
def test_ck_boundary_fifteen_times_uln(ck, level, beyond):
    r = ibm(labs=lab(ck_u_per_l=ck, ck_uln_u_per_l=200))
    assert r["level"] == level and r["against_ck_over_15x_uln"] == beyond


@pytest.mark.parametrize(("ck", "flag"), [(1000, False), (1000.5, True)])
def test_ck_over_1000_flag_boundary(ck, flag):
    assert ibm(labs=lab(ck_u_per_l=ck, ck_uln_u_per_l=200))["flag_ck_over_1000"] == flag


def test_unmeasured_ck_or_uln_leaves_it_at_consider():
    assert ibm(labs=[])["level"] == 1
    assert ibm(labs=lab(ck_u_per_l=800))["level"] == 1


def test_umn_signs_prevent_likely():
    r = ibm(exam={**PATTERN, "lumbosacral": {"umn": ["babinski"]}})
    assert r["level"] == 1 and r["against_umn_signs"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
