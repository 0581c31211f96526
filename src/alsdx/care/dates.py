"""Calendar arithmetic for dated care plans.

docs/ruleset.md Decision 16: calendar steps ("every 3 months") add calendar months and clamp to the
month's last day (31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year). Every step of a series is
counted from its start date, never from the previous step, so a clamp never drifts: 31 Jan + 1 month
= 28 Feb but 31 Jan + 2 months = 31 Mar (not 28 Mar).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

PLAN_HORIZON_MONTHS = 12
"""Schedules list what falls within 12 calendar months after the assessment date: a year of clinic
follow-up, long enough to hold the riluzole month-12 check and 13 edaravone or tofersen cycles."""


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day (Decision 16)."""
    return start + _months(months)


@lru_cache(maxsize=256)
def _months(n: int) -> relativedelta:
    # relativedelta construction dominates the cost of a step; the month counts a plan uses are few.
    return relativedelta(months=n)


def horizon_end(assessment_date: date) -> date:
    """Last day (inclusive) a plan schedules anything for."""
    return add_months(assessment_date, PLAN_HORIZON_MONTHS)
