"""A trial screening in a clinician's words (the patient page's "Clinical trials" panel; docs/trials.md "On the
patient page"): the status, the window and what sets it, why not (value and what the criterion needs), what to
record for the unknown criteria, and the manual criteria for the investigator.

It words ``trials.screen``'s result and decides nothing again. The words support a screening decision: they never
say the patient is eligible, only that the recorded data meet or miss the trial's criteria.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from alsdx.engine.results import Assessment
from alsdx.model.case import ALSFRS_ITEMS, Case
from alsdx.trials.facts_catalog import FACTS
from alsdx.trials.model import Criterion, Trial
from alsdx.trials.screen import CriterionResult, TrialResult, screen_cases

STATUS_WORDS: Final = {
    "eligible": "may be eligible",
    "undetermined": "eligibility undetermined",
    "not_eligible": "not eligible on recorded data",
}
"""A status in a line of text (the CLI's table, the CDS card); never "eligible": the investigator decides."""
STATUS_TEXT: Final = {
    "eligible": "May be eligible — investigator to confirm",
    "undetermined": "Undetermined",
    "not_eligible": "Not eligible on recorded data",
}

_CATEGORY_LABELS: Final = {
    "el_escorial_1994": "El Escorial (1994) category",
    "revised_el_escorial": "revised El Escorial category",
    "awaji": "Awaji-shima category",
    "gold_coast": "Gold Coast criteria",
    "pls": "PLS category",
    "sex": "sex",
    "kings_stage": "King's stage",
}
_SUBSCORES: Final = ("bulbar", "fine_motor", "gross_motor", "respiratory")

# fact -> (label, unit after the number)
_NUMBERS: Final[dict[str, tuple[str, str]]] = {
    "age_years": ("age", " years"),
    "months_since_onset": ("time since onset", " months"),
    "months_since_diagnosis": ("time since diagnosis", " months"),
    "riluzole_days": ("days on riluzole", " days"),
    "alsfrs_r_total": ("ALSFRS-R total", ""),
    **{f"alsfrs_r_{s}": (f"ALSFRS-R {s.replace('_', ' ')} subscore", "") for s in _SUBSCORES},
    **{f"alsfrs_r_{i}": (f"ALSFRS-R item {i.replace('_', ' ')}", "") for i in ALSFRS_ITEMS},
    "delta_fs": ("ΔFS", " points/month"),
    "alsfrs_r_slope_per_month": ("ALSFRS-R slope", " points/month"),
    "fvc_upright_percent": ("FVC (upright)", " %"),
    "svc_percent": ("SVC", " %"),
    "mitos_stage": ("MiToS stage", ""),
}
_BOOLEANS: Final = {
    "gastrostomy": "gastrostomy",
    "niv": "non-invasive ventilation (ALSFRS-R item 12 of 1–3)",
    "invasive_ventilation": "invasive ventilation (ALSFRS-R item 12 = 0)",
    "edaravone": "on edaravone",
    "tofersen": "on tofersen",
    "familial": "familial ALS (family history and a pathogenic variant)",
    "sod1_pathogenic": "pathogenic SOD1 variant",
    "c9orf72_expansion": "C9orf72 repeat expansion",
    "mimic_likely": "a mimic rated likely",
    "exclusion_pending": "exclusion work-up outstanding",
}

_ALSFRS = "a complete ALSFRS-R scoring (all 12 items)"
_RECORD: Final[dict[str, str]] = {
    "sex": "the patient's sex",
    "age_years": "the birth date (or the age at onset)",
    "months_since_diagnosis": "the diagnosis date",
    **{f"alsfrs_r_{s}": _ALSFRS for s in ("total", *_SUBSCORES, *ALSFRS_ITEMS)},
    "delta_fs": _ALSFRS,
    "alsfrs_r_slope_per_month": "ALSFRS-R scorings at two or more visits",
    "gastrostomy": "an ALSFRS-R scoring (with its gastrostomy box)",
    "niv": "ALSFRS-R item 12 (respiratory insufficiency)",
    "invasive_ventilation": "ALSFRS-R item 12 (respiratory insufficiency)",
    "fvc_upright_percent": "an upright FVC (% predicted)",
    "svc_percent": "a slow vital capacity (SVC, % predicted)",
    "kings_stage": "a complete ALSFRS-R scoring and the examination (King's stage)",
    "mitos_stage": "a complete ALSFRS-R scoring (MiToS stage)",
    "familial": "the genetic test results (variants found)",
    "sod1_pathogenic": "the genetic test results (variants found)",
    "c9orf72_expansion": "the C9orf72 repeat-expansion result",
}


@dataclass(frozen=True)
class Failing:
    """A criterion the recorded data miss: what was recorded against what the trial needs."""

    id: str
    said: str
    text: str | None


@dataclass(frozen=True)
class Missing:
    """A finding to record, with the criteria waiting for it."""

    record: str
    criteria: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TrialWords:
    id: str
    title: str
    source: str
    status: str
    status_text: str
    window: str | None
    failing: list[Failing]
    missing: list[Missing]
    manual: list[str]


def label(fact: str) -> str:
    if fact in _NUMBERS:
        return _NUMBERS[fact][0]
    return _CATEGORY_LABELS.get(fact) or _BOOLEANS.get(fact) or fact.replace("_", " ")


def _unit(fact: str) -> str:
    return _NUMBERS.get(fact, ("", ""))[1]


def _value(fact: str, value: object) -> str:
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}{_unit(fact)}"
    if isinstance(value, int):
        return f"{value}{_unit(fact)}"
    return str(value).replace("_", " ")


def _one_of(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def condition(c: Criterion) -> str:
    """``c``'s condition in words: "≥ 70 %", "18 to 75 years", "probable or definite", "yes"."""
    fact = str(c.fact)
    if c.members is not None:
        return _one_of([_value(fact, v) for v in c.members])
    unit = _unit(fact)
    if c.min is not None and c.max is not None:
        return f"{c.min:g} to {c.max:g}{unit}"
    return f"≥ {c.min:g}{unit}" if c.min is not None else f"≤ {c.max:g}{unit}"


def failing_words(c: Criterion, r: CriterionResult) -> str:
    """ "FVC (upright): 52 % — needs ≥ 70 %"; an exclusion: "days on riluzole: 5 days — excluded at 1 to 13 days"."""
    fact = str(c.fact)
    needs = f"needs {condition(c)}" if c.kind == "inclusion" else f"excluded when {condition(c)}"
    said = label(fact)
    return f"{said[:1].upper()}{said[1:]}: {_value(fact, r.value)} — {needs}"


def record_words(fact: str) -> str:
    """The finding to record for a fact with no value."""
    if fact in _RECORD:
        return _RECORD[fact]
    if fact in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast", "pls"):
        return "the examination findings (for the criteria category)"
    return FACTS[fact].meaning


def _time_phrase(c: Criterion, opening: bool) -> str:
    """What sets the window: "24 months from onset", "14 days on riluzole"."""
    fact, bound = str(c.fact), (c.min if opening == (c.kind == "inclusion") else c.max)
    if bound is None:
        return f"criterion {c.id}"
    n = int(bound) + (1 if opening and c.kind == "exclusion" else 0)
    if fact == "months_since_onset":
        return f"{n} months from onset"
    if fact == "months_since_diagnosis":
        return f"{n} months from diagnosis"
    if fact == "riluzole_days":
        return f"{n} days on riluzole" if opening else f"up to {n} days on riluzole"
    return f"age {n}" if opening else f"age up to {n}"


def _bounding(trial: Trial, result: TrialResult, case: Case, assessment: Assessment, opening: bool) -> str:
    """The time criterion whose own window gives the trial's date: the only candidate, or the one that gives that
    date when screened alone (the kernel decides, nothing is recomputed here)."""
    target = result.eligible_from if opening else result.eligible_until
    wanted = "fail" if opening else "pass"
    candidates = [
        c
        for c, r in zip(trial.criteria, result.criteria, strict=True)
        if r.result == wanted and c.fact is not None and FACTS[c.fact].kind == "time"
    ]
    for c in candidates:
        if len(candidates) > 1:
            alone = screen_cases([case], [trial.model_copy(update={"criteria": (c,)})], [assessment])[0].trials[0]
            if (alone.eligible_from if opening else alone.eligible_until) != target:
                continue
        return f" ({_time_phrase(c, opening)})"
    return ""


def window_words(trial: Trial, result: TrialResult, case: Case, assessment: Assessment) -> str | None:
    """ "Eligible until 2027-03-12 (24 months from onset)", or "May become eligible from …", or None."""
    if result.eligible_until is not None:
        lead = "Eligible until" if result.status == "eligible" else "If the missing findings allow, eligible until"
        return f"{lead} {_date(result.eligible_until)}{_bounding(trial, result, case, assessment, False)}"
    if result.eligible_from is not None:
        return (
            f"May become eligible from {_date(result.eligible_from)}{_bounding(trial, result, case, assessment, True)}"
        )
    return None


def _date(day: dt.date) -> str:
    return day.isoformat()  # as the page shows every date


def trial_words(trial: Trial, result: TrialResult, case: Case, assessment: Assessment) -> TrialWords:
    failing, manual = [], []
    missing: dict[str, Missing] = {}
    for c, r in zip(trial.criteria, result.criteria, strict=True):
        if r.result == "fail":
            failing.append(Failing(c.id, failing_words(c, r), c.text))
        elif r.result == "unknown":
            missing.setdefault(record_words(str(c.fact)), Missing(record_words(str(c.fact)))).criteria.append(c.id)
        elif r.result == "manual":
            manual.append(c.text or c.id)
    status_text = STATUS_TEXT[result.status]
    if result.status == "undetermined":
        status_text += ": missing " + "; ".join(missing)
    return TrialWords(
        id=trial.id,
        title=trial.title,
        source=trial.source,
        status=result.status,
        status_text=status_text,
        window=window_words(trial, result, case, assessment),
        failing=failing,
        missing=list(missing.values()),
        manual=manual,
    )
