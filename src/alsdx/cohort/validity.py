"""Row validity of a flat batch: the case model's rules, vectorised, with a reason naming the field.

A row is invalid exactly when ``Case.model_validate(row_document(row))`` would fail (a property test
holds the two together). Invalid rows are reported with their reason and never stop a run.
Value checks (codes, ranges, patterns, required fields) are read from ``flat_fields()``; the
cross-field rules below mirror the model's validators one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alsdx.cohort.arrays import (
    NO_DATE,
    NULL_CODE,
    UNKNOWN_CODE,
    as_bool,
    as_codes,
    as_days,
    as_float,
    has_column,
    is_null,
    list_parts,
    struct_fields,
)
from alsdx.cohort.schema import INVALID_REASON, FlatField, fields_by_name, flat_fields
from alsdx.columns.arrow_emg import REGION_ROOTS, UNKNOWN_NERVE, EmgParts, table
from alsdx.columns.arrow_examined import examined_column, signs_recorded
from alsdx.model import vocabulary
from alsdx.model.case import EARLIEST_DATE, LATEST_DATE, MAX_AGE, unit_hint
from alsdx.model.load import PATTERN_WORDS
from alsdx.model.vocab import REGIONS
from alsdx.model.vocabulary import ROOTS_HELP

Message = Callable[[int], str]
EPOCH = dt.date(1970, 1, 1)


def _day(days: int | np.integer) -> str:
    """ISO date, or the day number for dates Python cannot represent (Arrow can: year 10000 and on)."""
    try:
        return (EPOCH + dt.timedelta(days=int(days))).isoformat()
    except OverflowError:
        return f"day {int(days)} after 1970-01-01"


def _constant(text: str) -> Message:
    return lambda _i: text


@dataclass
class Problems:
    """Masks of failing rows, each with a message builder called only for the rows that fail."""

    n: int
    found: list[tuple[np.ndarray, Message]] = field(default_factory=list)

    def add(self, mask: np.ndarray, message: Message | str) -> None:
        if mask.any():
            self.found.append((mask, message if callable(message) else _constant(message)))

    def add_entries(self, entry_mask: np.ndarray, patient: np.ndarray, message: Callable[[int], str]) -> None:
        """Problems of list entries (EMG muscles, medications): reported on the patient's row."""
        if entry_mask.any():
            rows = np.zeros(self.n, dtype=bool)
            rows[patient[entry_mask]] = True
            bad = np.flatnonzero(entry_mask)
            by_row: dict[int, list[int]] = {}
            for k in bad:
                by_row.setdefault(int(patient[k]), []).append(int(k))
            self.found.append((rows, lambda i: "; ".join(message(k) for k in by_row[i])))

    def result(self, upstream: dict[int, str]) -> tuple[np.ndarray, dict[int, str]]:
        """Rows with an upstream reason (a document that failed to load) report that reason alone."""
        invalid = np.zeros(self.n, dtype=bool)
        for mask, _ in self.found:
            invalid |= mask
        reasons = {
            int(i): upstream.get(int(i)) or "; ".join(msg(int(i)) for mask, msg in self.found if mask[i])
            for i in np.flatnonzero(invalid)
        }
        return invalid, reasons


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    """Full-pattern match (nulls count as matching: a missing value is reported elsewhere)."""
    if pa.types.is_dictionary(arr.type):
        ok = _matches(arr.dictionary.cast(pa.string()), pattern)
        idx = pc.fill_null(arr.indices, 0).to_numpy(zero_copy_only=False)
        return ok[idx] if len(ok) else np.ones(len(arr), dtype=bool)
    if len(arr) == 0:
        return np.zeros(0, dtype=bool)
    return pc.fill_null(pc.match_substring_regex(arr.cast(pa.string()), pattern), True).to_numpy(zero_copy_only=False)


def _value_checks(
    p: Problems, f: FlatField, col: pa.Array, label: Callable[[int], str], rows: np.ndarray | None = None
) -> None:
    """Checks read from the field's declaration; ``label(i)`` names the field for element i."""

    def add(mask: np.ndarray, message: Message) -> None:
        if rows is None:
            p.add(mask, message)
        else:
            p.add_entries(mask, rows, message)

    if f.required and col.null_count:
        add(is_null(col), lambda i: f"{label(i)}: required")
    if f.allowed:
        codes = as_codes(col, f.allowed)
        add(codes == UNKNOWN_CODE, lambda i: f"{label(i)}: {col[i].as_py()!r} is not one of {', '.join(f.allowed)}")
    numeric = pa.types.is_floating(f.type) or pa.types.is_integer(f.type)
    if numeric and not _numbers_plainly_valid(col, f):
        null = is_null(col)
        x = as_float(col)
        finite = np.isfinite(x)
        add(~null & ~finite, lambda i: f"{label(i)}: must be a finite number")
        if pa.types.is_integer(f.type):
            add(
                ~null & finite & (x != np.floor(np.where(finite, x, 0))),
                lambda i: f"{label(i)}: must be a whole number, got {x[i]}",
            )

        hint_field = (f.key or f.name).split(".")[-1]

        def outside(text: str, bound: float) -> Message:
            def message(i: int) -> str:
                hint = unit_hint(hint_field, float(x[i]))
                return f"{label(i)}: must be {text} {bound:g}, got {x[i]:g}" + (f" ({hint})" if hint else "")

            return message

        for bound, op, text in ((f.ge, np.less, ">="), (f.gt, np.less_equal, ">"), (f.le, np.greater, "<=")):
            if bound is not None:
                add(~null & op(x, bound), outside(text, bound))
    if f.pattern and not f.allowed and pa.types.is_string(f.type):
        words = PATTERN_WORDS.get(f.pattern, "see docs/case-format.md for the accepted form")
        add(~_matches(col, f.pattern), lambda i: f"{label(i)}: {col[i].as_py()!r} is not accepted: {words}")


def _numbers_plainly_valid(col: pa.Array, f: FlatField) -> bool:
    """Cheap whole-column test: all given values finite, whole where required, inside the bounds."""
    if col.null_count == len(col) or pa.types.is_null(col.type):
        return True
    x = as_float(col)  # NaN where null
    finite = np.isfinite(x)
    if len(x) - np.count_nonzero(finite) != col.null_count:
        return False
    if (
        pa.types.is_integer(f.type)
        and pa.types.is_floating(col.type)
        and not np.array_equal(np.floor(x[finite]), x[finite])
    ):
        return False
    lo, hi = np.fmin.reduce(x), np.fmax.reduce(x)  # NaN here only stands for null: fmin/fmax skip it
    return not (
        (f.ge is not None and lo < f.ge) or (f.gt is not None and lo <= f.gt) or (f.le is not None and hi > f.le)
    )


def check_rows(batch: pa.RecordBatch, emg: EmgParts) -> tuple[np.ndarray, dict[int, str]]:
    """(invalid mask, reason per invalid row index)."""
    n = batch.num_rows
    p = Problems(n)
    names = set(batch.schema.names)
    upstream: dict[int, str] = {}
    if INVALID_REASON in names:
        column = batch.column(INVALID_REASON)
        given = ~is_null(column)
        upstream = {int(i): str(column[int(i)].as_py()) for i in np.flatnonzero(given)}
        p.add(given, lambda i: upstream[i])
    for f in _value_fields():
        if f.name in names:
            _value_checks(p, f, batch.column(f.name), _constant(f.name))
    today = _days(batch, "assessment_date")
    has_today = today != NO_DATE
    _date_checks(p, batch, today, has_today)
    _group_checks(p, batch, names)
    _exam_checks(p, batch, names)
    _emg_checks(p, emg, n)
    _medication_checks(p, batch, today, has_today)
    return p.result(upstream)


def _days(batch: pa.RecordBatch, name: str) -> np.ndarray:
    if not has_column(batch, name):
        return np.full(batch.num_rows, NO_DATE, dtype=np.int32)
    return as_days(batch.column(name))


def _date_checks(p: Problems, batch: pa.RecordBatch, today: np.ndarray, has_today: np.ndarray) -> None:
    onset = _days(batch, "symptom_onset")
    has_onset = onset != NO_DATE
    p.add(
        has_today & has_onset & (onset > today),
        lambda i: f"symptom_onset {_day(onset[i])} is after assessment_date {_day(today[i])}",
    )
    birth = _days(batch, "birth_date")
    has_birth = birth != NO_DATE
    # Case._plausible: no assessment after today, no age above MAX_AGE at assessment
    run_day = (dt.date.today() + dt.timedelta(days=1) - EPOCH).days
    p.add(
        has_today & (today > run_day),
        lambda i: (
            f"assessment_date {_day(today[i])} is after today ({dt.date.today()}): a typing error? "
            "write the date the patient was assessed"
        ),
    )
    years = (today.astype(np.float64) - birth) / 365.25
    p.add(
        has_today & has_birth & (years > MAX_AGE),
        lambda i: (
            f"birth_date {_day(birth[i])} makes the patient {years[i]:.0f} years old at assessment_date "
            f"{_day(today[i])}; ages run from 0 to {MAX_AGE}: check the year of birth"
        ),
    )
    p.add(
        has_birth & has_onset & (birth >= onset),
        lambda i: f"birth_date {_day(birth[i])} is not before symptom_onset {_day(onset[i])}",
    )
    diagnosed = _days(batch, "diagnosis_date")
    has_diagnosis = diagnosed != NO_DATE
    p.add(
        has_diagnosis & has_onset & (diagnosed < onset),
        lambda i: f"diagnosis_date {_day(diagnosed[i])} is before symptom_onset {_day(onset[i])}",
    )
    p.add(
        has_diagnosis & has_today & (diagnosed > today),
        lambda i: f"diagnosis_date {_day(diagnosed[i])} is after assessment_date {_day(today[i])}",
    )
    if has_column(batch, "age_at_onset"):
        age = as_float(batch.column("age_at_onset"))
        derived = (onset.astype(np.float64) - birth) / 365.25
        p.add(
            has_birth & has_onset & ~np.isnan(age) & (np.abs(derived - age) > 1.0),
            lambda i: (
                f"age_at_onset {age[i]:g} disagrees with birth_date and symptom_onset "
                f"({derived[i]:.1f} years); give one of the two"
            ),
        )
    dates = [f for f in _date_fields() if has_column(batch, f.name)]
    for f in dates:
        _range_check(p, batch.column(f.name), f.name)
    assessed = batch.column("assessment_date") if has_column(batch, "assessment_date") else None
    for f in dates:
        if f.rule != "value":
            column = batch.column(f.name)
            if assessed is not None and _never_after(column, assessed):
                continue
            days = as_days(column)
            p.add(has_today & (days > today), _after(f.name, days, today))


@cache
def _value_fields() -> tuple[FlatField, ...]:
    """Fields with a check of their own values (booleans that may be left out have none)."""
    return tuple(f for f in flat_fields() if f.rule != "list" and (f.required or f.type != pa.bool_()))


@cache
def _date_fields() -> tuple[FlatField, ...]:
    return tuple(f for f in flat_fields() if f.type == pa.date32())


FIRST_DAY, LAST_DAY = (EARLIEST_DATE - EPOCH).days, (LATEST_DATE - EPOCH).days


def _outside(days: np.ndarray) -> np.ndarray:
    """The case model's date range (EARLIEST_DATE to LATEST_DATE); missing dates are not outside."""
    return (days != NO_DATE) & ((days < FIRST_DAY) | (days > LAST_DAY))


def _range_message(label: Callable[[int], str], days: np.ndarray) -> Message:
    return lambda i: f"{label(i)}: date {_day(days[i])} is outside {EARLIEST_DATE} to {LATEST_DATE}"


def _range_check(p: Problems, column: pa.Array, name: str) -> None:
    if column.null_count == len(column):
        return
    if pa.types.is_date32(column.type):  # cheap whole-column test first, in day numbers (Arrow dates,
        low, high = (v.as_py() for v in pc.min_max(column.cast(pa.int32())).values())  # unlike Python's,
        if low >= FIRST_DAY and high <= LAST_DAY:  # go past the year 9999)
            return
    days = as_days(column)
    p.add(_outside(days), _range_message(_constant(name), days))


def _never_after(column: pa.Array, assessed: pa.Array) -> bool:
    """Cheap whole-column test (Arrow compute, nulls ignored): no date after its row's assessment date."""
    if column.null_count == len(column):
        return True
    if not (pa.types.is_date32(column.type) and pa.types.is_date32(assessed.type)):
        return False
    return not pc.any(pc.greater(column, assessed)).as_py()


def _after(name: str, days: np.ndarray, today: np.ndarray, label: Callable[[int], str] | None = None) -> Message:
    return lambda i: f"{label(i) if label else name} {_day(days[i])} is after assessment_date {_day(today[i])}"


def _suffix(label: Callable[[int], str], text: str) -> Message:
    return lambda k: f"{label(k)}{text}"


def _group_checks(p: Problems, batch: pa.RecordBatch, names: set[str]) -> None:
    """Values that come from one dated entry need that entry complete (a lab value needs its date, an upper
    limit of normal its analyte's date; an ALSFRS-R visit needs its date, gastrostomy flag and all 12 items;
    an FVC or an investigation needs its date and value)."""
    seen: dict[str, np.ndarray] = {}

    def present(name: str) -> np.ndarray:
        if name not in seen:
            seen[name] = ~is_null(batch.column(name)) if name in names else np.zeros(batch.num_rows, dtype=bool)
        return seen[name]

    paired, groups = _entry_groups()
    for name, date_name in paired:  # an upper limit of normal is read with its analyte's dated entry
        if name in names:
            p.add(present(name) & ~present(date_name), _constant(f"{name}: given without {date_name}"))
    for group, members, lab_value in groups:
        keys = members[:1] if lab_value else members
        if not any(name in names for name in keys):  # its columns absent, as in a criteria-only file
            continue
        given = np.zeros(batch.num_rows, dtype=bool)
        for name in keys:
            given |= present(name)
        if not given.any():  # nothing of the entry given
            continue
        for name in members[1:] if lab_value else members:
            p.add(given & ~present(name), _constant(f"{name}: required with {group}"))


@cache
def _entry_groups() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, tuple[str, ...], bool], ...]]:
    """((value, its analyte's date) of each upper limit of normal, (group, member columns, is a lab value)
    of each dated entry), read from the flat layout once."""
    flat = fields_by_name()
    groups: dict[str, list[str]] = {}
    for f in flat.values():
        if f.rule == "latest":
            groups[f.name] = [f.name, f"{f.name}_date"]
        elif f.rule == "latest_visit":
            groups.setdefault(f"{f.path[-1]} (latest visit)", []).append(f.name)
        elif f.rule == "latest_per":
            groups.setdefault(f"{f.path[-1]} {str(f.key).split('.')[0]}", []).append(f.name)
    paired = tuple((f.name, f"{f.key}_date") for f in flat.values() if f.rule == "latest_paired")
    return paired, tuple((g, tuple(m), flat[m[0]].rule == "latest") for g, m in groups.items())


def _exam_checks(p: Problems, batch: pa.RecordBatch, names: set[str]) -> None:
    """``Exam._dorsal_column_is_sensory_loss`` and ``RegionSigns._signs_need_examination``."""
    for j, region in enumerate(REGIONS):
        stated = examined_column(region)
        if stated in names:
            column = batch.column(stated)
            said_no = ~as_bool(column, True)  # false given (null is not a "no")
            p.add(
                said_no & signs_recorded(batch, j),
                f"{stated} is false, but {region} signs are recorded true; leave {stated} empty or true "
                "(signs were found, so the region was examined) or clear the signs",
            )
    if "dorsal_column_sensory_loss" in names:
        dorsal = as_bool(batch.column("dorsal_column_sensory_loss"))
        sensory = as_bool(batch.column("sensory_loss")) if "sensory_loss" in names else np.zeros_like(dorsal)
        p.add(dorsal & ~sensory, "dorsal_column_sensory_loss is an objective sensory deficit: set sensory_loss: true")


def _position(patient: np.ndarray, k: int) -> int:
    """Index of list entry k within its patient's list (entries are grouped by patient, in order)."""
    return k - int(np.searchsorted(patient, patient[k]))


def _emg_checks(p: Problems, e: EmgParts, n: int) -> None:
    if len(e.patient) == 0:
        return
    t = table()

    def at(k: int) -> str:
        return f"emg[{_position(e.patient, k)}]"

    add = p.add_entries
    add(e.entry_null, e.patient, lambda k: f"{at(k)}: empty entry")
    valid = ~e.entry_null
    muscle_null = is_null(e.muscle)
    add(valid & muscle_null, e.patient, lambda k: f"{at(k)}.muscle: required")
    add(valid & e.muscle_problem, e.patient, lambda k: f"{at(k)}.muscle: {e.muscle_problems[k]}")
    add(valid & (e.side == NULL_CODE), e.patient, lambda k: f"{at(k)}.side: required")
    add(
        valid & (e.side == UNKNOWN_CODE),
        e.patient,
        lambda k: f"{at(k)}.side: not one of left, right, midline (L, R, lt, rt are read too)",
    )
    add(
        valid & (e.region_given == UNKNOWN_CODE),
        e.patient,
        lambda k: f"{at(k)}.region: not one of {', '.join(REGIONS)}",
    )
    add(
        valid & (e.nerve_given == UNKNOWN_NERVE),
        e.patient,
        lambda k: f"{at(k)}.nerve: {_nerve_message(e.nerve[k].as_py())}",
    )
    add(
        valid & ~e.roots_null & (e.roots_len == 0),
        e.patient,
        lambda k: f"{at(k)}.roots: must list at least one root, e.g. [C8, T1] or [CN XII]",
    )
    add(valid & e.roots_bad, e.patient, lambda k: f"{at(k)}.roots: {e.roots_problems.get(k, ROOTS_HELP)}")
    implied = e.implied_roots != 0
    add(
        valid & implied & ~e.roots_null & ~e.roots_bad & (e.roots_given != e.implied_roots),
        e.patient,
        lambda k: f"{at(k)}: the muscle was written with its level, and roots gives other roots; give the level once",
    )
    has_roots = (e.roots_len > 0) | implied
    known = e.muscle_code >= 0
    code = np.where(known, e.muscle_code, 0)
    table_roots = t.roots[code]
    add(
        valid & known & (e.region_given >= 0) & (e.region_given != t.region[code]),
        e.patient,
        lambda k: (
            f"{at(k)}.region contradicts the muscle table ({t.names[e.muscle_code[k]]} is "
            f"{REGIONS[t.region[e.muscle_code[k]]]})"
        ),
    )
    add(
        valid & known & (e.nerve_given >= 0) & (e.nerve_given != t.nerve[code]),
        e.patient,
        lambda k: (
            f"{at(k)}.nerve contradicts the muscle table ({t.names[e.muscle_code[k]]} is supplied by the "
            f"{t.nerves[t.nerve[e.muscle_code[k]]]} nerve); omit nerve or write {t.nerves[t.nerve[e.muscle_code[k]]]}"
        ),
    )
    add(
        valid & known & (table_roots == 0) & ~has_roots,
        e.patient,
        lambda k: (
            f"{at(k)}: {t.names[e.muscle_code[k]]} has no fixed level: give its roots (e.g. [T8], or 'T8 paraspinal')"
        ),
    )
    add(
        valid & known & (table_roots != 0) & (e.roots_len > 0) & ~e.roots_bad & ((e.roots_given & ~table_roots) != 0),
        e.patient,
        lambda k: (
            f"{at(k)}.roots are not roots of {t.names[e.muscle_code[k]]} in the muscle table (omit roots or give some of them)"
        ),
    )
    unknown = valid & ~muscle_null & ~known & ~e.muscle_problem
    add(
        unknown & ((e.region_given == NULL_CODE) | ~has_roots | (e.nerve_given == -1)),
        e.patient,
        lambda k: (
            f"{at(k)}: muscle {e.muscle[k].as_py()!r} is not in the muscle table: "
            f"{_suggestion(e.muscle[k].as_py())}give its region, roots and nerve"
        ),
    )
    region_ok = e.region >= 0
    outside = (e.roots & ~REGION_ROOTS[np.where(region_ok, e.region, 0)]) != 0
    add(
        valid & region_ok & ~e.roots_bad & outside,
        e.patient,
        lambda k: f"{at(k)}.roots lie outside the {REGIONS[e.region[k]]} region ({_region_roots_text(e.region[k])})",
    )


def _nerve_message(written: object) -> str:
    try:
        vocabulary.nerve(str(written))
    except vocabulary.VocabularyError as exc:
        return str(exc)
    return f"{written!r} is not a nerve alsdx knows"


def _suggestion(written: object) -> str:
    guess = vocabulary.muscle_suggestion(str(written))
    return f"did you mean {guess!r}? If not, " if guess else ""


def _region_roots_text(region: int) -> str:
    return {
        "bulbar": "a bulbar muscle's roots are cranial nerves, e.g. CN XII",
        "cervical": "C1-C8 or T1",
        "thoracic": "T1-T12",
        "lumbosacral": "L1-L5 or S1-S5",
    }[REGIONS[int(region)]]


def _medication_checks(p: Problems, batch: pa.RecordBatch, today: np.ndarray, has_today: np.ndarray) -> None:
    if not has_column(batch, "medications"):
        return
    patient, items = list_parts(batch.column("medications"))
    if len(items) == 0:
        return
    children = {c.name: c for c in fields_by_name()["medications"].children}
    fields = struct_fields(items)

    def at(k: int) -> str:
        return f"medications[{_position(patient, k)}]"

    def field_at(c: str) -> Callable[[int], str]:
        return lambda k: f"{at(k)}.{c}"

    p.add_entries(is_null(items), patient, lambda k: f"{at(k)}: empty entry")
    for name, child in children.items():
        if name in fields:
            _value_checks(p, child, fields[name], field_at(name), rows=patient)
        elif child.required:
            p.add_entries(np.ones(len(items), dtype=bool), patient, _suffix(field_at(name), ": required"))
    start = as_days(fields["start_date"]) if "start_date" in fields else np.full(len(items), NO_DATE)
    stop = as_days(fields["stop_date"]) if "stop_date" in fields else np.full(len(items), NO_DATE)
    day = today[patient]
    p.add_entries(
        (start != NO_DATE) & (stop != NO_DATE) & (stop < start),
        patient,
        lambda k: f"{at(k)}: stop_date {_day(stop[k])} is before start_date {_day(start[k])}",
    )
    for name, days in (("start_date", start), ("stop_date", stop)):
        p.add_entries(_outside(days), patient, _range_message(field_at(name), days))
        p.add_entries(has_today[patient] & (days > day), patient, _after(name, days, day, field_at(name)))
