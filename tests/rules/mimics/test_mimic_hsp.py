"""Hereditary spastic paraplegia: UMN signs confined to the legs; family history."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "hsp"
LEGS = {"lumbosacral": {"umn": ["spasticity", "babinski"]}}


def test_umn_confined_to_legs_is_considered_and_with_family_history_likely():
    assert mimic(ID, exam=LEGS)["level"] == 1
    assert mimic(ID, exam=LEGS, history={"family_history_spastic_paraplegia": True})["level"] == 2


def test_arm_umn_signs_mean_not_confined_to_the_legs():
    assert mimic(ID, exam={**LEGS, "cervical": {"umn": ["hoffmann"]}})["level"] == 0


def test_lmn_involvement_means_not_confined_to_umn():
    assert mimic(ID, exam={"lumbosacral": {"umn": ["babinski"], "lmn": ["atrophy"]}})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
