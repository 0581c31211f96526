"""Lumbosacral radiculopathy / conus: LMN confined to the legs; mixed leg signs with sensory or sphincter
features."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "lumbosacral_radiculopathy"
LMN_LEGS = {"lumbosacral": {"lmn": ["weakness", "atrophy"]}}
MIXED_LEGS = {"lumbosacral": {"lmn": ["atrophy"], "umn": ["babinski"]}}


def test_lmn_confined_to_the_legs_is_considered():
    assert mimic(ID, exam=LMN_LEGS)["level"] == 1
    assert mimic(ID, exam={**LMN_LEGS, "cervical": {"lmn": ["atrophy"]}})["level"] == 0


def test_mixed_leg_signs_need_sensory_sphincter_or_pain():
    assert mimic(ID, exam=MIXED_LEGS)["level"] == 0
    assert mimic(ID, exam={**MIXED_LEGS, "sphincter_dysfunction": True})["level"] == 1


def test_mri_lesion_makes_it_likely_and_normal_mri_removes_the_lmn_pattern():
    assert mimic(ID, exam=LMN_LEGS, imaging={"lumbosacral_spine_mri": "compressive_lesion"})["level"] == 2
    assert mimic(ID, exam=LMN_LEGS, imaging={"lumbosacral_spine_mri": "normal"})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
