"""Spark local mode gives the local engine's output, column by column (one session for the module)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cohort_strategies import cohort_row, rounded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import row_document
from alsdx.cohort.runner import run_local
from alsdx.cohort.spark import assess_frame, local_session, run_spark, to_plain
from alsdx.cohort.synth import synth_table
from alsdx.engine.assess import assess
from alsdx.model.case import Case
from alsdx.model.load import load_case

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = local_session(cores=2)
    yield session
    session.stop()


def _local(table: pa.Table) -> list[dict[str, object]]:
    return pa.Table.from_batches([to_plain(assess_batch(b)) for b in table.to_batches()]).to_pylist()


def _spark(spark, path: Path, keep: tuple[str, ...] = ()) -> list[dict[str, object]]:
    df = spark.read.parquet(str(path))
    return assess_frame(df, keep=keep).toArrow().to_pylist()


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 120))
def test_spark_equals_local_engine_equals_assess(spark, tmp_path_factory, seed, n):
    path = tmp_path_factory.mktemp("spark") / "cohort.parquet"
    table = synth_table(n, seed)
    pq.write_table(table, path)
    local = _local(table)
    remote = sorted(_spark(spark, path), key=lambda r: r["id"])
    assert remote == sorted(local, key=lambda r: r["id"])
    for row, out in zip(table.to_pylist()[:25], local[:25], strict=False):
        expected = cohort_row(assess(Case.model_validate(row_document(row))))
        assert rounded({k: out[k] for k in expected}) == expected


def test_keep_columns_pass_through(spark, tmp_path):
    path = tmp_path / "with_site.parquet"
    table = synth_table(30, 1)
    pq.write_table(table.append_column("site", pa.array(["A", "B", "C"] * 10)), path)
    rows = _spark(spark, path, keep=("site",))
    assert {r["id"]: r["site"] for r in rows} == dict(
        zip(table.column("id").to_pylist(), ["A", "B", "C"] * 10, strict=True)
    )


def cohort_with_an_invalid_row(tmp_path: Path, rows: int, seed: int, invalid: int, row_group_size: int) -> Path:
    """A synthetic cohort file whose row ``invalid`` breaks the layout (an unknown course value)."""
    src = tmp_path / "cohort.parquet"
    table = synth_table(rows, seed)
    broken = table.to_pylist()
    broken[invalid]["course"] = "sometimes"
    pq.write_table(pa.Table.from_pylist(broken, schema=table.schema), src, row_group_size=row_group_size)
    return src


def test_engine_spark_writes_the_local_engines_file(spark, tmp_path):
    src = cohort_with_an_invalid_row(tmp_path, rows=300, seed=8, invalid=7, row_group_size=50)
    a, b = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    local_summary = run_local(src, a, workers=1, batch_size=64, progress=False)
    spark_summary = run_spark(src, b, session=spark)
    assert pq.read_table(b).equals(pq.read_table(a))
    assert (tmp_path / "spark.invalid.csv").read_text() == (tmp_path / "local.invalid.csv").read_text()
    assert spark_summary.as_dict() == local_summary.as_dict()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _csv_registry(path: Path) -> None:
    muscles = json.dumps(
        [
            {"muscle": "biceps_brachii", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True},
            {
                "muscle": "first_dorsal_interosseous",
                "side": "left",
                "fibrillations_psw": True,
                "chronic_neurogenic": True,
            },
        ]
    )
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "symptom_onset", "assessment_date", "course", "bulbar_umn_jaw_jerk", "cervical_lmn_atrophy", "emg"]
        )
        w.writerow(["c1", "2025-01-01", "2026-01-01", "progressive", "true", "true", muscles])
        w.writerow(["c2", "2025-01-01", "2026-01-01", "progressive", "maybe", "", ""])
        w.writerow(["c3", "2025-01-01", "2026-01-01", "unknown", "", "false", ""])


def _jsonl_cases(path: Path) -> None:
    docs = [json.dumps(load_case(p).model_dump(mode="json")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    path.write_text("\n".join([docs[0], json.dumps({"id": "bad", "course": "progressive"}), "{", *docs[1:]]) + "\n")


def _excel_registry(path: Path) -> None:
    """As Excel saves "CSV" with European regional settings: BOM, ';', decimal commas, CRLF, localised yes/no,
    leading-zero ids, a quoted cell across two lines, and an ambiguous number (invalid, with its line)."""
    lines = [
        "id;symptom_onset;assessment_date;course;cervical_umn_hoffmann;cervical_lmn_atrophy;age_at_onset;emg",
        "0012;2025-01-01;2026-01-01;progressive;WAHR;ja;61,5;",
        '012;2025-01-01;2026-01-01;progressive;FALSCH;nein;NA;"[\r\n]"',
        "0013;2025-01-01;2026-01-01;progressive;oui;non;1,200;",
        "0014;2025-01-01;2026-01-01;progressive;;;N/A;",
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")


@pytest.mark.parametrize(
    ("name", "write"),
    [("registry.csv", _csv_registry), ("excel.csv", _excel_registry), ("cases.jsonl", _jsonl_cases)],
)
def test_engine_spark_reads_csv_and_jsonl_as_the_local_engine_does(spark, tmp_path, name, write):
    src = tmp_path / name
    write(src)
    a, b = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    local_summary = run_local(src, a, workers=1, progress=False)
    spark_summary = run_spark(src, b, session=spark)
    assert local_summary.invalid > 0  # the bad cells / documents are in both outputs, with their reasons
    assert pq.read_table(b).equals(pq.read_table(a))
    assert (tmp_path / "spark.invalid.csv").read_text() == (tmp_path / "local.invalid.csv").read_text()
    assert spark_summary.as_dict() == local_summary.as_dict()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def decoded(table: pa.Table) -> pa.Table:
    """Dictionary columns as their strings: the values both engines must write."""
    return pa.table(
        [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )


def every_trial() -> tuple[object, ...]:
    """The 5 bundled trials (issue 19's "5 trials") and the 2 examples of examples/trials/."""
    from alsdx.trials.model import bundled_trials, load_trial

    examples = sorted((Path(__file__).parents[2] / "examples" / "trials").glob("*.yaml"))
    return (*bundled_trials().values(), *(load_trial(p) for p in examples))


def test_engine_spark_writes_the_local_engines_file_with_every_trial(spark, tmp_path):
    """The same Parquet file (trial columns included, an invalid row among them) from both engines; the trials
    reach the Spark workers."""
    trials = every_trial()
    assert len(trials) == 7
    src = cohort_with_an_invalid_row(tmp_path, rows=400, seed=12, invalid=11, row_group_size=64)
    a, b = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    run_local(src, a, workers=1, batch_size=64, progress=False, trials=trials)
    run_spark(src, b, session=spark, trials=trials)
    local, remote = pq.read_table(a), pq.read_table(b)
    assert decoded(remote).equals(decoded(local))  # criterion-set dictionaries hold each batch's own sets
    statuses = [c for c in local.column_names if c.startswith("trial_") and c.endswith("_status")]
    assert len(statuses) == 7 and all(local.column(c).null_count == 1 for c in statuses)
    assert len({s for c in statuses for s in local.column(c).to_pylist()}) == 4  # 3 statuses and null
