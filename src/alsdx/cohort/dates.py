"""Calendar arithmetic on columns of day numbers, as ``model.mimic_columns`` does it on dates: ordinals,
anniversaries (29 February -> 28 February in a common year) and exact calendar age."""

from __future__ import annotations

import datetime as dt

import numpy as np

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
"""``date.toordinal()`` of day 0 of Arrow's date32."""


def ordinal(days: np.ndarray) -> np.ndarray:
    """Arrow day numbers (days since 1970-01-01) -> ``date.toordinal()`` values."""
    return days.astype(np.int64) + EPOCH_ORDINAL


def _parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 0-11, day of month 0-30)."""
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]")
    month = d.astype("datetime64[M]")
    return (
        year.astype(np.int64) + 1970,
        (month - year.astype("datetime64[M]")).astype(np.int64),
        (d - month.astype("datetime64[D]")).astype(np.int64),
    )


def _leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def anniversary(days: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """The same calendar day ``years`` later (day numbers); 29 February -> 28 February in a common year."""
    year, month, day = _parts(days)
    target = year + years
    day = np.where((month == 1) & (day == 28) & ~_leap(target), 27, day)
    first_of_month = (target - 1970).astype("datetime64[Y]").astype("datetime64[M]") + month
    return (first_of_month.astype("datetime64[D]") + day).astype(np.int64)


def calendar_age(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Exact age in years at ``on``: completed years plus the elapsed fraction of the current year of age."""
    by, bm, bd = _parts(birth)
    oy, om, od = _parts(on)
    years = oy - by - ((om < bm) | ((om == bm) & (od < bd))).astype(np.int64)
    last, following = anniversary(birth, years), anniversary(birth, years + 1)
    return years + (on.astype(np.int64) - last) / (following - last)
