"""Side-table reductions used by the course kernels."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alsdx.rules.course.series import NO_ROW, gather, latest_row, least_squares, nearest_row


def test_latest_row_prefers_the_later_row_on_equal_days() -> None:
    patient = np.array([0, 0, 1, 0, 1])
    day = np.array([5.0, 9.0, 3.0, 9.0, np.nan])
    assert list(latest_row(patient, day, 3)) == [3, 2, NO_ROW]
    assert list(latest_row(patient, day, 3, mask=np.array([True, True, True, False, True]))) == [1, 2, NO_ROW]


def test_nearest_row_prefers_the_earlier_row_on_equal_distance() -> None:
    patient = np.array([0, 0, 0, 1])
    day = np.array([10.0, 20.0, 30.0, 5.0])
    assert list(nearest_row(patient, day, np.array([25.0, 100.0]), 2)) == [1, 3]
    assert list(nearest_row(patient, day, np.array([np.nan, 5.0]), 2)) == [NO_ROW, 3]


def test_gather_fills_missing_rows() -> None:
    index = np.array([1, NO_ROW])
    assert np.isnan(gather(np.array([1.0, 2.0]), index)[1])
    assert list(gather(np.array([True, True]), index, fill=False)) == [True, False]
    assert np.isnan(gather(np.array([], dtype=float), np.array([NO_ROW]))[0])


def test_least_squares_centres_large_day_numbers() -> None:
    x = np.array([740000.0, 740001.0, 740002.0])
    fit = least_squares(np.zeros(3, dtype=np.int64), x, np.array([1.0, 3.0, 5.0]), 1)
    assert fit["slope"][0] == 2.0 and fit["mean_y"][0] == 3.0 and fit["count"][0] == 3


rows_strategy = st.lists(
    st.tuples(st.integers(0, 3), st.one_of(st.integers(0, 20).map(float), st.just(np.nan))), max_size=30
)


@given(rows_strategy, st.lists(st.integers(0, 20).map(float), min_size=4, max_size=4))
def test_latest_and_nearest_equal_a_per_patient_loop(rows: list[tuple[int, float]], targets: list[float]) -> None:
    patient = np.array([r[0] for r in rows], dtype=np.int64)
    day = np.array([r[1] for r in rows], dtype=float)
    target = np.array(targets)
    latest = latest_row(patient, day, 4)
    nearest = nearest_row(patient, day, target, 4)
    for p in range(4):
        mine = [i for i, (q, d) in enumerate(rows) if q == p and np.isfinite(d)]
        if not mine:
            assert latest[p] == NO_ROW and nearest[p] == NO_ROW
            continue
        assert latest[p] == max(mine, key=lambda i: (day[i], i))
        assert nearest[p] == min(mine, key=lambda i: (abs(day[i] - target[p]), i))
