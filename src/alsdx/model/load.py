"""Reading case documents (JSON or YAML) into validated :class:`Case` objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from alsdx.errors import CaseFileError, CaseValidationError, FieldError
from alsdx.model.case import ALLOW_MISSING_ALSFRS_ITEMS, Case

MAX_CASE_BYTES = 2_000_000
"""A case file is a few kB; anything this large is not a case and is refused before parsing."""


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
    for err in exc.errors(include_url=False, include_input=False):
        path = ".".join(_path_part(p) for p in err["loc"]) or "(document)"
        path = path.replace(".[", "[")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field (not part of the case-file contract)"
        out.append(FieldError(path, msg))
    return out


def _path_part(part: str | int) -> str:
    return f"[{part}]" if isinstance(part, int) else str(part)


def parse_case_text(
    text: str, source: str | None = None, *, allow_missing_alsfrs_items: bool = False
) -> Case:
    """Parse JSON or YAML text (YAML is a superset of JSON, loaded with the safe loader)."""
    if len(text) > MAX_CASE_BYTES:
        raise CaseFileError(f"{source or 'case'}: larger than {MAX_CASE_BYTES} bytes; not a case file")
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.load(text, Loader=_CaseLoader)
        except yaml.YAMLError as exc:
            raise CaseFileError(f"{source or 'case'}: not valid JSON or YAML: {exc}") from None
    return case_from_dict(data, source, allow_missing_alsfrs_items=allow_missing_alsfrs_items)


def load_case(path: str | Path, *, allow_missing_alsfrs_items: bool = False) -> Case:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CaseFileError(f"{p}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseFileError(f"{p}: larger than {MAX_CASE_BYTES} bytes; not a case file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseFileError(f"{p}: not UTF-8 text") from None
    return parse_case_text(text, str(p), allow_missing_alsfrs_items=allow_missing_alsfrs_items)


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so a 'billion laughs' document cannot expand."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed in case files", event.start_mark
            )
        return super().compose_node(parent, index)
