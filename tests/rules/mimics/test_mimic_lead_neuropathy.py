"""Lead neuropathy: exposure with LMN involvement; raised blood lead."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "lead_neuropathy"
WRIST_DROP = {"cervical": {"lmn": ["weakness"]}}


def test_exposure_with_motor_weakness_is_considered():
    assert mimic(ID, exam=WRIST_DROP, history={"lead_exposure": True})["level"] == 1
    assert mimic(ID, history={"lead_exposure": True})["level"] == 0


def test_raised_blood_lead_with_weakness_is_likely():
    assert mimic(ID, exam=WRIST_DROP, labs=lab(blood_lead="raised"))["level"] == 2


def test_normal_blood_lead_leaves_exposure_not_raised():
    r = mimic(ID, exam=WRIST_DROP, history={"lead_exposure": True}, labs=lab(blood_lead="normal"))
    assert r["level"] == 0 and r["against_blood_lead_normal"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
