"""A flat record batch -> the course kernels' three tables (``alsdx.model.course_columns``).

The flat layout carries the latest ALSFRS-R visit and the latest FVC per position, so the visit table has
at most one row per patient and the FVC table at most two: ΔFS, King's and MiToS come out as ``assess()``
computes them from the latest visit; slopes need the visit history and are not part of the cohort output.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import NO_DATE, as_bool, as_codes, as_days, as_float, has_column, is_null
from alsdx.cohort.dates import ordinal
from alsdx.cohort.schema import fields_by_name
from alsdx.model.course_columns import ALSFRS_ITEMS, PATIENT_COLUMNS, CourseColumns

Columns = dict[str, np.ndarray]


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    if has_column(batch, name):
        return batch.column(name)
    return pa.nulls(batch.num_rows, fields_by_name()[name].type)


def _day(batch: pa.RecordBatch, name: str) -> np.ndarray:
    """Day ordinal as float, NaN when not given (the course tables' convention)."""
    days = as_days(_column(batch, name))
    return np.where(days == NO_DATE, np.nan, ordinal(days).astype(float))


def _tri(column: pa.Array) -> np.ndarray:
    return np.where(is_null(column), np.nan, as_bool(column).astype(float))


def onset_age_years(batch: pa.RecordBatch) -> np.ndarray:
    """``Case.onset_age_years``: age_at_onset, else (symptom_onset - birth_date) days / 365.25, else NaN."""
    given = as_float(_column(batch, "age_at_onset"))
    derived = (_day(batch, "symptom_onset") - _day(batch, "birth_date")) / 365.25
    return np.where(np.isnan(given), derived, given)


def course_tables(batch: pa.RecordBatch) -> CourseColumns:
    n = batch.num_rows
    onset = _day(batch, "symptom_onset")
    region = fields_by_name()["onset_region"]
    patients: Columns = {
        "onset_day": onset,
        "assessment_day": _day(batch, "assessment_date"),
        "diagnosis_day": _day(batch, "diagnosis_date"),
        "age_at_onset_years": onset_age_years(batch),
        "onset_bulbar": as_codes(_column(batch, "onset_region"), region.allowed) == region.allowed.index("bulbar"),
        "frontotemporal_dementia": as_bool(_column(batch, "frontotemporal_dementia")),
        "c9orf72": _tri(_column(batch, "c9orf72_repeat_expansion")),
        "exam_orthopnea": as_bool(_column(batch, "orthopnea")),
        "reec_definite": np.full(n, np.nan),
    }
    for measure, day in (
        ("snip_cm_h2o", "snip"),
        ("mip_cm_h2o", "mip"),
        ("nocturnal_oximetry_abnormal", "nocturnal_oximetry"),
    ):
        column = _column(batch, measure)
        values = _tri(column) if pa.types.is_boolean(fields_by_name()[measure].type) else as_float(column)
        patients[measure] = values
        patients[f"{day}_day"] = _day(batch, f"{measure}_date")
    assert set(patients) == set(PATIENT_COLUMNS)

    visit = np.flatnonzero(~is_null(_column(batch, "alsfrs_r_date")))
    visits: Columns = {
        "patient": visit.astype(np.int64),
        "alsfrs_index": np.zeros(len(visit), dtype=np.int64),
        "alsfrs_day": _day(batch, "alsfrs_r_date")[visit],
        "onset_day": onset[visit],
        "alsfrs_gastrostomy": as_bool(_column(batch, "alsfrs_r_gastrostomy"))[visit],
    }
    for item in ALSFRS_ITEMS:
        visits[f"alsfrs_{item}"] = as_float(_column(batch, f"alsfrs_r_{item}"))[visit]

    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []
    for position, upright in (("upright", True), ("supine", False)):
        when = _day(batch, f"fvc_{position}_date")
        pct = as_float(_column(batch, f"fvc_{position}_percent_predicted"))
        given = np.flatnonzero(~np.isnan(when) & ~np.isnan(pct))
        rows.append((given, when[given], pct[given], upright))
    fvc: Columns = {
        "fvc_patient": np.concatenate([r[0] for r in rows]).astype(np.int64),
        "fvc_day": np.concatenate([r[1] for r in rows]),
        "fvc_percent": np.concatenate([r[2] for r in rows]),
        "fvc_upright": np.concatenate([np.full(len(r[0]), r[3]) for r in rows]).astype(bool),
    }
    return CourseColumns(patients=patients, visits=visits, fvc=fvc)
