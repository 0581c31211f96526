"""The care kernels over a batch, for the cohort's plan columns: riluzole alerts and the next ALT check,
the current edaravone cycle, FVC recency.

The same kernels and rules the dated plan (``alsdx.care``) reads, composed once for columns: from the riluzole
course, the on-riluzole and baseline ALT and ANC (``alsdx.columns.arrow_care``), the edaravone anchor and the latest
FVC date. Day numbers are days since 1970-01-01.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.dates import add_months
from alsdx.rules.care.edaravone import cycle_at
from alsdx.rules.care.fvc_recency import fvc_recency_kernel
from alsdx.rules.care.horizon import PLAN_HORIZON_MONTHS
from alsdx.rules.care.riluzole import first_unmet_check, next_alt_due, riluzole_kernel


def plan_columns_kernel(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Riluzole alert columns (``riluzole_kernel``) with the inputs that set their order in the plan (``riluzole_listed``,
    ``riluzole_current``, ``alt_on``), ``riluzole_next_alt_due`` (day; valid where
    ``riluzole_next_alt_due_valid``), ``edaravone_cycle`` (valid where ``edaravone_current``) and ``fvc_due``."""
    assessment = cols["assessment_day"]
    listed = cols["riluzole_listed"]
    n = len(assessment)
    on = np.flatnonzero(listed)  # the calendar rules run on the rows with a riluzole entry only
    start, today, latest_on, any_alt = (
        cols["riluzole_start"][on],
        assessment[on],
        cols["alt_on_day"][on],
        cols["any_alt"][on],
    )
    unmet, _, unmet_day = first_unmet_check(start, today, latest_on, any_alt)
    days_since = np.full(n, np.nan)
    days_since[on] = np.where(unmet, (today - unmet_day).astype(float), np.nan)
    fired = riluzole_kernel({**cols, "days_since_unmet_check": days_since})
    due = np.zeros(n, dtype=np.int64)
    due[on] = next_alt_due(start, today, latest_on, any_alt, fired["riluzole_alt_above_uln"][on])
    in_horizon = np.zeros(n, dtype=bool)
    in_horizon[on] = (due[on] >= today) & (due[on] <= add_months(today, PLAN_HORIZON_MONTHS))
    current_edaravone = cols["edaravone_current"]
    anchor = np.where(current_edaravone, cols["edaravone_anchor"], assessment)
    return {
        **fired,
        "riluzole_listed": listed,
        "riluzole_current": cols["riluzole_current"],
        "alt_on": cols["alt_on"],
        "riluzole_next_alt_due": due,
        "riluzole_next_alt_due_valid": cols["riluzole_current"] & in_horizon,
        "edaravone_cycle": cycle_at(anchor, assessment),
        "edaravone_current": current_edaravone,
        **fvc_recency_kernel(cols),
    }
