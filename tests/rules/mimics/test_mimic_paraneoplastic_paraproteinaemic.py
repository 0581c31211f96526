"""Paraneoplastic / paraproteinaemic: cancer or subacute onset with motor signs; paraprotein; onconeural."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "paraneoplastic_paraproteinaemic"
MOTOR = {"cervical": {"lmn": ["atrophy"]}}


def test_known_malignancy_or_subacute_onset_with_motor_signs_is_considered():
    assert mimic(ID, exam=MOTOR, history={"known_malignancy": True})["level"] == 1
    assert mimic(ID, exam=MOTOR, history={"subacute_onset": True})["level"] == 1
    assert mimic(ID, history={"known_malignancy": True})["level"] == 0


def test_paraprotein_is_considered_and_onconeural_antibodies_likely():
    assert mimic(ID, exam=MOTOR, labs=lab(paraprotein="present"))["level"] == 1
    assert mimic(ID, exam=MOTOR, labs=lab(onconeural_antibodies="positive"))["level"] == 2


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
