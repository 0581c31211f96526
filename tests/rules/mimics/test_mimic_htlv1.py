"""HTLV-1-associated myelopathy: spastic legs in a person from an endemic area; serology."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "htlv1"
SPASTIC_LEGS = {"lumbosacral": {"umn": ["spasticity", "babinski"]}, "sphincter_dysfunction": True}


def test_endemic_origin_with_spastic_legs_is_considered():
    r = mimic(ID, exam=SPASTIC_LEGS, history={"endemic_htlv1_origin": True})
    assert r["level"] == 1 and r["flag_sphincter_dysfunction"]
    assert mimic(ID, exam=SPASTIC_LEGS)["level"] == 0


def test_positive_serology_is_likely_and_negative_excludes():
    assert mimic(ID, exam=SPASTIC_LEGS, labs=lab(htlv1="positive"))["level"] == 2
    r = mimic(ID, exam=SPASTIC_LEGS, history={"endemic_htlv1_origin": True}, labs=lab(htlv1="negative"))
    assert r["level"] == 0 and r["against_htlv1_negative"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
