"""Whole-file checks of an input's columns against the flat layout, before any row is read.

Unknown columns are an error (as unknown fields are in a case file), so a misspelt sign column can never
silently read as "sign absent". Missing optional columns read as null ("not given").
Types are accepted by family: codes as string or dictionary, numbers of any width, dates as
date32/date64/timestamp, and all-null columns of any type.
"""

from __future__ import annotations

import difflib

import pyarrow as pa

from alsdx.cohort.schema import INVALID_REASON, FlatField, fields_by_name
from alsdx.errors import AlsdxError


class CohortInputError(AlsdxError, ValueError):
    """An input file's columns do not fit the flat cohort layout (docs/cohort.md)."""


def _stringy(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        return _stringy(t.value_type)
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _fits(expected: pa.DataType, got: pa.DataType, children: tuple[FlatField, ...] = ()) -> str | None:
    """None when ``got`` is acceptable for ``expected``, else what was expected."""
    if pa.types.is_null(got):
        return None
    if pa.types.is_boolean(expected):
        return None if pa.types.is_boolean(got) else "a yes/no column (bool)"
    if _stringy(expected):
        return None if _stringy(got) else "a text or code column (string)"
    if pa.types.is_integer(expected) or pa.types.is_floating(expected):
        ok = pa.types.is_integer(got) or pa.types.is_floating(got)
        return None if ok else "a number column"
    if pa.types.is_date(expected):
        return None if pa.types.is_date(got) or pa.types.is_timestamp(got) else "a date column (date32)"
    if pa.types.is_list(expected):
        if not (pa.types.is_list(got) or pa.types.is_large_list(got)):
            return f"a list column ({expected})"
        inner, got_inner = expected.value_type, got.value_type
        if pa.types.is_struct(inner):
            if not pa.types.is_struct(got_inner):
                return f"a list of records ({expected})"
            known = {c.name: c for c in children}
            for i in range(got_inner.num_fields):
                child = got_inner.field(i)
                if child.name not in known:
                    return f"records with the fields {', '.join(known)} (unknown field {child.name!r})"
                problem = _fits(known[child.name].type, child.type)
                if problem:
                    return f"records whose {child.name} is {problem}"
            return None
        return _fits(inner, got_inner)
    return None if got.equals(expected) else str(expected)


def check_columns(schema: pa.Schema, types: bool = True) -> None:
    """Raise CohortInputError naming the first problem column (unknown, missing required, wrong type).
    ``types=False`` checks names only (CSV text, converted cell by cell later)."""
    flat = fields_by_name()
    names = schema.names
    unknown = [n for n in names if n not in flat and n != INVALID_REASON]
    if unknown:
        hints = [
            f"{n!r}" + (f" (did you mean {m[0]!r}?)" if (m := difflib.get_close_matches(n, flat, 1)) else "")
            for n in unknown[:5]
        ]
        raise CohortInputError(
            f"unknown column(s) {', '.join(hints)}: not part of the flat cohort layout (`alsdx cohort schema` lists it)"
        )
    missing = [f.name for f in flat.values() if f.required and f.name not in names]
    if missing:
        raise CohortInputError(f"required column(s) missing: {', '.join(missing)}")
    for field in schema if types else []:
        if field.name == INVALID_REASON:
            problem = None if _stringy(field.type) or pa.types.is_null(field.type) else "a text column"
        else:
            f = flat[field.name]
            problem = _fits(f.type, field.type, f.children)
        if problem:
            raise CohortInputError(f"column {field.name!r}: type {field.type} given, expected {problem}")
