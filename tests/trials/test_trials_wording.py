"""The clinician's words for a screening (trials/wording.py, the patient page's panel): exclusions, booleans, the
riluzole wait and the age limit, each worded from the kernel's result."""

from __future__ import annotations

from typing import Any

from alsdx.engine.assess import assess
from alsdx.model.load import case_from_dict
from alsdx.trials.model import parse_trial
from alsdx.trials.screen import screen_cases
from alsdx.trials.wording import TrialWords, trial_words

CASE: dict[str, Any] = {
    "id": "W-1",
    "sex": "female",
    "birth_date": "1951-05-10",
    "symptom_onset": "2025-06-01",
    "assessment_date": "2026-01-10",
    "course": "progressive",
    "exam": {"cervical": {"umn": ["hoffmann"], "lmn": ["weakness", "atrophy"]}},
    "medications": [{"name": "riluzole", "start_date": "2026-01-05"}],
    "alsfrs_r": [
        {
            "date": "2026-01-10",
            "gastrostomy": True,
            "items": dict.fromkeys(
                [
                    "speech", "salivation", "swallowing", "handwriting", "cutting_food", "dressing_hygiene",
                    "turning_in_bed", "walking", "climbing_stairs", "dyspnea", "orthopnea",
                    "respiratory_insufficiency",
                ],
                3,
            ),
        }
    ],
}  # fmt: skip


def _words(*criteria: dict[str, Any]) -> TrialWords:
    trial = parse_trial({"id": "t", "title": "T", "source": "test", "criteria": list(criteria)})
    case = case_from_dict(CASE)
    assessment = assess(case)
    (screening,) = screen_cases([case], [trial], [assessment])
    return trial_words(trial, screening.trials[0], case, assessment)


def test_a_boolean_exclusion_says_what_was_recorded_and_what_excludes() -> None:
    w = _words({"id": "peg", "kind": "exclusion", "fact": "gastrostomy", "equals": True})
    assert w.status == "not_eligible" and w.window is None
    assert [f.said for f in w.failing] == ["Gastrostomy: yes — excluded when yes"]


def test_the_riluzole_wait_gives_the_day_it_ends_and_why() -> None:
    """Riluzole since 2026-01-05: 5 days at the visit; the exclusion of 1 to 13 days ends on day 14."""
    w = _words({"id": "ril", "kind": "exclusion", "fact": "riluzole_days", "min": 1, "max": 13})
    assert [f.said for f in w.failing] == ["Days on riluzole: 5 days — excluded when 1 to 13 days"]
    assert w.window == "May become eligible from 2026-01-19 (14 days on riluzole)"


def test_an_age_limit_closes_the_window_the_day_before_the_next_birthday() -> None:
    """Born 1951-05-10: 74 at the visit; "age 18 to 75" holds until 2027-05-09."""
    w = _words({"id": "age", "kind": "inclusion", "fact": "age_years", "min": 18, "max": 75})
    assert w.status == "eligible" and w.window == "Eligible until 2027-05-09 (age up to 75)"


def test_the_earliest_closing_criterion_is_the_one_named() -> None:
    w = _words(
        {"id": "age", "kind": "inclusion", "fact": "age_years", "max": 75},
        {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "max": 12},
    )
    assert w.window == "Eligible until 2026-06-01 (12 months from onset)"


def test_unknown_criteria_are_grouped_by_the_finding_to_record() -> None:
    w = _words(
        {"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60},
        {"id": "sod1", "kind": "inclusion", "fact": "sod1_pathogenic", "equals": True},
        {"id": "fam", "kind": "exclusion", "fact": "familial", "equals": True},
        {"id": "consent", "kind": "inclusion", "manual": True},
    )
    assert w.status == "undetermined"
    assert w.status_text == (
        "Undetermined: missing an upright FVC (% predicted); the genetic test results (variants found)"
    )
    assert [(m.record, m.criteria) for m in w.missing] == [
        ("an upright FVC (% predicted)", ["fvc"]),
        ("the genetic test results (variants found)", ["sod1"]),
    ]
    assert w.manual == ["consent"]  # no text: the id
