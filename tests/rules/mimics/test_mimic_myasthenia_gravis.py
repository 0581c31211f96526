"""Myasthenia gravis: fatigable/fluctuating weakness, ptosis/diplopia; antibodies; RNS decrement alone is not
enough."""

from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "myasthenia_gravis"


def test_fatigable_weakness_and_ptosis_are_considered():
    assert mimic(ID, exam={"fatigable_weakness": True})["level"] == 1
    assert mimic(ID, exam={"ptosis_or_diplopia": True})["flag_ptosis_or_diplopia"]


def test_antibodies_make_it_likely():
    assert mimic(ID, labs=lab(achr_antibodies="positive"))["level"] == 2
    assert mimic(ID, labs=lab(musk_antibodies="positive"))["level"] == 2
    assert mimic(ID, labs=lab(achr_antibodies="negative", musk_antibodies="negative"))["level"] == 0


def test_rns_decrement_alone_does_not_raise_but_supports_fatigability():
    assert mimic(ID, ncs={"rns_decrement": True})["level"] == 0
    r = mimic(ID, ncs={"rns_decrement": True}, exam={"fatigable_weakness": True})
    assert r["level"] == 2 and r["flag_rns_decrement"]


def test_wasting_argues_against():
    r = mimic(ID, exam={"fatigable_weakness": True, "bulbar": {"lmn": ["atrophy"]}})
    assert r["against_atrophy"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
