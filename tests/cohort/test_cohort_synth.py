"""Synthetic cohorts: deterministic, every row a valid case, and the case mix the module documents."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import row_document
from alsdx.cohort.synth import CHUNK, synth_batches, synth_table
from alsdx.model.case import Case


@pytest.fixture(scope="module")
def cohort():
    return synth_table(20_000, 4)


def test_same_seed_same_cohort_other_seed_other_cohort():
    assert synth_table(500, 9).equals(synth_table(500, 9))
    assert not synth_table(500, 9).equals(synth_table(500, 10))


def test_chunks_stream_with_unique_consecutive_ids():
    batches = list(synth_batches(CHUNK + 10, 1))
    assert [b.num_rows for b in batches] == [CHUNK, 10]
    assert batches[1].column("id")[9].as_py() == f"syn-1-{CHUNK + 9:09d}"


def test_every_row_is_a_valid_case(cohort):
    out = assess_batch(cohort.combine_chunks().to_batches()[0])
    assert out.column("invalid_reason").null_count == cohort.num_rows
    for row in cohort.slice(0, 150).to_pylist():
        Case.model_validate(row_document(row))


def _share(table, expr) -> float:
    return float(np.mean(expr(table)))


def test_case_mix_is_plausible(cohort):
    def col(name):
        return cohort.column(name).to_numpy(zero_copy_only=False)

    sex = pc.cast(cohort.column("sex"), "string").to_numpy(zero_copy_only=False)
    assert 0.55 < np.mean(sex == "male") < 0.68
    onset = pc.cast(cohort.column("onset_region"), "string").to_numpy(zero_copy_only=False)
    assert 0.18 < np.mean(onset == "bulbar") < 0.30
    emg_done = pc.list_value_length(cohort.column("emg")).to_numpy(zero_copy_only=False) > 0
    assert 0.65 < emg_done.mean() < 0.85
    muscles = pc.list_value_length(cohort.column("emg")).to_numpy(zero_copy_only=False)[emg_done]
    assert muscles.min() >= 4 and muscles.max() <= 10
    out = assess_batch(cohort.combine_chunks().to_batches()[0])
    gold = pc.cast(out.column("gold_coast"), "string").to_numpy(zero_copy_only=False)
    assert 0.5 < np.mean(gold == "met") < 0.8
    for mimic_sign in ("gynecomastia", "dermatomyositis_rash", "weakness_finger_flexors", "sensory_loss"):
        assert 0.002 < col(mimic_sign).mean() < 0.1, mimic_sign
    ck = cohort.column("ck_u_per_l").to_numpy(zero_copy_only=False)
    assert 0.01 < np.nanmean(ck > 1000) < 0.1  # myositis and some IBM
    speech = cohort.column("alsfrs_r_speech").drop_null().to_numpy()
    assert speech.min() >= 0 and speech.max() <= 4 and 0 < np.mean(speech < 4) < 0.8
