"""The Arrow path builds exactly the kernels' columns that ``columns.from_case.case_columns`` builds from cases.

This is the drift guard: a column added to ``case_columns`` (mimics, course) fails here until the
cohort adapter builds it too.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from cohort_strategies import case_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsdx.cohort.flatten import cases_to_batch, rows_to_batch
from alsdx.columns import arrow_emg as emg
from alsdx.columns.from_arrow import kernel_columns
from alsdx.columns.from_case import case_columns
from alsdx.model.case import Case
from alsdx.model.muscles import muscle_table


def _same_partition(a: np.ndarray, b: np.ndarray, patient: np.ndarray) -> bool:
    """Nerve ids are interned per batch: equal exactly where the other side's ids are equal (per patient)."""
    for p in np.unique(patient):
        m = patient == p
        if not np.array_equal(a[m][:, None] == a[m][None, :], b[m][:, None] == b[m][None, :]):
            return False
    return True


def _arrow_columns(batch: pa.RecordBatch) -> dict[str, np.ndarray]:
    return kernel_columns(batch, emg.decode(batch.column("emg"), batch.num_rows))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_documents())
def test_arrow_columns_equal_case_columns(docs):
    cases = [Case.model_validate(d) for d in docs]
    expected = case_columns(cases)
    got = _arrow_columns(cases_to_batch(cases))
    assert set(got) == set(expected)
    for name, values in expected.items():
        if name == "emg_nerve":
            assert _same_partition(got[name], values, expected["emg_patient"])
        else:
            assert got[name].dtype.kind == values.dtype.kind, name
            assert np.array_equal(got[name], values, equal_nan=values.dtype.kind == "f"), name


def test_columns_are_the_same_from_plain_strings_and_dictionaries():
    case = Case.model_validate(
        {
            "id": "d-1",
            "symptom_onset": "2025-01-01",
            "assessment_date": "2026-01-01",
            "course": "unknown",
            "age_at_onset": 50,
            "emg": [
                {"muscle": "biceps_brachii", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True},
                {"muscle": "thoracic_paraspinal", "side": "right", "roots": ["T8"], "chronic_neurogenic": True},
            ],
        }
    )
    batch = cases_to_batch([case])
    plain = batch.set_column(batch.schema.get_field_index("course"), "course", batch.column("course").cast(pa.string()))
    a, b = _arrow_columns(batch), _arrow_columns(plain)
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name
    assert a["course"][0] == 2  # unknown
    assert list(a["emg_region"]) == [1, 2]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_documents(), st.randoms(use_true_random=False))
def test_registry_style_emg_with_only_muscle_names_is_completed_from_the_table(docs, rnd):
    """Registries often give the muscle name alone: region, roots and nerve come from the muscle table."""
    cases = [Case.model_validate(d) for d in docs]
    rows = cases_to_batch(cases).to_pylist()
    table = muscle_table()
    for row in rows:
        for entry in row["emg"]:
            known = table.get(entry["muscle"])
            for field in ("region", "roots", "nerve"):
                if known is not None and (field != "roots" or known.roots) and rnd.random() < 0.6:
                    entry[field] = None
    batch = rows_to_batch(rows)
    assert batch.column("emg").null_count == 0
    expected = case_columns(cases)
    got = _arrow_columns(batch)
    for name in ("emg_patient", "emg_region", "emg_roots", "emg_fibrillations_psw"):
        assert np.array_equal(got[name], expected[name], equal_nan=expected[name].dtype.kind == "f"), name
    assert _same_partition(got["emg_nerve"], expected["emg_nerve"], expected["emg_patient"])
