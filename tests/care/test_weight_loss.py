"""Weight loss above 10 % (EFNS 2012, Andersen 2012: a factor in gastrostomy timing): a gastrostomy discussion and
a nutrition referral to be considered. The loss is counted from the first dated weight (docs/case-format.md)."""

from __future__ import annotations

from typing import Any

import pytest
from care_cases import NORMAL_ITEMS, MakeCase, care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.columns import weight_loss_percent


def weights(*entries: tuple[str, float]) -> dict[str, Any]:
    return {"weight": [{"date": d, "weight_kg": kg} for d, kg in entries]}


@pytest.mark.parametrize(
    ("latest_kg", "fires"),
    [(90.0, False), (89.9, True), (80.0, True), (100.0, False)],  # 80 -> 90 kg is exactly 10 %: not above it
)
def test_more_than_ten_percent_from_the_first_weight(make_case: MakeCase, latest_kg: float, fires: bool) -> None:
    plan = build_plan(make_case(**weights(("2024-01-10", 100.0), ("2025-06-01", 95.0), ("2026-01-15", latest_kg))))
    nutrition = {r.discipline: r for r in plan.referrals}.get("nutrition_gastroenterology")
    gastrostomy = {s.id: s for s in plan.symptomatic}.get("gastrostomy")
    assert (nutrition is not None and "nut_weight_loss" in nutrition.triggers) is fires
    assert (gastrostomy is not None and "weight loss" in gastrostomy.finding) is fires
    if fires:
        loss = f"{100 - latest_kg:.1f} %"
        assert loss in nutrition.reason and loss in gastrostomy.finding  # type: ignore[union-attr]


def test_reference_is_the_earliest_date_not_the_first_listed(make_case: MakeCase) -> None:
    case = make_case(**weights(("2026-01-15", 70.0), ("2024-01-10", 80.0)))
    assert weight_loss_percent(case) == pytest.approx(12.5)


@pytest.mark.parametrize(
    "entries",
    [(), (("2026-01-15", 70.0),), (("2026-01-15", 80.0), ("2026-01-15", 70.0))],
)
def test_no_loss_without_two_dates_and_the_plan_says_so(
    make_case: MakeCase, entries: tuple[tuple[str, float], ...]
) -> None:
    case = make_case(**weights(*entries))
    assert weight_loss_percent(case) is None
    plan = build_plan(case)
    assert not any("nut_weight_loss" in r.triggers for r in plan.referrals)
    assert any("needs two dated weights" in note for note in plan.notes)


def test_gastrostomy_in_place_keeps_the_nutrition_referral_but_no_new_discussion(make_case: MakeCase) -> None:
    case = make_case(
        **weights(("2024-01-10", 100.0), ("2026-01-15", 85.0)),
        alsfrs_r=[{"date": "2026-01-15", "gastrostomy": True, "items": NORMAL_ITEMS}],
    )
    plan = build_plan(case)
    assert "nut_weight_loss" in {r.discipline: r for r in plan.referrals}["nutrition_gastroenterology"].triggers
    assert "gastrostomy" not in {s.id for s in plan.symptomatic}
    assert not any("needs two dated weights" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("field", "value"), [("weight_kg", 0), ("weight_kg", 401), ("weight_kg", "70"), ("date", "2026-02-01")]
)
def test_invalid_weights_are_rejected_naming_the_field(make_case: MakeCase, field: str, value: Any) -> None:
    from alsdx.errors import CaseValidationError

    entry = {"date": "2026-01-01", "weight_kg": 70.0, field: value}
    with pytest.raises(CaseValidationError, match=r"weight\[0\]"):
        make_case(weight=[entry])
