"""A flat record batch -> the kernels' numpy columns, exactly as ``alsdx.model.columns.case_columns``
builds them from cases (tests compare the two column by column).

Boolean columns whose names the kernels share with the flat layout (signs, flags, variants) are read
directly; sign combinations the case model does not allow (``bulbar_umn_babinski``) are constant false.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import as_bool, as_codes
from alsdx.cohort.emg import EmgParts, kernel_emg_columns
from alsdx.cohort.examined import emg_studied, examined_regions
from alsdx.cohort.mimic_columns import mimic_columns
from alsdx.cohort.schema import fields_by_name
from alsdx.model.columns import (
    COURSE_CODES,
    COURSE_UNKNOWN,
    PATIENT_COLUMNS,
    REGION_EMG_STUDIED,
    REGION_EXAMINED,
    Columns,
)


@cache
def _bool_columns() -> tuple[tuple[str, bool | None], ...]:
    """(kernel column, default when the flat layout has it; None when it has not)."""
    flat = fields_by_name()
    out = []
    for name in PATIENT_COLUMNS:
        if name == "course":
            continue
        f = flat.get(name)
        out.append((name, None if f is None else bool(f.default)))
    return tuple(out)


def kernel_columns(batch: pa.RecordBatch, emg: EmgParts) -> Columns:
    n = batch.num_rows
    names = set(batch.schema.names)
    never = np.zeros(n, dtype=bool)
    never.setflags(write=False)
    course = as_codes(batch.column("course"), COURSE_CODES)
    cols: Columns = {"course": np.where(course >= 0, course, COURSE_UNKNOWN).astype(np.int8)}
    for name, default in _bool_columns():
        if default is None:
            cols[name] = never
        elif name in names:
            cols[name] = as_bool(batch.column(name), default)
        else:
            cols[name] = np.full(n, default) if default else never
    cols.update(kernel_emg_columns(emg))
    cols[REGION_EXAMINED] = examined_regions(batch)
    cols[REGION_EMG_STUDIED] = emg_studied(emg, n)
    cols.update(mimic_columns(batch))
    return cols
