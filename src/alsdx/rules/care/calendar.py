"""Calendar months on columns of day numbers (docs/ruleset.md Decision 16).

A calendar step ("every 3 months") adds calendar months and clamps to the month's last day (31 Jan + 1 month =
28 Feb, or 29 Feb in a leap year). Every step of a series is counted from its start date, never from the
previous step, so a clamp never drifts: 31 Jan + 1 month = 28 Feb but 31 Jan + 2 months = 31 Mar.
The care plan's dates (``alsdx.care.dates``) and the cohort's plan columns both use this one definition.

Day numbers are days since 1970-01-01 (Arrow's ``date32``, numpy's ``datetime64[D]``).
"""

from __future__ import annotations

import numpy as np

PLAN_HORIZON_MONTHS = 12
"""Schedules list what falls within 12 calendar months after the assessment date: a year of clinic
follow-up, long enough to hold the riluzole month-12 check and 13 edaravone or tofersen cycles."""


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """``days`` plus ``months`` calendar months, clamped to the target month's last day (int64 day numbers)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    target = month + np.asarray(months, dtype=np.int64)
    day_of_month = d - month.astype("datetime64[D]")
    last = (target + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last).astype(np.int64)


def months_to_reach(start: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The fewest calendar months m >= 0 with ``add_months(start, m) >= target`` (per element).

    ``add_months(start, k)`` falls in the k-th month after ``start``'s month, so with k = the months between the
    two dates' months, the step k reaches ``target`` or the step k + 1 does."""
    start = np.asarray(start, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    months_apart = (
        target.astype("datetime64[D]").astype("datetime64[M]") - start.astype("datetime64[D]").astype("datetime64[M]")
    ).astype(np.int64)
    return np.maximum(months_apart + (add_months(start, months_apart) < target), 0)
