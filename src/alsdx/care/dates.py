"""Calendar dates for dated care plans: the one calendar-month rule (``alsdx.columns.dates.add_months``, docs/ruleset.md
Decision 16) applied to single dates, and the plan horizon."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from alsdx.columns import dates
from alsdx.rules.care.horizon import PLAN_HORIZON_MONTHS

_EPOCH = date(1970, 1, 1)


def day_number(when: date) -> int:
    """Days since 1970-01-01 (the day numbers of the columns and kernels)."""
    return (when - _EPOCH).days


def from_day_number(day: int) -> date:
    return _EPOCH + timedelta(days=int(day))


@lru_cache(maxsize=4096)  # a plan steps from a few start dates; one numpy call per new step
def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day (Decision 16)."""
    return from_day_number(int(dates.add_months(np.array([day_number(start)]), months)[0]))


def horizon_end(assessment_date: date) -> date:
    """Last day (inclusive) a plan schedules anything for."""
    return add_months(assessment_date, PLAN_HORIZON_MONTHS)
