"""CSV cells (text) -> flat-layout values, cell by cell problems becoming row reasons, never a failed run.

Yes/no cells: ``true``/``false``/``yes``/``no``/``y``/``n``/``1``/``0`` and the localised spellings of
``alsdx.cohort.spreadsheet`` (any case); numbers: decimal notation, or a decimal comma in a ``;``-separated
file (``1,200`` there is refused as ambiguous); dates: ISO 8601 ``YYYY-MM-DD``; an empty cell, ``NA``,
``N/A``, ``NULL`` or ``#N/A`` is "not given". List columns (``emg``, ``medications``) hold a JSON array of
records, e.g. ``[{"muscle": "biceps_brachii", "side": "left", "chronic_neurogenic": true}]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.cohort.schema import INVALID_REASON, FlatField, fields_by_name
from alsdx.cohort.spreadsheet import AMBIGUOUS_NUMBER, DECIMAL_COMMA, MISSING, NO, YES
from alsdx.errors import CaseFileError
from alsdx.model.load import json_document

NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
YES_VALUES = pa.array(sorted(YES))
NO_VALUES = pa.array(sorted(NO))
MISSING_VALUES = pa.array(sorted(MISSING))


def _problems(bad: np.ndarray, name: str, text: pa.Array, what: str, reasons: list[list[str]]) -> None:
    for i in np.flatnonzero(bad):
        reasons[i].append(f"{name}: {text[i].as_py()!r} is not {what}")


def _convert(f: FlatField, text: pa.Array, reasons: list[list[str]], decimal_comma: bool = False) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(text)
    blank = pc.is_in(pc.utf8_lower(trimmed), value_set=MISSING_VALUES)
    text = pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)
    given = ~pc.is_null(text).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(f.type):
        lower = pc.utf8_lower(text)
        yes = pc.is_in(lower, value_set=YES_VALUES).to_numpy(zero_copy_only=False)
        no = pc.is_in(lower, value_set=NO_VALUES).to_numpy(zero_copy_only=False)
        _problems(given & ~yes & ~no, f.name, text, "yes or no (true/false, yes/no, 1/0)", reasons)
        return pa.array(yes, mask=~(yes | no))
    if pa.types.is_integer(f.type) or pa.types.is_floating(f.type):
        if decimal_comma:
            ambiguous = pc.fill_null(pc.match_substring_regex(text, AMBIGUOUS_NUMBER), False)
            for row in np.flatnonzero(ambiguous.to_numpy(zero_copy_only=False)).tolist():
                reasons[row].append(_ambiguous_message(f.name, str(text[row].as_py())))
            comma = pc.fill_null(pc.match_substring_regex(text, DECIMAL_COMMA), False)
            text = pc.if_else(pc.and_(comma, pc.invert(ambiguous)), pc.replace_substring(text, ",", "."), text)
            text = pc.if_else(ambiguous, pa.scalar(None, pa.string()), text)
            given &= ~ambiguous.to_numpy(zero_copy_only=False)
        ok = pc.fill_null(pc.match_substring_regex(text, NUMBER), False).to_numpy(zero_copy_only=False)
        _problems(given & ~ok, f.name, text, "a number", reasons)
        return pc.if_else(pa.array(ok), text, pa.scalar(None, pa.string())).cast(pa.float64())
    if pa.types.is_date(f.type):
        ok = pc.fill_null(pc.match_substring_regex(text, DATE), False).to_numpy(zero_copy_only=False)
        masked = pc.if_else(pa.array(ok), text, pa.scalar(None, pa.string()))
        parsed = []
        for i, value in enumerate(masked.to_pylist()):
            try:
                parsed.append(None if value is None else np.datetime64(value, "D").astype(np.int32))
            except ValueError:
                ok[i] = False
                parsed.append(None)
        _problems(given & ~ok, f.name, text, "an ISO 8601 date (YYYY-MM-DD)", reasons)
        return pa.array(parsed, pa.int32()).cast(pa.date32())
    if pa.types.is_list(f.type):
        values: list[Any] = []
        for i, cell in enumerate(text.to_pylist()):
            try:
                values.append(None if cell is None else pa.scalar(_records(cell, f.type), f.type).as_py())
            except (ValueError, TypeError, pa.ArrowException, CaseFileError) as exc:
                reasons[i].append(f"{f.name}: not a JSON list of records of this layout ({exc})")
                values.append(None)
        return pa.array(values, f.type)
    return text


def _ambiguous_message(name: str, value: str) -> str:
    whole, fraction = value.replace(".", ",").split(",")
    decimal = fraction.rstrip("0") or "0"
    decimal += "0" if len(decimal) == 3 else ""
    return (
        f"{name}: {value!r} is ambiguous in a file with decimal commas (thousands separator or decimal mark?); "
        f"write {whole}{fraction} for the whole number, or {whole},{decimal} for the decimal"
    )


def _records(cell: str, list_type: pa.DataType) -> Any:
    """A JSON cell of list records, with ISO date strings made dates where the layout has a date (JSON has
    no date type, so ``"start_date": "2025-11-01"`` was refused before: every CSV medication was invalid)."""
    records = json_document(cell)
    item = list_type.value_type
    if not isinstance(records, list) or not pa.types.is_struct(item):
        return records
    dated = [item.field(i).name for i in range(item.num_fields) if pa.types.is_date(item.field(i).type)]
    for record in records:
        if isinstance(record, dict):
            for name in dated:
                if isinstance(record.get(name), str):
                    record[name] = dt.date.fromisoformat(record[name])
    return records


def from_text(batch: pa.RecordBatch, decimal_comma: bool = False) -> pa.RecordBatch:
    """A batch of text columns (as read from CSV) -> flat types, with cell problems in ``invalid_reason``;
    ``decimal_comma``: numbers may use a decimal comma (``alsdx.cohort.spreadsheet.sniff``)."""
    flat = fields_by_name()
    reasons: list[list[str]] = [[] for _ in range(batch.num_rows)]
    arrays, names = [], []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        text = column.cast(pa.string())
        if name == INVALID_REASON:
            for i, value in enumerate(text.to_pylist()):
                if value:
                    reasons[i].insert(0, value)
            continue
        arrays.append(_convert(flat[name], text, reasons, decimal_comma))
        names.append(name)
    arrays.append(pa.array(["; ".join(r) if r else None for r in reasons], pa.string()))
    names.append(INVALID_REASON)
    return pa.RecordBatch.from_arrays(arrays, names=names)
