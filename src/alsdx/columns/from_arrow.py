"""Flat record batches (``alsdx.cohort.schema``) -> the kernels' columns, exactly as ``from_case`` builds them
from cases (tests/cohort/test_cohort_columns.py compares the two column by column). Names and codes: ``codes``; dates: ``dates``.

Boolean columns whose names the kernels share with the flat layout (signs, flags, variants) are read
directly; sign combinations the case model does not allow (``bulbar_umn_babinski``) are constant false. A
column absent from the batch reads as all null ("not given"), built directly as the constant it converts to
(a criteria-only file has most columns absent).

The flat layout carries the latest ALSFRS-R visit and the latest FVC per position, so the course visit table
has at most one row per patient and the FVC table at most two: ΔFS, King's and MiToS come out as ``assess()``
computes them from the latest visit; slopes need the visit history and are not part of the cohort output.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import NO_DATE, as_bool, as_codes, as_days, as_float, has_column, is_null
from alsdx.cohort.schema import fields_by_name
from alsdx.columns import codes as c
from alsdx.columns.arrow_emg import EmgParts, kernel_emg_columns
from alsdx.columns.arrow_examined import emg_studied, examined_regions
from alsdx.columns.dates import anniversary, calendar_age, julian_age, ordinal
from alsdx.model.case import ALSFRS_ITEMS
from alsdx.model.vocab import INVESTIGATION_TESTS

# --- criteria columns -----------------------------------------------------------------------------------------


@cache
def _bool_columns() -> tuple[tuple[str, bool | None], ...]:
    """(kernel column, default when the flat layout has it; None when it has not)."""
    flat = fields_by_name()
    out = []
    for name in c.PATIENT_COLUMNS:
        if name == "course":
            continue
        f = flat.get(name)
        out.append((name, None if f is None else bool(f.default)))
    return tuple(out)


def kernel_columns(batch: pa.RecordBatch, emg: EmgParts) -> c.Columns:
    """The criteria columns, the EMG side table, the examined regions and the differential columns."""
    n = batch.num_rows
    names = set(batch.schema.names)
    never = np.zeros(n, dtype=bool)
    never.setflags(write=False)
    course = as_codes(batch.column("course"), c.COURSE_CODES)
    cols: c.Columns = {"course": np.where(course >= 0, course, c.COURSE_UNKNOWN).astype(np.int8)}
    for name, default in _bool_columns():
        if default is None:
            cols[name] = never
        elif name in names:
            cols[name] = as_bool(batch.column(name), default)
        else:
            cols[name] = np.full(n, default) if default else never
    cols.update(kernel_emg_columns(emg))
    cols[c.REGION_EXAMINED] = examined_regions(batch)
    cols[c.REGION_EMG_STUDIED] = emg_studied(emg, n)
    cols.update(mimic_columns(batch))
    return cols


# --- differential columns -------------------------------------------------------------------------------------


class FlatBatch:
    """Column access with the layout's "null = not given" reading."""

    def __init__(self, batch: pa.RecordBatch) -> None:
        self.batch = batch
        self.n = batch.num_rows
        self.names = set(batch.schema.names)

    def column(self, name: str) -> pa.Array:
        if name in self.names:
            return self.batch.column(name)
        return pa.nulls(self.n, fields_by_name()[name].type)

    def flag(self, name: str) -> np.ndarray:
        default = bool(fields_by_name()[name].default)
        if name not in self.names:
            return np.full(self.n, default)
        return as_bool(self.column(name), default)

    def given(self, name: str) -> np.ndarray:
        if name not in self.names:
            return np.zeros(self.n, dtype=bool)
        return ~is_null(self.column(name))

    def number(self, name: str) -> np.ndarray:
        if name not in self.names:
            return np.full(self.n, np.nan)
        return as_float(self.column(name))

    def code(self, name: str, mapping: Mapping[Any, int]) -> np.ndarray:
        """int8 code of each value; a null reads as the field's default."""
        f = fields_by_name()[name]
        values = tuple(f.allowed)
        table = np.array([mapping.get(v, c.NOT_DONE) for v in values] + [mapping.get(f.default, c.NOT_DONE)] * 2)
        if name not in self.names:
            return np.full(self.n, table[-1], dtype=np.int8)
        codes = as_codes(self.column(name), values)
        return table[np.where(codes >= 0, codes, len(values))].astype(np.int8)

    def days(self, name: str) -> np.ndarray:
        if name not in self.names:
            return np.full(self.n, NO_DATE, dtype=np.int32)
        return as_days(self.column(name))


def _calendar_onset_age(b: FlatBatch) -> np.ndarray:
    """``age_at_onset``, else ``dates.calendar_age`` from ``birth_date``, else NaN."""
    given = b.number("age_at_onset")
    birth, onset = b.days("birth_date"), b.days("symptom_onset")
    known = (birth != NO_DATE) & (onset != NO_DATE)
    derived = np.full(b.n, np.nan)
    if known.any():
        derived[known] = calendar_age(birth[known], onset[known])
    return np.where(np.isnan(given), derived, given)


def mimic_columns(batch: pa.RecordBatch) -> c.Columns:
    """The differential kernels' patient columns (as ``from_case.mimic_columns``)."""
    b = FlatBatch(batch)
    sex = as_codes(b.column("sex"), fields_by_name()["sex"].allowed)
    male, female = fields_by_name()["sex"].allowed.index("male"), fields_by_name()["sex"].allowed.index("female")
    onset, assessed = b.days("symptom_onset"), b.days("assessment_date")
    safe_onset = np.where(onset == NO_DATE, 0, onset)
    cols: c.Columns = {
        "sex_male": sex == male,
        "sex_female": sex == female,
        "age_at_onset_years": _calendar_onset_age(b),
        "onset_day": ordinal(onset),
        "assessment_day": ordinal(assessed),
    }
    for years in (1, 2, 4):
        cols[f"onset_plus_{years}y_day"] = ordinal(anniversary(safe_onset, years))
    for name in c.EXAM_FLAGS:
        cols[f"exam_{name}"] = b.flag(name)
    for name in c.WEAKNESS_FLAGS:
        cols[f"exam_weakness_{name}"] = b.flag(f"weakness_{name}")
    for symptom in c.BULBAR_SYMPTOMS:
        cols[f"exam_{symptom}"] = b.flag(f"bulbar_symptoms_{symptom}")
    cols["exam_tongue_fasciculations"] = b.code("tongue_fasciculations", c.TONGUE_CODES)
    for name in c.HISTORY_FLAGS:
        cols[f"history_{name}"] = b.flag(f"history_{name}")
    for name in (*c.LAB_NUMBERS, "ck_uln_u_per_l"):
        cols[f"lab_{name}"] = b.number(name)
    for name, positive in c.LAB_CODES.items():
        cols[f"lab_{name}"] = b.code(name, _positive(name, positive))
    ncs = [f.name for f in fields_by_name().values() if f.path[:1] == ("ncs",)]
    cols["ncs_done"] = np.logical_or.reduce([b.given(name) for name in ncs])
    for name in c.NCS_FLAGS:
        cols[f"ncs_{name}"] = b.flag(f"ncs_{name}")
    rns = b.flag("ncs_rns_decrement")
    cols["ncs_rns_decrement"] = np.where(
        b.given("ncs_rns_decrement"), np.where(rns, c.POSITIVE, c.NEGATIVE), c.NOT_DONE
    ).astype(np.int8)
    for name in c.MRI_FIELDS:
        cols[f"imaging_{name}"] = b.code(name, c.MRI_CODES)
    cols["genetics_ar_cag_repeats"] = b.number("ar_cag_repeats")
    for test in INVESTIGATION_TESTS:
        cols[f"investigation_{test}"] = b.code(f"investigations_{test}_result", c.INVESTIGATION_CODES)
    return cols


def _positive(name: str, positive: str) -> dict[object, int]:
    return {v: (c.POSITIVE if v == positive else c.NEGATIVE) for v in fields_by_name()[name].allowed}


# --- course tables --------------------------------------------------------------------------------------------


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


def course_tables(batch: pa.RecordBatch) -> c.CourseColumns:
    """The course kernels' three tables (as ``from_case.course_columns``)."""
    n = batch.num_rows
    onset = _day(batch, "symptom_onset")
    region = fields_by_name()["onset_region"]
    given_age = as_float(_column(batch, "age_at_onset"))
    patients: c.Columns = {
        "onset_day": onset,
        "assessment_day": _day(batch, "assessment_date"),
        "diagnosis_day": _day(batch, "diagnosis_date"),
        "age_at_onset_julian_years": np.where(
            np.isnan(given_age), julian_age(_day(batch, "birth_date"), onset), given_age
        ),
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
    assert set(patients) == set(c.COURSE_PATIENT_COLUMNS)

    visit = np.flatnonzero(~is_null(_column(batch, "alsfrs_r_date")))
    visits: c.Columns = {
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
    fvc: c.Columns = {
        "fvc_patient": np.concatenate([r[0] for r in rows]).astype(np.int64),
        "fvc_day": np.concatenate([r[1] for r in rows]),
        "fvc_percent": np.concatenate([r[2] for r in rows]),
        "fvc_upright": np.concatenate([np.full(len(r[0]), r[3]) for r in rows]).astype(bool),
    }
    return c.CourseColumns(patients=patients, visits=visits, fvc=fvc)
