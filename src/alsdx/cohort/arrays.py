"""Arrow arrays -> numpy, tolerant of the types registries and Spark produce (string or dictionary codes,
any integer or float width, date32/date64/timestamp dates), without copying where Arrow allows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.model.case_rules import NO_DATE as NO_DATE  # the missing day, one definition for both doors

NULL_CODE = -1
UNKNOWN_CODE = -2

ArrowArray: TypeAlias = pa.Array | pa.ChunkedArray


def has_column(batch: pa.RecordBatch, name: str) -> bool:
    """``name in batch.schema.names`` without building the list of names (checked per batch, per field)."""
    return batch.schema.get_field_index(name) >= 0


def _single(arr: ArrowArray) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _bits(buffer: pa.Buffer, offset: int, n: int) -> np.ndarray:
    """An Arrow bitmap (validity or boolean values, least significant bit first) as numpy booleans."""
    return np.unpackbits(np.frombuffer(buffer, np.uint8), count=offset + n, bitorder="little")[offset:].view(bool)


def _valid(a: pa.Array) -> np.ndarray | None:
    """True where given, from the validity bitmap; None when the array has no nulls."""
    if a.null_count == 0:
        return None
    validity = a.buffers()[0]
    if validity is None or pa.types.is_null(a.type) or pa.types.is_dictionary(a.type):
        return ~pc.is_null(a).to_numpy(zero_copy_only=False)
    return _bits(validity, a.offset, len(a))


def is_null(arr: ArrowArray) -> np.ndarray:
    a = _single(arr)
    valid = _valid(a)
    return np.zeros(len(a), dtype=bool) if valid is None else ~valid


def as_bool(arr: ArrowArray, default: bool = False) -> np.ndarray:
    """Booleans with nulls read as ``default`` (bit-unpacked from Arrow's buffers, no compute kernels)."""
    a = _single(arr)
    if not pa.types.is_boolean(a.type) or len(a) == 0:
        return _filled(a, default)
    values = _bits(a.buffers()[1], a.offset, len(a))
    valid = _valid(a)
    if valid is None:
        return values
    return values | ~valid if default else values & valid


def as_codes(arr: ArrowArray, allowed: Sequence[str]) -> np.ndarray:
    """int8 position of each value in ``allowed``; NULL_CODE for null, UNKNOWN_CODE for anything else."""
    a = _single(arr)
    values = pa.array(list(allowed), pa.string())
    if pa.types.is_dictionary(a.type):
        return lookup_dictionary(a, _positions(a.dictionary, values), NULL_CODE)
    if len(a) and not (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
        a = a.cast(pa.string())
    out = _positions(a, values)
    return out


def lookup_dictionary(a: pa.Array, per_value: np.ndarray, null_value: int) -> np.ndarray:
    """``per_value[index]`` for each element of a dictionary array (a value computed once per distinct value)."""
    idx = a.indices
    if len(per_value) == 0:
        return np.full(len(a), null_value, dtype=per_value.dtype)
    out = per_value[_filled(idx, 0)]
    if idx.null_count:
        out[is_null(idx)] = null_value
    return out


def _filled(a: pa.Array, value: object) -> np.ndarray:
    if a.null_count:
        a = pc.fill_null(a, value)
    return a.to_numpy(zero_copy_only=False)


def _positions(strings: pa.Array, values: pa.Array) -> np.ndarray:
    if len(strings) == 0:
        return np.zeros(0, dtype=np.int8)
    if not (pa.types.is_string(strings.type) or pa.types.is_large_string(strings.type)):
        strings = strings.cast(pa.string())
    found = pc.index_in(strings.cast(pa.string()), value_set=values)
    out = _filled(found, UNKNOWN_CODE).astype(np.int8)
    if strings.null_count:
        out[is_null(strings)] = NULL_CODE
    return out


def as_float(arr: ArrowArray) -> np.ndarray:
    """float64 with NaN for null (check ``is_null`` first where null and NaN differ)."""
    a = _single(arr)
    if not pa.types.is_floating(a.type):
        a = a.cast(pa.float64())
    return np.asarray(_filled(a, np.nan), dtype=np.float64)


def as_days(arr: ArrowArray) -> np.ndarray:
    """Days since 1970-01-01 as int32; NO_DATE for null."""
    a = _single(arr)
    if not pa.types.is_date32(a.type):
        a = a.cast(pa.date32())
    days = a.cast(pa.int32())
    return np.asarray(_filled(days, NO_DATE), dtype=np.int32)


def list_parts(arr: ArrowArray) -> tuple[np.ndarray, pa.Array]:
    """(parent row of each element, the flattened elements) of a list column; null lists have no elements."""
    a = _single(arr)
    parents = pc.list_parent_indices(a).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return parents, pc.list_flatten(a)


def struct_fields(arr: pa.Array) -> dict[str, pa.Array]:
    """A struct array's children by name, accounting for its offset."""
    return {arr.type.field(i).name: child for i, child in enumerate(arr.flatten())}
