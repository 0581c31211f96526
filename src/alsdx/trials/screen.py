"""Screening cases against trials: the trial's criteria as arrays, the cases' fact columns, one call of the
kernel ``alsdx.rules.trials.screen`` per trial, and the result in the contract's shape (docs/trials.md):
``{"id", "trials": [{"trial", "status", "eligible_until", "eligible_from", "criteria": [{"id", "kind", "result",
"value", "reason"}]}]}``. It words the kernel's result; it decides nothing again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from alsdx.columns.dates import EPOCH_ORDINAL
from alsdx.engine.assess import assess_many
from alsdx.engine.results import Assessment
from alsdx.model.case import Case
from alsdx.rules.trials import NO_DAY, NOT_TIME, RESULTS, STATUSES, TIME_FACTS, Bounds, CriteriaArrays, screen
from alsdx.trials.facts import fact_columns
from alsdx.trials.facts_catalog import FACT_NAMES, FACTS
from alsdx.trials.model import Criterion, Trial

Result = Literal["pass", "fail", "unknown", "manual"]
Status = Literal["eligible", "undetermined", "not_eligible"]


class CriterionResult(BaseModel):
    id: str
    kind: Literal["inclusion", "exclusion"]
    result: Result
    value: str | float | int | bool | None
    reason: str


class TrialResult(BaseModel):
    trial: str
    status: Status
    eligible_until: dt.date | None
    eligible_from: dt.date | None
    criteria: list[CriterionResult]


class CaseScreening(BaseModel):
    id: str
    trials: list[TrialResult]


@lru_cache(maxsize=256)
def criteria_arrays(trial: Trial) -> CriteriaArrays:
    """A trial's criteria -> the kernel's arrays (fact columns in ``FACT_NAMES`` order, values as fact codes).
    Built once per trial (a ``Trial`` is frozen, so it is its own key; the kernel never writes to the arrays):
    every patient page, CDS call and API request screens the same configured trials."""
    crit = trial.criteria
    width = max((len(c.members or ()) for c in crit), default=0) or 1
    members = np.full((len(crit), width), np.nan)
    for j, c in enumerate(crit):
        for k, v in enumerate(c.members or ()):
            members[j, k] = _member_code(c, v)
    return CriteriaArrays(
        fact=np.array([FACT_NAMES.index(c.fact) if c.fact else -1 for c in crit], dtype=np.int64),
        time_fact=np.array(
            [TIME_FACTS.index(c.fact) if c.fact in TIME_FACTS else NOT_TIME for c in crit], dtype=np.int64
        ),
        lo=np.array([-np.inf if c.min is None else c.min for c in crit]),
        hi=np.array([np.inf if c.max is None else c.max for c in crit]),
        members=members,
        exclusion=np.array([c.kind == "exclusion" for c in crit]),
        manual=np.array([c.manual for c in crit]),
    )


def _member_code(c: Criterion, value: Any) -> float:
    fact = FACTS[str(c.fact)]
    return float(fact.values.index(value)) if fact.kind == "category" else float(value)


def screen_cases(
    cases: Sequence[Case], trials: Sequence[Trial], assessments: Sequence[Assessment] | None = None
) -> list[CaseScreening]:
    """Each case against each trial, in order (the cases are assessed when no assessments are given)."""
    if not cases:
        return []
    assessed = list(assessments) if assessments is not None else assess_many(list(cases))
    cols = fact_columns(cases, assessed)
    shared = Bounds()  # the trials' common time bounds and missing values, computed once
    per_trial = [(trial, screen(cols, criteria_arrays(trial), shared)) for trial in trials]
    out = []
    for i, case in enumerate(cases):
        results = [_trial_result(trial, res, cols, i) for trial, res in per_trial]
        out.append(CaseScreening(id=case.id, trials=results))
    return out


def _date(day: int) -> dt.date | None:
    return None if day == NO_DAY else dt.date.fromordinal(int(day) + EPOCH_ORDINAL)


def _trial_result(trial: Trial, res: dict[str, np.ndarray], cols: dict[str, np.ndarray], i: int) -> TrialResult:
    criteria = [
        _criterion_result(
            c,
            RESULTS[int(res["result"][i, j])],
            cols["facts"][i],
        )
        for j, c in enumerate(trial.criteria)
    ]
    return TrialResult(
        trial=trial.id,
        status=STATUSES[int(res["status"][i])],  # type: ignore[arg-type]
        eligible_until=_date(int(res["eligible_until"][i])),
        eligible_from=_date(int(res["eligible_from"][i])),
        criteria=criteria,
    )


def fact_value(name: str, code: float) -> str | float | int | bool | None:
    """A fact column's value as the contract shows it (category string, boolean, number; None = no value)."""
    if np.isnan(code):
        return None
    fact = FACTS[name]
    if fact.kind == "category":
        return fact.values[int(code)]
    if fact.kind == "boolean":
        return bool(code)
    return int(code) if float(code).is_integer() else round(float(code), 2)


def _criterion_result(c: Criterion, result: str, facts: np.ndarray) -> CriterionResult:
    if c.manual:
        return CriterionResult(
            id=c.id, kind=c.kind, result="manual", value=None, reason=f"for the investigator: {c.text or c.id}"
        )
    name = str(c.fact)
    value = fact_value(name, facts[FACT_NAMES.index(name)])
    shown = "true" if value is True else "false" if value is False else str(value)
    if result == "unknown":
        reason = f"{name} has no value ({FACTS[name].meaning}: not recorded)"
    else:
        holds = (result == "pass") == (c.kind == "inclusion")
        reason = f"{name} is {shown}: {'meets' if holds else 'does not meet'} {c.condition}" + (
            " (exclusion)" if c.kind == "exclusion" else ""
        )
    return CriterionResult(id=c.id, kind=c.kind, result=result, value=value, reason=reason)  # type: ignore[arg-type]
