"""assess() per patient == the cohort batch function, column by column (categories, flags, region evidence, the
care-plan columns), on random synthetic cohorts and on random case documents. The plan columns are compared with
the plan of the case the flat row holds (``row_document``): the layout keeps the latest lab of each analyte, the
plan reads histories."""

from __future__ import annotations

import pytest
from cohort_strategies import case_documents, cohort_row, plan_case_document, plan_columns, rounded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsdx.cohort import batch as batch_module
from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import cases_to_batch, row_document
from alsdx.cohort.schema import flat_fields
from alsdx.cohort.synth import synth_table
from alsdx.columns.codes import PATIENT_COLUMNS
from alsdx.engine import pipeline
from alsdx.engine.assess import assess, assess_many
from alsdx.model.case import Case
from alsdx.rules.course.pipeline import course_kernel
from alsdx.rules.criteria.interpretation import interpretation_from_names


def _output_rows(batch, interp=None):
    out = assess_batch(batch, interp).to_pylist()
    return [
        rounded({k: v for k, v in row.items() if k not in ("id", "invalid_reason", "ruleset_version")}) for row in out
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 150))
def test_synthetic_cohort_batch_equals_assess_per_patient(seed, n):
    table = synth_table(n, seed)
    batch = table.to_batches()[0] if table.num_rows else None
    assert batch is not None and batch.num_rows == n
    rows = batch.to_pylist()
    got = _output_rows(batch)
    for row, result in zip(rows, got, strict=True):
        expected = cohort_row(assess(Case.model_validate(row_document(row))))
        assert result == expected, row["id"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case_documents(),
    st.lists(
        st.sampled_from(["weakness-counts-as-lmn", "definite-count-reading", "probable-any-region"]),
        unique=True,
        max_size=2,
    ),
)
def test_case_documents_batch_equals_assess_under_any_reading(docs, names):
    interp = interpretation_from_names(names)
    cases = [Case.model_validate(d) for d in docs]
    batch = cases_to_batch(cases)
    got = _output_rows(batch, interp)
    rebuilt = [Case.model_validate(row_document(row)) for row in batch.to_pylist()]
    plans = [plan_columns(a) for a in assess_many(rebuilt, interp)]
    expected = [{**cohort_row(a), **plan} for a, plan in zip(assess_many(cases, interp), plans, strict=True)]
    assert got == expected


NON_DEFAULT_READINGS = [
    ["weakness-counts-as-lmn"],
    ["definite-count-reading"],
    ["probable-any-region"],
    ["weakness-counts-as-lmn", "definite-count-reading", "probable-any-region"],
]


@pytest.mark.parametrize("names", NON_DEFAULT_READINGS, ids="+".join)
def test_a_synthetic_cohort_under_each_non_default_reading_equals_assess(names: list[str]) -> None:
    """Under each named reading (docs/ruleset.md Decisions 3, 5, 6), and all three at once, the batch gives what
    assess() gives per patient under that reading; and the reading changes some rows, so a path that dropped it
    would fail the comparison."""
    interp = interpretation_from_names(names)
    batch = synth_table(400, 11).to_batches()[0]
    cases = [Case.model_validate(row_document(row)) for row in batch.to_pylist()]
    got = _output_rows(batch, interp)
    assert got == [cohort_row(a) for a in assess_many(cases, interp)]
    default = _output_rows(batch)
    changed = [i for i, (row, plain) in enumerate(zip(got, default, strict=True)) if row != plain]
    assert changed, "no synthetic row is affected by the reading: the comparison would not notice it dropped"


def test_output_keeps_order_and_ids_and_marks_invalid_rows():
    table = synth_table(40, 5)
    batch = table.to_batches()[0]
    broken = batch.to_pylist()
    broken[3]["course"] = "sometimes"
    fixed = cases_to_batch([Case.model_validate(row_document(r)) for r in broken[:3]])
    out = assess_batch(type(batch).from_pylist(broken, schema=batch.schema))
    assert out.column("id").to_pylist() == batch.column("id").to_pylist()
    assert out.num_rows == 40
    row = out.slice(3, 1).to_pylist()[0]
    assert row["revised_el_escorial"] is None and row["cervical_umn"] is None
    assert row["invalid_reason"] == "course: 'sometimes' is not one of progressive, not_progressive, unknown"
    assert out.column("invalid_reason").null_count == 39
    assert _output_rows(fixed) == _output_rows(batch.slice(0, 3))


def test_a_file_of_criteria_columns_equals_assess_and_skips_the_course_kernels(monkeypatch):
    """Absent columns read as "not given" (built as constants, not as null Arrow columns); without an
    ALSFRS-R visit the course kernels do not run and the course outputs are null, as when they run."""
    keep = [
        f.name
        for f in flat_fields()
        if f.name in ("id", "symptom_onset", "assessment_date", "birth_date", "course", "emg")
        or f.name in PATIENT_COLUMNS
    ]
    batch = synth_table(300, 21).select(keep).combine_chunks().to_batches()[0]
    runs = []

    def counted(*args, **kwargs):
        runs.append(1)
        return course_kernel(*args, **kwargs)

    monkeypatch.setattr(pipeline, "course_kernel", counted)
    got = _output_rows(batch)
    assert runs == []
    for row, result in zip(batch.to_pylist(), got, strict=True):
        assert result == cohort_row(assess(Case.model_validate(row_document(row)))), row["id"]
    assert all(r["alsfrs_r_total"] is None and r["kings_stage"] is None for r in assess_batch(batch).to_pylist())
    runs.clear()  # assess() runs the course kernels too (the same pipeline)
    monkeypatch.setattr(batch_module, "has_visit", lambda _batch: True)
    assert _output_rows(batch) == got and runs == [1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plan_case_document(), min_size=1, max_size=10))
def test_plan_columns_equal_the_plan_of_the_case_each_row_holds(docs):
    """Riluzole courses (current, stopped, several), edaravone route switches, ALT around 1, 3 and 5 x ULN with and
    without a ULN, ANC, FVC dates around 3 months back: the cohort's plan columns are the plan's values."""
    cases = [Case.model_validate({**d, "id": f"p-{i}"}) for i, d in enumerate(docs)]
    batch = cases_to_batch(cases)
    out = assess_batch(batch).to_pylist()
    for row, result in zip(batch.to_pylist(), out, strict=True):
        expected = plan_columns(assess(Case.model_validate(row_document(row))))
        assert {k: result[k] for k in expected} == expected, row["id"]
