"""Neuralgic amyotrophy: severe pain at onset, arm LMN involvement, then arrest."""

from mimic_helpers import CLASSIC_ALS, kernels, mimic

ID = "neuralgic_amyotrophy"
ARM = {"cervical": {"lmn": ["weakness", "atrophy"]}, "severe_pain_at_onset": True}


def test_pain_at_onset_with_arm_lmn_is_considered():
    assert mimic(ID, exam=ARM)["level"] == 1


def test_arrested_course_makes_it_likely():
    r = mimic(ID, exam=ARM, course="not_progressive")
    assert r["level"] == 2 and r["flag_course_arrested"]


def test_pain_without_arm_signs_does_not_raise():
    assert mimic(ID, exam={"severe_pain_at_onset": True, "lumbosacral": {"lmn": ["weakness"]}})["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
