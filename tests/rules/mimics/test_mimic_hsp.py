"""Hereditary spastic paraplegia: UMN signs confined to the legs; family history."""

ID = "hsp"
LEGS = {"lumbosacral": {"umn": ["spasticity", "babinski"]}}


def test_umn_confined_to_legs_is_considered_and_with_family_history_likely(mimic):
    assert mimic(ID, exam=LEGS)["level"] == 1
    assert mimic(ID, exam=LEGS, history={"family_history_spastic_paraplegia": True})["level"] == 2


def test_arm_umn_signs_mean_not_confined_to_the_legs(mimic):
    assert mimic(ID, exam={**LEGS, "cervical": {"umn": ["hoffmann"]}})["level"] == 0


def test_lmn_involvement_means_not_confined_to_umn(mimic):
    assert mimic(ID, exam={"lumbosacral": {"umn": ["babinski"], "lmn": ["atrophy"]}})["level"] == 0


def test_not_raised_by_classic_als(kernels, classic_als):
    assert kernels([classic_als]).mimics[ID]["level"][0] == 0
