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
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from alsdx.columns.dates import MonthDays

PASS: Final = 0
FAIL: Final = 1
UNKNOWN: Final = 2
MANUAL: Final = 3
RESULTS: Final = ("pass", "fail", "unknown", "manual")
STATUSES: Final = ("eligible", "undetermined", "not_eligible")
ELIGIBLE, UNDETERMINED, NOT_ELIGIBLE = range(3)

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

    def __post_init__(self) -> None:
        for array in (self.fact, self.time_fact, self.lo, self.hi, self.members, self.exclusion, self.manual):
            array.flags.writeable = False  # built once per trial and shared by every screening (trials.screen)


@dataclass
class Bounds:
    """What the trials screened on one set of columns share: the time bounds by (time fact, min, max), the
    anchors' days split into months once (``columns.dates.MonthDays``) for the month and year steps, and where each
    fact has no value."""

    by_criterion: dict[tuple[int, float, float], tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )
    anchors: dict[str, MonthDays] = field(default_factory=dict)
    no_value: dict[int, np.ndarray] = field(default_factory=dict)

    def missing(self, facts: np.ndarray, fact: int) -> np.ndarray:
        """Where fact column ``fact`` has no value (NaN), computed once for the trials sharing the columns."""
        if fact not in self.no_value:
            self.no_value[fact] = np.isnan(facts[:, fact])
        return self.no_value[fact]

    def months(self, cols: Mapping[str, np.ndarray], name: str) -> MonthDays:
        """The anchor column ``name`` split into months (an unknown anchor read as day 0: its bounds are unused)."""
        if name not in self.anchors:
            days = np.asarray(cols[name], dtype=np.int64)
            self.anchors[name] = MonthDays.of(np.where(days == NO_DAY, 0, days))
        return self.anchors[name]


def screen(cols: Mapping[str, np.ndarray], crit: CriteriaArrays, bounds: Bounds | None = None) -> dict[str, np.ndarray]:
    """Result per case and criterion, status per case, and the window (day numbers, ``NO_DAY`` for none).

    One criterion at a time over contiguous columns (``facts`` is best column-major): the window needs only the
    time criteria, a failing criterion of any other kind rules a window out (it never passes later), and a
    passing one opens no later than the assessment day. ``bounds`` caches time bounds across calls on ``cols``."""
    day = np.asarray(cols["assessment_day"], dtype=np.int64)
    n, c = day.size, crit.fact.size
    shared = Bounds() if bounds is None else bounds
    facts = cols["facts"]
    result = np.full((c, n), MANUAL, dtype=np.int8)
    failing = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    other_fails = np.zeros(n, dtype=bool)
    window_end = np.full(n, _NEVER, dtype=np.int64)
    window_start = np.full(n, _ALWAYS, dtype=np.int64)
    for j in range(c):
        if crit.manual[j]:
            continue
        exclusion = bool(crit.exclusion[j])
        if crit.time_fact[j] == NOT_TIME:
            fact = int(crit.fact[j])
            value = facts[:, fact]
            members = crit.members[j][~np.isnan(crit.members[j])]
            lo, hi = crit.lo[j], crit.hi[j]
            if members.size:
                holds = value == members[0]
                for m in members[1:]:
                    holds |= value == m
            elif np.isfinite(lo) and np.isfinite(hi):
                holds = (value >= lo) & (value <= hi)
            else:  # one bound (NaN compares false: a missing value is set apart below)
                holds = value >= lo if np.isfinite(lo) else value <= hi
            missing = shared.missing(facts, fact)
            fails = (holds == exclusion) & ~missing
            code = fails.view(np.int8) | (missing.view(np.int8) << 1)  # PASS 0, FAIL 1, UNKNOWN 2
            other_fails |= fails
        else:
            first, last, known = _bounds(cols, crit, j, shared)
            passes = ((day >= first) & (day <= last)) != exclusion
            missing = ~known
            fails = ~passes & known
            code = fails.view(np.int8) | (missing.view(np.int8) << 1)
            # the passing stretch that contains today (passing) or starts next (failing): [start, end]
            before_first = day < first
            if exclusion:
                start = np.where(passes, day, _after(last))
                end = np.where(before_first & (first < _NEVER), first - 1, _NEVER)  # never holds: never ends
            else:
                start = np.where(passes, day, np.where(before_first & (first <= last), first, _NEVER))
                end = last
            window_end = np.where(known, np.minimum(window_end, end), window_end)
            window_start = np.where(known, np.maximum(window_start, start), window_start)
        result[j] = code
        failing |= fails
        unknown |= missing
    # a failing criterion other than a time one never passes later; a passing one passes from today, before any
    # time criterion's passing stretch starts (so it changes no window)
    window_start = np.where(other_fails, _NEVER, window_start)
    status = np.where(failing, NOT_ELIGIBLE, np.where(unknown, UNDETERMINED, ELIGIBLE)).astype(np.int8)
    until = np.where(~failing & (window_end < _NEVER), window_end, NO_DAY)
    opens = failing & (window_start < _NEVER) & (window_start <= window_end)
    return {
        "result": result.T,
        "status": status,
        "eligible_until": until,
        "eligible_from": np.where(opens, window_start, NO_DAY),
    }


def _after(last: np.ndarray) -> np.ndarray:
    return np.where(last >= _NEVER, _NEVER, last + 1)


def _bounds(
    cols: Mapping[str, np.ndarray], crit: CriteriaArrays, j: int, cache: Bounds
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first day the condition holds, last day it holds, anchor known) per case for time criterion ``j``;
    unbounded sides are ``_ALWAYS``/``_NEVER``."""
    lo, hi, which = float(crit.lo[j]), float(crit.hi[j]), int(crit.time_fact[j])
    key = (which, lo, hi)
    if key in cache.by_criterion:
        return cache.by_criterion[key]
    name = TIME_FACTS[which]
    if name == "riluzole_days":
        out = _riluzole_bounds(np.asarray(cols["riluzole_start_day"], dtype=np.int64), lo, hi)
    elif name == "age_years":
        anchor = np.asarray(cols["age_anchor_day"], dtype=np.int64)
        out = _age_bounds(anchor, cache.months(cols, "age_anchor_day"), cols["age_offset"], lo, hi)
    else:
        anchor_name = "onset_day" if name == "months_since_onset" else "diagnosis_day"
        anchor = np.asarray(cols[anchor_name], dtype=np.int64)
        out = _month_bounds(anchor, cache.months(cols, anchor_name), lo, hi)
    cache.by_criterion[key] = out
    return out


def _month_bounds(
    anchor: np.ndarray, months: MonthDays, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``>= lo`` months from ``add_months(anchor, lo)``; ``<= hi`` months up to and including ``add_months(anchor,
    hi)`` (Decision 16, month ends clamped). An unknown anchor (``NO_DAY``) gives dates nobody reads."""
    known = anchor != NO_DAY
    first = months.plus(int(lo)) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = months.plus(int(hi)) if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
    return first, last, known


def _age_bounds(
    anchor: np.ndarray, months: MonthDays, offset: np.ndarray, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age = ``offset`` + completed years since ``anchor`` (birth with offset 0, or onset with the whole years of
    age at onset): ``>= lo`` from the (lo - offset)-th anniversary, ``<= hi`` until the day before the
    (hi + 1 - offset)-th. The k-th anniversary is 12 k calendar months on (29 February -> 28 February in a
    common year, as ``columns.dates.anniversary``)."""
    known = (anchor != NO_DAY) & ~np.isnan(offset)
    off = np.where(known, offset, 0).astype(np.int64)
    first = months.plus(12 * (int(lo) - off)) if np.isfinite(lo) else np.full(anchor.shape, _ALWAYS)
    last = months.plus(12 * (int(hi) + 1 - off)) - 1 if np.isfinite(hi) else np.full(anchor.shape, _NEVER)
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
