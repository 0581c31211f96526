"""A flat record batch -> the differential kernels' columns (mimics, PLS, supportive features, work-up),
exactly as ``alsdx.model.mimic_columns.mimic_columns`` builds them from cases (compared in the tests).

The codes and column lists are imported from that module, so both follow one definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import NO_DATE, as_bool, as_codes, as_days, as_float, is_null
from alsdx.cohort.dates import anniversary, calendar_age, ordinal
from alsdx.cohort.schema import fields_by_name
from alsdx.model import mimic_columns as mc
from alsdx.model.columns import Columns
from alsdx.model.vocab import INVESTIGATION_TESTS


class _Batch:
    """Column access with the layout's "null = not given" reading; an absent column reads as all null,
    built directly as the constant it converts to (a criteria-only file has most columns absent)."""

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
        table = np.array([mapping.get(v, mc.NOT_DONE) for v in values] + [mapping.get(f.default, mc.NOT_DONE)] * 2)
        if name not in self.names:
            return np.full(self.n, table[-1], dtype=np.int8)
        codes = as_codes(self.column(name), values)
        return table[np.where(codes >= 0, codes, len(values))].astype(np.int8)

    def days(self, name: str) -> np.ndarray:
        if name not in self.names:
            return np.full(self.n, NO_DATE, dtype=np.int32)
        return as_days(self.column(name))


def onset_age_calendar(b: _Batch) -> np.ndarray:
    """Age at onset: ``age_at_onset``, else exact calendar age from ``birth_date``, else NaN."""
    given = b.number("age_at_onset")
    birth, onset = b.days("birth_date"), b.days("symptom_onset")
    known = (birth != NO_DATE) & (onset != NO_DATE)
    derived = np.full(b.n, np.nan)
    if known.any():
        derived[known] = calendar_age(birth[known], onset[known])
    return np.where(np.isnan(given), derived, given)


def mimic_columns(batch: pa.RecordBatch) -> Columns:
    b = _Batch(batch)
    sex = as_codes(b.column("sex"), fields_by_name()["sex"].allowed)
    male, female = fields_by_name()["sex"].allowed.index("male"), fields_by_name()["sex"].allowed.index("female")
    onset, assessed = b.days("symptom_onset"), b.days("assessment_date")
    safe_onset = np.where(onset == NO_DATE, 0, onset)
    cols: Columns = {
        "sex_male": sex == male,
        "sex_female": sex == female,
        "age_at_onset_years": onset_age_calendar(b),
        "onset_day": ordinal(onset),
        "assessment_day": ordinal(assessed),
    }
    for years in (1, 2, 4):
        cols[f"onset_plus_{years}y_day"] = ordinal(anniversary(safe_onset, years))
    for name in mc.EXAM_FLAGS:
        cols[f"exam_{name}"] = b.flag(name)
    for name in mc.WEAKNESS_FLAGS:
        cols[f"exam_weakness_{name}"] = b.flag(f"weakness_{name}")
    for symptom in ("dysarthria", "dysphagia"):
        cols[f"exam_{symptom}"] = b.flag(f"bulbar_symptoms_{symptom}")
    cols["exam_tongue_fasciculations"] = b.code("tongue_fasciculations", mc._TONGUE)
    for name in mc.HISTORY_FLAGS:
        cols[f"history_{name}"] = b.flag(f"history_{name}")
    for name in (*mc.LAB_NUMBERS, "ck_uln_u_per_l"):
        cols[f"lab_{name}"] = b.number(name)
    for name, positive in mc.LAB_CODES.items():
        cols[f"lab_{name}"] = b.code(name, _positive(name, positive))
    ncs = [f.name for f in fields_by_name().values() if f.path[:1] == ("ncs",)]
    cols["ncs_done"] = np.logical_or.reduce([b.given(name) for name in ncs])
    for name in ("motor_conduction_block", "sensory_abnormal", "slowed_conduction_demyelinating"):
        cols[f"ncs_{name}"] = b.flag(f"ncs_{name}")
    rns = b.flag("ncs_rns_decrement")
    cols["ncs_rns_decrement"] = np.where(
        b.given("ncs_rns_decrement"), np.where(rns, mc.POSITIVE, mc.NEGATIVE), mc.NOT_DONE
    ).astype(np.int8)
    for name in mc.MRI_FIELDS:
        cols[f"imaging_{name}"] = b.code(name, mc._MRI_CODES)
    cols["genetics_ar_cag_repeats"] = b.number("ar_cag_repeats")
    for test in INVESTIGATION_TESTS:
        cols[f"investigation_{test}"] = b.code(
            f"investigations_{test}_result", {"abnormal": mc.POSITIVE, "normal": mc.NEGATIVE}
        )
    return cols


def _positive(name: str, positive: str) -> dict[object, int]:
    return {v: (mc.POSITIVE if v == positive else mc.NEGATIVE) for v in fields_by_name()[name].allowed}
