"""Months for rates: days / (365.25 / 12) (docs/ruleset.md Decision 16, the convention of the ENCALS/TRICALS
R code), so ΔFS, ALSFRS-R and FVC slopes and the ENCALS time axis all use one month length."""

from __future__ import annotations

import numpy as np

DAYS_PER_MONTH = 365.25 / 12
MAX_PROJECTION_MONTHS = 1200.0
"""Longest time a projection or prediction is reported for (100 years): beyond it no clinical meaning is left,
and the date would leave the calendar (a hypothesis test found an ENCALS median in the year 14850)."""


def months_between(start_day: np.ndarray, end_day: np.ndarray) -> np.ndarray:
    """(end - start) in months; day numbers are proleptic ordinals (``date.toordinal()``), NaN = unknown."""
    return (np.asarray(end_day, dtype=float) - np.asarray(start_day, dtype=float)) / DAYS_PER_MONTH
