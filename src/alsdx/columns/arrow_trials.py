"""Flat cohort batch + the engine pipeline's outputs -> the trial screening kernel's columns
(``alsdx.rules.trials.screen``), the same columns ``alsdx.trials.facts.fact_columns`` builds from a case and its
assessment (tests/cohort/test_cohort_trials.py compares the two on the cases ``row_document`` rebuilds).

Read from the pipeline: the criteria categories, PLS, the mimic levels, revised El Escorial's
``exclusion_pending``, and the course kernel's latest scored visit (total, subscores, ΔFS, slope, King's,
MiToS), rounded as ``Assessment.course`` shows them. Read from the row: sex, the latest visit's items and
gastrostomy flag, the latest upright FVC and SVC, the dates. Defined in ``alsdx.trials.fact_rules`` (shared with
the case front end): ages, current medication courses (``arrow_care.medication_entries``), ventilation, genetics,
the time facts. The flat layout holds one ALSFRS-R visit, so the slope is unknown, as in the rebuilt case.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.cohort.arrays import NO_DATE, as_bool, as_codes, as_days, as_float, has_column, is_null
from alsdx.columns.arrow_care import medication_entries
from alsdx.columns.codes import variant_column
from alsdx.engine.pipeline import KernelOutputs
from alsdx.model.case import ALSFRS_ITEMS
from alsdx.model.vocab import DOMINANT_ALS_GENES
from alsdx.rules.course import alsfrs_r
from alsdx.rules.mimics import LEVELS, MIMICS
from alsdx.rules.trials import NO_DAY
from alsdx.trials import fact_rules
from alsdx.trials.facts_catalog import FACT_NAMES, FACTS

_AT = {name: j for j, name in enumerate(FACT_NAMES)}
_LIKELY = LEVELS.index("likely")
COURSE_FACTS = (
    "alsfrs_r_total",
    *(f"alsfrs_r_{domain}" for domain in alsfrs_r.DOMAINS),
    "delta_fs",
    "alsfrs_r_slope_per_month",
    "kings_stage",
    "mitos_stage",
)
"""The facts read from the course kernel's latest scored visit."""
SHOWN_DIGITS = 4
"""``Assessment.course`` rounds its figures to 4 decimals (``engine.explain.course``); the facts read them so."""


def _days(batch: pa.RecordBatch, name: str) -> np.ndarray:
    """Day numbers (int64), ``NO_DAY`` where null or absent."""
    if not has_column(batch, name):
        return np.full(batch.num_rows, NO_DAY, dtype=np.int64)
    days = as_days(batch.column(name)).astype(np.int64)
    return np.where(days == NO_DATE, NO_DAY, days)


def _floats(batch: pa.RecordBatch, name: str) -> np.ndarray:
    return as_float(batch.column(name)) if has_column(batch, name) else np.full(batch.num_rows, np.nan)


def _flag(batch: pa.RecordBatch, name: str) -> np.ndarray:
    return as_bool(batch.column(name)) if has_column(batch, name) else np.zeros(batch.num_rows, dtype=bool)


def shown(values: np.ndarray) -> np.ndarray:
    """``round(x, 4)`` as Python rounds (correctly, half to even on the exact binary value), element-wise: numpy's
    scaled rounding everywhere, Python's for the rare values within a hair of a half."""
    out = np.round(values, SHOWN_DIGITS)
    scaled = values * 10**SHOWN_DIGITS
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if near.size:
        out[near] = [round(float(v), SHOWN_DIGITS) for v in values[near]]
    return out


def _course(outputs: KernelOutputs, facts: np.ndarray) -> None:
    """The course summary's facts (null without a scored visit, as ``Assessment.course``)."""
    if outputs.course is None:
        return
    p = outputs.course.patients
    has = p["has_alsfrs"]

    def put(name: str, values: np.ndarray) -> None:
        facts[:, _AT[name]] = np.where(has, values, np.nan)

    put("alsfrs_r_total", shown(p["alsfrs_total"]))
    for domain in alsfrs_r.DOMAINS:
        put(f"alsfrs_r_{domain}", np.trunc(p[f"alsfrs_{domain}"]))
    put("delta_fs", shown(p["alsfrs_delta_fs"]))
    put("alsfrs_r_slope_per_month", shown(p["alsfrs_slope_per_month"]))
    put("kings_stage", p["kings_stage"])
    put("mitos_stage", np.trunc(p["mitos_stage"]))


def _genetics(batch: pa.RecordBatch) -> dict[str, np.ndarray]:
    """The genetic facts' inputs from the P/LP columns (the rebuilt case lists a variant per true column)."""
    plp = {name: _flag(batch, name) for name in batch.schema.names if name.startswith("variant_plp_")}
    none = np.zeros(batch.num_rows, dtype=bool)
    c9 = batch.column("c9orf72_repeat_expansion") if has_column(batch, "c9orf72_repeat_expansion") else None
    return {
        "family_history": _flag(batch, "family_history_als"),
        "listed": np.logical_or.reduce([none, *plp.values()]),
        "dominant": np.logical_or.reduce([none, *(plp.get(variant_column(g), none) for g in DOMINANT_ALS_GENES)]),
        "sod1": plp.get(variant_column("SOD1"), none),
        "c9_variant": plp.get(variant_column("C9orf72"), none),
        "c9_tested": none if c9 is None else ~is_null(c9),
        "c9_expansion": none if c9 is None else as_bool(c9),
    }


def trial_fact_columns(
    batch: pa.RecordBatch, outputs: KernelOutputs, time_values: bool = True, needed: frozenset[str] | None = None
) -> dict[str, np.ndarray]:
    """The screening kernel's columns for every row of a flat batch (after ``read_vocabulary``); rows the checks
    refuse get values too (their outputs are nulled by the caller). ``time_values=False`` leaves the time facts'
    values NaN: the kernel compares their dates, only a criterion's shown value reads them (the cohort shows none).
    ``needed``: the facts the trials name (the others are left NaN, never read); None = every fact."""
    n = batch.num_rows

    def want(*names: str) -> bool:
        return needed is None or any(name in needed for name in names)

    facts = np.full((len(FACT_NAMES), n), np.nan).T  # column-major: the kernel reads a fact at a time
    for name, result in outputs.criteria.items():
        if name in _AT and want(name):
            facts[:, _AT[name]] = np.where(result["category"] >= 0, result["category"], np.nan)
    if want("pls"):
        pls = outputs.differential.pls["category"]
        facts[:, _AT["pls"]] = np.where(pls >= 0, pls, np.nan)
    if want("sex"):
        sex = as_codes(batch.column("sex"), FACTS["sex"].values) if has_column(batch, "sex") else np.full(n, -1)
        facts[:, _AT["sex"]] = np.where(sex >= 0, sex, np.nan)
    if want(*COURSE_FACTS):
        _course(outputs, facts)
    visit = _days(batch, "alsfrs_r_date") != NO_DAY
    for item in ALSFRS_ITEMS:
        if want(f"alsfrs_r_{item}", *(("niv", "invasive_ventilation") if item == "respiratory_insufficiency" else ())):
            facts[:, _AT[f"alsfrs_r_{item}"]] = np.where(visit, _floats(batch, f"alsfrs_r_{item}"), np.nan)
    if want("gastrostomy"):
        facts[:, _AT["gastrostomy"]] = np.where(visit, _flag(batch, "alsfrs_r_gastrostomy"), np.nan)
    if want("niv", "invasive_ventilation"):
        item12 = facts[:, _AT["alsfrs_r_respiratory_insufficiency"]]
        facts[:, _AT["niv"]], facts[:, _AT["invasive_ventilation"]] = fact_rules.ventilation(item12)
    if want("fvc_upright_percent"):
        facts[:, _AT["fvc_upright_percent"]] = _floats(batch, "fvc_upright_percent_predicted")
    if want("svc_percent"):
        facts[:, _AT["svc_percent"]] = _floats(batch, "svc_percent_predicted")
    if want("familial", "sod1_pathogenic", "c9orf72_expansion"):
        for name, values in fact_rules.genetic_facts(**_genetics(batch)).items():
            facts[:, _AT[name]] = values
    if want("mimic_likely"):
        likely = np.logical_or.reduce(
            [np.zeros(n, dtype=bool), *(outputs.differential.mimics[m.id]["level"] == _LIKELY for m in MIMICS)]
        )
        facts[:, _AT["mimic_likely"]] = likely
    if want("exclusion_pending"):
        facts[:, _AT["exclusion_pending"]] = outputs.criteria["revised_el_escorial"]["exclusion_pending"]

    assessment_day = _days(batch, "assessment_date")
    assessment_day = np.where(assessment_day == NO_DAY, 0, assessment_day)  # such a row is invalid (nulled)
    onset_day = _days(batch, "symptom_onset")
    age_anchor, age_offset = fact_rules.age_anchor(
        _days(batch, "birth_date"), onset_day, _floats(batch, "age_at_onset")
    )
    rows, names, start, stop = medication_entries(batch)
    start = np.where(start == NO_DATE, NO_DAY, start)
    stop = np.where(stop == NO_DATE, NO_DAY, stop)
    started = {"edaravone": np.full(n, NO_DAY), "tofersen": np.full(n, NO_DAY)}
    for fact, wanted in (("riluzole", ("riluzole",)), ("edaravone", fact_rules.EDARAVONE), ("tofersen", ("tofersen",))):
        if fact != "riluzole" and not want(fact):
            continue
        pick = pc.is_in(names, value_set=pa.array(wanted, pa.string())).fill_null(False).to_numpy(zero_copy_only=False)
        started[fact] = fact_rules.current_start(n, rows[pick], start[pick], stop[pick], assessment_day)
    for fact in ("edaravone", "tofersen"):
        if want(fact):
            facts[:, _AT[fact]] = started[fact] != NO_DAY
    cols = {
        "facts": facts,
        "assessment_day": assessment_day,
        "onset_day": onset_day,
        "diagnosis_day": _days(batch, "diagnosis_date"),
        "age_anchor_day": age_anchor,
        "age_offset": age_offset,
        "riluzole_start_day": started["riluzole"],
    }
    if time_values:
        fact_rules.time_values(cols, facts, _AT)
    return cols
