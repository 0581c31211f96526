"""Trial eligibility screening as a column kernel (issue 19's contract; docs/trials.md).

Input: one row per case. ``facts`` (n, F) holds every fact's value at the assessment date as a float (NaN = no
value; a category as its index in the fact's value list, a boolean as 0/1); the time facts also need their
anchors (``onset_day``, ``diagnosis_day``, ``age_anchor_day`` with ``age_offset``, ``riluzole_start_day``) and
``assessment_day``, as day numbers (``NO_DAY`` = unknown / not taking). The trial's criteria arrive as
``CriteriaArrays`` (one entry per criterion).

Per criterion the condition holds when the value satisfies ``min``/``max`` (inclusive) or ``in``; an inclusion
passes when it holds and fails when not, an exclusion the other way round; no value = unknown; manual = manual.
Time facts are compared by dates (docs/ruleset.md Decision 16, ``columns.dates``): ``months_since_onset <= N``
holds up to and including ``add_months(onset, N)``, ``>= N`` from that date; ``age_years`` changes on birthdays
(29 February -> 28 February in a common year); ``riluzole_days`` counts days from the current course's start.

Status: not_eligible if any criterion fails, else undetermined if any is unknown, else eligible. Window: when
nothing fails, ``eligible_until`` is the earliest last day on which a passing time criterion still passes
(``NO_DAY`` when none ends); when every failure is a time criterion that passes later, ``eligible_from`` is the
first day they all pass (``NO_DAY`` otherwise, or when a passing criterion stops before that day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from alsdx.columns.dates import add_months, anniversary

PASS: Final = 0
FAIL: Final = 1
UNKNOWN: Final = 2
MANUAL: Final = 3
RESULTS: Final = ("pass", "fail", "unknown", "manual")
STATUSES: Final = ("eligible", "undetermined", "not_eligible")

TIME_FACTS: Final = ("months_since_onset", "months_since_diagnosis", "age_years", "riluzole_days")
"""Facts that change with the calendar; their index here is ``CriteriaArrays.time_fact``."""
NOT_TIME: Final = -1

NO_DAY: Final = np.iinfo(np.int64).min
"""A day number meaning "no date" (unknown anchor, not taking riluzole, no window)."""
_NEVER: Final = np.iinfo(np.int64).max // 4
_ALWAYS: Final = -_NEVER


@dataclass(frozen=True)
class CriteriaArrays:
    """A trial's criteria as arrays over criteria (c,), built once per trial file (``alsdx.trials.screen``)."""

    fact: np.ndarray
    """int: column of ``facts`` (-1 for a manual criterion)."""
    time_fact: np.ndarray
    """int: index in ``TIME_FACTS`` or ``NOT_TIME``."""
    lo: np.ndarray
    """float: ``min`` (-inf when absent)."""
    hi: np.ndarray
    """float: ``max`` (+inf when absent)."""
    members: np.ndarray
    """float (c, K): the ``in``/``equals`` values as fact codes, NaN-padded; all NaN when the criterion has none."""
    exclusion: np.ndarray
    manual: np.ndarray


def screen(cols: Mapping[str, np.ndarray], crit: CriteriaArrays) -> dict[str, np.ndarray]:
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
    """``>= lo`` months from ``add_months(anchor, lo)``; ``<= hi`` months up to and including ``add_months(anchor,
    hi)`` (Decision 16, month ends clamped)."""
    known = anchor != NO_DAY
    safe = np.where(known, anchor, 0)
    first = add_months(safe, int(lo)) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = add_months(safe, int(hi)) if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
    return first, last, known


def _age_bounds(
    anchor: np.ndarray, offset: np.ndarray, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age = ``offset`` + completed years since ``anchor`` (birth with offset 0, or onset with the whole years of
    age at onset): ``>= lo`` from the (lo - offset)-th anniversary, ``<= hi`` until the day before the
    (hi + 1 - offset)-th."""
    known = (anchor != NO_DAY) & ~np.isnan(offset)
    safe = np.where(known, anchor, 0)
    off = np.where(known, offset, 0).astype(np.int64)
    first = anniversary(safe, int(lo) - off) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = anniversary(safe, int(hi) + 1 - off) - 1 if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
    return first, last, known


def _riluzole_bounds(start: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days on riluzole: ``start + lo`` to ``start + hi`` for a current course; 0 days (for good) otherwise."""
    taking = start != NO_DAY
    zero_holds = lo <= 0 <= hi
    start = np.where(taking, start, 0)
    from_start = start + int(lo) if np.isfinite(lo) else np.full(start.shape, _ALWAYS)
    to_end = start + int(hi) if np.isfinite(hi) else np.full(start.shape, _NEVER)
    first = np.where(taking, from_start, _ALWAYS if zero_holds else _NEVER)
    last = np.where(taking, to_end, _NEVER if zero_holds else _ALWAYS)
    return first.astype(np.int64), last.astype(np.int64), np.ones(start.shape, dtype=bool)
