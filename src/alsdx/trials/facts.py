"""A case's trial facts at its assessment date (issue 19's contract; docs/trials.md "Facts"), as the columns the
screening kernel (``alsdx.rules.trials``) reads: one row per case.

Every value comes from the case file or from its ``Assessment`` (categories, ALSFRS-R summary, staging, mimics,
Decision 14's pending work-up): nothing is recomputed here that the engine already decided. A fact whose inputs
are absent has no value (NaN): never a default. The facts defined beyond a read (ages, current medication
courses, ventilation, genetics, the time facts) are defined in ``alsdx.trials.fact_rules``, which the cohort's
front end (``alsdx.columns.arrow_trials``) calls too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from alsdx.columns.dates import day_numbers
from alsdx.engine.results import Assessment
from alsdx.model.case import AlsfrsVisit, Case
from alsdx.model.vocab import DOMINANT_ALS_GENES, PATHOGENIC_CLASSES
from alsdx.rules.trials import NO_DAY
from alsdx.trials import fact_rules
from alsdx.trials.fact_rules import EDARAVONE
from alsdx.trials.facts_catalog import FACT_NAMES, FACTS


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
    age_anchor, age_offset = fact_rules.age_anchor(
        _days([c.birth_date for c in cases]),
        onset_day,
        np.array([np.nan if c.age_at_onset is None else float(c.age_at_onset) for c in cases]),
    )
    rows, names, start, stop = _medications(cases)
    started = {
        key: fact_rules.current_start(n, rows[names == key], start[names == key], stop[names == key], assessment_day)
        for key in ("riluzole", "edaravone", "tofersen")
    }
    facts[:, at["edaravone"]] = started["edaravone"] != NO_DAY
    facts[:, at["tofersen"]] = started["tofersen"] != NO_DAY
    item12 = np.array([_item12(c) for c in cases], dtype=float)
    facts[:, at["niv"]], facts[:, at["invasive_ventilation"]] = fact_rules.ventilation(item12)
    for name, values in fact_rules.genetic_facts(**_genetics(cases)).items():
        facts[:, at[name]] = values
    cols = {
        "facts": facts,
        "assessment_day": assessment_day,
        "onset_day": onset_day,
        "diagnosis_day": _days([c.diagnosis_date for c in cases]),
        "age_anchor_day": age_anchor,
        "age_offset": age_offset,
        "riluzole_start_day": started["riluzole"],
    }
    fact_rules.time_values(cols, facts, at)
    return cols


def _days(dates: Sequence[dt.date | None]) -> np.ndarray:
    known = [d for d in dates if d is not None]
    out = np.full(len(dates), NO_DAY, dtype=np.int64)
    out[[i for i, d in enumerate(dates) if d is not None]] = day_numbers(known)
    return out


def _medications(cases: Sequence[Case]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(case row, fact group: riluzole / edaravone / tofersen / other, start day, stop day or NO_DAY) of every
    medication entry."""
    entries = [(i, m) for i, c in enumerate(cases) for m in c.medications]
    group = {"riluzole": "riluzole", "tofersen": "tofersen", **{e: "edaravone" for e in EDARAVONE}}
    rows = np.array([i for i, _ in entries], dtype=np.int64)
    names = np.array([group.get(m.name, "other") for _, m in entries], dtype=object)
    start = _days([m.start_date for _, m in entries])
    stop = _days([m.stop_date for _, m in entries])
    return rows, names, start, stop


def _item12(case: Case) -> float:
    visit = _latest_visit(case)
    score = None if visit is None else visit.items.respiratory_insufficiency
    return np.nan if score is None else float(score)


def _genetics(cases: Sequence[Case]) -> dict[str, np.ndarray]:
    """The genetic facts' inputs per case (``fact_rules.genetic_facts``); gene names compared case-insensitively."""
    dominant = {g.upper() for g in DOMINANT_ALS_GENES}

    def plp(case: Case, genes: set[str]) -> bool:
        return any(v.gene.upper() in genes and v.classification in PATHOGENIC_CLASSES for v in case.genetics.variants)

    c9 = [c.genetics.c9orf72_repeat_expansion for c in cases]
    return {
        "family_history": np.array([c.family_history_als for c in cases], dtype=bool),
        "listed": np.array([bool(c.genetics.variants) for c in cases], dtype=bool),
        "dominant": np.array([plp(c, dominant) for c in cases], dtype=bool),
        "sod1": np.array([plp(c, {"SOD1"}) for c in cases], dtype=bool),
        "c9_variant": np.array([plp(c, {"C9ORF72"}) for c in cases], dtype=bool),
        "c9_tested": np.array([e is not None for e in c9], dtype=bool),
        "c9_expansion": np.array([bool(e) for e in c9], dtype=bool),
    }


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


def _values(case: Case, assessment: Assessment) -> dict[str, Any]:
    """The facts read from the case or its assessment (None = no value)."""
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
    values["fvc_upright_percent"] = _latest_percent([m for m in case.fvc if m.position == "upright"])
    values["svc_percent"] = _latest_percent(case.svc)
    values["kings_stage"] = course.kings_stage
    values["mitos_stage"] = course.mitos_stage
    values["mimic_likely"] = any(m.level == "likely" for m in assessment.mimics)
    values["exclusion_pending"] = "exclusion_pending" in criteria.revised_el_escorial.flags
    return values
