"""Case documents <-> flat rows (the layout of ``alsdx.cohort.schema``).

``case_row`` flattens a validated case; ``row_document`` rebuilds a case document from a flat row (the
flat layout keeps what the rules read, so ``assess(Case(row_document(case_row(c))))`` equals
``assess(c)``). Both walk ``flat_fields()``, so they follow the model without edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from alsdx.cohort.schema import INVALID_REASON, LATEST_PER, FlatField, flat_fields, flat_schema
from alsdx.model.case import Case
from alsdx.model.vocab import KNOWN_GENES, PATHOGENIC_CLASSES


def _get(obj: Any, path: Iterable[str]) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _latest(items: Iterable[Any], keep: Any = None, ties: str = "last") -> Any:
    """The item with the latest date among those ``keep`` accepts; on equal dates the later-listed one
    (``ties="last"``) or the first-listed one (``ties="first"``)."""
    best = None
    for item in items:
        if (keep is None or keep(item)) and (
            best is None or item.date > best.date or (ties == "last" and item.date == best.date)
        ):
            best = item
    return best


def _value(case: Case, f: FlatField) -> Any:
    if f.rule == "value":
        return _get(case, f.path)
    if f.rule == "contains":
        if getattr(_get(case, f.path[:-1]), "examined", True) is False:
            return None  # a region not examined: its signs are unknown, not absent
        return f.key in _get(case, f.path)
    items = _get(case, f.path)
    key = str(f.key)
    if f.rule in ("latest", "latest_date", "latest_paired"):
        panel = _latest(items, lambda p: getattr(p, key) is not None, f.ties)
        if panel is None:
            return None
        return panel.date if f.rule == "latest_date" else getattr(panel, f.name)
    if f.rule == "latest_visit":
        return _get(_latest(items), key.split("."))
    if f.rule == "latest_per":
        value, field = key.split(".", 1)
        by = LATEST_PER[f.path[-1]]
        return _get(_latest(items, lambda m: getattr(m, by) == value), [field])
    if f.rule == "plp":
        genes = {v.gene if v.gene in KNOWN_GENES else "other" for v in items if v.classification in PATHOGENIC_CLASSES}
        return key in genes
    if f.rule == "list":
        return [{c.name: getattr(item, c.name) for c in f.children} for item in items]
    raise ValueError(f"unknown flat rule {f.rule}")


def case_row(case: Case) -> dict[str, Any]:
    """One flat row (column name -> Python value) from a validated case."""
    return {f.name: _value(case, f) for f in flat_fields()}


def rows_to_batch(rows: Sequence[Mapping[str, Any]], with_reason: bool = False) -> pa.RecordBatch:
    """Flat rows -> a record batch of the flat schema (plus ``invalid_reason`` when asked)."""
    schema = flat_schema()
    if with_reason:
        schema = schema.append(pa.field(INVALID_REASON, pa.string()))
    # Rows that failed validation carry only an id; nullable=False fields must still accept their null.
    schema = pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)
    return pa.RecordBatch.from_pylist(list(rows), schema=schema)


def cases_to_batch(cases: Sequence[Case]) -> pa.RecordBatch:
    return rows_to_batch([case_row(c) for c in cases])


def row_document(row: Mapping[str, Any]) -> dict[str, Any]:
    """A case document (as ``Case.model_validate`` takes it) from a flat row; nulls are omitted."""
    doc: dict[str, Any] = {}
    visits: dict[str, dict[str, Any]] = {}
    """List name (``alsfrs_r``, ``svc``) -> its latest entry."""
    per_key: dict[tuple[str, str], dict[str, Any]] = {}
    for f in flat_fields():
        value = row.get(f.name)
        if value is None or (f.rule == "plp" and value is False):
            continue
        if f.rule == "value":
            _set(doc, f.path, value)
        elif f.rule == "contains":
            if value:
                _list(doc, f.path).append(f.key)
            else:  # a sign cell given false: its region was examined (the sign not found)
                _parent(doc, f.path)
        elif f.rule == "plp":
            _list(doc, f.path).append({"gene": f.key, "classification": "pathogenic"})
        elif f.rule == "list":
            doc[f.path[-1]] = [
                None if item is None else {k: v for k, v in item.items() if v is not None} for item in value
            ]
        elif f.rule in ("latest", "latest_paired"):
            when = row.get(f"{f.key}_date")
            panels = _list(doc, f.path)
            panel = next((p for p in panels if p.get("date") == when), None)
            if panel is None:
                panel = {} if when is None else {"date": when}
                panels.append(panel)
            panel[f.name] = value
        elif f.rule == "latest_date":  # a dated panel without this analyte still carries its date
            panels = _list(doc, f.path)
            if not any(p.get("date") == value for p in panels):
                panels.append({"date": value})
        elif f.rule == "latest_visit":
            _set(visits.setdefault(f.path[-1], {}), str(f.key).split("."), value)
        elif f.rule == "latest_per":
            key, field = str(f.key).split(".", 1)
            by = LATEST_PER[f.path[-1]]
            per_key.setdefault((f.path[-1], key), {by: key})[field] = value
    for name, entry in visits.items():
        doc[name] = [entry]
    for (name, _), entry in per_key.items():
        doc.setdefault(name, []).append(entry)
    return doc


def _set(doc: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for name in path[:-1]:
        doc = doc.setdefault(name, {})
    doc[path[-1]] = value


def _parent(doc: dict[str, Any], path: Sequence[str]) -> dict[str, Any]:
    for name in path[:-1]:
        doc = doc.setdefault(name, {})
    return doc


def _list(doc: dict[str, Any], path: Sequence[str]) -> list[Any]:
    for name in path[:-1]:
        doc = doc.setdefault(name, {})
    out: list[Any] = doc.setdefault(path[-1], [])
    return out
