"""FVC, NIV and gastrostomy kernels against AAN 2009 (Miller 2009) and docs/ruleset.md Decision 17."""

from __future__ import annotations

import numpy as np
import pytest

from alsdx.rules.course import fvc
from alsdx.rules.course.months import DAYS_PER_MONTH

D0 = 739000.0


def table(rows: list[tuple[int, float, float, str]]) -> dict[str, np.ndarray]:
    return {
        "fvc_patient": np.array([r[0] for r in rows], dtype=np.int64),
        "fvc_day": np.array([D0 + r[1] for r in rows], dtype=float),
        "fvc_percent": np.array([r[2] for r in rows], dtype=float),
        "fvc_upright": np.array([r[3] == "upright" for r in rows], dtype=bool),
    }


def test_latest_upright_and_supine_with_drop() -> None:
    out = fvc.fvc_summary(table([(0, 0, 90, "upright"), (0, 30, 80, "upright"), (0, 30, 60, "supine")]), 1)
    assert out["fvc_latest_day"][0] == D0 + 30
    assert out["fvc_upright_latest"][0] == 80 and out["fvc_supine_latest"][0] == 60
    assert out["fvc_percent_used"][0] == 80 and not out["fvc_supine_fallback"][0]
    assert out["fvc_drop_percent"][0] == pytest.approx(25.0)
    assert not out["fvc_diaphragm_weakness"][0]  # exactly 25 % is not "> 25 %"


def test_drop_just_over_25_percent_flags_diaphragm_weakness() -> None:
    out = fvc.fvc_summary(table([(0, 0, 80, "upright"), (0, 0, 59.9, "supine")]), 1)
    assert out["fvc_drop_percent"][0] == pytest.approx(25.125)
    assert out["fvc_diaphragm_weakness"][0]


def test_latest_date_with_only_supine_uses_it_and_flags_it() -> None:
    out = fvc.fvc_summary(table([(0, 0, 70, "upright"), (0, 60, 45, "supine")]), 1)
    assert out["fvc_supine_fallback"][0]
    assert np.isnan(out["fvc_upright_latest"][0])
    assert out["fvc_percent_used"][0] == 45
    assert np.isnan(out["fvc_drop_percent"][0])


def test_best_of_day() -> None:
    out = fvc.fvc_summary(table([(0, 5, 71, "upright"), (0, 5, 74, "upright"), (0, 5, 72, "upright")]), 1)
    assert out["fvc_upright_latest"][0] == 74


def test_slope_uses_upright_values_only_and_projects_the_50_percent_date() -> None:
    m = DAYS_PER_MONTH
    rows = [
        (0, 0, 80, "upright"),
        (0, 3 * m, 74, "upright"),
        (0, 5 * m, 70, "upright"),
        (0, 5 * m, 30, "supine"),
    ]
    out = fvc.fvc_summary(table(rows), 1)
    assert out["fvc_slope_per_month"][0] == pytest.approx(-2.0)
    assert out["fvc_anchor_percent"][0] == 70
    # From 70 % at month 5 falling 2 %/month: 50 % ten months later.
    assert out["fvc_below_50_day"][0] == pytest.approx(D0 + 15 * m)
    assert not out["fvc_already_below_50"][0]


def test_no_projection_when_stable_rising_or_already_below() -> None:
    m = DAYS_PER_MONTH
    rising = fvc.fvc_summary(table([(0, 0, 70, "upright"), (0, m, 72, "upright")]), 1)
    assert np.isnan(rising["fvc_below_50_day"][0])
    flat = fvc.fvc_summary(table([(0, 0, 70, "upright"), (0, m, 70, "upright")]), 1)
    assert np.isnan(flat["fvc_below_50_day"][0])
    below = fvc.fvc_summary(table([(0, 0, 55, "upright"), (0, m, 49.9, "upright")]), 1)
    assert below["fvc_already_below_50"][0] and np.isnan(below["fvc_below_50_day"][0])
    at_50 = fvc.fvc_summary(table([(0, 0, 55, "upright"), (0, m, 50, "upright")]), 1)
    assert not at_50["fvc_already_below_50"][0]
    assert at_50["fvc_below_50_day"][0] == pytest.approx(D0 + m)
    single = fvc.fvc_summary(table([(0, 0, 55, "upright")]), 1)
    assert np.isnan(single["fvc_slope_per_month"][0]) and np.isnan(single["fvc_below_50_day"][0])


def test_patients_without_fvc_and_batches() -> None:
    out = fvc.fvc_summary(table([(1, 0, 60, "upright"), (2, 0, 40, "supine")]), 3)
    assert np.isnan(out["fvc_latest_day"][0]) and np.isnan(out["fvc_percent_used"][0])
    assert out["fvc_percent_used"][1] == 60 and out["fvc_percent_used"][2] == 40
    assert list(fvc.gastrostomy_risk(out)["peg_risk"]) == [-1, 0, 1]


def test_empty_table() -> None:
    out = fvc.fvc_summary(table([]), 2)
    assert np.isnan(out["fvc_latest_day"]).all() and not out["fvc_supine_fallback"].any()


@pytest.mark.parametrize(
    ("percent", "risk"),
    [(80, 0), (50.1, 0), (50, 1), (40, 1), (30, 1), (29.9, 2), (10, 2), (np.nan, -1)],
)
def test_gastrostomy_risk_band_boundaries(percent: float, risk: int) -> None:
    assert fvc.gastrostomy_risk({"fvc_percent_used": np.array([percent])})["peg_risk"][0] == risk


def niv(**overrides: float | bool) -> dict[str, np.ndarray]:
    base: dict[str, float | bool] = {
        "fvc_upright_latest": 80.0,
        "fvc_supine_latest": np.nan,
        "exam_orthopnea": False,
        "alsfrs_orthopnea": 4.0,
        "snip_cm_h2o": np.nan,
        "mip_cm_h2o": np.nan,
        "nocturnal_oximetry_abnormal": np.nan,
    }
    base.update(overrides)
    return fvc.niv({k: np.array([v]) for k, v in base.items()})


def test_no_trigger_with_normal_values_and_unrecorded_measures() -> None:
    out = niv()
    assert not out["niv_indicated"][0]
    assert not any(out[f"niv_{t}"][0] for t in fvc.NIV_TRIGGERS)


@pytest.mark.parametrize(
    ("overrides", "trigger", "fires"),
    [
        ({"fvc_upright_latest": 50.0}, "fvc_upright", False),
        ({"fvc_upright_latest": 49.9}, "fvc_upright", True),
        ({"fvc_supine_latest": 50.0}, "fvc_supine", False),
        ({"fvc_supine_latest": 49.9}, "fvc_supine", True),
        ({"exam_orthopnea": True}, "orthopnea", True),
        ({"alsfrs_orthopnea": 3.0}, "orthopnea", True),
        ({"alsfrs_orthopnea": 4.0}, "orthopnea", False),
        ({"alsfrs_orthopnea": np.nan}, "orthopnea", False),
        ({"snip_cm_h2o": 40.0}, "snip", False),
        ({"snip_cm_h2o": 39.9}, "snip", True),
        ({"mip_cm_h2o": -60.0}, "mip", False),
        ({"mip_cm_h2o": -59.9}, "mip", True),
        ({"mip_cm_h2o": -85.0}, "mip", False),
        ({"nocturnal_oximetry_abnormal": 1.0}, "nocturnal_oximetry", True),
        ({"nocturnal_oximetry_abnormal": 0.0}, "nocturnal_oximetry", False),
    ],
)
def test_niv_trigger_boundaries(overrides: dict[str, float | bool], trigger: str, fires: bool) -> None:
    out = niv(**overrides)
    assert out[f"niv_{trigger}"][0] == fires
    assert out["niv_indicated"][0] == fires


def test_no_projection_beyond_100_years() -> None:
    """A barely falling FVC would reach 50 % centuries away (and leave the calendar): not projected."""
    m = DAYS_PER_MONTH
    limit = 1200.0  # months.MAX_PROJECTION_MONTHS
    # From 70 % falling about 20/limit % per month: 50 % just within the limit, then just beyond it.
    within = fvc.fvc_summary(table([(0, 0, 70 + 20.02 / limit, "upright"), (0, m, 70, "upright")]), 1)
    assert within["fvc_below_50_day"][0] == pytest.approx(D0 + m + limit * m / 1.001)
    beyond = fvc.fvc_summary(table([(0, 0, 70 + 19.98 / limit, "upright"), (0, m, 70, "upright")]), 1)
    assert np.isnan(beyond["fvc_below_50_day"][0])
    glacial = fvc.fvc_summary(table([(0, 0, 70 + 1e-9, "upright"), (0, m, 70, "upright")]), 1)
    assert np.isnan(glacial["fvc_below_50_day"][0])
