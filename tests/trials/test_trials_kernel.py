"""The screening kernel (alsdx.rules.trials) from issue 19's contract: every operator and kind at its
boundaries, calendar-month windows at month ends and 29 February, birthdays, riluzole days, unknown vs fail
precedence, manual never counted as passed, eligible_until and eligible_from."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import yaml

from alsdx.columns.dates import day_numbers
from alsdx.rules.trials import NO_DAY, RESULTS, STATUSES, screen
from alsdx.trials.facts_catalog import FACT_NAMES
from alsdx.trials.model import parse_trial
from alsdx.trials.screen import criteria_arrays


def _day(text: str) -> int:
    return int(day_numbers([dt.date.fromisoformat(text)])[0])


def _cols(
    assessed: str,
    *,
    onset: str = "2024-01-15",
    facts: dict[str, float] | None = None,
    birth: str | None = None,
    diagnosis: str | None = None,
    riluzole_start: str | None = None,
) -> dict[str, np.ndarray]:
    row = np.full((1, len(FACT_NAMES)), np.nan)
    for name, value in (facts or {}).items():
        row[0, FACT_NAMES.index(name)] = value
    return {
        "facts": row,
        "assessment_day": np.array([_day(assessed)]),
        "onset_day": np.array([_day(onset)]),
        "diagnosis_day": np.array([_day(diagnosis) if diagnosis else NO_DAY]),
        "age_anchor_day": np.array([_day(birth) if birth else NO_DAY]),
        "age_offset": np.array([0.0 if birth else np.nan]),
        "riluzole_start_day": np.array([_day(riluzole_start) if riluzole_start else NO_DAY]),
    }


def _trial(*criteria: dict) -> object:
    return parse_trial({"id": "t", "title": "t", "source": "test", "criteria": list(criteria)})


def _run(cols: dict[str, np.ndarray], *criteria: dict) -> tuple[list[str], str, int, int]:
    out = screen(cols, criteria_arrays(_trial(*criteria)))  # type: ignore[arg-type]
    results = [RESULTS[int(r)] for r in out["result"][0]]
    return results, STATUSES[int(out["status"][0])], int(out["eligible_until"][0]), int(out["eligible_from"][0])


@pytest.mark.parametrize(("value", "expected"), [(59.9, "fail"), (60.0, "pass"), (80.0, "pass"), (80.1, "fail")])
def test_min_and_max_are_inclusive(value: float, expected: str) -> None:
    crit = {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60, "max": 80}
    assert _run(_cols("2025-01-01", facts={"fvc_upright_percent": value}), crit)[0] == [expected]


@pytest.mark.parametrize(("value", "inclusion", "exclusion"), [(1.0, "pass", "fail"), (0.0, "fail", "pass")])
def test_equals_on_a_boolean_for_both_kinds(value: float, inclusion: str, exclusion: str) -> None:
    cols = _cols("2025-01-01", facts={"gastrostomy": value})
    inc = {"id": "g", "kind": "inclusion", "fact": "gastrostomy", "equals": True}
    exc = {"id": "g", "kind": "exclusion", "fact": "gastrostomy", "equals": True}
    assert _run(cols, inc)[0] == [inclusion]
    assert _run(cols, exc)[0] == [exclusion]


def test_in_on_a_category() -> None:
    crit = {"id": "dx", "kind": "inclusion", "fact": "revised_el_escorial", "in": ["probable", "definite"]}
    categories = ("not_met", "possible", "probable_laboratory_supported", "probable", "definite")
    for code, name in enumerate(categories):
        from alsdx.trials.facts_catalog import FACTS

        index = FACTS["revised_el_escorial"].values.index(name)
        del code
        got = _run(_cols("2025-01-01", facts={"revised_el_escorial": float(index)}), crit)[0]
        assert got == (["pass"] if name in ("probable", "definite") else ["fail"]), name


def test_unknown_and_manual_and_the_status_precedence() -> None:
    fvc = {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60}
    svc = {"id": "svc", "kind": "inclusion", "fact": "svc_percent", "min": 60}
    consent = {"id": "consent", "kind": "inclusion", "manual": True}
    unknown_only = _cols("2025-01-01", facts={"fvc_upright_percent": 70})
    assert _run(unknown_only, fvc, svc, consent)[:2] == (["pass", "unknown", "manual"], "undetermined")
    failing_and_unknown = _cols("2025-01-01", facts={"fvc_upright_percent": 50})
    assert _run(failing_and_unknown, fvc, svc, consent)[:2] == (["fail", "unknown", "manual"], "not_eligible")
    # manual criteria are never counted as passed, and never block: eligible with manual items still to check
    assert _run(unknown_only, fvc, consent)[:2] == (["pass", "manual"], "eligible")
    # an exclusion whose fact is unknown is unknown, not passed
    peg = {"id": "peg", "kind": "exclusion", "fact": "gastrostomy", "equals": True}
    assert _run(unknown_only, peg)[:2] == (["unknown"], "undetermined")


@pytest.mark.parametrize(
    ("onset", "last_day"),
    [
        ("2024-01-15", "2026-01-15"),
        ("2024-01-31", "2026-01-31"),
        ("2023-08-31", "2025-02-28"),  # month end clamped (Decision 16)
        ("2024-02-29", "2026-02-28"),  # 29 February, common target year
        ("2022-02-28", "2024-02-28"),
    ],
)
def test_months_since_onset_max_holds_up_to_and_including_n_calendar_months(onset: str, last_day: str) -> None:
    months = 24 if onset != "2023-08-31" else 18
    crit = {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": months}
    last = dt.date.fromisoformat(last_day)
    on_last = _run(_cols(last_day, onset=onset), crit)
    assert on_last[:3] == (["pass"], "eligible", _day(last_day))
    after = _run(_cols((last + dt.timedelta(days=1)).isoformat(), onset=onset), crit)
    assert after[:2] == (["fail"], "not_eligible")
    assert after[3] == NO_DAY  # a max window never reopens


def test_months_since_onset_min_holds_from_that_date_and_gives_eligible_from() -> None:
    crit = {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "min": 6}
    before = _run(_cols("2024-07-30", onset="2024-01-31"), crit)
    assert before[0] == ["fail"]
    assert before[3] == _day("2024-07-31")
    assert _run(_cols("2024-07-31", onset="2024-01-31"), crit)[:3] == (["pass"], "eligible", NO_DAY)
    feb = _run(_cols("2024-08-28", onset="2023-08-31"), crit | {"min": 6})  # 31 Aug + 6 months = 29 Feb 2024
    assert feb[0] == ["pass"]
    assert _run(_cols("2024-02-28", onset="2023-08-31"), crit)[3] == _day("2024-02-29")


def test_eligible_until_is_the_earliest_closing_time_criterion() -> None:
    onset = {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 24}
    diagnosis = {"id": "dx", "kind": "inclusion", "fact": "months_since_diagnosis", "max": 12}
    cols = _cols("2024-06-01", onset="2024-01-15", diagnosis="2024-04-30")
    assert _run(cols, onset, diagnosis)[2] == _day("2025-04-30")
    assert _run(cols, onset)[2] == _day("2026-01-15")
    no_time = {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60}
    assert _run(_cols("2024-06-01", facts={"fvc_upright_percent": 90}), no_time)[2] == NO_DAY


def test_eligible_from_only_when_every_failure_is_a_time_criterion_that_passes_later() -> None:
    wait = {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "min": 12}
    fvc = {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60}
    cols = _cols("2024-06-01", onset="2024-01-15", facts={"fvc_upright_percent": 50})
    assert _run(cols, wait, fvc)[3] == NO_DAY
    cols = _cols("2024-06-01", onset="2024-01-15", facts={"fvc_upright_percent": 70})
    assert _run(cols, wait, fvc)[1:] == ("not_eligible", NO_DAY, _day("2025-01-15"))
    # the window would close before it opens: no eligible_from
    closes = {"id": "dx", "kind": "inclusion", "fact": "months_since_diagnosis", "max": 3}
    cols = _cols("2024-06-01", onset="2024-01-15", diagnosis="2024-05-01")
    assert _run(cols, wait, closes)[3] == NO_DAY


@pytest.mark.parametrize(
    ("birth", "assessed", "expected"),
    [
        ("2006-05-10", "2024-05-09", "fail"),
        ("2006-05-10", "2024-05-10", "pass"),  # the 18th birthday
        ("2004-02-29", "2022-02-28", "pass"),  # 29 February: birthday on 28 February in a common year
        ("2004-02-29", "2022-02-27", "fail"),
    ],
)
def test_age_changes_on_birthdays(birth: str, assessed: str, expected: str) -> None:
    crit = {"id": "age", "kind": "inclusion", "fact": "age_years", "min": 18}
    assert _run(_cols(assessed, birth=birth), crit)[0] == [expected]


def test_age_max_holds_until_the_day_before_the_next_birthday() -> None:
    crit = {"id": "age", "kind": "inclusion", "fact": "age_years", "max": 75}
    assert _run(_cols("2025-05-09", birth="1949-05-10"), crit)[:3] == (["pass"], "eligible", _day("2025-05-09"))
    assert _run(_cols("2025-05-10", birth="1949-05-10"), crit)[0] == ["fail"]


def test_age_unknown_without_birth_date_or_age_at_onset() -> None:
    crit = {"id": "age", "kind": "inclusion", "fact": "age_years", "min": 18}
    assert _run(_cols("2025-01-01"), crit)[:2] == (["unknown"], "undetermined")


def test_riluzole_days() -> None:
    stable = {"id": "ril", "kind": "inclusion", "fact": "riluzole_days", "min": 30}
    assert _run(_cols("2024-03-30", riluzole_start="2024-03-01"), stable)[0] == ["fail"]
    assert _run(_cols("2024-03-30", riluzole_start="2024-03-01"), stable)[3] == _day("2024-03-31")
    assert _run(_cols("2024-03-31", riluzole_start="2024-03-01"), stable)[0] == ["pass"]
    not_taking = _run(_cols("2024-03-31"), stable)
    assert not_taking[0] == ["fail"]
    assert not_taking[3] == NO_DAY  # 0 days never grow
    # "not taking, or stable for >= 30 days": an exclusion of 1 to 29 days
    unstable = {"id": "ril", "kind": "exclusion", "fact": "riluzole_days", "min": 1, "max": 29}
    assert _run(_cols("2024-03-31"), unstable)[0] == ["pass"]
    assert _run(_cols("2024-03-31"), unstable)[2] == NO_DAY  # not taking: the exclusion never holds, no window end
    assert _run(_cols("2024-03-10", riluzole_start="2024-03-01"), unstable)[0] == ["fail"]
    assert _run(_cols("2024-03-10", riluzole_start="2024-03-01"), unstable)[3] == _day("2024-03-31")


def test_many_cases_in_one_call_match_one_by_one() -> None:
    crit = (
        {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 24},
        {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60},
    )
    rows = [
        _cols(a, onset=o, facts={"fvc_upright_percent": f})
        for a, o, f in [
            ("2025-01-01", "2024-01-31", 70),
            ("2026-03-01", "2024-01-31", 70),
            ("2025-01-01", "2023-02-28", 50),
        ]
    ]
    batch = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
    together = screen(batch, criteria_arrays(_trial(*crit)))  # type: ignore[arg-type]
    for i, r in enumerate(rows):
        alone = screen(r, criteria_arrays(_trial(*crit)))  # type: ignore[arg-type]
        for key in together:
            assert np.array_equal(together[key][i], alone[key][0])


def test_trial_yaml_example_of_the_issue_parses() -> None:
    doc = yaml.safe_load(
        """
id: example-phase3
title: Example phase 3 trial
source: ClinicalTrials.gov NCT00000000, eligibility as posted on 2025-06-01
criteria:
  - {id: diagnosis, kind: inclusion, fact: revised_el_escorial, in: [probable, probable_laboratory_supported, definite]}
  - {id: onset-window, kind: inclusion, fact: months_since_onset, max: 24}
  - {id: fvc, kind: inclusion, fact: fvc_upright_percent, min: 60}
  - {id: gastrostomy, kind: exclusion, fact: gastrostomy, equals: true}
  - {id: consent, kind: inclusion, text: Able to give informed consent, manual: true}
"""
    )
    assert len(parse_trial(doc).criteria) == 5
