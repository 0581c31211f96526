"""The case's cross-field rules (alsdx.model.case_rules) are written once and read by both doors: a case document
breaking a rule is refused with the rule's message, and the flat row standing for it is reported invalid with the
rule's row reason. Every rule of the table has an example here, so a rule added to one door only fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from alsdx.cohort.flatten import case_row, rows_to_batch
from alsdx.cohort.validity import check_rows
from alsdx.cohort.vocabulary_columns import read_vocabulary
from alsdx.columns import arrow_emg as emg
from alsdx.model import case_rules
from alsdx.model.case import Case

BASE: dict[str, Any] = {
    "id": "r-1",
    "symptom_onset": "2025-01-01",
    "assessment_date": "2026-01-15",
    "course": "progressive",
}
D = dt.date

# rule id -> (document change, what the case document says, flat row change, what the row reason says)
EXAMPLES: dict[str, tuple[dict[str, Any], str, dict[str, Any], str]] = {
    "assessment_not_after_today": (
        {"assessment_date": "2199-01-02"},
        f"assessment_date 2199-01-02 is after today ({dt.date.today()}): a typing error? write the date the "
        "patient was assessed",
        {"assessment_date": D(2199, 1, 2)},
        f"assessment_date 2199-01-02 is after today ({dt.date.today()}): a typing error? write the date the "
        "patient was assessed",
    ),
    "age_at_assessment_at_most_max": (
        {"birth_date": "1900-01-01"},
        "birth_date 1900-01-01 makes the patient 126 years old at assessment_date 2026-01-15; ages run from 0 to "
        "110: check the year of birth",
        {"birth_date": D(1900, 1, 1)},
        "birth_date 1900-01-01 makes the patient 126 years old at assessment_date 2026-01-15; ages run from 0 to "
        "110: check the year of birth",
    ),
    "onset_not_after_assessment": (
        {"symptom_onset": "2026-01-16"},
        "symptom_onset 2026-01-16 is after assessment_date 2026-01-15",
        {"symptom_onset": D(2026, 1, 16)},
        "symptom_onset 2026-01-16 is after assessment_date 2026-01-15",
    ),
    "birth_before_onset": (
        {"birth_date": "2025-01-01"},
        "birth_date 2025-01-01 is not before symptom_onset 2025-01-01: symptoms cannot begin before birth; "
        "check both years",
        {"birth_date": D(2025, 1, 1)},
        "birth_date 2025-01-01 is not before symptom_onset 2025-01-01",
    ),
    "diagnosis_not_before_onset": (
        {"diagnosis_date": "2024-12-31"},
        "diagnosis_date 2024-12-31 is before symptom_onset 2025-01-01",
        {"diagnosis_date": D(2024, 12, 31)},
        "diagnosis_date 2024-12-31 is before symptom_onset 2025-01-01",
    ),
    "dated_not_after_assessment": (
        {"weight": [{"date": "2026-01-16", "weight_kg": 70.0}], "diagnosis_date": "2026-01-17"},
        "dates after assessment_date 2026-01-15: weight[0].date (2026-01-16), diagnosis_date (2026-01-17)",
        {"weight_kg": 70.0, "weight_kg_date": D(2026, 1, 16)},
        "weight_kg_date 2026-01-16 is after assessment_date 2026-01-15",
    ),
    "age_at_onset_agrees": (
        {"birth_date": "1970-01-01", "age_at_onset": 50},
        "age_at_onset 50.0 disagrees with birth_date and symptom_onset (55.0 years); give one of the two",
        {"birth_date": D(1970, 1, 1), "age_at_onset": 50.0},
        "age_at_onset 50 disagrees with birth_date and symptom_onset (55.0 years); give one of the two",
    ),
    "stop_not_before_start": (
        {"medications": [{"name": "riluzole", "start_date": "2025-06-01", "stop_date": "2025-05-01"}]},
        "stop_date 2025-05-01 is before start_date 2025-06-01",
        {"medications": [{"name": "riluzole", "start_date": D(2025, 6, 1), "stop_date": D(2025, 5, 1)}]},
        "medications[0]: stop_date 2025-05-01 is before start_date 2025-06-01",
    ),
    "signs_need_examination": (
        {"exam": {"cervical": {"examined": False, "lmn": ["atrophy"]}}},
        "examined: false, but signs are listed; remove 'examined: false' (signs were found, so the region was "
        "examined) or remove the signs",
        {"cervical_examined": False, "cervical_lmn_atrophy": True},
        "cervical_examined is false, but cervical signs are recorded true; leave cervical_examined empty or true "
        "(signs were found, so the region was examined) or clear the signs",
    ),
    "dorsal_column_is_sensory_loss": (
        {"exam": {"dorsal_column_sensory_loss": True}},
        "dorsal_column_sensory_loss is an objective sensory deficit: set sensory_loss: true",
        {"dorsal_column_sensory_loss": True, "sensory_loss": False},
        "dorsal_column_sensory_loss is an objective sensory deficit: set sensory_loss: true",
    ),
}


def test_every_rule_has_an_id_a_source_and_an_example() -> None:
    ids = [rule.id for rule in case_rules.RULES]
    assert len(set(ids)) == len(ids)
    assert all(rule.source.startswith("docs/") for rule in case_rules.RULES)
    assert set(ids) == set(EXAMPLES)


@pytest.mark.parametrize("rule_id", list(EXAMPLES))
def test_the_case_document_is_refused_with_the_rules_message(rule_id: str) -> None:
    change, message, _, _ = EXAMPLES[rule_id]
    with pytest.raises(ValidationError) as refused:
        Case.model_validate({**BASE, **change})
    assert [e["msg"] for e in refused.value.errors()] == [f"Value error, {message}"]


@pytest.mark.parametrize("rule_id", list(EXAMPLES))
def test_the_flat_row_is_invalid_with_the_rules_reason(rule_id: str) -> None:
    _, _, change, reason = EXAMPLES[rule_id]
    rows = [case_row(Case.model_validate(BASE)), {**case_row(Case.model_validate(BASE)), **change}]
    batch = read_vocabulary(rows_to_batch(rows))
    invalid, reasons = check_rows(batch, emg.decode(batch.column("emg"), batch.num_rows))
    assert list(invalid) == [False, True]
    assert reasons[1] == reason


def test_a_rule_holds_where_a_value_it_reads_is_not_given() -> None:
    rule = case_rules.BIRTH_BEFORE_ONSET
    birth = np.array([case_rules.NO_DATE, 10, 10], dtype=np.int32)
    onset = np.array([5, case_rules.NO_DATE, 5], dtype=np.int32)
    assert list(rule.where_broken({"birth_date": birth, "symptom_onset": onset})) == [False, False, True]
