"""Hexosaminidase A deficiency: Ashkenazi ancestry or ataxia with motor signs; low HexA or a HEXA variant."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "hexosaminidase_a_deficiency"
MOTOR = {"cervical": {"lmn": ["atrophy"]}}


def test_ashkenazi_or_ataxia_with_motor_signs_is_considered():
    assert mimic(ID, exam=MOTOR, history={"ashkenazi_ancestry": True})["level"] == 1
    assert mimic(ID, exam={**MOTOR, "ataxia": True})["level"] == 1
    assert mimic(ID, history={"ashkenazi_ancestry": True})["level"] == 0


def test_low_activity_or_variant_is_likely():
    assert mimic(ID, exam=MOTOR, labs=lab(hexa_activity="low"))["level"] == 2
    variant = {"variants": [{"gene": "HEXA", "classification": "pathogenic"}]}
    assert mimic(ID, exam=MOTOR, genetics=variant)["flag_hexa_variant"]
    vus = {"variants": [{"gene": "HEXA", "classification": "vus"}]}
    assert mimic(ID, exam=MOTOR, genetics=vus)["level"] == 0


def test_normal_activity_leaves_it_not_raised():
    r = mimic(ID, exam={**MOTOR, "ataxia": True}, labs=lab(hexa_activity="normal"))
    assert r["level"] == 0 and r["against_hexa_activity_normal"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
