"""Polymyositis / dermatomyositis: symmetric proximal weakness, rash, CK > 1000 IU/L (Williams 2013)."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "polymyositis_dermatomyositis"
PROXIMAL = {"weakness": {"proximal": True, "asymmetric": False}, "cervical": {"lmn": ["weakness"]}}


@pytest.mark.parametrize(("ck", "level"), [(1000, 0), (1001, 1)])
def test_ck_boundary_1000_alone(ck, level):
    r = mimic(ID, labs=lab(ck_u_per_l=ck))
    assert r["level"] == level and r["flag_ck_over_1000"] == (level == 1)


def test_symmetric_proximal_weakness_is_considered():
    assert mimic(ID, exam=PROXIMAL)["level"] == 1


@pytest.mark.parametrize(("ck", "level"), [(1000, 1), (1001, 2)])
def test_symmetric_proximal_with_ck_over_1000_is_likely(ck, level):
    assert mimic(ID, exam=PROXIMAL, labs=lab(ck_u_per_l=ck))["level"] == level


def test_rash_with_proximal_weakness_is_likely():
    r = mimic(ID, exam={**PROXIMAL, "dermatomyositis_rash": True})
    assert r["level"] == 2 and r["flag_dermatomyositis_rash"]


def test_asymmetric_proximal_weakness_is_not_the_myopathic_pattern():
    assert mimic(ID, exam={"weakness": {"proximal": True, "asymmetric": True}})["level"] == 0


def test_myalgia_needs_subacute_onset():
    assert mimic(ID, exam={"myalgia": True})["level"] == 0
    assert mimic(ID, exam={"myalgia": True}, history={"subacute_onset": True})["level"] == 1


def test_umn_signs_and_fasciculations_argue_against():
    exam = {**PROXIMAL, "lumbosacral": {"umn": ["babinski"], "lmn": ["fasciculations"]}}
    r = mimic(ID, exam=exam)
    assert r["against_umn_signs"] and r["against_fasciculations"]


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
