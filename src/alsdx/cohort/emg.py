"""The ``emg`` list<struct> column -> the kernels' EMG side table, completed from the shipped muscle table.

Mirrors ``EmgMuscle._complete_from_table``: a muscle in the table takes its region, nerve and roots from it
(values given must agree; ``alsdx.cohort.validity`` reports rows where they do not); other muscles must
give all three. Nerve names become integers (only equality matters to the rules): the table's nerves
first, then any other name in the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.cohort.arrays import (
    NULL_CODE,
    as_bool,
    as_codes,
    is_null,
    list_parts,
    lookup_dictionary,
    struct_fields,
)
from alsdx.model.columns import ROOT_BIT, Columns
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import REGIONS, ROOT_NAMES

_BITS = np.array([ROOT_BIT[r] for r in ROOT_NAMES], dtype=np.int64)
CRANIAL_ROOTS = int(sum(bit for name, bit in ROOT_BIT.items() if name.startswith("CN")))
BOOL_FIELDS = ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")


@dataclass(frozen=True)
class MuscleTable:
    names: tuple[str, ...]
    region: np.ndarray
    roots: np.ndarray
    """Root mask; 0 for paraspinal muscles (no fixed level)."""
    nerves: tuple[str, ...]
    nerve: np.ndarray


@cache
def table() -> MuscleTable:
    rows = list(muscle_table().values())
    nerves = tuple(dict.fromkeys(m.nerve for m in rows))
    return MuscleTable(
        names=tuple(m.name for m in rows),
        region=np.array([REGIONS.index(m.region) for m in rows], dtype=np.int8),
        roots=np.array([sum(ROOT_BIT[r] for r in m.roots) for m in rows], dtype=np.int64),
        nerves=nerves,
        nerve=np.array([nerves.index(m.nerve) for m in rows], dtype=np.int64),
    )


@dataclass(frozen=True)
class EmgParts:
    """One entry per muscle studied (all rows of the batch), given and completed values side by side."""

    patient: np.ndarray
    entry_null: np.ndarray
    muscle: pa.Array
    muscle_code: np.ndarray
    """Index into the muscle table; negative when absent from it (or null)."""
    side: np.ndarray
    region_given: np.ndarray
    region: np.ndarray
    nerve: pa.Array
    nerve_given: np.ndarray
    """Nerve id, -1 when not given."""
    nerve_id: np.ndarray
    roots_null: np.ndarray
    roots_len: np.ndarray
    roots_bad: np.ndarray
    """A root is null or not a root name."""
    roots_given: np.ndarray
    roots: np.ndarray
    flags: dict[str, np.ndarray]


def decode(column: pa.Array | pa.ChunkedArray | None, n: int) -> EmgParts:
    if column is None:
        column = pa.nulls(n, pa.list_(pa.struct([])))
    patient, items = list_parts(column)
    m = len(items)
    fields = struct_fields(items) if m else {}
    t = table()

    def get(name: str) -> pa.Array:
        return _dictionary(fields.get(name, pa.nulls(m, pa.string())))

    muscle = get("muscle")
    # Per distinct muscle name (a dictionary of a few dozen): its table row, region, nerve and roots; then
    # one gather per muscle studied.
    per_name = as_codes(muscle.dictionary, t.names) if len(muscle) else np.zeros(0, dtype=np.int8)
    in_table = per_name >= 0
    row = np.where(in_table, per_name, 0)
    muscle_code = lookup_dictionary(muscle, per_name, NULL_CODE)
    region_given = as_codes(get("region"), REGIONS)
    table_region = lookup_dictionary(muscle, np.where(in_table, t.region[row], NULL_CODE).astype(np.int8), NULL_CODE)
    region = np.where(region_given == NULL_CODE, table_region, region_given).astype(np.int8, copy=False)

    nerve_given = _nerve_ids(get("nerve"), t.nerves)
    table_nerve = lookup_dictionary(muscle, np.where(in_table, t.nerve[row], -1), -1)
    nerve_id = np.where(nerve_given < 0, table_nerve, nerve_given)

    roots_col = _single(fields.get("roots", pa.nulls(m, pa.list_(pa.string()))))
    roots_null = is_null(roots_col)
    roots_given, roots_len, roots_bad = _root_masks(roots_col, m)
    table_roots = lookup_dictionary(muscle, np.where(in_table, t.roots[row], 0), 0)
    roots = np.where(roots_len > 0, roots_given, table_roots)

    return EmgParts(
        patient=patient,
        entry_null=is_null(items) if m else np.zeros(0, dtype=bool),
        muscle=muscle,
        muscle_code=muscle_code,
        side=as_codes(get("side"), ("left", "right", "midline")),
        region_given=region_given,
        region=region,
        nerve=_single(get("nerve")),
        nerve_given=nerve_given,
        nerve_id=nerve_id,
        roots_null=roots_null,
        roots_len=roots_len,
        roots_bad=roots_bad,
        roots_given=roots_given,
        roots=roots,
        flags={f: as_bool(fields[f]) if f in fields else np.zeros(m, dtype=bool) for f in BOOL_FIELDS},
    )


def _root_masks(roots: pa.Array, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(root mask, number of roots, some root null or unknown) per muscle; each root is one bit."""
    if roots.null_count == 0 and pa.types.is_list(roots.type):
        offsets = roots.offsets.to_numpy()
        lengths = np.diff(offsets).astype(np.int64)
        values = _dictionary(roots.values.slice(offsets[0], offsets[-1] - offsets[0]))
    else:
        lengths = pc.fill_null(pc.list_value_length(roots), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        values = _dictionary(list_parts(roots)[1])
    code = as_codes(values.dictionary, ROOT_NAMES)
    bits = lookup_dictionary(values, np.where(code >= 0, _BITS[code], 0), 0)
    # each muscle's roots are contiguous: OR over the runs (the non-empty ones, when some are empty)
    starts = np.cumsum(lengths) - lengths
    if m and lengths.min() > 0:
        mask = np.bitwise_or.reduceat(bits, starts)
    else:
        mask = np.zeros(m, dtype=np.int64)
        listed = np.flatnonzero(lengths)
        if listed.size:
            mask[listed] = np.bitwise_or.reduceat(bits, starts[listed])
    bad = np.zeros(m, dtype=bool)
    if (code < 0).any() or values.null_count:
        parent = np.repeat(np.arange(m), lengths)
        bad[parent[lookup_dictionary(values, code < 0, True)]] = True
    return mask, lengths, bad


def _single(a: pa.Array | pa.ChunkedArray) -> pa.Array:
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def _dictionary(a: pa.Array) -> pa.Array:
    """Names repeat across muscles: encode once, then every lookup and check runs on the few distinct values."""
    a = _single(a)
    if pa.types.is_dictionary(a.type) or pa.types.is_null(a.type):
        return a if not pa.types.is_null(a.type) else a.cast(pa.string()).dictionary_encode()
    return pc.dictionary_encode(a)


def _nerve_ids(nerve: pa.Array, table_nerves: tuple[str, ...]) -> np.ndarray:
    """Ids with the table's nerves first; names not in the table follow; -1 for null."""
    if len(nerve) == 0:
        return np.zeros(0, dtype=np.int64)
    encoded = nerve if pa.types.is_dictionary(nerve.type) else pc.dictionary_encode(nerve)
    names = encoded.dictionary.cast(pa.string())
    in_table = pc.index_in(names, value_set=pa.array(table_nerves, pa.string()))
    unique = pc.dictionary_encode(names).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    ids = np.where(
        is_null(in_table), len(table_nerves) + unique, pc.fill_null(in_table, 0).to_numpy(zero_copy_only=False)
    )
    return lookup_dictionary(encoded, ids.astype(np.int64), -1)


def kernel_emg_columns(parts: EmgParts) -> Columns:
    """The side table exactly as ``model.columns.case_columns`` lays it out."""
    return {
        "emg_patient": parts.patient,
        "emg_region": parts.region,
        "emg_nerve": parts.nerve_id,
        "emg_roots": parts.roots,
        "emg_fibrillations_psw": parts.flags["fibrillations_psw"],
        "emg_fasciculation_potentials": parts.flags["fasciculation_potentials"],
        "emg_chronic_neurogenic": parts.flags["chronic_neurogenic"],
    }
