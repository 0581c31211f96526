"""ENCALS model (Westeneng 2018; coefficients and sanity values of docs/ruleset.md §9)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsdx.rules.course import prognosis


def cols(
    dfs: float = 0.5,
    delay: float = 12.0,
    age: float = 60.0,
    fvc: float = 90.0,
    bulbar: bool = False,
    definite: float = 0.0,
    ftd: bool = False,
    c9: float = 0.0,
    alsfrs_months: float = 0.0,
    fvc_months: float = 0.0,
) -> dict[str, np.ndarray]:
    return {
        "encals_delta_fs": np.array([dfs]),
        "encals_diagnostic_delay_months": np.array([delay]),
        "age_at_onset_julian_years": np.array([age]),
        "encals_fvc_percent": np.array([fvc]),
        "onset_bulbar": np.array([bulbar]),
        "reec_definite": np.array([definite]),
        "frontotemporal_dementia": np.array([ftd]),
        "c9orf72": np.array([c9]),
        "encals_alsfrs_months_from_diagnosis": np.array([alsfrs_months]),
        "encals_fvc_months_from_diagnosis": np.array([fvc_months]),
    }


@pytest.mark.parametrize(
    ("inputs", "lp", "median"),
    [
        ({"dfs": 0.5, "delay": 12, "age": 60, "fvc": 90}, -4.679, 38),
        ({"dfs": 1.0, "delay": 8, "age": 65, "fvc": 70, "bulbar": True, "definite": 1.0}, -2.754, 22),
        ({"dfs": 0.2, "delay": 24, "age": 50, "fvc": 100}, -7.077, 82),
    ],
)
def test_spec_sanity_values(inputs: dict[str, float], lp: float, median: float) -> None:
    out = prognosis.encals(cols(**inputs))  # type: ignore[arg-type]
    assert out["encals_computable"][0]
    assert out["encals_lp"][0] == pytest.approx(lp, abs=0.0015)
    assert out["encals_median_months"][0] == pytest.approx(median, abs=0.5)


def test_transforms_are_the_published_fractional_polynomials() -> None:
    x = prognosis.transforms(cols(dfs=0.5, delay=12, age=60, fvc=90))
    assert x["delta_fs"][0] == pytest.approx(0.6**-0.5)
    assert x["diagnostic_delay"][0] == pytest.approx(1.2**-0.5 + np.log(1.2))
    assert x["age_at_onset"][0] == pytest.approx(0.6**-2)
    assert x["fvc"][0] == pytest.approx(0.9**-1 + 0.9**-0.5)


@pytest.mark.parametrize(
    ("flag", "beta"),
    [("bulbar", 0.269), ("definite", 0.233), ("ftd", 0.388), ("c9", 0.256)],
)
def test_binary_predictors_add_their_coefficient(flag: str, beta: float) -> None:
    base = prognosis.encals(cols())["encals_lp"][0]
    value: float | bool = True if flag in ("bulbar", "ftd") else 1.0
    assert prognosis.encals(cols(**{flag: value}))["encals_lp"][0] - base == pytest.approx(beta)  # type: ignore[arg-type]


def test_unknown_c9_is_taken_as_negative_and_flagged() -> None:
    unknown = prognosis.encals(cols(c9=np.nan))
    assert unknown["encals_c9_assumed_negative"][0]
    assert unknown["encals_lp"][0] == prognosis.encals(cols(c9=0.0))["encals_lp"][0]
    assert not prognosis.encals(cols(c9=0.0))["encals_c9_assumed_negative"][0]


def test_quartile_times_are_where_the_curve_crosses_075_and_025() -> None:
    out = prognosis.encals(cols())
    lp = out["encals_lp"][0]
    t75, median, t25 = (
        out["encals_t75_months"][0],
        out["encals_median_months"][0],
        out["encals_t25_months"][0],
    )
    assert t75 < median < t25
    assert prognosis.survival(np.array([t75, median, t25]), lp) == pytest.approx([0.75, 0.5, 0.25], abs=1e-9)


def test_survival_curve_is_one_at_onset_and_decreasing() -> None:
    t = np.linspace(0.0, 300.0, 601)
    s = prognosis.survival(t, -4.679)
    assert s[0] == 1.0
    assert np.all(np.diff(s) < 0)


def test_baseline_spline_is_increasing_and_linear_beyond_the_boundary_knots() -> None:
    u = np.linspace(prognosis.U_MIN, prognosis.U_MAX, 4001)
    assert np.all(np.diff(prognosis.spline(u)) > 0)
    right = prognosis.spline(np.array([6.5, 7.0, 7.5]))
    assert right[1] - right[0] == pytest.approx(right[2] - right[1])
    left = prognosis.spline(np.array([-2.0, -1.0, 0.0]))
    assert left[1] - left[0] == pytest.approx(prognosis.GAMMA[1])


@given(st.floats(-12.0, 0.0), st.floats(0.01, 3.0))
def test_higher_risk_never_lengthens_the_median(lp: float, extra: float) -> None:
    lower, higher = prognosis.time_at_survival(np.array([lp, lp + extra]), 0.5)
    if np.isfinite(lower) and np.isfinite(higher):
        assert higher < lower


@pytest.mark.parametrize(
    ("inputs", "flag"),
    [
        ({"dfs": np.nan}, "encals_missing_delta_fs"),
        ({"delay": 0.0}, "encals_missing_diagnostic_delay"),
        ({"delay": np.nan}, "encals_missing_diagnostic_delay"),
        ({"age": np.nan}, "encals_missing_age_at_onset"),
        ({"fvc": np.nan}, "encals_missing_fvc"),
        ({"definite": np.nan}, "encals_missing_definite_reec"),
        ({"alsfrs_months": 3.01}, "encals_alsfrs_not_near_diagnosis"),
        ({"fvc_months": -3.01}, "encals_fvc_not_near_diagnosis"),
    ],
)
def test_missing_or_distant_inputs_make_it_not_computable(inputs: dict[str, float], flag: str) -> None:
    out = prognosis.encals(cols(**inputs))  # type: ignore[arg-type]
    assert out[flag][0]
    assert not out["encals_computable"][0]
    assert np.isnan(out["encals_lp"][0]) and np.isnan(out["encals_median_months"][0])


@pytest.mark.parametrize("months", [3.0, -3.0, 1.5])
def test_inputs_within_three_months_of_diagnosis_are_used(months: float) -> None:
    assert prognosis.encals(cols(alsfrs_months=months, fvc_months=months))["encals_computable"][0]


def test_encals_inputs_pick_the_rows_nearest_diagnosis() -> None:
    patients = {"onset_day": np.array([1000.0, 1000.0]), "diagnosis_day": np.array([1300.0, np.nan])}
    visits = {
        "patient": np.array([0, 0, 0]),
        "alsfrs_day": np.array([1200.0, 1290.0, 1500.0]),
        "alsfrs_delta_fs": np.array([0.3, 0.4, 0.9]),
        "alsfrs_scorable": np.array([True, True, True]),
    }
    fvc = {
        "fvc_patient": np.array([0, 0, 0]),
        "fvc_day": np.array([1305.0, 1300.0, 1500.0]),
        "fvc_percent": np.array([88.0, 70.0, 60.0]),
        "fvc_upright": np.array([True, False, True]),
    }
    out = prognosis.encals_inputs(patients, visits, fvc, 2)
    assert out["encals_delta_fs"][0] == 0.4
    assert out["encals_fvc_percent"][0] == 88.0  # the supine value on the diagnosis day is not used
    assert out["encals_diagnostic_delay_months"][0] == pytest.approx(300 / (365.25 / 12))
    assert np.isnan(out["encals_delta_fs"][1]) and np.isnan(out["encals_diagnostic_delay_months"][1])


def test_times_beyond_100_years_from_onset_are_outside_the_models_range() -> None:
    """A very low linear predictor puts the median centuries after onset (a hypothesis case reached the year
    14850): reported as NaN (not computable within range), never as a date."""
    limit = 1200.0  # months.MAX_PROJECTION_MONTHS
    lp_at_limit = np.log(1.0) - prognosis.spline(np.array([np.log(limit)]))[0]  # S(limit) = 0.5
    inside, outside = prognosis.time_at_survival(np.array([lp_at_limit + 1e-6, lp_at_limit - 1e-6]), 0.5)
    assert inside == pytest.approx(limit, rel=1e-5)
    assert np.isnan(outside)
