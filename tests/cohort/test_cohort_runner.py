"""The local engine: order and ids kept across processes, bounded parts, atomic output, invalid rows
reported (Parquet, CSV and JSONL inputs)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from alsdx.cohort import runner
from alsdx.cohort.batch import assess_batch
from alsdx.cohort.conform import CohortInputError
from alsdx.cohort.convert import write_synth
from alsdx.cohort.reader import BatchPart, ParquetPart, parts
from alsdx.cohort.runner import invalid_path, run_local
from alsdx.cohort.synth import synth_table
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples", "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "synth.parquet"
    write_synth(700, path, seed=11, progress=False, row_group_size=64)
    return path


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("workers", [2, 3], ids=["two-threads", "three-processes"])
def test_workers_keep_input_order_and_match_the_batch_function(cohort: Path, tmp_path: Path, monkeypatch, workers):
    monkeypatch.setattr(runner, "PART_ROWS", 128)  # six parts: the workers read the same file at once
    out = tmp_path / "out.parquet"
    summary = run_local(cohort, out, workers=workers, batch_size=100, progress=False)
    result = pq.read_table(out)
    source = pq.read_table(cohort)
    assert result.column("id").to_pylist() == source.column("id").to_pylist()
    expected = assess_batch(source.combine_chunks().to_batches()[0])
    assert result.to_pylist() == pa.Table.from_batches([expected]).to_pylist()
    assert summary.rows == 700 and summary.invalid == 0
    assert summary.crosstab.sum() == 700 and all(c.sum() == 700 for c in summary.counts.values())
    assert invalid_path(out).read_text() == "row,id,reason\n"
    assert _leftovers(tmp_path) == []


def test_parts_are_row_groups_or_streamed_batches(cohort: Path, tmp_path: Path):
    small = list(parts(cohort, batch_size=100))
    assert all(isinstance(p, ParquetPart) for p in small)
    assert [p.rows for p in small] == [128] * 5 + [60]
    big = tmp_path / "one_group.parquet"
    pq.write_table(pq.read_table(cohort), big, row_group_size=700)
    streamed = list(parts(big, batch_size=100))
    assert all(isinstance(p, BatchPart) for p in streamed) and sum(p.rows for p in streamed) == 700
    out_a, out_b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    run_local(big, out_a, workers=1, batch_size=100, progress=False)
    run_local(cohort, out_b, workers=1, batch_size=100, progress=False)
    assert pq.read_table(out_a).equals(pq.read_table(out_b))


def test_an_interrupted_run_leaves_no_file_and_keeps_the_previous_output(cohort: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous result")
    calls = []

    def failing(part, batch_size, interpretation, trials):
        calls.append(part)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return runner.assess_part(part, batch_size, interpretation, trials)

    monkeypatch.setattr(runner, "assess_part", failing)
    with pytest.raises(KeyboardInterrupt):
        run_local(cohort, out, workers=1, batch_size=100, progress=False)
    assert out.read_bytes() == b"previous result"
    assert _leftovers(tmp_path) == []
    assert not invalid_path(out).exists()


def test_unknown_columns_stop_before_any_output(tmp_path: Path):
    table = synth_table(5, 1).append_column("cervical_umn_hofman", pa.array([True] * 5))
    src = tmp_path / "typo.parquet"
    pq.write_table(table, src)
    with pytest.raises(CohortInputError, match=r"'cervical_umn_hofman' \(did you mean 'cervical_umn_hoffmann'\?\)"):
        run_local(src, tmp_path / "out.parquet", workers=1, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typo.parquet"]


def test_directory_of_parquet_files_in_name_order(cohort: Path, tmp_path: Path):
    table = pq.read_table(cohort)
    folder = tmp_path / "registry"
    folder.mkdir()
    pq.write_table(table.slice(300), folder / "part-1.parquet")
    pq.write_table(table.slice(0, 300), folder / "part-0.parquet")
    out = tmp_path / "out.parquet"
    run_local(folder, out, workers=1, batch_size=128, progress=False)
    assert pq.read_table(out).column("id").to_pylist() == table.column("id").to_pylist()


def test_csv_cells_that_do_not_parse_make_the_row_invalid_not_the_run(tmp_path: Path):
    src = tmp_path / "registry.csv"
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "id",
                "symptom_onset",
                "assessment_date",
                "course",
                "cervical_umn_hoffmann",
                "cervical_lmn_atrophy",
                "lumbosacral_umn_babinski",
                "age_at_onset",
                "emg",
            ]
        )
        muscles = json.dumps(
            [{"muscle": "biceps_brachii", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True}]
        )
        w.writerow(["r1", "2025-01-01", "2026-01-01", "progressive", "true", "TRUE", "1", "61", muscles])
        w.writerow(["r2", "2025-01-01", "2026-01-01", "progressive", "maybe", "", "", "61", ""])
        w.writerow(["r3", "2025-02-30", "2026-01-01", "progressive", "", "", "", "sixty", ""])
        w.writerow(["r4", "2025-01-01", "2026-01-01", "unknown", "false", "", "", "", '[{"muscle": 3}]'])
    out = tmp_path / "out.parquet"
    summary = run_local(src, out, workers=1, progress=False)
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == ["r1", "r2", "r3", "r4"]
    assert rows[0]["cervical_umn"] and rows[0]["cervical_lmn_clinical"] and rows[0]["lumbosacral_umn"]
    assert rows[0]["awaji"] == "possible" and rows[0]["invalid_reason"] is None
    assert (
        rows[1]["invalid_reason"] == "line 3: cervical_umn_hoffmann: 'maybe' is not yes or no (true/false, yes/no, 1/0)"
    )
    assert rows[2]["invalid_reason"].startswith("line 4: ")
    assert "symptom_onset: '2025-02-30' is not an ISO 8601 date" in rows[2]["invalid_reason"]
    assert "age_at_onset: 'sixty' is not a number" in rows[2]["invalid_reason"]
    assert rows[3]["invalid_reason"].startswith("line 5: emg: not a JSON list of records")
    assert summary.invalid == 3
    with open(invalid_path(out), newline="") as fh:
        side = list(csv.reader(fh))
    assert side[0] == ["row", "id", "reason"] and [r[:2] for r in side[1:]] == [["1", "r2"], ["2", "r3"], ["3", "r4"]]


@pytest.mark.parametrize("workers", [1, 2], ids=["one-worker", "two-processes"])
def test_jsonl_case_documents_rejected_documents_keep_their_row(tmp_path: Path, workers: int):
    src = tmp_path / "cases.jsonl"
    docs = [json.dumps(load_case(p).model_dump(mode="json")) for p in EXAMPLES]
    lines = [docs[0], "", json.dumps({"id": "bad-1", "course": "progressive"}), "not json", docs[1]]
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.parquet"
    run_local(src, out, workers=workers, batch_size=2, progress=False)  # three blocks of lines
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == [load_case(EXAMPLES[0]).id, "bad-1", None, load_case(EXAMPLES[1]).id]
    assert rows[1]["invalid_reason"].startswith("line 3: symptom_onset: required: give a value")
    assert rows[2]["invalid_reason"].startswith("line 4: ")
    assert rows[0]["invalid_reason"] is None and rows[0]["revised_el_escorial"] is not None
