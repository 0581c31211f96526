"""B12 / copper deficiency: B12 < 148 pmol/L (BSH 2014), copper < 11 umol/L; UMN with dorsal-column loss."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "b12_copper_deficiency"
UMN = {"lumbosacral": {"umn": ["babinski"]}}


@pytest.mark.parametrize(("b12", "level"), [(147.9, 2), (148, 0)])
def test_b12_boundary_with_umn_signs(b12, level):
    assert mimic(ID, exam=UMN, labs=lab(b12_pmol_per_l=b12))["level"] == level


@pytest.mark.parametrize(("copper", "level"), [(10.9, 2), (11.0, 0)])
def test_copper_boundary_with_umn_signs(copper, level):
    assert mimic(ID, exam=UMN, labs=lab(copper_umol_per_l=copper))["level"] == level


def test_low_b12_without_umn_or_dorsal_column_loss_is_considered():
    assert mimic(ID, labs=lab(b12_pmol_per_l=100))["level"] == 1


def test_umn_with_dorsal_column_loss_is_considered():
    r = mimic(ID, exam={**UMN, "sensory_loss": True, "dorsal_column_sensory_loss": True})
    assert r["level"] == 1 and r["flag_umn_with_dorsal_column_loss"]


def test_gastric_surgery_with_motor_signs_is_considered():
    assert mimic(ID, exam=UMN, history={"gastric_surgery_or_zinc_excess": True})["level"] == 1


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
