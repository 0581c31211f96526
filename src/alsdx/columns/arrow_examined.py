"""Which exam regions a flat row examined, and which regions its EMG studied ("unknown is not absent").

The flat layout has one boolean per sign (``cervical_umn_hoffmann``). A region is examined when
``<region>_examined`` is true, or, when that cell is null or the column absent, when any of the region's sign
cells is given (``false`` = examined, sign not found); a region whose sign cells are all null was not
examined. ``case_row`` writes exactly this for a case (a region not examined: null signs, examined false).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from alsdx.cohort.arrays import as_bool, has_column, is_null
from alsdx.cohort.schema import EXAMINED, flat_fields
from alsdx.columns.arrow_emg import EmgParts
from alsdx.model.vocab import REGIONS


@cache
def region_sign_columns() -> tuple[tuple[str, ...], ...]:
    """Per region (in ``REGIONS`` order), its sign columns."""
    return tuple(
        tuple(f.name for f in flat_fields() if f.rule == "contains" and f.path[:2] == ("exam", region))
        for region in REGIONS
    )


def examined_column(region: str) -> str:
    return f"{region}_{EXAMINED}"


def examined_regions(batch: pa.RecordBatch) -> np.ndarray:
    """(n, 4) booleans: region examined, per row."""
    n = batch.num_rows
    out = np.zeros((n, len(REGIONS)), dtype=bool)
    for j, (region, signs) in enumerate(zip(REGIONS, region_sign_columns(), strict=True)):
        for name in signs:
            if has_column(batch, name):
                column = batch.column(name)
                if column.null_count == 0:  # the usual file: every sign cell given, every row examined
                    out[:, j] = True
                    break
                out[:, j] |= ~is_null(column)
        stated = examined_column(region)
        if has_column(batch, stated):
            column = batch.column(stated)
            given = ~is_null(column)
            if given.any():
                out[:, j] = np.where(given, as_bool(column), out[:, j])
    return out


def signs_recorded(batch: pa.RecordBatch, region: int) -> np.ndarray:
    """Rows with some sign of the region recorded true."""
    out = np.zeros(batch.num_rows, dtype=bool)
    for name in region_sign_columns()[region]:
        if has_column(batch, name):
            out |= as_bool(batch.column(name))
    return out


def emg_studied(emg: EmgParts, n: int) -> np.ndarray:
    """(n, 4) booleans: some muscle of the region is in the row's ``emg`` list."""
    out = np.zeros((n, len(REGIONS)), dtype=bool)
    keep = ~emg.entry_null & (emg.region >= 0)
    out[emg.patient[keep], emg.region[keep]] = True
    return out
