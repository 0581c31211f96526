"""The case model's rules for the fields the differential and the disease course read (docs/case-format.md):
sensory findings, investigation dates, ALSFRS-R items, respiratory measures and the diagnosis date. Each invalid
document is refused with the path of the field at fault."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from alsdx.errors import CaseValidationError
from alsdx.model.case import AlsfrsItems
from alsdx.model.load import case_from_dict

NORMAL = dict.fromkeys(AlsfrsItems.model_fields, 4)


def doc(**extra: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "symptom_onset": "2025-01-01",
        "assessment_date": "2026-01-01",
        "course": "progressive",
        **extra,
    }


def test_dorsal_column_loss_requires_objective_sensory_loss() -> None:
    with pytest.raises(CaseValidationError, match=r"exam: .*sensory_loss: true"):
        case_from_dict(doc(exam={"dorsal_column_sensory_loss": True}))


def test_investigation_dates_after_assessment_are_rejected() -> None:
    investigation = {"test": "vlcfa", "date": "2026-02-01", "result": "normal"}
    with pytest.raises(CaseValidationError, match=r"investigations\[0\]\.date"):
        case_from_dict(doc(investigations=[investigation]))


def test_missing_alsfrs_item_is_rejected_by_default_naming_the_item() -> None:
    items = {k: v for k, v in NORMAL.items() if k != "walking"}
    with pytest.raises(CaseValidationError) as err:
        case_from_dict(doc(alsfrs_r=[{"date": "2025-06-01", "gastrostomy": False, "items": items}]))
    assert err.value.errors[0].path == "alsfrs_r[0].items"
    assert "walking" in err.value.errors[0].message
    with pytest.raises(CaseValidationError, match="climbing_stairs"):
        case_from_dict(
            doc(alsfrs_r=[{"date": "2025-06-01", "gastrostomy": False, "items": {**NORMAL, "climbing_stairs": None}}])
        )


def test_a_missing_alsfrs_item_is_admitted_when_asked() -> None:
    case = case_from_dict(
        doc(alsfrs_r=[{"date": "2025-06-01", "gastrostomy": False, "items": {**NORMAL, "walking": None}}]),
        allow_missing_alsfrs_items=True,
    )
    assert case.alsfrs_r[0].items.missing_items() == ["walking"]


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"respiratory": [{"date": "2025-06-01", "mip_cm_h2o": 45}]}, "respiratory[0].mip_cm_h2o"),
        ({"respiratory": [{"date": "2025-06-01", "snip_cm_h2o": -45}]}, "respiratory[0].snip_cm_h2o"),
        ({"respiratory": [{"date": "2025-06-01", "spo2": 90}]}, "respiratory[0].spo2"),
        ({"respiratory": [{"date": "2026-02-01", "snip_cm_h2o": 45}]}, "(document)"),
        ({"diagnosis_date": "2024-12-31"}, "(document)"),
        ({"diagnosis_date": "2026-01-02"}, "(document)"),
    ],
)
def test_extension_fields_are_validated(extra: dict[str, Any], path: str) -> None:
    with pytest.raises(CaseValidationError) as err:
        case_from_dict(doc(**extra))
    assert err.value.errors[0].path == path


def test_diagnosis_date_within_onset_and_assessment_is_accepted() -> None:
    case = case_from_dict(doc(diagnosis_date="2025-01-01"))
    assert case.diagnosis_date == date(2025, 1, 1)
