"""The trial file (issue 19's contract; docs/trials.md): a trial's id, title, source and criteria, each an
inclusion or exclusion with exactly one condition on one fact, or ``manual`` for the investigator.

A file that breaks the contract is refused with a message naming the criterion and saying what to write: unknown
keys, unknown facts, a value of the wrong type, zero or two condition kinds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alsdx.errors import AlsdxError, CaseFileError
from alsdx.model.load import file_text, parse_document
from alsdx.trials.facts_catalog import FACTS, Fact

MAX_TRIAL_FILE_BYTES: Final = 1_000_000
CONDITIONS: Final = ("in", "min", "max", "equals", "manual")
_CRITERION_KEYS: Final = ("id", "kind", "text", "fact", *CONDITIONS)
_TRIAL_KEYS: Final = ("id", "title", "source", "criteria")
MAX_CRITERIA_PER_TRIAL: Final = 100
"""The bundled trials have 9 to 20 criteria; a registry record's eligibility list rarely reaches 50 (and the
cohort's criterion-id columns index a trial's criteria with int8)."""
ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
"""A trial's and a criterion's id: lowercase letters, digits and hyphens (they name cohort columns)."""

Scalar = str | bool | int | float


class TrialFileError(AlsdxError, ValueError):
    """A trial file broke the trial-file contract (docs/trials.md)."""


class Criterion(BaseModel):
    """One criterion: ``kind`` inclusion or exclusion, and one condition (``in``, ``min``/``max``, ``equals``) on
    ``fact``, or ``manual: true``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    kind: Literal["inclusion", "exclusion"]
    text: str | None = None
    fact: str | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    min: float | None = None
    max: float | None = None
    equals: Scalar | None = None
    manual: bool = False

    @property
    def members(self) -> tuple[Scalar, ...] | None:
        """The values of ``in`` or ``equals`` (None for a range or a manual criterion)."""
        if self.in_ is not None:
            return self.in_
        return None if self.equals is None else (self.equals,)

    @property
    def condition(self) -> str:
        """The condition in the file's words (``min 60``, ``in [probable, definite]``)."""
        if self.manual:
            return "manual"
        if self.members is not None:
            return (
                f"in [{', '.join(_word(v) for v in self.members)}]"
                if self.in_ is not None
                else f"= {_word(self.equals)}"
            )
        parts = ([f">= {self.min:g}"] if self.min is not None else []) + (
            [f"<= {self.max:g}"] if self.max is not None else []
        )
        return " and ".join(parts)


class Trial(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str
    source: str
    criteria: tuple[Criterion, ...]


def _word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def parse_trial(doc: Any, where: str = "trial file") -> Trial:
    """A parsed document -> ``Trial``, or ``TrialFileError`` naming the criterion and what to write."""
    if not isinstance(doc, Mapping):
        raise TrialFileError(f"{where}: a trial file is a mapping with {', '.join(_TRIAL_KEYS)}")
    for key in doc:
        if key not in _TRIAL_KEYS:
            raise TrialFileError(f"{where}: unknown key {key!r}; a trial file has {', '.join(_TRIAL_KEYS)}")
    criteria = doc.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        raise TrialFileError(f"{where}: criteria: write a list of criteria (at least one)")
    if len(criteria) > MAX_CRITERIA_PER_TRIAL:
        raise TrialFileError(f"{where}: criteria: {len(criteria)} criteria; at most {MAX_CRITERIA_PER_TRIAL} per trial")
    seen: set[str] = set()
    for i, raw in enumerate(criteria):
        _check_criterion(raw, f"{where}: criterion {_name(raw, i)}")
        if raw["id"] in seen:
            raise TrialFileError(
                f"{where}: criterion {_name(raw, i)}: the id is used twice; give each criterion its own id"
            )
        seen.add(raw["id"])
    try:
        return Trial.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
            at = f"criterion {_name(criteria[loc[1]], loc[1])}: {'.'.join(str(p) for p in loc[2:])}"
        else:
            at = ".".join(str(p) for p in loc)
        raise TrialFileError(f"{where}: {at}: {_readable(err)}") from None


def _name(raw: Any, index: int) -> str:
    cid = raw.get("id") if isinstance(raw, Mapping) else None
    return f"{cid!r} (criteria[{index}])" if isinstance(cid, str) else f"criteria[{index}]"


def _readable(err: Mapping[str, Any]) -> str:
    if err.get("type") == "string_pattern_mismatch":
        return f"{err.get('input')!r}: write lowercase letters, digits and hyphens (e.g. onset-window)"
    if err.get("type") == "missing":
        return "required: give a value"
    return str(err.get("msg", "invalid"))


def _check_criterion(raw: Any, at: str) -> None:
    """The contract's checks that need the fact: keys, the one condition kind, the value types."""
    if not isinstance(raw, Mapping):
        raise TrialFileError(f"{at}: a criterion is a mapping with id, kind, text, fact and one condition")
    for key in raw:
        if key not in _CRITERION_KEYS:
            raise TrialFileError(f"{at}: unknown key {key!r}; a criterion has {', '.join(_CRITERION_KEYS)}")
    if not isinstance(raw.get("id"), str):
        raise TrialFileError(f"{at}: id: required: write lowercase letters, digits and hyphens (e.g. onset-window)")
    if raw.get("kind") not in ("inclusion", "exclusion"):
        raise TrialFileError(f"{at}: kind: write inclusion or exclusion (got {raw.get('kind')!r})")
    if "text" in raw and not isinstance(raw["text"], str):
        raise TrialFileError(f"{at}: text: write the protocol's words as a string")
    kinds = [k for k in ("in", "equals", "manual") if k in raw] + (["min/max"] if "min" in raw or "max" in raw else [])
    if len(kinds) != 1:
        found = "none" if not kinds else " and ".join(kinds)
        raise TrialFileError(
            f"{at}: give exactly one condition: in (a list), min and/or max, equals, or manual: true (found {found})"
        )
    if "manual" in raw:
        if raw["manual"] is not True:
            raise TrialFileError(f"{at}: manual: write manual: true (or give a condition on a fact instead)")
        if "fact" in raw:
            raise TrialFileError(f"{at}: a manual criterion names no fact; remove fact or give a condition")
        return
    fact_name = raw.get("fact")
    if fact_name not in FACTS:
        hint = f"unknown fact {fact_name!r}" if fact_name is not None else "fact: required for a condition"
        raise TrialFileError(f"{at}: {hint}; write one of: {', '.join(FACTS)} (docs/trials.md)")
    _check_values(FACTS[fact_name], raw, at)


def _check_values(fact: Fact, raw: Mapping[str, Any], at: str) -> None:
    if "in" in raw:
        if not isinstance(raw["in"], list) or not raw["in"]:
            raise TrialFileError(f"{at}: in: write a list of values of {fact.name} (e.g. {_example(fact)})")
        values = raw["in"]
    elif "equals" in raw:
        values = [raw["equals"]]
    else:
        values = []
    if fact.kind == "time" and values:
        raise TrialFileError(f"{at}: {fact.name} changes with the calendar: write min and/or max (whole numbers)")
    for key in ("min", "max"):
        if key not in raw:
            continue
        bound = raw[key]
        if fact.kind in ("category", "boolean"):
            raise TrialFileError(
                f"{at}: {fact.name} is a {fact.kind}: write in or equals, not {key} (e.g. {_example(fact)})"
            )
        if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
            raise TrialFileError(f"{at}: {key}: write a number (got {bound!r})")
        if fact.kind == "time" and (bound != int(bound) or bound < 0):
            raise TrialFileError(f"{at}: {key}: {fact.name} takes a whole number >= 0 (got {bound!r})")
    if "min" in raw and "max" in raw and raw["min"] > raw["max"]:
        raise TrialFileError(f"{at}: min {raw['min']} is above max {raw['max']}; no value could satisfy it")
    for value in values:
        if not _fits(fact, value):
            raise TrialFileError(f"{at}: {value!r} is not a value of {fact.name}; write {_expected(fact)}")


def _fits(fact: Fact, value: Any) -> bool:
    if fact.kind == "boolean":
        return isinstance(value, bool)
    if fact.kind == "category":
        return isinstance(value, str) and value in fact.values
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _expected(fact: Fact) -> str:
    if fact.kind == "boolean":
        return "true or false"
    if fact.kind == "category":
        return "one of " + ", ".join(fact.values)
    return "a number"


def _example(fact: Fact) -> str:
    if fact.kind == "boolean":
        return "equals: true"
    if fact.kind == "category":
        return f"in: [{', '.join(fact.values[-2:])}]"
    return "min: 60"


def load_trial(path: Path) -> Trial:
    """Read a trial file (YAML or JSON, by content, read as case files are: ``model.load``) -> ``Trial`` or
    ``TrialFileError``."""
    try:
        doc = parse_document(file_text(path, MAX_TRIAL_FILE_BYTES, "a trial file"), str(path))
    except CaseFileError as exc:
        raise TrialFileError(str(exc)) from None
    return parse_trial(doc, str(path))


@cache
def bundled_trials() -> dict[str, Trial]:
    """The trials shipped with alsdx (``alsdx/trials/data/*.yaml``), by id."""
    out: dict[str, Trial] = {}
    for entry in sorted(resources.files("alsdx.trials").joinpath("data").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            trial = parse_trial(yaml.safe_load(entry.read_text(encoding="utf-8")), f"bundled {entry.name}")
            out[trial.id] = trial
    return out


def trial_from_argument(argument: str) -> Trial:
    """``--trial FILE|ID``: an existing file is read; otherwise a bundled trial's id."""
    path = Path(argument)
    if path.exists():
        return load_trial(path)
    bundled = bundled_trials()
    if argument in bundled:
        return bundled[argument]
    raise TrialFileError(
        f"--trial {argument}: no such file and no bundled trial with this id; bundled: {', '.join(bundled)}"
    )
