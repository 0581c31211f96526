"""Flat cohort batch -> the care kernels' columns (riluzole, edaravone, FVC recency).

The flat layout carries the latest value and date of each analyte (``alt_u_per_l``, ``alt_u_per_l_date``, the ULN
of the panel that gave it, ``anc_10e9_per_l``...), the latest FVC date per position and the ``medications`` list;
these columns are what the case front end (``alsdx.care``) selects from a case holding exactly those panels, which
is the case ``alsdx.cohort.flatten.row_document`` rebuilds from the row:

- riluzole: the entry with the latest start date (the first listed on equal dates, as ``care.riluzole``); an ALT or
  ANC is "on riluzole" when dated from its start to its stop (Decision 19); the last ALT before the start is the
  baseline, or, without a riluzole entry, the latest ALT (the would-be baseline);
- edaravone: each entry's cycle anchor (its start, or the anchor of an entry that stopped 0-28 days before it
  started: ``rules.care.edaravone.continues_cycles``), entries in start-date order; the current entry is the last
  one without a stop date;
- FVC: the later of the latest upright and supine dates.
Day numbers are days since 1970-01-01 (int64); a missing date is ``NO_DATE``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.cohort.arrays import NO_DATE, as_days, as_float, has_column, list_parts, struct_fields
from alsdx.columns.codes import Columns
from alsdx.rules.care import edaravone


def _days(batch: pa.RecordBatch, name: str) -> np.ndarray:
    if not has_column(batch, name):
        return np.full(batch.num_rows, NO_DATE, dtype=np.int64)
    return as_days(batch.column(name)).astype(np.int64)


def _floats(batch: pa.RecordBatch, name: str) -> np.ndarray:
    return as_float(batch.column(name)) if has_column(batch, name) else np.full(batch.num_rows, np.nan)


Medications = tuple[np.ndarray, pa.Array, np.ndarray, np.ndarray]


def medication_entries(batch: pa.RecordBatch) -> Medications:
    """(row, name, start day, stop day or NO_DATE) of every medication entry, in row and list order."""
    if not has_column(batch, "medications"):
        empty = np.zeros(0, dtype=np.int64)
        return empty, pa.array([], pa.string()), empty, empty
    rows, items = list_parts(batch.column("medications"))
    fields = struct_fields(items)
    start, stop = as_days(fields["start_date"]).astype(np.int64), as_days(fields["stop_date"]).astype(np.int64)
    return rows, fields["name"].cast(pa.string()), start, stop


def _named(names: pa.Array, *wanted: str) -> np.ndarray:
    """Indices of the entries named one of ``wanted``."""
    hit = pc.is_in(names, value_set=pa.array(wanted, pa.string())).fill_null(False)
    return np.flatnonzero(hit.to_numpy(zero_copy_only=False))


def _riluzole(n: int, rows: np.ndarray, names: pa.Array, start: np.ndarray, stop: np.ndarray) -> Columns:
    pick = _named(names, "riluzole")
    position = np.arange(len(pick))
    order = pick[np.lexsort((-position, start[pick], rows[pick]))]  # per row: by start, first listed last
    last = np.r_[rows[order][1:] != rows[order][:-1], True] if order.size else np.zeros(0, dtype=bool)
    chosen = order[last]
    listed = np.zeros(n, dtype=bool)
    listed[rows[chosen]] = True
    course_start = np.full(n, NO_DATE, dtype=np.int64)
    course_stop = np.full(n, NO_DATE, dtype=np.int64)
    course_start[rows[chosen]] = start[chosen]
    course_stop[rows[chosen]] = stop[chosen]
    return {"riluzole_listed": listed, "riluzole_start": course_start, "riluzole_stop": course_stop}


def _edaravone(n: int, rows: np.ndarray, names: pa.Array, start: np.ndarray, stop: np.ndarray) -> Columns:
    pick = _named(names, *edaravone.NAMES)
    order = pick[np.lexsort((np.arange(len(pick)), start[pick], rows[pick]))]  # per row, by start, stable
    r, s, t = rows[order], start[order], stop[order]
    first = np.r_[True, r[1:] != r[:-1]] if order.size else np.zeros(0, dtype=bool)
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(r)), 0)) if order.size else first
    position = np.arange(len(r)) - group_start
    anchor = s.copy()
    for p in range(1, int(position.max(initial=0)) + 1):
        at = np.flatnonzero(position == p)
        for q in range(p):  # a later previous entry overrides an earlier one, as in care.edaravone.anchors
            prev = group_start[at] + q
            joins = (t[prev] != NO_DATE) & edaravone.continues_cycles(t[prev], s[at])
            anchor[at] = np.where(joins, anchor[prev], anchor[at])
    current = np.flatnonzero(t == NO_DATE)
    current = current[np.r_[r[current][1:] != r[current][:-1], True]] if current.size else current  # last per row
    on = np.zeros(n, dtype=bool)
    row_anchor = np.full(n, NO_DATE, dtype=np.int64)
    on[r[current]] = True
    row_anchor[r[current]] = anchor[current]
    return {"edaravone_current": on, "edaravone_anchor": row_anchor}


def care_plan_columns(batch: pa.RecordBatch) -> Columns:
    """The columns ``alsdx.rules.care.plan_columns.plan_columns_kernel`` reads, one value per row."""
    n = batch.num_rows
    assessment = _days(batch, "assessment_date")
    assessment = np.where(assessment == NO_DATE, 0, assessment)  # a row without one is invalid (its outputs null)
    alt, alt_day, alt_uln = (
        _floats(batch, "alt_u_per_l"),
        _days(batch, "alt_u_per_l_date"),
        _floats(batch, "alt_uln_u_per_l"),
    )
    anc, anc_day = _floats(batch, "anc_10e9_per_l"), _days(batch, "anc_10e9_per_l_date")
    meds = medication_entries(batch)
    cols: Columns = {"assessment_day": assessment, **_riluzole(n, *meds), **_edaravone(n, *meds)}
    listed, start = cols["riluzole_listed"], cols["riluzole_start"]
    end = np.where(cols["riluzole_stop"] == NO_DATE, np.iinfo(np.int64).max, cols["riluzole_stop"])
    has_alt = ~np.isnan(alt) & (alt_day != NO_DATE)
    alt_on = listed & has_alt & (alt_day >= start) & (alt_day <= end)
    anc_on = listed & ~np.isnan(anc) & (anc_day != NO_DATE) & (anc_day >= start) & (anc_day <= end)
    baseline = has_alt & (~listed | (alt_day < start))
    cols.update(
        {
            "riluzole_current": listed & (cols["riluzole_stop"] == NO_DATE),
            "alt_on": np.where(alt_on, alt, np.nan),
            "alt_uln_on": np.where(alt_on, alt_uln, np.nan),
            "alt_on_day": np.where(alt_on, alt_day, start - 1),
            "any_alt": has_alt,
            "anc_on": np.where(anc_on, anc, np.nan),
            "alt_baseline": np.where(baseline, alt, np.nan),
            "alt_uln_baseline": np.where(baseline, alt_uln, np.nan),
        }
    )
    upright, supine = _days(batch, "fvc_upright_date"), _days(batch, "fvc_supine_date")
    cols["fvc_latest_day"] = np.maximum(upright, supine)
    cols["fvc_recorded"] = cols["fvc_latest_day"] != NO_DATE
    return cols
