"""The ``emg`` list<struct> column -> the kernels' EMG side table, completed from the shipped muscle table.

Mirrors ``EmgMuscle``: muscle names, nerves, roots and sides are read through the one vocabulary
(``alsdx.model.vocabulary``: ``FDI``, ``tib ant``, ``T10 paraspinal``, ``deep peroneal``, ``C8-T1``), once per
distinct written value (a registry writes a few dozen names across millions of muscles), then gathered per
muscle. A muscle in the table takes its region, nerve and roots from it (values given must agree;
``alsdx.cohort.validity`` reports rows where they do not); other muscles must give all three. Nerves become
integers, the index of their canonical trunk in the vocabulary (only equality matters to the rules).
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
from alsdx.columns.codes import ROOT_BIT, Columns
from alsdx.model import vocabulary
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import REGIONS

CRANIAL_ROOTS = int(sum(bit for name, bit in ROOT_BIT.items() if name.startswith("CN")))
REGION_ROOTS = np.array(
    [sum(ROOT_BIT[r] for r in vocabulary.REGION_ROOTS[region]) for region in REGIONS], dtype=np.int64
)
"""Root mask of each region's segments (``vocabulary.REGION_ROOTS``), by region code."""
BOOL_FIELDS = ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")
SIDES = ("left", "right", "midline")
NERVES = tuple(n.name for n in vocabulary.NERVES)
UNKNOWN_NERVE = -2
"""Nerve id of a written nerve the vocabulary does not know (-1: not given)."""


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
    return MuscleTable(
        names=tuple(m.name for m in rows),
        region=np.array([REGIONS.index(m.region) for m in rows], dtype=np.int8),
        roots=np.array([sum(ROOT_BIT[r] for r in m.roots) for m in rows], dtype=np.int64),
        nerves=NERVES,
        nerve=np.array([NERVES.index(m.nerve) for m in rows], dtype=np.int64),
    )


@dataclass(frozen=True)
class EmgParts:
    """One entry per muscle studied (all rows of the batch), given and completed values side by side."""

    patient: np.ndarray
    entry_null: np.ndarray
    muscle: pa.Array
    muscle_code: np.ndarray
    """Index into the muscle table; negative when absent from it (or null)."""
    muscle_problem: np.ndarray
    """A written muscle name the vocabulary refuses (``muscle_problems`` holds its message), or an FDP whose
    nerve does not say which part."""
    muscle_problems: dict[int, str]
    """Message per muscle entry with a problem (filled for those entries only)."""
    implied_roots: np.ndarray
    """Roots the muscle name gives ("T10 paraspinal"), 0 when none."""
    side: np.ndarray
    region_given: np.ndarray
    region: np.ndarray
    nerve: pa.Array
    nerve_given: np.ndarray
    """Nerve id (index of the canonical trunk in ``NERVES``), -1 when not given, ``UNKNOWN_NERVE`` when unknown."""
    nerve_id: np.ndarray
    roots_null: np.ndarray
    roots_len: np.ndarray
    roots_bad: np.ndarray
    """A root is null or not a root name."""
    roots_problems: dict[int, str]
    """The vocabulary's message per muscle entry whose roots are refused."""
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
    nerve = get("nerve")
    nerve_given, nerve_names = _nerve_ids(nerve)
    # Per distinct muscle name (a dictionary of a few dozen): its reading, table row, region, nerve and roots;
    # then one gather per muscle studied.
    names = muscle.dictionary.to_pylist() if len(muscle) else []
    readings = [_read_muscle(name) for name in names]
    per_name = np.array([r[0] for r in readings], dtype=np.int64)
    muscle_code = lookup_dictionary(muscle, per_name, NULL_CODE) if len(muscle) else np.zeros(0, dtype=np.int64)
    implied = (
        lookup_dictionary(muscle, np.array([r[1] for r in readings], dtype=np.int64), 0)
        if m
        else np.zeros(0, dtype=np.int64)
    )
    problem = muscle_code == _REFUSED
    messages = {int(k): readings[int(muscle.indices[k].as_py())][2] for k in np.flatnonzero(problem)}
    fdp = np.flatnonzero(muscle_code == _FDP)  # the part of flexor digitorum profundus follows its nerve
    for k in fdp:
        trunk = nerve_names.get(int(nerve_given[k]))
        part = vocabulary.FDP_PARTS.get(trunk or "")
        if part is not None:
            muscle_code[k] = t.names.index(part)
        else:
            problem[k] = True
            try:
                vocabulary.muscle("FDP", None)
            except vocabulary.VocabularyError as exc:
                messages[int(k)] = str(exc)
    in_table = muscle_code >= 0
    row = np.where(in_table, muscle_code, 0)
    region_given = as_codes(get("region"), REGIONS)
    table_region = np.where(in_table, t.region[row], NULL_CODE).astype(np.int8)
    region = np.where(region_given == NULL_CODE, table_region, region_given).astype(np.int8, copy=False)

    table_nerve = np.where(in_table, t.nerve[row], -1)
    nerve_id = np.where(nerve_given == -1, table_nerve, nerve_given)

    roots_col = _single(fields.get("roots", pa.nulls(m, pa.list_(pa.string()))))
    roots_null = is_null(roots_col)
    roots_given, roots_len, roots_bad, roots_problems = _root_masks(roots_col, m)
    roots_from_text = np.where(roots_given == 0, implied, roots_given)
    table_roots = np.where(in_table, t.roots[row], 0)
    # one definition: a table muscle reads as its table roots (a subset written from another textbook too)
    roots = np.where(table_roots != 0, table_roots, roots_from_text)

    return EmgParts(
        patient=patient,
        entry_null=is_null(items) if m else np.zeros(0, dtype=bool),
        muscle=muscle,
        muscle_code=muscle_code,
        muscle_problem=problem,
        muscle_problems=messages,
        implied_roots=implied,
        side=_read_codes(get("side"), SIDES, vocabulary.side),
        region_given=region_given,
        region=region,
        nerve=_single(nerve),
        nerve_given=nerve_given,
        nerve_id=nerve_id,
        roots_null=roots_null,
        roots_len=roots_len,
        roots_bad=roots_bad,
        roots_problems=roots_problems,
        roots_given=roots_given,
        roots=roots,
        flags={f: as_bool(fields[f]) if f in fields else np.zeros(m, dtype=bool) for f in BOOL_FIELDS},
    )


_REFUSED, _FDP = -3, -4
"""Muscle codes of a written name the vocabulary refuses, and of an FDP whose part its nerve decides."""


def _read_muscle(name: object) -> tuple[int, int, str]:
    """(table index, or -1 outside the table, _REFUSED or _FDP; root mask the name gives; message)."""
    if not isinstance(name, str):
        return -1, 0, ""
    if vocabulary.fold(name) in ("fdp", "flexor digitorum profundus"):
        return _FDP, 0, ""
    try:
        reading = vocabulary.muscle(name)
    except vocabulary.VocabularyError as exc:
        return _REFUSED, 0, str(exc)
    mask = sum(ROOT_BIT[r] for r in reading.roots)
    if not reading.in_table:
        return -1, mask, ""
    return table().names.index(reading.name), mask, ""


def _read_codes(arr: pa.Array, allowed: tuple[str, ...], read: object) -> np.ndarray:
    """Codes of written values after the vocabulary's reading (``L`` -> ``left``), once per distinct value."""
    a = _dictionary(arr)
    if len(a) == 0 or pa.types.is_null(a.dictionary.type):
        return as_codes(a, allowed)
    values = pa.array([read(v) if isinstance(v, str) else v for v in a.dictionary.to_pylist()], pa.string())  # type: ignore[operator]
    return lookup_dictionary(a, as_codes(values, allowed).astype(np.int8), NULL_CODE)


def _root_masks(roots: pa.Array, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, str]]:
    """(root mask, number of roots, some root refused, message per refused muscle); each written root
    ("C8-T1" may be one) is read once per distinct value."""
    if roots.null_count == 0 and pa.types.is_list(roots.type):
        offsets = roots.offsets.to_numpy()
        lengths = np.diff(offsets).astype(np.int64)
        values = _dictionary(roots.values.slice(offsets[0], offsets[-1] - offsets[0]))
    else:
        lengths = pc.fill_null(pc.list_value_length(roots), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        values = _dictionary(list_parts(roots)[1])
    read = [_read_root(v) for v in values.dictionary.to_pylist()] if len(values) else []
    per_value = np.array([r[0] for r in read], dtype=np.int64)
    bits = lookup_dictionary(values, per_value, 0) if len(values) else np.zeros(0, dtype=np.int64)
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
    problems: dict[int, str] = {}
    refused = np.array([r[0] < 0 for r in read], dtype=bool)
    if refused.any() or values.null_count:
        parent = np.repeat(np.arange(m), lengths)
        element_bad = lookup_dictionary(values, refused, True)
        bad[parent[element_bad]] = True
        codes = values.indices.to_numpy(zero_copy_only=False)
        for e in np.flatnonzero(element_bad):
            k = int(parent[e])
            problems.setdefault(k, read[int(codes[e])][1] if values.indices[e].is_valid else "a root is empty")
    return np.where(bad, 0, mask), lengths, bad, problems


def _read_root(value: object) -> tuple[int, str]:
    """(root mask, or -1 when refused; the vocabulary's message)."""
    if not isinstance(value, str):
        return -1, "a root is empty"
    try:
        return sum(ROOT_BIT[r] for r in vocabulary.roots(value)), ""
    except vocabulary.VocabularyError as exc:
        return -1, str(exc)


def _single(a: pa.Array | pa.ChunkedArray) -> pa.Array:
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def _dictionary(a: pa.Array) -> pa.Array:
    """Names repeat across muscles: encode once, then every lookup and check runs on the few distinct values."""
    a = _single(a)
    if pa.types.is_dictionary(a.type) or pa.types.is_null(a.type):
        return a if not pa.types.is_null(a.type) else a.cast(pa.string()).dictionary_encode()
    return pc.dictionary_encode(a)


def _nerve_ids(nerve: pa.Array) -> tuple[np.ndarray, dict[int, str]]:
    """Per muscle: the index of its canonical trunk in ``NERVES`` (``deep peroneal`` and ``fibular`` are
    both peroneal), -1 when not given, ``UNKNOWN_NERVE`` when the vocabulary does not know it; read once per
    distinct written value. Also {id: trunk}."""
    if len(nerve) == 0:
        return np.zeros(0, dtype=np.int64), {}
    encoded = _dictionary(nerve)
    ids = []
    for written in encoded.dictionary.to_pylist():
        try:
            ids.append(NERVES.index(vocabulary.nerve(written)) if isinstance(written, str) else UNKNOWN_NERVE)
        except vocabulary.VocabularyError:
            ids.append(UNKNOWN_NERVE)
    per_value = np.array(ids, dtype=np.int64)
    return lookup_dictionary(encoded, per_value, -1), dict(enumerate(NERVES))


def kernel_emg_columns(parts: EmgParts) -> Columns:
    """The side table exactly as ``columns.from_case.case_columns`` lays it out."""
    return {
        "emg_patient": parts.patient,
        "emg_region": parts.region,
        "emg_nerve": parts.nerve_id,
        "emg_roots": parts.roots,
        "emg_fibrillations_psw": parts.flags["fibrillations_psw"],
        "emg_fasciculation_potentials": parts.flags["fasciculation_potentials"],
        "emg_chronic_neurogenic": parts.flags["chronic_neurogenic"],
    }
