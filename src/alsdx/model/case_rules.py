"""The case's cross-field rules, each written once and read by both doors.

A rule is a vectorised predicate over numpy arrays (dates as day numbers since 1970-01-01, ``NO_DATE`` where
not given; numbers as floats, NaN where not given; flags as booleans) with the message that names it. The case
model (``alsdx.model.case``) evaluates a rule on arrays of length 1 built from one document and raises the
message of the first rule broken; the cohort's row check (``alsdx.cohort.validity``) evaluates it on a batch's
columns and reports every rule each row breaks. Checks of one field's own value (codes, ranges, patterns, the
date range) come from the field's declaration instead (``alsdx.cohort.schema.flat_fields``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

NO_DATE: Final = np.iinfo(np.int32).min
"""Day number standing for a missing date (every real date compares greater)."""
EPOCH: Final = dt.date(1970, 1, 1)
JULIAN_YEAR_DAYS: Final = 365.25
"""Both doors have always counted these plausibility ages in years of 365.25 days (alsdx.columns.dates names
the ages at onset apart)."""

MAX_AGE: Final = 110
"""Ages above 110 years are typing errors (a supercentenarian with ALS is not a case alsdx should read
unchecked); ages are refused outside 0-110."""
AGE_AT_ONSET_TOLERANCE_YEARS: Final = 1.0
"""``age_at_onset`` may differ from the age derived from ``birth_date`` and ``symptom_onset`` by a year (a birth
date given as a year is read as 1 July; an age is often written in completed years)."""


def day_number(value: dt.date | None) -> int:
    """Days since 1970-01-01, or ``NO_DATE`` for a date not given."""
    return NO_DATE if value is None else (value - EPOCH).days


def day_text(days: int | np.integer) -> str:
    """ISO date, or the day number for dates Python cannot represent (Arrow can: year 10000 and on)."""
    try:
        return (EPOCH + dt.timedelta(days=int(days))).isoformat()
    except OverflowError:
        return f"day {int(days)} after 1970-01-01"


@dataclass(frozen=True)
class Values:
    """One failing element's values, for a rule's message: ``text(name)`` writes a date as ISO and a number as
    the door prints it (``number_text``); ``number(name)`` gives the value (a date as its day number);
    ``label(name)`` names the field as the door's reader knows it (a document path, a flat column)."""

    columns: Mapping[str, np.ndarray]
    index: int
    number_text: Callable[[float], str] = str
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def one(cls, values: Mapping[str, np.generic]) -> Values:
        """One document's values (numpy scalars), as the case model writes them in a message."""
        return cls({name: np.atleast_1d(value) for name, value in values.items()}, 0)

    def number(self, name: str) -> float:
        return float(self.columns[name][self.index])

    def text(self, name: str) -> str:
        value = self.columns[name][self.index]
        if self.columns[name].dtype.kind in "iu":
            return day_text(value)
        return self.number_text(float(value))

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


Message = Callable[[Values], str]


@dataclass(frozen=True)
class CrossFieldRule:
    """A rule between fields: ``broken`` takes the arrays of ``reads`` (in that order) and marks the elements
    that break it (a rule holds where a value it reads is not given). ``row_message`` is the cohort's wording
    where it differs from the case document's (flat column names, a shorter reason per row)."""

    id: str
    reads: tuple[str, ...]
    source: str
    broken: Callable[..., np.ndarray]
    message: Message
    row_message: Message | None = None

    def where_broken(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self.broken(*(columns[name] for name in self.reads)), dtype=bool)

    def row_text(self, values: Values) -> str:
        return (self.row_message or self.message)(values)


def given(days: np.ndarray) -> np.ndarray:
    return days != NO_DATE


def _years(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    return (later.astype(np.float64) - earlier) / JULIAN_YEAR_DAYS


def _run_day() -> int:
    """Tomorrow's day number: an assessment dated today anywhere on Earth is not in the future."""
    return (dt.date.today() + dt.timedelta(days=1) - EPOCH).days


def _after_assessment(label: str, v: Values, name: str) -> str:
    return f"{label} {v.text(name)} is after assessment_date {v.text('assessment_date')}"


# --- Plausibility: values no clinic produces (docs/case-format.md, "Plausibility") ---------------------------

ASSESSMENT_NOT_AFTER_TODAY = CrossFieldRule(
    id="assessment_not_after_today",
    reads=("assessment_date",),
    source='docs/case-format.md "Plausibility": an assessment_date after today',
    broken=lambda assessed: given(assessed) & (assessed > _run_day()),
    message=lambda v: (
        f"assessment_date {v.text('assessment_date')} is after today ({dt.date.today()}): a typing error? "
        "write the date the patient was assessed"
    ),
)

AGE_AT_ASSESSMENT_AT_MOST_MAX = CrossFieldRule(
    id="age_at_assessment_at_most_max",
    reads=("birth_date", "assessment_date"),
    source='docs/case-format.md "Plausibility": a birth date making the patient older than 110 at assessment',
    broken=lambda birth, assessed: given(birth) & given(assessed) & (_years(birth, assessed) > MAX_AGE),
    message=lambda v: (
        f"birth_date {v.text('birth_date')} makes the patient "
        f"{(v.number('assessment_date') - v.number('birth_date')) / JULIAN_YEAR_DAYS:.0f} years old at "
        f"assessment_date {v.text('assessment_date')}; ages run from 0 to {MAX_AGE}: check the year of birth"
    ),
)

# --- Date order (docs/case-format.md: assessment_date is "today" for every rule) ----------------------------

ONSET_NOT_AFTER_ASSESSMENT = CrossFieldRule(
    id="onset_not_after_assessment",
    reads=("symptom_onset", "assessment_date"),
    source="docs/case-format.md: no date in the future of assessment_date",
    broken=lambda onset, assessed: given(onset) & given(assessed) & (onset > assessed),
    message=lambda v: _after_assessment("symptom_onset", v, "symptom_onset"),
)

BIRTH_BEFORE_ONSET = CrossFieldRule(
    id="birth_before_onset",
    reads=("birth_date", "symptom_onset"),
    source='docs/case-format.md "Plausibility": onset before birth',
    broken=lambda birth, onset: given(birth) & given(onset) & (birth >= onset),
    message=lambda v: (
        f"birth_date {v.text('birth_date')} is not before symptom_onset {v.text('symptom_onset')}: symptoms "
        "cannot begin before birth; check both years"
    ),
    row_message=lambda v: f"birth_date {v.text('birth_date')} is not before symptom_onset {v.text('symptom_onset')}",
)

DIAGNOSIS_NOT_BEFORE_ONSET = CrossFieldRule(
    id="diagnosis_not_before_onset",
    reads=("diagnosis_date", "symptom_onset"),
    source='docs/case-format.md "Disease course": diagnosis_date on or after symptom_onset',
    broken=lambda diagnosed, onset: given(diagnosed) & given(onset) & (diagnosed < onset),
    message=lambda v: f"diagnosis_date {v.text('diagnosis_date')} is before symptom_onset {v.text('symptom_onset')}",
)

DATED_NOT_AFTER_ASSESSMENT = CrossFieldRule(
    id="dated_not_after_assessment",
    reads=("date", "assessment_date"),
    source="docs/case-format.md: no date in the future of assessment_date (diagnosis, every dated entry)",
    broken=lambda when, assessed: given(when) & given(assessed) & (when > assessed),
    message=lambda v: _after_assessment(v.label("date"), v, "date"),
)
"""Read once per dated field: ``date`` stands for the diagnosis date, a lab, visit, measurement or
investigation date, a medication's start or stop date. The case document reports all late dates in one
message (``dates_after_assessment``)."""


def dates_after_assessment(v: Values, late: list[str]) -> str:
    """The case document's one message for every late date (``late``: "path (date)" each)."""
    return f"dates after assessment_date {v.text('assessment_date')}: {', '.join(late)}"


AGE_AT_ONSET_AGREES = CrossFieldRule(
    id="age_at_onset_agrees",
    reads=("birth_date", "symptom_onset", "age_at_onset"),
    source="docs/case-format.md: birth_date or age_at_onset; one of the two is enough",
    broken=lambda birth, onset, age: (
        given(birth)
        & given(onset)
        & ~np.isnan(age)
        & (np.abs(_years(birth, onset) - age) > AGE_AT_ONSET_TOLERANCE_YEARS)
    ),
    message=lambda v: (
        f"age_at_onset {v.text('age_at_onset')} disagrees with birth_date and symptom_onset "
        f"({(v.number('symptom_onset') - v.number('birth_date')) / JULIAN_YEAR_DAYS:.1f} years); "
        "give one of the two"
    ),
)

# --- One medication (docs/case-format.md, medications) ------------------------------------------------------

STOP_NOT_BEFORE_START = CrossFieldRule(
    id="stop_not_before_start",
    reads=("start_date", "stop_date"),
    source="docs/case-format.md: medications[].stop_date (null while taken)",
    broken=lambda start, stop: given(start) & given(stop) & (stop < start),
    message=lambda v: f"stop_date {v.text('stop_date')} is before start_date {v.text('start_date')}",
)

# --- The examination ----------------------------------------------------------------------------------------

SIGNS_NEED_EXAMINATION = CrossFieldRule(
    id="signs_need_examination",
    reads=("examined", "signs"),
    source='docs/case-format.md "Regions not examined": examined: false beside signs is an error',
    broken=lambda examined, signs: ~examined & signs,
    message=lambda _v: (
        "examined: false, but signs are listed; remove 'examined: false' (signs were found, so the "
        "region was examined) or remove the signs"
    ),
    row_message=lambda v: (
        f"{v.label('examined')} is false, but {v.label('signs')} are recorded true; leave {v.label('examined')} "
        "empty or true (signs were found, so the region was examined) or clear the signs"
    ),
)
"""Read per region: ``examined`` false only where written false, ``signs`` some UMN or LMN sign recorded."""

DORSAL_COLUMN_IS_SENSORY_LOSS = CrossFieldRule(
    id="dorsal_column_is_sensory_loss",
    reads=("dorsal_column_sensory_loss", "sensory_loss"),
    source="docs/case-format.md extensions (mimics): dorsal_column_sensory_loss requires sensory_loss: true",
    broken=lambda dorsal, sensory: dorsal & ~sensory,
    message=lambda _v: "dorsal_column_sensory_loss is an objective sensory deficit: set sensory_loss: true",
)

RULES: Final = (
    ASSESSMENT_NOT_AFTER_TODAY,
    AGE_AT_ASSESSMENT_AT_MOST_MAX,
    ONSET_NOT_AFTER_ASSESSMENT,
    BIRTH_BEFORE_ONSET,
    DIAGNOSIS_NOT_BEFORE_ONSET,
    DATED_NOT_AFTER_ASSESSMENT,
    AGE_AT_ONSET_AGREES,
    STOP_NOT_BEFORE_START,
    SIGNS_NEED_EXAMINATION,
    DORSAL_COLUMN_IS_SENSORY_LOSS,
)
"""Every cross-field rule of the case document, in the order the case model checks them (it reports the first
one broken)."""


def first_broken(rules: tuple[CrossFieldRule, ...], values: Mapping[str, np.generic]) -> str | None:
    """The message of the first rule one document breaks, or None. ``values`` are numpy scalars: the predicates
    read them as they read arrays, at a fraction of the cost of arrays of length 1."""
    for rule in rules:
        if rule.broken(*(values[name] for name in rule.reads)):
            return rule.message(Values.one(values))
    return None
