"""The cohort's column calendar (table look-ups) against the case model's date arithmetic, inside and
outside the span its table covers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alsdx.cohort.dates import CALENDAR_SPAN, anniversary, calendar_age
from alsdx.model import mimic_columns as scalar

EPOCH = date(1970, 1, 1)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31))


def days(ds: list[date]) -> np.ndarray:
    return np.array([(d - EPOCH).days for d in ds], dtype=np.int64)


def as_dates(values: np.ndarray) -> list[date]:
    return [EPOCH + timedelta(days=int(v)) for v in values]


@given(st.lists(dates, min_size=1, max_size=40), st.integers(0, 5))
def test_anniversary_matches_the_case_model(ds: list[date], years: int):
    assert as_dates(anniversary(days(ds), years)) == [scalar.anniversary(d, years) for d in ds]


@given(st.lists(st.tuples(dates, st.integers(0, 120 * 366)), min_size=1, max_size=40))
def test_calendar_age_matches_the_case_model(pairs: list[tuple[date, int]]):
    pairs = [(b, b + timedelta(days=k)) for b, k in pairs if b + timedelta(days=k) <= date(9000, 12, 31)]
    if not pairs:
        return
    got = calendar_age(days([b for b, _ in pairs]), days([o for _, o in pairs]))
    assert got.tolist() == [scalar.calendar_age(b, o) for b, o in pairs]


def test_the_table_edges_and_29_february():
    first, end = CALENDAR_SPAN
    edge = [first, end - timedelta(days=1), end, first - timedelta(days=1), date(2000, 2, 29), date(2024, 2, 29)]
    assert as_dates(anniversary(days(edge), 1)) == [scalar.anniversary(d, 1) for d in edge]
    assert as_dates(anniversary(days([date(2000, 2, 29)]), 1)) == [date(2001, 2, 28)]
