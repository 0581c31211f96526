"""The flat layout's "not examined" (issue 14 part 2): all of a region's sign cells null = not examined, a sign
cell given (false = sign not found) = examined, ``<region>_examined`` says it explicitly; the output carries
``regions_not_examined``, ``emg_regions_not_studied`` and ``assessable`` exactly as ``assess`` does."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import case_row, row_document, rows_to_batch
from alsdx.cohort.runner import invalid_path, run_local
from alsdx.cohort.summary import Summary
from alsdx.cohort.synth import synth_table
from alsdx.engine.assess import assess
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict

BASE: dict[str, Any] = {"symptom_onset": "2025-01-01", "assessment_date": "2026-01-01", "course": "progressive"}
ROW: dict[str, Any] = {**BASE, "symptom_onset": dt.date(2025, 1, 1), "assessment_date": dt.date(2026, 1, 1)}


def _out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return assess_batch(rows_to_batch(rows)).to_pylist()


def test_case_row_writes_null_signs_for_a_region_not_examined_and_reads_back() -> None:
    case = case_from_dict({**BASE, "id": "a", "exam": {"bulbar": {}, "cervical": {"lmn": ["atrophy"]}}})
    row = case_row(case)
    assert row["bulbar_examined"] is True and row["bulbar_lmn_atrophy"] is False
    assert row["thoracic_examined"] is False and row["thoracic_lmn_atrophy"] is None
    assert Case.model_validate(row_document(row)) == case


def test_null_sign_cells_are_not_examined_false_cells_are_examined() -> None:
    rows = [
        {**ROW, "id": "nothing"},  # every sign cell null: nothing examined, no EMG
        {**ROW, "id": "one-false", "bulbar_lmn_atrophy": False},  # a cell given false: bulbar examined
        {**ROW, "id": "stated", "thoracic_examined": True},  # said explicitly, no sign cell given
        {**ROW, "id": "stated-no", "cervical_examined": False, "cervical_lmn_atrophy": False},
    ]
    out = {r["id"]: r for r in _out(rows)}
    assert out["nothing"]["regions_not_examined"] == ["bulbar", "cervical", "thoracic", "lumbosacral"]
    assert out["nothing"]["assessable"] == "none"
    assert out["one-false"]["regions_not_examined"] == ["cervical", "thoracic", "lumbosacral"]
    assert out["one-false"]["assessable"] == "partial"
    assert out["stated"]["regions_not_examined"] == ["bulbar", "cervical", "lumbosacral"]
    assert out["stated-no"]["regions_not_examined"] == ["bulbar", "cervical", "thoracic", "lumbosacral"]
    assert all(r["emg_regions_not_studied"] == ["bulbar", "cervical", "thoracic", "lumbosacral"] for r in out.values())
    assert all(r["invalid_reason"] is None and r["gold_coast"] == "not_met" for r in out.values())


def test_emg_muscles_mark_their_regions_studied() -> None:
    emg = [{"muscle": "biceps_brachii", "side": "left"}, {"muscle": "tibialis_anterior", "side": "right"}]
    (out,) = _out([{**ROW, "id": "e", "emg": emg}])
    assert out["emg_regions_not_studied"] == ["bulbar", "thoracic"]
    assert out["assessable"] == "partial"  # EMG alone: something to assess, but no region examined


def test_examined_false_with_a_sign_is_an_invalid_row_naming_the_column() -> None:
    (out,) = _out([{**ROW, "id": "bad", "cervical_examined": False, "cervical_lmn_atrophy": True}])
    assert out["el_escorial_1994"] is None and out["regions_not_examined"] is None
    assert "cervical_examined is false, but cervical signs are recorded" in out["invalid_reason"]


def test_output_equals_assess_for_each_way_of_not_examining() -> None:
    docs = [
        {**BASE, "id": "omitted", "exam": {"cervical": {"umn": ["hyperreflexia"], "lmn": ["atrophy"]}}},
        {**BASE, "id": "null", "exam": {"bulbar": None, "lumbosacral": {"lmn": ["atrophy"]}}},
        {**BASE, "id": "false", "exam": {"thoracic": {"examined": False}, "bulbar": {}}},
        {**BASE, "id": "all", "exam": {r: {} for r in ("bulbar", "cervical", "thoracic", "lumbosacral")}},
    ]
    cases = [case_from_dict(d) for d in docs]
    out = _out([case_row(c) for c in cases])
    for case, row in zip(cases, out, strict=True):
        c = assess(case).completeness
        assert row["regions_not_examined"] == c.regions_not_examined, case.id
        assert row["emg_regions_not_studied"] == c.emg_regions_not_studied, case.id
        assert row["assessable"] == c.assessable, case.id


def test_csv_empty_sign_cells_are_not_examined(tmp_path: Path) -> None:
    source = tmp_path / "registry.csv"
    with open(source, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "symptom_onset", "assessment_date", "course", "bulbar_lmn_atrophy", "cervical_lmn_atrophy"])
        w.writerow(["blank", "2025-01-01", "2026-01-01", "progressive", "", ""])
        w.writerow(["bulbar-no", "2025-01-01", "2026-01-01", "progressive", "false", ""])
    out = tmp_path / "out.parquet"
    summary = run_local(source, out, workers=1, progress=False)
    rows = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    assert rows["blank"]["assessable"] == "none"
    assert rows["bulbar-no"]["regions_not_examined"] == ["cervical", "thoracic", "lumbosacral"]
    assert summary.as_dict()["assessable"] == {"complete": 0, "partial": 1, "none": 1}
    assert invalid_path(out).read_text() == "row,id,reason\n"


def test_synthetic_cohorts_state_every_region_examined() -> None:
    table = synth_table(300, seed=4)
    for region in ("bulbar", "cervical", "thoracic", "lumbosacral"):
        assert table.column(f"{region}_examined").to_pylist() == [True] * 300
    out = assess_batch(table.combine_chunks().to_batches()[0])
    assert set(out.column("assessable").to_pylist()) == {"complete"}
    summary = Summary()
    summary.add(out)
    assert summary.as_dict()["assessable"]["complete"] == 300


def test_completeness_columns_are_in_the_output_schema() -> None:
    out = _out([{**ROW, "id": "x"}])
    assert {"regions_not_examined", "emg_regions_not_studied", "assessable"} <= set(out[0])
    batch = assess_batch(rows_to_batch([{**ROW, "id": "x"}]))
    assert batch.schema.field("regions_not_examined").type == pa.list_(pa.string())
