"""Kennedy disease: AR CAG <= 34 normal, 35 reduced penetrance, > 35 diagnostic (GeneReviews), >= 38 full."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "kennedy_disease"
LMN = {"bulbar": {"lmn": ["fasciculations", "atrophy"]}, "cervical": {"lmn": ["weakness", "atrophy"]}}


@pytest.mark.parametrize(
    ("cag", "level", "expanded", "reduced", "full"),
    [
        (34, 0, False, False, False),
        (35, 1, False, True, False),
        (36, 2, True, True, False),
        (37, 2, True, True, False),
        (38, 2, True, False, True),
    ],
)
def test_ar_cag_boundaries_in_a_male(cag, level, expanded, reduced, full):
    r = mimic(ID, sex="male", exam={"cervical": {"lmn": ["weakness"]}}, genetics={"ar_cag_repeats": cag})
    assert r["level"] == level
    assert (
        r["flag_ar_cag_expanded"],
        r["flag_ar_cag_reduced_penetrance"],
        r["flag_ar_cag_full_penetrance"],
    ) == (
        expanded,
        reduced,
        full,
    )


def test_normal_repeat_excludes_even_with_gynaecomastia():
    r = mimic(ID, sex="male", exam={**LMN, "gynecomastia": True}, genetics={"ar_cag_repeats": 34})
    assert r["level"] == 0 and r["against_ar_cag_normal"]


def test_bulbar_and_limb_lmn_without_umn_in_a_man_is_considered():
    r = mimic(ID, sex="male", exam=LMN)
    assert r["level"] == 1 and r["flag_bulbar_and_limb_lmn_without_umn"]


def test_gynaecomastia_with_lmn_signs_is_considered():
    r = mimic(ID, sex="male", exam={"cervical": {"lmn": ["weakness"]}, "gynecomastia": True})
    assert r["level"] == 1 and r["flag_gynecomastia"]


def test_female_with_expansion_is_only_a_carrier_consider():
    r = mimic(ID, sex="female", exam=LMN, genetics={"ar_cag_repeats": 42})
    assert r["level"] == 1 and r["against_female"]


def test_female_clinical_pattern_does_not_raise():
    assert mimic(ID, sex="female", exam=LMN)["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
