"""The flat cohort layout: one row per patient-visit, generated from the case model so it cannot drift.

Every field of :class:`alsdx.model.case.Case` becomes columns by one of a few rules, chosen by the
field's type (a new field in the model appears here without an edit; a new *list* field without a rule
below is an error at import):

- scalars (bool, number, date, code) -> one column; codes are ``dictionary<int8, string>``;
- ``list[code]`` (exam signs, bulbar symptoms) -> one boolean per allowed code; the exam regions give
  exactly the kernels' sign columns (``cervical_umn_hoffmann``), only the combinations the model allows;
- nested models -> their fields, prefixed by the field name (``weakness_asymmetric``); the top-level
  groups ``exam``, ``genetics`` and ``imaging`` add no prefix, ``ncs`` adds ``ncs_``;
- ``labs``, ``respiratory`` -> the latest value of each measure and its date (rules use the latest value;
  on equal dates the later-listed lab panel wins, as ``columns.from_case`` reads labs, and the
  first-listed respiratory entry, as ``columns.from_case`` reads them); an upper limit of normal
  (``ck_uln_u_per_l``) is the one of the panel that gave the latest value of its analyte (no own date);
- ``alsfrs_r`` -> the latest visit (date, gastrostomy, the 12 items); ``svc`` -> the latest measurement (date,
  percent predicted);
- ``fvc`` -> the latest measurement per position (upright, supine); ``investigations`` -> the latest
  result per test; each with its date;
- ``genetics.variants`` -> one boolean per known gene (and ``other``): a pathogenic or likely
  pathogenic variant (VUS and benign variants are not carried; no rule reads them);
- ``emg``, ``medications`` -> ``list<struct>`` columns with the model's fields.

A null cell means "not given": the model's default where it has one (``false``, ``unknown``,
``not_done``), otherwise missing. Exam regions are the exception ("unknown is not absent"): a region whose
sign cells are all null (or absent) was not examined, one with any sign cell given (``false`` = examined, sign
not found) was examined; ``<region>_examined`` states it explicitly (``alsdx.columns.arrow_examined``). ``id``, ``symptom_onset``, ``assessment_date`` and ``course`` are required.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final, Literal, Union

import annotated_types as at
import pyarrow as pa
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from alsdx.columns.codes import variant_column
from alsdx.model.case import Case
from alsdx.model.vocab import KNOWN_GENES

SCHEMA_VERSION: Final = "1"
CODE: Final = pa.dictionary(pa.int8(), pa.string())
"""Arrow type of a code column at the top level (inside list<struct> codes are plain strings)."""

Rule = Literal[
    "value", "contains", "latest", "latest_date", "latest_paired", "latest_visit", "latest_per", "plp", "list"
]

_UNPREFIXED: Final = frozenset({"exam", "genetics", "imaging"})
LATEST_PER: Final = {"fvc": "position", "investigations": "test"}
_LATEST_VISIT: Final = frozenset({"alsfrs_r", "svc"})
_LATEST_VALUE: Final[dict[str, Literal["first", "last"]]] = {"labs": "last", "respiratory": "first", "weight": "first"}
"""List -> which entry wins among equal latest dates."""
_PLP: Final = frozenset({"variants"})
_NESTED: Final = frozenset({"emg", "medications"})
EXAMINED: Final = "examined"
"""``RegionSigns.examined`` -> ``<region>_examined``, with no default: a null cell is read from the region's sign
cells (any sign cell given, true or false: examined; every sign cell null or absent: not examined)."""
_FLATTENED_GROUP: Final = frozenset({"items"})
"""Nested models whose fields join their parent's prefix (ALSFRS-R ``items`` -> ``alsfrs_r_speech``)."""


@dataclass(frozen=True)
class FlatField:
    """One column of the flat layout and where its value comes from in a case document."""

    name: str
    type: pa.DataType
    rule: Rule
    path: tuple[str, ...]
    """Attribute path in the case (for list rules: the path of the list)."""
    key: str | None = None
    """contains: the code; latest/latest_date/latest_visit: the item field; latest_paired: the analyte whose
    panel gives the value; latest_per: ``<position>.<field>``; plp: the gene (``other`` for a gene without
    its own column)."""
    ties: Literal["first", "last"] = "last"
    """latest rules: which entry wins among equal latest dates (list order)."""
    default: Any = None
    required: bool = False
    allowed: tuple[str, ...] = ()
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    pattern: str | None = None
    children: tuple[FlatField, ...] = ()

    @property
    def source(self) -> str:
        """Where the value comes from, in case-file terms."""
        where, key = ".".join(self.path), str(self.key)
        if self.rule == "latest_per":
            position, field = key.split(".", 1)
            return f"{where}[latest {position}].{field}"
        templates = {
            "value": "{w}",
            "contains": "{w} contains {k}",
            "latest": "{w}[].{k} (latest entry giving it)",
            "latest_date": "{w}[].date of the latest {k}",
            "latest_paired": "{w}[].{n} of the entry giving the latest {k}",
            "latest_visit": "{w}[latest].{k}",
            "plp": "{w}: {k} pathogenic or likely pathogenic",
            "list": "{w}[]",
        }
        return templates[self.rule].format(w=where, k=key, n=self.name)

    @property
    def allowed_text(self) -> str:
        if self.allowed:
            return " | ".join(self.allowed)
        bounds = [
            f">= {self.ge:g}" if self.ge is not None else "",
            f"> {self.gt:g}" if self.gt is not None else "",
            f"<= {self.le:g}" if self.le is not None else "",
        ]
        text = ", ".join(b for b in bounds if b)
        return text or (f"pattern {self.pattern}" if self.pattern else "")


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(base annotation, optional?, constraint metadata) from ``X | None`` and ``Annotated[X, ...]``."""
    optional = False
    metadata: list[Any] = []
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        (annotation,) = args
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            metadata += item.metadata if isinstance(item, FieldInfo) else [item]
    return annotation, optional, metadata


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in metadata:
        if isinstance(m, at.Ge):
            out["ge"] = float(m.ge)  # type: ignore[arg-type]
        elif isinstance(m, at.Gt):
            out["gt"] = float(m.gt)  # type: ignore[arg-type]
        elif isinstance(m, at.Le):
            out["le"] = float(m.le)  # type: ignore[arg-type]
        elif getattr(m, "pattern", None):
            out["pattern"] = m.pattern
    return out


def _scalar_type(base: Any, nested: bool) -> tuple[pa.DataType, tuple[str, ...]]:
    if typing.get_origin(base) is Literal:
        return (pa.string() if nested else CODE), tuple(typing.get_args(base))
    if base is bool:
        return pa.bool_(), ()
    if base is int:
        return pa.int8(), ()
    if base is float:
        return pa.float64(), ()
    if base is dt.date:
        return pa.date32(), ()
    if base is str:
        return pa.string(), ()
    raise TypeError(f"no flat column type for {base!r}")


def _model_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return model.model_fields


def _walk(
    model: type[BaseModel], path: tuple[str, ...], prefix: str, top: bool, in_optional: bool = False
) -> list[FlatField]:
    """Columns of a model's fields; inside an optional group (``ncs``) a null stays null (not done)."""
    out: list[FlatField] = []
    for name, info in _model_fields(model).items():
        base, optional, meta = _unwrap(info.annotation)
        meta = [*info.metadata, *meta]
        where = (*path, name)
        required = top and info.is_required()
        no_default = info.is_required() or optional or in_optional or name == EXAMINED
        default = None if no_default else info.get_default(call_default_factory=True)
        if isinstance(base, type) and issubclass(base, BaseModel):
            if top and name in _UNPREFIXED:
                sub_prefix = ""
            elif name in _FLATTENED_GROUP:
                sub_prefix = prefix
            else:
                sub_prefix = f"{prefix}{name}_"
            out += _walk(base, where, sub_prefix, top=False, in_optional=in_optional or optional)
        elif typing.get_origin(base) is list:
            out += _list_fields(typing.get_args(base)[0], where, prefix, name)
        else:
            typ, allowed = _scalar_type(base, nested=False)
            out.append(
                FlatField(
                    f"{prefix}{name}",
                    typ,
                    "value",
                    where,
                    default=default,
                    required=required,
                    allowed=allowed,
                    **_constraints(meta),
                )
            )
    return out


def _list_fields(item: Any, where: tuple[str, ...], prefix: str, name: str) -> list[FlatField]:
    if typing.get_origin(item) is Literal:
        return [
            FlatField(f"{prefix}{name}_{code}", pa.bool_(), "contains", where, key=code, default=False)
            for code in typing.get_args(item)
        ]
    if name in _NESTED:
        children = tuple(_struct_fields(item))
        struct = pa.struct([pa.field(c.name, c.type, nullable=not c.required) for c in children])
        return [FlatField(f"{prefix}{name}", pa.list_(struct), "list", where, default=[], children=children)]
    if name in _PLP:
        genes = (*KNOWN_GENES, "other")
        return [FlatField(variant_column(g), pa.bool_(), "plp", where, key=g, default=False) for g in genes]
    if name in _LATEST_VALUE:
        ties = _LATEST_VALUE[name]
        out = []
        measures = [f for f in _walk(item, where, "", top=False) if f.name != "date"]
        names = {f.name for f in measures}
        for f in measures:
            paired = f.name.replace("_uln_", "_", 1) if "_uln_" in f.name else None
            if paired in names:  # an upper limit of normal belongs to its analyte's panel
                out.append(replace(f, rule="latest_paired", path=where, key=paired, ties=ties))
                continue
            out.append(replace(f, rule="latest", path=where, key=f.name, ties=ties))
            out.append(FlatField(f"{f.name}_date", pa.date32(), "latest_date", where, key=f.name, ties=ties))
        return out
    if name in _LATEST_VISIT:
        return [
            FlatField(
                f"{prefix}{name}_{f.name}",
                f.type,
                "latest_visit",
                where,
                key=".".join(f.path),
                allowed=f.allowed,
                ge=f.ge,
                gt=f.gt,
                le=f.le,
            )
            for f in _walk(item, (), "", top=False)
        ]
    if name in LATEST_PER:
        by = LATEST_PER[name]
        positions = _walk(item, (), "", top=False)
        (position,) = [f for f in positions if f.name == by]
        out = []
        for pos in position.allowed:
            for f in positions:
                if f.name != by:
                    out.append(
                        FlatField(
                            f"{prefix}{name}_{pos}_{f.name}",
                            f.type,
                            "latest_per",
                            where,
                            key=f"{pos}.{f.name}",
                            allowed=f.allowed,
                            ge=f.ge,
                            gt=f.gt,
                            le=f.le,
                        )
                    )
        return out
    raise TypeError(f"case field {'.'.join(where)} is a list with no flat-layout rule in alsdx.cohort.schema")


def _struct_fields(model: type[BaseModel]) -> list[FlatField]:
    out = []
    for name, info in _model_fields(model).items():
        base, optional, meta = _unwrap(info.annotation)
        meta = [*info.metadata, *meta]
        default = None if info.is_required() or optional else info.get_default(call_default_factory=True)
        allowed: tuple[str, ...] = ()
        if typing.get_origin(base) is list:
            _, _, inner_meta = _unwrap(typing.get_args(base)[0])
            typ = pa.list_(pa.string())
            meta = [*meta, *inner_meta]
        else:
            typ, allowed = _scalar_type(base, nested=True)
        out.append(
            FlatField(
                name,
                typ,
                "value",
                (name,),
                default=default,
                required=info.is_required(),
                allowed=allowed,
                **_constraints(meta),
            )
        )
    return out


@cache
def flat_fields() -> tuple[FlatField, ...]:
    """Every column of the flat layout, in schema order."""
    fields = tuple(_walk(Case, (), "", top=True))
    names = [f.name for f in fields]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise TypeError(f"flat layout has duplicate column names: {sorted(dupes)}")
    return fields


@cache
def fields_by_name() -> dict[str, FlatField]:
    return {f.name: f for f in flat_fields()}


INVALID_REASON: Final = "invalid_reason"
"""Optional input column: a reason set upstream (e.g. a case document that failed validation); such rows
are reported invalid and not assessed."""


@cache
def flat_schema() -> pa.Schema:
    """The Arrow schema of the flat layout, with each column's source and allowed values as field metadata."""
    fields = []
    for f in flat_fields():
        meta = {"source": f.source, "allowed": f.allowed_text, "default": repr(f.default)}
        fields.append(pa.field(f.name, f.type, nullable=not f.required, metadata=meta))
    return pa.schema(fields, metadata={"alsdx.flat_schema_version": SCHEMA_VERSION})
