"""Case-form errors for a web user: every error at once, in plain words, next to the field it concerns.

The case model validates in layers (a row's fields, then the row, then the whole case), so one pass
reports only the first layer met. :func:`all_errors` validates again without the parts already found
wrong until nothing new appears, and maps each error back to the submitted form's row numbers.
:func:`plain` rewrites a model message (written for case files and the command line) for the form:
labels instead of field names, no command-line options, and the input to put the message beside.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from alsdx.api import alsfrs_anchors
from alsdx.api.caseform import label
from alsdx.errors import CaseValidationError, FieldError
from alsdx.model.load import case_from_dict

MAX_PASSES = 6
_ROW = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<i>\d+)\](?P<rest>.*)$")
REQUIRED_TOP = ("id", "symptom_onset", "assessment_date", "course")
"""Fields the whole-case checks need: with one of them wrong, later layers cannot be reached."""
LIST_LABELS = {
    "emg": "EMG row",
    "labs": "Lab panel",
    "fvc": "FVC row",
    "alsfrs_r": "ALSFRS-R scoring",
    "medications": "Medication row",
    "respiratory": "Respiratory test row",
    "weight": "Weight row",
    "investigations": "Investigation row",
    "genetics.variants": "Variant row",
}
FIELD_LABELS = {
    "id": "Case id",
    "symptom_onset": "First motor symptom",
    "assessment_date": "Assessment date",
    "muscle": "Muscle",
    "side": "Side",
    "percent_predicted": "% predicted",
    "position": "Position",
    "start_date": "Start",
    "stop_date": "Stop",
    "items": "Items",
}


@dataclass(frozen=True)
class PlainError:
    field_id: str
    """The id of the input to show the message beside (and to link to from the summary)."""
    where: str
    message: str


def all_errors(doc: dict[str, Any]) -> list[FieldError]:
    """Every validation error of ``doc`` (paths as in the submitted form); empty when it is a valid case."""
    work = copy.deepcopy(doc)
    kept: dict[str, list[int]] = {}
    found: list[FieldError] = []
    for _ in range(MAX_PASSES):
        try:
            case_from_dict(work)
            return found
        except CaseValidationError as exc:
            errors = [FieldError(_original(e.path, kept), e.message) for e in exc.errors]
            new = [e for e in errors if e not in found]
            found += new
            if not new or not _drop(work, exc.errors, kept):
                return found
    return found


def _original(path: str, kept: dict[str, list[int]]) -> str:
    m = _ROW.match(path)
    if not m or m["list"] not in kept:
        return path
    return f"{m['list']}[{kept[m['list']][int(m['i'])]}]{m['rest']}"


def _container(doc: dict[str, Any], dotted: str) -> tuple[dict[str, Any], str] | None:
    *parents, last = dotted.split(".")
    node: Any = doc
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    return (node, last) if isinstance(node, dict) else None


def _drop(doc: dict[str, Any], errors: list[FieldError], kept: dict[str, list[int]]) -> bool:
    """Remove what the errors point at (a row, or an optional top-level field); False when nothing can go."""
    rows: dict[str, set[int]] = {}
    dropped = False
    for e in errors:
        m = _ROW.match(e.path)
        if m:
            rows.setdefault(m["list"], set()).add(int(m["i"]))
            continue
        top = e.path.split(".")[0]
        if e.path == "(document)" or top in REQUIRED_TOP:
            return False  # the whole-case checks are the last layer; a required field blocks them
        place = _container(doc, e.path)
        if place is not None and place[1] in place[0]:
            del place[0][place[1]]
            dropped = True
    for name, bad in rows.items():
        place = _container(doc, name)
        if place is None or not isinstance(place[0].get(place[1]), list):
            continue
        items = place[0][place[1]]
        index = kept.setdefault(name, list(range(len(items))))
        keep = [k for k in range(len(items)) if k not in bad]
        place[0][place[1]] = [items[k] for k in keep]
        kept[name] = [index[k] for k in keep]
        dropped = True
    return dropped


def _words(text: str) -> str:
    """Field names in a message as their form labels ('alt_uln_u_per_l' -> 'ALT ULN (U/L)')."""
    return re.sub(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", lambda m: label(m.group(0)), text)


def _date_fields(text: str) -> list[tuple[str, str]]:
    return re.findall(r"([a-z_]+(?:\[\d+\])?\.?[a-z_]*) \((\d{4}-\d{2}-\d{2})\)", text)


def plain(errors: list[FieldError]) -> list[PlainError]:
    """Each error in plain words beside its input (a whole-case error may name several inputs)."""
    out: list[PlainError] = []
    for e in errors:
        out += _plain_one(e)
    return out


def _where(path: str) -> str:
    m = _ROW.match(path)
    if m:
        rest = m["rest"].lstrip(".")
        field = FIELD_LABELS.get(rest.split(".")[-1], label(rest.split(".")[-1])) if rest else ""
        if rest.startswith("items.") and rest.split(".")[1] in alsfrs_anchors.ITEMS:
            field = alsfrs_anchors.ITEMS[rest.split(".")[1]][0]
        head = f"{LIST_LABELS.get(m['list'], label(m['list']))} {int(m['i']) + 1}"
        return f"{head}, {field}" if field else head
    last = path.split(".")[-1]
    return FIELD_LABELS.get(last, label(last))


def _field_id(path: str, message: str = "") -> str:
    """The input a path belongs to: a row-level error goes to the input it names, else the row's first."""
    m = _ROW.match(path)
    if m and not m["rest"] and m["list"] == "emg":
        named = re.match(r"(nerve|roots|region) ", message)
        if named and named[1] != "region":
            return f"{path}.{named[1]}"
        if "roots" in message or "level" in message:
            return f"{path}.roots"
    if m and not m["rest"]:
        first = {"emg": "muscle", "medications": "name", "alsfrs_r": "quick", "fvc": "date"}.get(m["list"], "date")
        return f"{path}.{first}"
    if m and m["rest"] == ".items":
        return f"{path[: -len('.items')]}.quick"
    if path == "exam":
        return "exam.bulbar.examined"
    return path


def _plain_one(e: FieldError) -> list[PlainError]:
    msg = e.message
    if e.path == "(document)":
        return _document_error(msg)
    # The case model words every error once (model/load.py readable_message); the web only says it for a form.
    if " is not a date: write " in msg:
        got = msg.split(" is not a date", 1)[0]
        text = "Enter a date." if got == "''" else f"Enter a date as year-month-day (got {got})."
    elif msg.startswith("required: give a value"):
        text = "Required: please fill this in."
    elif msg.startswith("Input should be a valid number") or msg.startswith("Input should be a finite number"):
        text = "Enter a number."
    elif msg.startswith("Input should be") and "'" in msg:
        choices = re.findall(r"'([^']+)'", msg)
        text = "Choose one of: " + ", ".join(c.replace("_", " ") for c in choices) + "."
    elif msg.startswith("Input should be"):
        text = "Enter " + msg.removeprefix("Input should be ").replace("greater than or equal to", "at least") + "."
    elif "ALSFRS-R items are required" in msg:
        missing = re.match(r"item\(s\) (.+?) missing", msg)
        names = [
            alsfrs_anchors.ITEMS[i][0] for i in (missing[1].split(", ") if missing else []) if i in alsfrs_anchors.ITEMS
        ]
        text = "Score all 12 items" + (f"; not scored: {', '.join(names)}." if names else ".")
    elif msg.startswith("unknown field"):
        text = "This field is not part of a case."
    else:
        text = _words(re.sub(r"\s*\([^)]*--[a-z-]+[^)]*\)", "", msg))
        text = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return [PlainError(_field_id(e.path, msg), _where(e.path), text)]


def _document_error(msg: str) -> list[PlainError]:
    m = re.match(r"dates after assessment_date (\S+): (.+)$", msg)
    if m:
        return [
            PlainError(path, _where(path), f"This date ({when}) is after the assessment date ({m[1]}).")
            for path, when in _date_fields(m[2])
        ]
    first = re.match(r"([a-z_]+) ", msg)
    field = first[1] if first and first[1] in ("symptom_onset", "birth_date", "diagnosis_date", "age_at_onset") else ""
    rewrites = {
        "symptom_onset": "The first motor symptom cannot be after the assessment date.",
        "birth_date": "The birth date must be before the first motor symptom.",
        "diagnosis_date": "The diagnosis date cannot be before the first motor symptom.",
    }
    if field in rewrites:
        return [PlainError(field, _where(field), rewrites[field])]
    if field == "age_at_onset":
        derived = re.search(r"\(([\d.]+) years\)", msg)
        years = f" ({derived[1]} years from the birth date)" if derived else ""
        return [
            PlainError(
                "age_at_onset",
                "Age at onset",
                f"Age at onset disagrees with the birth date{years}: enter one of the two.",
            )
        ]
    return [PlainError("id", "Case", _words(msg))]
