"""`alsdx cohort`: schema, synth, run (also as the default command), flatten; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.cohort.schema import flat_fields
from alsdx.model.load import load_case

runner = CliRunner()
EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples", "cases").glob("*.yaml"))


def test_schema_table_and_json():
    table = runner.invoke(app, ["cohort", "schema"], env={"COLUMNS": "250"})
    assert table.exit_code == 0
    assert "cervical_umn_hoffmann" in table.stdout and "exam.cervical.umn contains hoffmann" in table.stdout
    narrow = runner.invoke(app, ["cohort", "schema"], env={"COLUMNS": "80"})  # a pipe: Rich's default width
    assert "…" not in narrow.stdout and "allowed" in narrow.stdout  # folded, not cut to a letter per column
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    as_json = runner.invoke(app, ["cohort", "schema", "--format", "json"])
    docs = json.loads(as_json.stdout)
    assert [d["name"] for d in docs] == [f.name for f in flat_fields()]
    course = next(d for d in docs if d["name"] == "course")
    assert course["required"] and course["allowed"] == "progressive | not_progressive | unknown"


def test_synth_then_run_by_default_command_with_summary(tmp_path: Path):
    cohort, out, summary = tmp_path / "c.parquet", tmp_path / "o.parquet", tmp_path / "s.json"
    made = runner.invoke(app, ["cohort", "synth", "400", str(cohort), "--seed", "2", "--no-progress"])
    assert made.exit_code == 0, made.output
    ran = runner.invoke(
        app,
        ["cohort", str(cohort), str(out), "--workers", "1", "--no-progress", "--summary-json", str(summary)],
        env={"COLUMNS": "200"},
    )
    assert ran.exit_code == 0, ran.output
    assert "revised El Escorial x Gold Coast" in ran.stdout
    doc = json.loads(summary.read_text())
    assert doc["rows"] == 400 and doc["invalid"] == 0
    assert sum(doc["counts"]["gold_coast"].values()) == 400
    assert sum(sum(r.values()) for r in doc["crosstab"].values()) == 400
    assert pq.read_table(out).num_rows == 400
    explicit = runner.invoke(
        app, ["cohort", "run", str(cohort), str(tmp_path / "o2.parquet"), "--workers", "1", "--no-progress"]
    )
    assert explicit.exit_code == 0
    assert pq.read_table(tmp_path / "o2.parquet").equals(pq.read_table(out))


def test_flatten_writes_valid_documents_and_lists_rejected_ones(tmp_path: Path):
    src, out = tmp_path / "cases.jsonl", tmp_path / "flat.parquet"
    good = [json.dumps(load_case(p).model_dump(mode="json")) for p in EXAMPLES]
    src.write_text("\n".join([*good, '{"id": "x-1", "course": "maybe"}']) + "\n")
    result = runner.invoke(app, ["cohort", "flatten", str(src), str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column("id").to_pylist() == [load_case(p).id for p in EXAMPLES]
    side = (tmp_path / "flat.invalid.csv").read_text().splitlines()
    assert side[0] == "line,id,reason" and side[1].startswith(f"{len(good) + 1},x-1,")
    assert "course: 'maybe' is not one of progressive, not_progressive, unknown" in side[1]


def test_bad_input_exits_2_with_the_reason(tmp_path: Path):
    missing = runner.invoke(app, ["cohort", "run", str(tmp_path / "nope.parquet"), str(tmp_path / "o.parquet")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    odd = tmp_path / "cases.txt"
    odd.write_text("x")
    fmt = runner.invoke(app, ["cohort", str(odd), str(tmp_path / "o.parquet")])
    assert fmt.exit_code == 2 and "unknown input format" in fmt.output
    interp = runner.invoke(app, ["cohort", str(odd), str(tmp_path / "o.parquet"), "-i", "lenient"])
    assert interp.exit_code == 2 and "--interpretation" in interp.output


def test_run_defaults_to_the_runner_batch_size():
    """The CLI spells the default out (importing the runner would load pyarrow at start-up)."""
    import inspect

    from alsdx.cohort import cli, runner

    assert inspect.signature(cli.run).parameters["batch_size"].default == runner.DEFAULT_BATCH
