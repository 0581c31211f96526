"""Motor CIDP: demyelinating slowing; CSF protein >= 1 g/L with LMN involvement."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "motor_cidp"
LMN = {"cervical": {"lmn": ["weakness", "hyporeflexia"]}}


def test_demyelinating_slowing_without_umn_is_likely():
    assert mimic(ID, exam=LMN, ncs={"slowed_conduction_demyelinating": True})["level"] == 2


def test_umn_signs_lower_it_to_consider():
    exam = {**LMN, "lumbosacral": {"umn": ["babinski"]}}
    assert mimic(ID, exam=exam, ncs={"slowed_conduction_demyelinating": True})["level"] == 1


@pytest.mark.parametrize(("protein", "level"), [(0.99, 0), (1.0, 1)])
def test_csf_protein_boundary(protein, level):
    assert mimic(ID, exam=LMN, labs=lab(csf_protein_g_per_l=protein))["level"] == level


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
