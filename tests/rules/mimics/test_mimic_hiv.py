"""HIV-associated motor neuron syndrome: raised by positive serology only."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "hiv"


def test_positive_serology_with_motor_signs_is_likely():
    assert mimic(ID, exam={"cervical": {"lmn": ["atrophy"]}}, labs=lab(hiv="positive"))["level"] == 2
    assert mimic(ID, labs=lab(hiv="positive"))["level"] == 1


def test_negative_serology_does_not_raise():
    assert mimic(ID, exam={"cervical": {"lmn": ["atrophy"]}}, labs=lab(hiv="negative"))["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
