"""A case's trial facts at its assessment date (issue 19's contract; docs/trials.md "Facts"), as the columns the
screening kernel (``alsdx.rules.trials``) reads: one row per case.

Every value comes from the case file or from its ``Assessment`` (categories, ALSFRS-R summary, staging, mimics,
Decision 14's pending work-up): nothing is recomputed here that the engine already decided. A fact whose inputs
are absent has no value (NaN): never a default. In particular an empty ``genetics.variants`` list leaves the
genetic facts unknown (the case format cannot say "tested, nothing found" apart from "not tested").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from alsdx.columns.dates import add_months, anniversary, day_numbers, months_to_reach
from alsdx.engine.results import Assessment
from alsdx.model.case import AlsfrsVisit, Case
from alsdx.model.vocab import DOMINANT_ALS_GENES, PATHOGENIC_CLASSES
from alsdx.rules.trials import NO_DAY
from alsdx.trials.facts_catalog import FACT_NAMES, FACTS

EDARAVONE: tuple[str, ...] = ("edaravone_iv", "edaravone_oral")


def fact_columns(cases: Sequence[Case], assessments: Sequence[Assessment]) -> dict[str, np.ndarray]:
    """Cases with their assessments -> the kernel's columns: ``facts`` (n, F) in ``FACT_NAMES`` order (NaN = no
    value; categories as their index, booleans 0/1) and the time facts' anchors as day numbers."""
    n = len(cases)
    facts = np.full((n, len(FACT_NAMES)), np.nan)
    at = {name: j for j, name in enumerate(FACT_NAMES)}
    for i, (case, assessment) in enumerate(zip(cases, assessments, strict=True)):
        for name, value in _values(case, assessment).items():
            facts[i, at[name]] = _code(name, value)
    assessment_day = day_numbers([c.assessment_date for c in cases])
    onset_day = day_numbers([c.symptom_onset for c in cases])
    diagnosis_day = _days([c.diagnosis_date for c in cases])
    age_anchor = _days(
        [c.birth_date if c.birth_date else (c.symptom_onset if c.age_at_onset is not None else None) for c in cases]
    )
    age_offset = np.array(
        [0.0 if c.birth_date else (float(int(c.age_at_onset)) if c.age_at_onset is not None else np.nan) for c in cases]
    )
    riluzole_start = _days([_current_start(c, "riluzole") for c in cases])
    cols = {
        "facts": facts,
        "assessment_day": assessment_day,
        "onset_day": onset_day,
        "diagnosis_day": diagnosis_day,
        "age_anchor_day": age_anchor,
        "age_offset": age_offset,
        "riluzole_start_day": riluzole_start,
    }
    _time_values(cols, at)
    return cols


def _days(dates: Sequence[dt.date | None]) -> np.ndarray:
    known = [d for d in dates if d is not None]
    out = np.full(len(dates), NO_DAY, dtype=np.int64)
    out[[i for i, d in enumerate(dates) if d is not None]] = day_numbers(known)
    return out


def _time_values(cols: dict[str, np.ndarray], at: dict[str, int]) -> None:
    """The time facts' values at the assessment date (shown beside a criterion; the kernel compares dates)."""
    day, facts = cols["assessment_day"], cols["facts"]
    for name, anchor in (("months_since_onset", "onset_day"), ("months_since_diagnosis", "diagnosis_day")):
        known = cols[anchor] != NO_DAY
        start = np.where(known, cols[anchor], day)
        months = months_to_reach(start, day)
        completed = months - (add_months(start, months) > day)
        facts[:, at[name]] = np.where(known, completed, np.nan)
    known = (cols["age_anchor_day"] != NO_DAY) & ~np.isnan(cols["age_offset"])
    age_anchor = np.where(known, cols["age_anchor_day"], day)
    span = (day - age_anchor) // 366  # never above the completed years; two steps reach them (ages <= 110)
    years = span + (anniversary(age_anchor, span + 1) <= day)
    years = years + (anniversary(age_anchor, years + 1) <= day)
    facts[:, at["age_years"]] = np.where(known, years + np.nan_to_num(cols["age_offset"]), np.nan)
    taking = cols["riluzole_start_day"] != NO_DAY
    facts[:, at["riluzole_days"]] = np.where(taking, day - np.where(taking, cols["riluzole_start_day"], day), 0)


def _code(name: str, value: Any) -> float:
    if value is None:
        return np.nan
    fact = FACTS[name]
    if fact.kind == "category":
        return float(fact.values.index(value)) if value in fact.values else np.nan
    return float(value)


def _latest_visit(case: Case) -> AlsfrsVisit | None:
    """The latest ALSFRS-R visit (the later-listed of equal dates)."""
    best: AlsfrsVisit | None = None
    for visit in case.alsfrs_r:
        if best is None or visit.date >= best.date:
            best = visit
    return best


def _latest_percent(entries: Sequence[Any]) -> float | None:
    best = None
    for entry in entries:
        if best is None or entry.date >= best.date:
            best = entry
    return None if best is None else float(best.percent_predicted)


def _current_start(case: Case, *names: str) -> dt.date | None:
    """Start of the current course of a medication (started on or before, not stopped by, the assessment date)."""
    starts = [
        m.start_date
        for m in case.medications
        if m.name in names
        and m.start_date <= case.assessment_date
        and (m.stop_date is None or m.stop_date > case.assessment_date)
    ]
    return max(starts, default=None)


def _pathogenic(case: Case, gene: str) -> bool | None:
    variants = case.genetics.variants
    if not variants:
        return None
    return any(v.gene.upper() == gene.upper() and v.classification in PATHOGENIC_CLASSES for v in variants)


def _familial(case: Case) -> bool | None:
    """Decision 11's condition without the clinical signs: family history and a P/LP variant in an established
    autosomal-dominant ALS gene."""
    if not case.family_history_als:
        return False
    dominant = {g.upper() for g in DOMINANT_ALS_GENES}
    if any(g.upper() in dominant for g in case.genetics.pathogenic_genes()) or _c9orf72(case):
        return True
    if not case.genetics.variants and case.genetics.c9orf72_repeat_expansion is None:
        return None
    return False


def _c9orf72(case: Case) -> bool | None:
    """``genetics.c9orf72_repeat_expansion`` when tested; otherwise a P/LP C9orf72 variant among listed variants."""
    if case.genetics.c9orf72_repeat_expansion is not None:
        return case.genetics.c9orf72_repeat_expansion or bool(_pathogenic(case, "C9orf72"))
    return _pathogenic(case, "C9orf72")


def _values(case: Case, assessment: Assessment) -> dict[str, Any]:
    """The non-time facts of one case (None = no value)."""
    criteria = assessment.criteria
    values: dict[str, Any] = {
        name: getattr(criteria, name).category
        for name in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
    }
    values["pls"] = assessment.pls.category
    values["sex"] = case.sex if case.sex != "unknown" else None
    course = assessment.course
    summary = course.alsfrs_r
    if summary is not None:
        values["alsfrs_r_total"] = summary.total
        for part in ("bulbar", "fine_motor", "gross_motor", "respiratory"):
            values[f"alsfrs_r_{part}"] = getattr(summary.subscores, part)
        values["delta_fs"] = summary.delta_fs
        values["alsfrs_r_slope_per_month"] = summary.slope_per_month
    visit = _latest_visit(case)
    if visit is not None:
        for item, score in visit.items.model_dump().items():
            values[f"alsfrs_r_{item}"] = score
        values["gastrostomy"] = visit.gastrostomy
        item12 = visit.items.respiratory_insufficiency
        if item12 is not None:
            values["niv"] = 1 <= item12 <= 3
            values["invasive_ventilation"] = item12 == 0
    values["fvc_upright_percent"] = _latest_percent([m for m in case.fvc if m.position == "upright"])
    values["svc_percent"] = _latest_percent(case.svc)
    values["kings_stage"] = course.kings_stage
    values["mitos_stage"] = course.mitos_stage
    values["edaravone"] = _current_start(case, *EDARAVONE) is not None
    values["tofersen"] = _current_start(case, "tofersen") is not None
    values["familial"] = _familial(case)
    values["sod1_pathogenic"] = _pathogenic(case, "SOD1")
    values["c9orf72_expansion"] = _c9orf72(case)
    values["mimic_likely"] = any(m.level == "likely" for m in assessment.mimics)
    values["exclusion_pending"] = "exclusion_pending" in criteria.revised_el_escorial.flags
    return values
