"""The trial screening kernel as first written (one (n, c) array per step), kept as the specification the
faster per-criterion kernel (``alsdx.rules.trials.screen``) is compared to in test_trials_kernel_reference.py."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.dates import add_months, anniversary
from alsdx.rules.trials import (
    _ALWAYS,
    _NEVER,
    FAIL,
    MANUAL,
    NO_DAY,
    NOT_TIME,
    PASS,
    TIME_FACTS,
    UNKNOWN,
    CriteriaArrays,
    _riluzole_bounds,
)


def reference_screen(cols: Mapping[str, np.ndarray], crit: CriteriaArrays) -> dict[str, np.ndarray]:
    """Result per case and criterion, status per case, and the window (day numbers, ``NO_DAY`` for none)."""
    day = cols["assessment_day"].astype(np.int64)[:, None]
    n, c = day.shape[0], crit.fact.size
    facts = cols["facts"]
    value = facts[:, np.maximum(crit.fact, 0)] if c else np.zeros((n, 0))
    known = ~np.isnan(value)
    uses_in = ~np.isnan(crit.members).all(axis=1)
    member = (value[:, :, None] == crit.members[None]).any(axis=2)
    holds = np.where(uses_in, member, (value >= crit.lo) & (value <= crit.hi))

    first, last, timed_known = _time_bounds(cols, crit, day)
    timed = crit.time_fact != NOT_TIME
    holds = np.where(timed, (day >= first) & (day <= last), holds)
    known = np.where(timed, timed_known, known) & ~crit.manual
    passes = holds ^ crit.exclusion
    result = np.where(crit.manual, MANUAL, np.where(~known, UNKNOWN, np.where(passes, PASS, FAIL))).astype(np.int8)

    # Each criterion's passing stretch that contains today (passing) or starts next (failing): [start, end].
    inclusion = ~crit.exclusion
    before_first = day < first
    start = np.where(
        result == PASS,
        day,
        np.where(inclusion, np.where(before_first & (first <= last), first, _NEVER), _after(last)),
    )
    end = np.where(inclusion, last, np.where(before_first & (first < _NEVER), first - 1, _NEVER))  # never holds
    end = np.where(timed & known, end, _NEVER)
    start = np.where(timed & known | (result == PASS), start, _NEVER)
    counted = (result == PASS) | (result == FAIL)
    window_end = np.where(counted, end, _NEVER).min(axis=1, initial=_NEVER)
    window_start = np.where(counted, start, _ALWAYS).max(axis=1, initial=_ALWAYS)

    failing = (result == FAIL).any(axis=1)
    unknown = (result == UNKNOWN).any(axis=1)
    status = np.where(failing, 2, np.where(unknown, 1, 0)).astype(np.int8)
    until = np.where(~failing & (window_end < _NEVER), window_end, NO_DAY)
    opens = failing & (window_start < _NEVER) & (window_start <= window_end)
    return {
        "result": result,
        "status": status,
        "eligible_until": until,
        "eligible_from": np.where(opens, window_start, NO_DAY),
    }


def _after(last: np.ndarray) -> np.ndarray:
    return np.where(last >= _NEVER, _NEVER, last + 1)


def _time_bounds(
    cols: Mapping[str, np.ndarray], crit: CriteriaArrays, day: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first day the condition holds, last day it holds, anchor known) per case and time criterion; unbounded
    sides are ``_ALWAYS``/``_NEVER``."""
    n, c = day.shape[0], crit.fact.size
    first = np.full((n, c), _ALWAYS, dtype=np.int64)
    last = np.full((n, c), _NEVER, dtype=np.int64)
    known = np.ones((n, c), dtype=bool)
    for j in np.flatnonzero(crit.time_fact != NOT_TIME):
        lo, hi, which = crit.lo[j], crit.hi[j], TIME_FACTS[int(crit.time_fact[j])]
        if which == "riluzole_days":
            f, l_, k = _riluzole_bounds(cols["riluzole_start_day"].astype(np.int64), lo, hi)
        elif which == "age_years":
            f, l_, k = _age_bounds(cols["age_anchor_day"].astype(np.int64), cols["age_offset"], lo, hi)
        else:
            anchor = cols["onset_day" if which == "months_since_onset" else "diagnosis_day"].astype(np.int64)
            f, l_, k = _month_bounds(anchor, lo, hi)
        first[:, j], last[:, j], known[:, j] = f, l_, k
    return first, last, known


def _month_bounds(anchor: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The month bounds as first written: ``add_months`` from the anchor on every call."""
    known = anchor != NO_DAY
    safe = np.where(known, anchor, 0)
    first = add_months(safe, int(lo)) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = add_months(safe, int(hi)) if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
    return first, last, known


def _age_bounds(
    anchor: np.ndarray, offset: np.ndarray, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The age bounds as first written: ``anniversary`` (the calendar's own 29 February rule) on every call."""
    known = (anchor != NO_DAY) & ~np.isnan(offset)
    safe = np.where(known, anchor, 0)
    off = np.where(known, offset, 0).astype(np.int64)
    first = anniversary(safe, int(lo) - off) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = anniversary(safe, int(hi) + 1 - off) - 1 if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
    return first, last, known
