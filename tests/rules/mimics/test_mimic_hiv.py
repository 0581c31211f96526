"""HIV-associated motor neuron syndrome: raised by positive serology only."""

ID = "hiv"


def test_positive_serology_with_motor_signs_is_likely(mimic, lab):
    assert mimic(ID, exam={"cervical": {"lmn": ["atrophy"]}}, labs=lab(hiv="positive"))["level"] == 2
    assert mimic(ID, labs=lab(hiv="positive"))["level"] == 1


def test_negative_serology_does_not_raise(mimic, lab):
    assert mimic(ID, exam={"cervical": {"lmn": ["atrophy"]}}, labs=lab(hiv="negative"))["level"] == 0


def test_not_raised_by_classic_als(kernels, classic_als):
    assert kernels([classic_als]).mimics[ID]["level"][0] == 0
