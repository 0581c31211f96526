"""The trial facts' definitions over arrays (issue 19; docs/trials.md "Facts"), in the one place both front ends
call: ``alsdx.trials.facts`` (cases with their assessments) and ``alsdx.columns.arrow_trials`` (flat cohort
batches with the pipeline's outputs). Each front end only gathers its inputs; what a fact means is written here,
so the two cannot drift. Day numbers are days since 1970-01-01 (int64), ``NO_DAY`` where there is no date; a
fact without a value is NaN (never a default).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.dates import add_months, anniversary, months_to_reach
from alsdx.rules.trials import NO_DAY

EDARAVONE: tuple[str, ...] = ("edaravone_iv", "edaravone_oral")
"""The medication names the ``edaravone`` fact counts (IV or oral)."""


def age_anchor(birth_day: np.ndarray, onset_day: np.ndarray, age_at_onset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``age_years`` counts whole years from an anchor plus an offset: the birth date (offset 0), else the symptom
    onset with the whole years of ``age_at_onset``; (``NO_DAY``, NaN) without either."""
    born = birth_day != NO_DAY
    given = ~np.isnan(age_at_onset)
    anchor = np.where(born, birth_day, np.where(given, onset_day, NO_DAY)).astype(np.int64)
    offset = np.where(born, 0.0, np.where(given, np.trunc(np.nan_to_num(age_at_onset)), np.nan))
    return anchor, offset


def current_start(n: int, rows: np.ndarray, start: np.ndarray, stop: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Per row, the start of the latest current course among the given medication entries (``rows``: the row of
    each entry): started on or before the row's assessment day and not stopped on or before it (``stop`` =
    ``NO_DAY``: not stopped). ``NO_DAY`` when the row has none."""
    at = day[rows]
    current = (start <= at) & ((stop == NO_DAY) | (stop > at))
    out = np.full(n, NO_DAY, dtype=np.int64)
    np.maximum.at(out, rows[current], start[current].astype(np.int64))
    return out


def ventilation(item12: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(``niv``, ``invasive_ventilation``) from the latest visit's item 12 (respiratory insufficiency; NaN = no
    visit): NIV is 1 to 3, invasive ventilation 0."""
    known = ~np.isnan(item12)
    niv = np.where(known, (item12 >= 1) & (item12 <= 3), np.nan)
    return niv, np.where(known, item12 == 0, np.nan)


def genetic_facts(
    family_history: np.ndarray,
    listed: np.ndarray,
    dominant: np.ndarray,
    sod1: np.ndarray,
    c9_variant: np.ndarray,
    c9_tested: np.ndarray,
    c9_expansion: np.ndarray,
) -> dict[str, np.ndarray]:
    """``sod1_pathogenic``, ``c9orf72_expansion`` and ``familial`` from per-row booleans: ``listed`` (the case lists
    variants), P/LP variants in a dominant ALS gene / SOD1 / C9orf72, and ``c9orf72_repeat_expansion`` (tested,
    and its value). An empty variant list leaves the variant facts unknown (the case format cannot tell "tested,
    nothing found" from "not tested"); ``familial`` is false without family history (Decision 11)."""
    c9 = np.where(c9_tested, c9_expansion | c9_variant, np.where(listed, c9_variant, np.nan))
    familial = np.where(
        ~family_history,
        0.0,
        np.where(dominant | (c9 == 1), 1.0, np.where(~listed & ~c9_tested, np.nan, 0.0)),
    )
    return {
        "sod1_pathogenic": np.where(listed, sod1, np.nan),
        "c9orf72_expansion": c9,
        "familial": familial,
    }


def time_values(cols: Mapping[str, np.ndarray], facts: np.ndarray, at: Mapping[str, int]) -> None:
    """The time facts' values at the assessment date, written into ``facts`` (shown beside a criterion; the
    kernel compares dates): completed calendar months (Decision 16), completed years, days on riluzole."""
    day = cols["assessment_day"]
    for name, anchor in (("months_since_onset", "onset_day"), ("months_since_diagnosis", "diagnosis_day")):
        known = cols[anchor] != NO_DAY
        start = np.where(known, cols[anchor], day)
        months = months_to_reach(start, day)
        completed = months - (add_months(start, months) > day)
        facts[:, at[name]] = np.where(known, completed, np.nan)
    known = (cols["age_anchor_day"] != NO_DAY) & ~np.isnan(cols["age_offset"])
    age_anchor_day = np.where(known, cols["age_anchor_day"], day)
    span = (day - age_anchor_day) // 366  # never above the completed years; two steps reach them (ages <= 110)
    years = span + (anniversary(age_anchor_day, span + 1) <= day)
    years = years + (anniversary(age_anchor_day, years + 1) <= day)
    facts[:, at["age_years"]] = np.where(known, years + np.nan_to_num(cols["age_offset"]), np.nan)
    taking = cols["riluzole_start_day"] != NO_DAY
    facts[:, at["riluzole_days"]] = np.where(taking, day - np.where(taking, cols["riluzole_start_day"], day), 0)
