"""FVC recency (docs/ruleset.md §10): AAN 2009 part 1 (Miller RG et al., Neurology 2009;73:1218-1226) monitors FVC
at the 3-monthly visits, so no FVC in the last 3 calendar months makes pulmonary function tests due. An FVC exactly
3 calendar months before the assessment date (Decision 16, clamped to the month's end) is recent; one day more is
not. Every door shows it through the plan (``plan.monitoring``), and the CDS card renders that plan item."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from alsdx.api.cds.cards import CardContext, patient_view_cards
from alsdx.care import build_plan
from alsdx.care.dates import day_number
from alsdx.care.text import plan_to_text
from alsdx.engine.assess import assess
from alsdx.model.load import case_from_dict
from alsdx.rules.care.fvc_recency import ITEM_ID, fvc_recency_kernel

BASE = {"id": "fvc-recency", "symptom_onset": "2024-06-01", "course": "progressive"}


def _due(assessment: date, fvc: date | None) -> bool:
    cols = {
        "assessment_day": np.array([day_number(assessment)]),
        "fvc_recorded": np.array([fvc is not None]),
        "fvc_latest_day": np.array([0 if fvc is None else day_number(fvc)]),
    }
    return bool(fvc_recency_kernel(cols)["fvc_due"][0])


@pytest.mark.parametrize(
    ("assessment", "recent", "one_day_more"),
    [
        (date(2026, 1, 20), date(2025, 10, 20), date(2025, 10, 19)),
        (date(2026, 5, 31), date(2026, 2, 28), date(2026, 2, 27)),  # 31 May - 3 months = 28 Feb (clamped)
        (date(2024, 5, 31), date(2024, 2, 29), date(2024, 2, 28)),  # leap year: 29 Feb
        (date(2026, 3, 1), date(2025, 12, 1), date(2025, 11, 30)),
    ],
)
def test_an_fvc_exactly_three_calendar_months_ago_is_recent_and_one_day_more_is_not(assessment, recent, one_day_more):
    assert not _due(assessment, recent)
    assert _due(assessment, one_day_more)
    assert not _due(assessment, assessment)


def test_no_fvc_at_all_is_due():
    assert _due(date(2026, 1, 20), None)


def _case(fvc: list[dict]) -> dict:
    return {**BASE, "assessment_date": "2026-01-20", "fvc": fvc}


def test_the_plan_item_is_dated_at_the_assessment_date_and_heads_next_due():
    plan = build_plan(case_from_dict(_case([{"date": "2025-10-19", "percent_predicted": 80, "position": "supine"}])))
    (item,) = plan.monitoring
    assert (item.id, item.date) == (ITEM_ID, date(2026, 1, 20))
    assert "Miller RG" in item.source
    assert plan.next_due[0].date == date(2026, 1, 20) and plan.next_due[0].item.startswith(item.test)


def test_an_fvc_in_either_position_within_three_months_clears_the_item():
    for position in ("upright", "supine"):
        fvc = [{"date": "2025-10-20", "percent_predicted": 80, "position": position}]
        assert build_plan(case_from_dict(_case(fvc))).monitoring == []


def _pft_cards(doc: dict, case) -> list[dict]:
    return [c for c in patient_view_cards(doc, case, CardContext("h", "p1")) if "No FVC recorded" in c["summary"]]


def test_the_cds_card_renders_the_plan_item_and_decides_nothing_itself():
    case = case_from_dict(_case([]))
    doc = assess(case).model_dump(mode="json")
    (card,) = _pft_cards(doc, case)
    assert card["summary"] == "No FVC recorded in the last 3 months: pulmonary function tests suggested"
    assert card["indicator"] == "info"
    doc["plan"]["monitoring"] = []  # the same case, a plan without the item: no card
    assert _pft_cards(doc, case) == []
    recent = case_from_dict(_case([{"date": "2026-01-02", "percent_predicted": 80, "position": "upright"}]))
    assert _pft_cards(assess(recent).model_dump(mode="json"), recent) == []


def test_the_terminal_plan_shows_the_item_under_next_due():
    text = plan_to_text(build_plan(case_from_dict(_case([]))))
    assert "2026-01-20: Pulmonary function tests (FVC upright and supine): no FVC recorded in the last 3 months" in text
