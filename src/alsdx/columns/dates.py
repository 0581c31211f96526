"""The one calendar arithmetic of the columns, on arrays of day numbers (days since 1970-01-01, Arrow's date32):
ordinals, calendar months (Decision 16), anniversaries and the two ages at onset. Both front ends call it (``from_case`` converts its dates).

Anniversaries (decision in docs/case-format.md "Extensions: mimics"): the n-th anniversary of a date is the
same day n calendar years later; 29 February clamps to 28 February in a common year, as calendar months clamp
in docs/ruleset.md Decision 16.

Two ages at onset, named apart because two rules define age differently:
- ``calendar_age``: exact calendar age, completed years plus the elapsed fraction of the current year of age
  (the mimic and PLS kernels: Turner 2020's "age >= 25" holds from the 25th birthday);
- ``julian_age``: days / 365.25 (``Case.onset_age_years``; the course kernels: the ENCALS model's age in
  years).

Calendar conversions are look-ups in tables (one gather per element) instead of converting every element.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from alsdx.model.case import EARLIEST_DATE, LATEST_DATE

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
"""``date.toordinal()`` of day 0 of Arrow's date32."""


JULIAN_YEAR_DAYS = 365.25


def ordinal(days: np.ndarray) -> np.ndarray:
    """Arrow day numbers (days since 1970-01-01) -> ``date.toordinal()`` values."""
    return days.astype(np.int64) + EPOCH_ORDINAL


def day_numbers(dates: Sequence[dt.date]) -> np.ndarray:
    """Dates -> day numbers (days since 1970-01-01), int64."""
    return np.fromiter((d.toordinal() - EPOCH_ORDINAL for d in dates), dtype=np.int64, count=len(dates))


def _convert(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]")
    month = d.astype("datetime64[M]")
    return (
        year.astype(np.int64) + 1970,
        (month - year.astype("datetime64[M]")).astype(np.int64),
        (d - month.astype("datetime64[D]")).astype(np.int64),
    )


CALENDAR_SPAN = (EARLIEST_DATE, LATEST_DATE + dt.timedelta(days=1))
"""The case model's dates (``model.case``) are converted by one look-up in tables built once (128,000 days);
others (rows the checks refuse) element by element."""


@cache
def _calendar() -> tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(year, month 0-11, day of month 0-30) of every day of CALENDAR_SPAN, whole years from 1 January,
    counted out month by month (integer arithmetic: a tenth of the cost of datetime64 conversions)."""
    first, end = CALENDAR_SPAN
    assert (first.month, first.day, end.month, end.day) == (1, 1, 1, 1)
    years = np.arange(first.year, end.year)
    lengths = np.tile(np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]), years.size)
    lengths[1::12] += _leap(years)
    starts = np.cumsum(lengths) - lengths
    year = np.repeat(np.repeat(years, 12), lengths).astype(np.int16)
    month = np.repeat(np.tile(np.arange(12, dtype=np.int8), years.size), lengths)
    day = (np.arange(int(lengths.sum())) - np.repeat(starts, lengths)).astype(np.int8)
    return (first - dt.date(1970, 1, 1)).days, (year, month, day)


def _parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 0-11, day of month 0-30) of each day number."""
    days = days.astype(np.int64)
    if days.size == 0:
        return days, days, days
    first, (year, month, day) = _calendar()
    at = days - first
    if at.min() < 0 or at.max() >= year.size:
        return _convert(days)
    return year[at], month[at], day[at]  # int16 and int8: sums with whole years stay far inside their range


def _first_of_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Day number of the first day of (year, month 0-11)."""
    if year.size == 0:
        return year
    lo, hi = int(year.min()), int(year.max())
    months = (np.arange(lo, hi + 1) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    table = (months[:, None] + np.arange(12)).astype("datetime64[D]").astype(np.int64)
    return table[year - lo, month]


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """``days`` plus ``months`` calendar months, clamped to the target month's last day (docs/ruleset.md Decision
    16: 31 January + 1 month = 28 or 29 February). A series counts every step from its start, so a clamp never
    drifts (31 January + 2 months = 31 March). The care plan's dates and the cohort's plan columns use it."""
    return MonthDays.of(days).plus(months)


@dataclass(frozen=True)
class MonthDays:
    """Day numbers split once into (months since year 0, day of month 0-30): several month or year steps from the
    same days (a trial's age and onset bounds) then cost a table look-up each, not a calendar split each."""

    total: np.ndarray
    day: np.ndarray

    @classmethod
    def of(cls, days: np.ndarray) -> MonthDays:
        year, month, day = (p.astype(np.int64) for p in _parts(np.asarray(days)))
        return cls(year * 12 + month, day)

    def plus(self, months: np.ndarray | int) -> np.ndarray:
        """``add_months`` of the split days."""
        total = self.total + np.asarray(months, dtype=np.int64)
        span, starts = _month_starts()
        at = total - span
        if total.size and (at.min() < 0 or at.max() + 1 >= starts.size):
            first = _first_of_month(total // 12, total % 12)
            following = _first_of_month((total + 1) // 12, (total + 1) % 12)
        else:
            first, following = starts[at], starts[at + 1]
        return first + np.minimum(self.day, following - first - 1)


@cache
def _month_starts() -> tuple[int, np.ndarray]:
    """(months since year 0 of CALENDAR_SPAN's first month, the day number of the first day of every month of
    CALENDAR_SPAN and the month after it)."""
    first, end = CALENDAR_SPAN
    years = np.arange(first.year, end.year + 1)
    months = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    starts = (months[:, None] + np.arange(12)).astype("datetime64[D]").astype(np.int64).ravel()
    return first.year * 12, starts


def months_to_reach(start: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The fewest calendar months m >= 0 with ``add_months(start, m) >= target`` (per element): with k the months
    between the two dates' months, ``add_months(start, k)`` falls in ``target``'s month, so step k or k + 1 reaches
    it."""
    sy, sm, _ = _parts(np.asarray(start))
    ty, tm, _ = _parts(np.asarray(target))
    apart = (ty.astype(np.int64) - sy) * 12 + (tm.astype(np.int64) - sm)
    return np.maximum(apart + (add_months(start, apart) < target), 0)


def _leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _anniversary(parts: tuple[np.ndarray, np.ndarray, np.ndarray], years: np.ndarray | int) -> np.ndarray:
    year, month, day = parts
    target = year + years
    day = np.where((month == 1) & (day == 28) & ~_leap(target), 27, day)
    return _first_of_month(target, month) + day


def anniversary(days: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """The same calendar day ``years`` later (day numbers); 29 February -> 28 February in a common year."""
    if isinstance(years, int) and days.size:
        first, table = _anniversaries(years)
        at = days.astype(np.int64) - first
        if at.min() >= 0 and at.max() < table.size:
            return table[at]
    if not isinstance(years, int):  # a count per row: 12 calendar months a year, from add_months' month table
        return add_months(days, 12 * np.asarray(years, dtype=np.int64))
    return _anniversary(_parts(days), years)


@cache
def _anniversaries(years: int) -> tuple[int, np.ndarray]:
    """The anniversary ``years`` later of every day in ``CALENDAR_SPAN``."""
    first, parts = _calendar()
    return first, _anniversary(tuple(p.astype(np.int64) for p in parts), years)  # type: ignore[arg-type]


def calendar_age(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Exact age in years at ``on``: completed years plus the elapsed fraction of the current year of age."""
    b = _parts(birth)
    oy, om, od = _parts(on)
    by, bm, bd = b
    years = oy - by - ((om < bm) | ((om == bm) & (od < bd))).astype(np.int64)
    last, following = _anniversary(b, years), _anniversary(b, years + 1)
    return years + (on.astype(np.int64) - last) / (following - last)


def julian_age(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age in years of 365.25 days at ``on`` (float day numbers or ordinals, NaN propagates)."""
    return (on - birth) / JULIAN_YEAR_DAYS
