"""ALSFRS-R kernels against Cedarbaum 1999 (items, total), Bakker 2017 (domains), Kimura 2006 (ΔFS) and the
docs/ruleset.md §7 bands, boundaries first."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsdx.rules.course import alsfrs_r
from alsdx.rules.course.months import DAYS_PER_MONTH

ITEMS = alsfrs_r.ITEMS


def visit(gastrostomy: bool = False, **scores: float) -> dict[str, np.ndarray]:
    cols = {f"alsfrs_{i}": np.array([float(scores.get(i, 4))]) for i in ITEMS}
    cols["alsfrs_gastrostomy"] = np.array([gastrostomy])
    return cols


def test_all_normal_is_48_and_all_zero_is_0() -> None:
    assert alsfrs_r.score(visit())["alsfrs_total"][0] == 48
    zero = alsfrs_r.score(visit(**dict.fromkeys(ITEMS, 0)))
    assert zero["alsfrs_total"][0] == 0
    assert all(zero[f"alsfrs_{d}"][0] == 0 for d in alsfrs_r.DOMAINS)


ITEM_DOMAINS = [
    ("speech", "bulbar"),
    ("salivation", "bulbar"),
    ("swallowing", "bulbar"),
    ("handwriting", "fine_motor"),
    ("cutting_food", "fine_motor"),
    ("dressing_hygiene", "fine_motor"),
    ("turning_in_bed", "gross_motor"),
    ("walking", "gross_motor"),
    ("climbing_stairs", "gross_motor"),
    ("dyspnea", "respiratory"),
    ("orthopnea", "respiratory"),
    ("respiratory_insufficiency", "respiratory"),
]
"""Cedarbaum 1999's items 1-12 in form order, with Bakker 2017's domains."""


def test_the_case_model_lists_the_items_in_the_published_form_order() -> None:
    assert list(ITEMS) == [item for item, _ in ITEM_DOMAINS]


@pytest.mark.parametrize(("item", "domain"), ITEM_DOMAINS)
def test_each_item_belongs_to_one_domain(item: str, domain: str) -> None:
    out = alsfrs_r.score(visit(**{item: 1}))
    assert out["alsfrs_total"][0] == 45
    for d in alsfrs_r.DOMAINS:
        assert out[f"alsfrs_{d}"][0] == (9 if d == domain else 12)


def test_item5_scale_follows_gastrostomy_and_total_is_the_same_sum() -> None:
    without = alsfrs_r.score(visit(gastrostomy=False, cutting_food=2))
    with_tube = alsfrs_r.score(visit(gastrostomy=True, cutting_food=2))
    assert not without["alsfrs_item5_scale_5b"][0] and with_tube["alsfrs_item5_scale_5b"][0]
    assert without["alsfrs_total"][0] == with_tube["alsfrs_total"][0] == 46


def test_missing_item_has_no_total_by_default() -> None:
    out = alsfrs_r.score(visit(walking=np.nan))
    assert not out["alsfrs_scorable"][0]
    assert np.isnan(out["alsfrs_total"][0])
    assert out["alsfrs_n_missing"][0] == 1


def test_prorating_one_missing_item_is_mean_times_12() -> None:
    scores = dict.fromkeys(ITEMS, 3)
    scores["walking"] = np.nan
    scores["speech"] = 2  # answered: ten 3s and one 2 -> mean 32/11
    out = alsfrs_r.score(visit(**scores), prorate_missing=True)
    assert out["alsfrs_scorable"][0] and out["alsfrs_prorated"][0]
    assert out["alsfrs_total"][0] == pytest.approx(32 / 11 * 12)
    assert np.isnan(out["alsfrs_gross_motor"][0])  # the domain with the hole has no subscore
    assert out["alsfrs_bulbar"][0] == 8


def test_prorating_refuses_two_missing_items() -> None:
    assert alsfrs_r.MAX_PRORATED_MISSING == 1
    out = alsfrs_r.score(visit(walking=np.nan, speech=np.nan), prorate_missing=True)
    assert not out["alsfrs_scorable"][0]
    assert np.isnan(out["alsfrs_total"][0])


def test_complete_visit_is_not_flagged_prorated() -> None:
    out = alsfrs_r.score(visit(speech=3), prorate_missing=True)
    assert out["alsfrs_scorable"][0] and not out["alsfrs_prorated"][0]


def _rate(total: float, days: float) -> dict[str, np.ndarray]:
    onset = 739000.0
    return alsfrs_r.delta_fs(
        {
            "alsfrs_total": np.array([total]),
            "onset_day": np.array([onset]),
            "alsfrs_day": np.array([onset + days]),
        }
    )


def test_delta_fs_is_points_lost_per_month_from_onset() -> None:
    out = _rate(36, 365.25)  # one year = 12 months (Decision 16)
    assert out["alsfrs_months_from_onset"][0] == pytest.approx(12.0)
    assert out["alsfrs_delta_fs"][0] == pytest.approx(1.0)
    assert _rate(48, 100)["alsfrs_delta_fs"][0] == 0.0


def test_delta_fs_uses_days_over_365_25_by_12() -> None:
    out = _rate(40, 100)
    assert out["alsfrs_delta_fs"][0] == pytest.approx(8 / (100 / DAYS_PER_MONTH))


@pytest.mark.parametrize("days", [0.0, -10.0])
def test_delta_fs_zero_duration_is_nan_and_flagged_never_a_crash(days: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = _rate(40, days)
    assert np.isnan(out["alsfrs_delta_fs"][0])
    assert out["alsfrs_duration_not_positive"][0]


def test_positive_duration_is_not_flagged() -> None:
    assert not _rate(40, 1)["alsfrs_duration_not_positive"][0]


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        (0.0, 0),
        (0.4999, 0),
        (0.5, 1),  # "intermediate 0.5-1.0": the closed range holds both ends
        (0.75, 1),
        (1.0, 1),
        (1.0001, 2),
        (3.0, 2),
        (np.nan, -1),
    ],
)
def test_progression_band_boundaries(rate: float, band: int) -> None:
    assert alsfrs_r.progression_band({"alsfrs_delta_fs": np.array([rate])})["progression_band"][0] == band


def test_band_labels() -> None:
    assert alsfrs_r.BANDS == ("slow", "intermediate", "fast")


def test_slope_per_month_over_visits_of_several_patients() -> None:
    m = DAYS_PER_MONTH
    visits = {
        "patient": np.array([0, 0, 0, 1, 2, 2, 3, 3]),
        "alsfrs_day": np.array([0, 3 * m, 6 * m, 0, 0, 0, 0, 2 * m]) + 739000.0,
        "alsfrs_total": np.array([45, 42, 39, 40, 40, 38, 44, np.nan]),
    }
    out = alsfrs_r.slope(visits, 5)
    assert out["alsfrs_slope_per_month"][0] == pytest.approx(-1.0)
    assert np.isnan(out["alsfrs_slope_per_month"][1])  # one visit
    assert np.isnan(out["alsfrs_slope_per_month"][2])  # two visits, one date
    assert np.isnan(out["alsfrs_slope_per_month"][3])  # the second visit has no total
    assert np.isnan(out["alsfrs_slope_per_month"][4])  # no visit
    assert list(out["alsfrs_n_scored_visits"]) == [3, 1, 2, 1, 0]


item_scores = st.one_of(st.integers(0, 4).map(float), st.just(np.nan))


@given(st.lists(st.lists(item_scores, min_size=12, max_size=12), min_size=1, max_size=30), st.booleans())
def test_totals_and_subscores_stay_in_range(rows: list[list[float]], prorate: bool) -> None:
    arr = np.array(rows)
    cols = {f"alsfrs_{i}": arr[:, k] for k, i in enumerate(ITEMS)}
    cols["alsfrs_gastrostomy"] = np.zeros(len(rows), dtype=bool)
    out = alsfrs_r.score(cols, prorate_missing=prorate)
    total = out["alsfrs_total"][out["alsfrs_scorable"]]
    assert np.all((total >= 0) & (total <= 48))
    for d in alsfrs_r.DOMAINS:
        sub = out[f"alsfrs_{d}"]
        assert np.all((sub[np.isfinite(sub)] >= 0) & (sub[np.isfinite(sub)] <= 12))
    complete = ~np.isnan(arr).any(axis=1)
    assert np.array_equal(out["alsfrs_scorable"][complete], np.ones(complete.sum(), dtype=bool))
    assert np.array_equal(out["alsfrs_total"][complete], arr[complete].sum(axis=1))


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2000), st.integers(0, 48)),
        min_size=0,
        max_size=40,
    )
)
def test_vectorised_slope_equals_per_patient_polyfit(rows: list[tuple[int, int, int]]) -> None:
    patient = np.array([r[0] for r in rows], dtype=np.int64)
    day = np.array([r[1] for r in rows], dtype=float) + 739000.0
    total = np.array([r[2] for r in rows], dtype=float)
    out = alsfrs_r.slope({"patient": patient, "alsfrs_day": day, "alsfrs_total": total}, 4)
    for p in range(4):
        x = (day[patient == p] - 739000.0) / DAYS_PER_MONTH
        if np.unique(x).size < 2:
            assert np.isnan(out["alsfrs_slope_per_month"][p])
        else:
            expected = np.polyfit(x, total[patient == p], 1)[0]
            assert out["alsfrs_slope_per_month"][p] == pytest.approx(expected, rel=1e-6, abs=1e-9)
