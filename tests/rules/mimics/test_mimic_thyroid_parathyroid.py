"""Thyroid / parathyroid: TSH outside 0.4-4.0 mU/L, adjusted calcium above 2.60 mmol/L (default limits)."""

import pytest
from mimic_helpers import CLASSIC_ALS, kernels, lab, mimic

ID = "thyroid_parathyroid"


@pytest.mark.parametrize(("tsh", "level"), [(0.39, 2), (0.4, 0), (4.0, 0), (4.01, 1)])
def test_tsh_boundaries(tsh, level):
    assert mimic(ID, labs=lab(tsh_mu_per_l=tsh))["level"] == level


@pytest.mark.parametrize(("calcium", "level"), [(2.60, 0), (2.61, 2)])
def test_calcium_boundary(calcium, level):
    r = mimic(ID, labs=lab(calcium_mmol_per_l=calcium))
    assert r["level"] == level and r["flag_calcium_high"] == (level == 2)


def test_latest_value_is_used():
    labs = [{"date": "2024-02-01", "tsh_mu_per_l": 0.1}, {"date": "2024-06-01", "tsh_mu_per_l": 1.5}]
    assert mimic(ID, labs=labs)["level"] == 0


def test_not_raised_by_classic_als():
    assert kernels([CLASSIC_ALS]).mimics[ID]["level"][0] == 0
