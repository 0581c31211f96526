"""Months for rates: days / (365.25 / 12) (clinical-spec Decision 16, the convention of the ENCALS/TRICALS
R code), so ΔFS, ALSFRS-R and FVC slopes and the ENCALS time axis all use one month length."""

from __future__ import annotations

import numpy as np

DAYS_PER_MONTH = 365.25 / 12


def months_between(start_day: np.ndarray, end_day: np.ndarray) -> np.ndarray:
    """(end - start) in months; day numbers are proleptic ordinals (``date.toordinal()``), NaN = unknown."""
    return (np.asarray(end_day, dtype=float) - np.asarray(start_day, dtype=float)) / DAYS_PER_MONTH
