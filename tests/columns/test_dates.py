"""The columns' one calendar (alsdx.columns.dates: table look-ups on day numbers) against Python's date
arithmetic written out here as the reference, inside and outside the span its table covers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alsdx.columns.dates import CALENDAR_SPAN, anniversary, calendar_age

EPOCH = date(1970, 1, 1)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31))


def reference_anniversary(d: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February -> 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def reference_calendar_age(birth: date, on: date) -> float:
    """Completed years plus the elapsed fraction of the current year of age."""
    years = on.year - birth.year - (1 if (on.month, on.day) < (birth.month, birth.day) else 0)
    last, nxt = reference_anniversary(birth, years), reference_anniversary(birth, years + 1)
    return years + (on - last).days / (nxt - last).days


def days(ds: list[date]) -> np.ndarray:
    return np.array([(d - EPOCH).days for d in ds], dtype=np.int64)


def as_dates(values: np.ndarray) -> list[date]:
    return [EPOCH + timedelta(days=int(v)) for v in values]


@given(st.lists(dates, min_size=1, max_size=40), st.integers(0, 5))
def test_anniversary_matches_date_arithmetic(ds: list[date], years: int):
    assert as_dates(anniversary(days(ds), years)) == [reference_anniversary(d, years) for d in ds]


@given(st.lists(st.tuples(dates, st.integers(-100, 120)), min_size=1, max_size=40))
def test_anniversary_with_a_count_per_row_matches_date_arithmetic(pairs: list[tuple[date, int]]):
    """A count per row (the trials kernel's ages) takes add_months' path: the same dates as one count for all."""
    pairs = [(d, k) for d, k in pairs if 1 <= d.year + k <= 9000]
    if not pairs:
        return
    got = anniversary(days([d for d, _ in pairs]), np.array([k for _, k in pairs]))
    assert as_dates(got) == [reference_anniversary(d, k) for d, k in pairs]


@given(st.lists(st.tuples(dates, st.integers(0, 120 * 366)), min_size=1, max_size=40))
def test_calendar_age_matches_date_arithmetic(pairs: list[tuple[date, int]]):
    pairs = [(b, b + timedelta(days=k)) for b, k in pairs if b + timedelta(days=k) <= date(9000, 12, 31)]
    if not pairs:
        return
    got = calendar_age(days([b for b, _ in pairs]), days([o for _, o in pairs]))
    assert got.tolist() == [reference_calendar_age(b, o) for b, o in pairs]


def test_the_table_edges_and_29_february():
    first, end = CALENDAR_SPAN
    edge = [first, end - timedelta(days=1), end, first - timedelta(days=1), date(2000, 2, 29), date(2024, 2, 29)]
    assert as_dates(anniversary(days(edge), 1)) == [reference_anniversary(d, 1) for d in edge]
    assert as_dates(anniversary(days([date(2000, 2, 29)]), 1)) == [date(2001, 2, 28)]
