"""Reading case documents (JSON or YAML) into validated :class:`Case` objects."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, get_args

import yaml
from pydantic import BaseModel, ValidationError

from alsdx.errors import AlsdxError, CaseFileError, CaseValidationError, FieldError
from alsdx.model import vocabulary
from alsdx.model.case import ALLOW_MISSING_ALSFRS_ITEMS, Case, unit_hint

MAX_CASE_BYTES = 2_000_000
"""A case file is a few kB; anything this large is not a case and is refused before parsing."""

MAX_YAML_BYTES = 64 * 1024
"""PyYAML parses in pure Python at ~30 kB/s in the worst case (a flow list of numbers; measured by
tests/reliability/test_fuzz_case_parser.py), so a 2 MB YAML document kept a process busy for 40 s.
Hand-written YAML cases are a few kB; larger cases (machine-made) come as JSON."""


def case_from_dict(data: Any, source: str | None = None, *, allow_missing_alsfrs_items: bool = False) -> Case:
    """Validate a parsed document; errors name the field path. ``allow_missing_alsfrs_items`` admits
    unanswered ALSFRS-R items (for the course engine's explicit prorating option)."""
    if not isinstance(data, dict):
        raise CaseValidationError(
            [FieldError("(document)", f"a case must be a mapping of fields, got {type(data).__name__}")], source
        )
    try:
        return Case.model_validate(data, context={ALLOW_MISSING_ALSFRS_ITEMS: allow_missing_alsfrs_items})
    except ValidationError as exc:
        raise CaseValidationError(field_errors(exc), source) from None


def field_errors(exc: ValidationError) -> list[FieldError]:
    out = []
    for err in exc.errors(include_url=False):
        path = ".".join(_path_part(p) for p in err["loc"]) or "(document)"
        path = path.replace(".[", "[")
        out.append(FieldError(path, readable_message(err)))
    return out


PATTERN_WORDS: Final = {
    r"^[A-Za-z0-9._-]{1,64}$": "write 1 to 64 letters, digits, '.', '_' or '-' (e.g. MRN-004217)",
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$": "write the HGNC gene symbol (letters, digits and '-', e.g. SOD1, C9orf72)",
}
"""Patterns of the case model in words: a message never shows a regular expression."""

_BOUNDS: Final = {
    "greater_than": "greater than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def readable_message(err: Mapping[str, Any]) -> str:
    """A pydantic error as a clinician reads it: what was written and what to write instead."""
    kind, msg = err.get("type", ""), str(err.get("msg", "invalid")).removeprefix("Value error, ")
    ctx, given = err.get("ctx") or {}, err.get("input")
    field = next((p for p in reversed(err.get("loc", ())) if isinstance(p, str)), "")
    shown = _shown(given)
    if kind == "extra_forbidden":
        hint = vocabulary.unknown_field_hint(field, _fields_at(err.get("loc", ())))
        return "unknown field (not part of the case-file contract" + (
            f"; {hint})" if hint else "; see docs/case-format.md for the fields)"
        )
    if kind == "missing" or (given is None and "input" in err and kind != "value_error"):
        return "required: give a value (null and an empty cell mean 'not given')"
    if kind == "literal_error":
        expected = [e.strip().strip("'") for e in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        guess = vocabulary.nearest(str(given), expected) if isinstance(given, str) else None
        hint = f"; did you mean {guess!r}?" if guess and guess != given else ""
        return f"{shown} is not one of {', '.join(expected)}{hint}"
    if kind == "string_pattern_mismatch":
        words = PATTERN_WORDS.get(str(ctx.get("pattern")), "see docs/case-format.md for the accepted form")
        return f"{shown} is not accepted: {words}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "")
        likely = unit_hint(field, given)
        return f"{shown} is not accepted: must be {_BOUNDS[kind]} {bound}" + (f" ({likely})" if likely else "")
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown} is not accepted: write true or false"
    if kind in ("int_type", "float_type", "int_parsing", "float_parsing", "int_from_float"):
        return f"{shown} is not accepted: write a number" + (" (a whole number)" if "int" in kind else "")
    if kind in ("string_type", "list_type", "dict_type", "model_type", "date_type") and "input" in err:
        got = shown if isinstance(given, int | float | str | bool) else type(given).__name__
        return f"{msg.lower().removeprefix('input should be ')}: got {got}"
    return msg


def _fields_at(loc: Sequence[str | int]) -> list[str]:
    """The field names the case model accepts where ``loc`` (an unknown field's path) points."""
    model: type[BaseModel] = Case
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through ``X | None`` and ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_model_in, get_args(annotation)) if m is not None), None)


def _shown(value: Any, limit: int = 80) -> str:
    """What was written, quoted and cut to a readable length (a 5,000-digit number has no printable repr)."""
    try:
        text = repr(value)
    except ValueError:
        return f"a {type(value).__name__} too long to show"
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _path_part(part: str | int) -> str:
    return f"[{part}]" if isinstance(part, int) else str(part)


def parse_case_text(text: str, source: str | None = None, *, allow_missing_alsfrs_items: bool = False) -> Case:
    """Parse JSON or YAML text (YAML is a superset of JSON, loaded with the safe loader)."""
    if len(text) > MAX_CASE_BYTES:
        raise CaseFileError(f"{source or 'case'}: larger than {MAX_CASE_BYTES} bytes; not a case file")
    try:
        data = _document(text)
    except _Refused as exc:
        raise CaseFileError(f"{source or 'case'}: {exc}") from None
    return case_from_dict(data, source, allow_missing_alsfrs_items=allow_missing_alsfrs_items)


MAX_DEPTH = 32
"""A case nests five levels deep (exam.bulbar.umn[0]); far deeper is hostile and would exhaust the
parsers' recursion (found by fuzzing: 1,000 nested brackets raised RecursionError)."""


class _Refused(Exception):
    """The text is not a document alsdx reads; the message says why."""


def json_document(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Strict JSON as case documents are read (also one line of a cohort's JSONL): a repeated key or
    nesting deeper than ``max_depth`` is a :class:`CaseFileError`, like text that is not JSON."""
    try:
        return _json(text, max_depth)
    except _Refused as exc:
        raise CaseFileError(str(exc)) from None
    except ValueError as exc:
        raise CaseFileError(f"not valid JSON: {str(exc).split(';')[0]}") from None


def _json(text: str | bytes, max_depth: int) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except RecursionError:
        raise _Refused(f"nested more than {max_depth} levels") from None
    if deeper_than(data, max_depth):
        raise _Refused(f"nested more than {max_depth} levels")
    return data


def _document(text: str) -> Any:
    try:
        return _json(text, MAX_DEPTH)
    except ValueError:  # not JSON (or a number Python will not read): try YAML, a superset
        pass
    if len(text) > MAX_YAML_BYTES:
        raise _Refused(f"not valid JSON, and larger than {MAX_YAML_BYTES} bytes for YAML (use JSON for large cases)")
    try:
        return yaml.load(text, Loader=_CaseLoader)
    except yaml.YAMLError as exc:
        raise _Refused(f"not valid JSON or YAML: {exc}") from None
    except ValueError as exc:  # a scalar the constructors cannot build, e.g. an integer of 5,000 digits
        raise _Refused(f"not valid JSON or YAML: {str(exc).split(';')[0]}") from None


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects with a repeated key are refused: parsers disagree on which value wins."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Refused(f"duplicate key {key!r} (each field may appear once)")
        obj[key] = value
    return obj


def deeper_than(data: Any, limit: int) -> bool:
    """Whether JSON-like ``data`` nests containers more than ``limit`` levels (checked level by level,
    without recursion)."""
    level, depth = [data], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else ())
            if isinstance(child, dict | list)
        ]
    return False


def load_case(path: str | Path, *, allow_missing_alsfrs_items: bool = False) -> Case:
    p = Path(path)
    text = file_text(p, MAX_CASE_BYTES, "a case file")
    return parse_case_text(text, str(p), allow_missing_alsfrs_items=allow_missing_alsfrs_items)


def load_case_files(paths: Sequence[str | Path]) -> tuple[list[Case], list[str]]:
    """Several case files, each on its own: (the cases read, the error message of each file refused). One bad
    file never stops the others (``alsdx assess``, ``alsdx trials screen``)."""
    loaded: list[Case] = []
    refused: list[str] = []
    for path in paths:
        try:
            loaded.append(load_case(path))
        except AlsdxError as exc:
            refused.append(str(exc))
    return loaded, refused


def file_text(path: Path, max_bytes: int, what: str) -> str:
    """A document file's UTF-8 text, refused (``CaseFileError``) when unreadable, larger than ``max_bytes`` or not
    UTF-8. Shared by the case files and the trial files (``alsdx.trials.model``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise CaseFileError(f"{path}: larger than {max_bytes} bytes; not {what}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text") from None


def parse_document(text: str, source: str) -> Any:
    """JSON or YAML text as case and trial files are read: no YAML aliases, no repeated keys, bounded nesting and
    size (``CaseFileError`` naming the reason otherwise)."""
    try:
        return _document(text)
    except _Refused as exc:
        raise CaseFileError(f"{source}: {exc}") from None


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (a 'billion laughs' document cannot expand), nesting deeper than
    MAX_DEPTH and repeated keys, and leaves timestamps as text for the case model to check (so an
    impossible date such as 2025-02-30 is an error naming its field)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels", self.peek_event().start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)  # merge keys (<<) become ordinary entries first
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    continue  # the base class reports an unhashable key
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key!r} (each field may appear once)",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


def _timestamp_as_text(loader: _CaseLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_CaseLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
