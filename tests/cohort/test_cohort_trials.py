"""Trial screening in the cohort engine (issue 19): ``assess_batch(batch, trials=...)``'s trial columns equal
``trials.screen.screen_cases`` on the cases ``row_document`` rebuilds from the rows, for the bundled trials, the
examples and trial files naming every fact (time facts with min and max, categories, booleans, numbers, as
inclusions and exclusions); without trials the output is unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cohort_strategies import case_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.cohort.batch import TRIAL_COLUMNS, assess_batch, output_schema, trial_column
from alsdx.cohort.flatten import cases_to_batch, row_document
from alsdx.cohort.synth import synth_table
from alsdx.columns.arrow_trials import shown
from alsdx.model.case import Case
from alsdx.trials.facts_catalog import FACTS
from alsdx.trials.model import Trial, TrialFileError, bundled_trials, load_trial, parse_trial
from alsdx.trials.screen import screen_cases

EXAMPLES = Path(__file__).parents[2] / "examples" / "trials"


def _criterion(name: str, kind: str, j: int) -> dict[str, Any]:
    """A criterion on fact ``name``; ``j`` varies the bounds and values between trials."""
    fact = FACTS[name]
    out: dict[str, Any] = {"id": f"{name.replace('_', '-')}-{kind[:3]}", "kind": kind, "fact": name}
    if fact.kind == "category":
        out["in"] = list(fact.values[j % 2 :: 2])
    elif fact.kind == "boolean":
        out["equals"] = j % 2 == 0
    elif fact.kind == "time":
        bounds = {
            "age_years": [(40, 70), (18, None), (None, 65)],
            "months_since_onset": [(6, 30), (None, 24), (12, None)],
            "months_since_diagnosis": [(None, 12), (3, 18), (6, None)],
            "riluzole_days": [(1, 29), (30, None), (None, 13)],
        }[name][j % 3]
        out.update({k: v for k, v in zip(("min", "max"), bounds, strict=True) if v is not None})
    elif name in ("delta_fs", "alsfrs_r_slope_per_month"):
        out.update([{"max": 0.8}, {"min": 0.3, "max": 1.2}, {"min": -1.0}][j % 3])
    elif name in ("fvc_upright_percent", "svc_percent"):
        out.update([{"min": 60}, {"min": 50, "max": 95}, {"max": 80}][j % 3])
    elif name == "mitos_stage":
        out.update([{"max": 1}, {"min": 1, "max": 2}, {"in": [0, 2]}][j % 3])
    elif name.startswith("alsfrs_r_") and name.removeprefix("alsfrs_r_") in ("total", "bulbar", "fine_motor"):
        out.update([{"min": 30}, {"min": 8, "max": 40}, {"max": 10}][j % 3])
    else:
        out.update([{"min": 2}, {"max": 2}, {"in": [1, 3]}][j % 3])
    return out


def every_fact_trials() -> list[Trial]:
    """Three trials naming every fact, as inclusions (with different bounds) and as exclusions, one naming every
    fact twice (over 64 criteria); and one with the time facts only (the window: eligible until / eligible from) and a manual criterion."""
    trials = []
    for j, kind in enumerate(("inclusion", "inclusion", "exclusion")):
        criteria = [_criterion(name, kind, j) for name in FACTS]
        trials.append(parse_trial({"id": f"every-fact-{j}", "title": "t", "source": "test", "criteria": criteria}))
    both = [_criterion(name, "inclusion", 0) for name in FACTS] + [_criterion(name, "exclusion", 1) for name in FACTS]
    assert len(both) > 64  # more evaluable criteria than a bit mask holds: the cohort lists each row's ids
    trials.append(parse_trial({"id": "every-fact-both", "title": "t", "source": "test", "criteria": both}))
    timed = [
        {"id": "onset", "kind": "inclusion", "fact": "months_since_onset", "min": 6, "max": 36},
        {"id": "age", "kind": "inclusion", "fact": "age_years", "min": 30, "max": 80},
        {"id": "riluzole", "kind": "exclusion", "fact": "riluzole_days", "min": 1, "max": 29},
        {"id": "diagnosis", "kind": "inclusion", "fact": "months_since_diagnosis", "max": 18},
        {"id": "consent", "kind": "inclusion", "manual": True},
    ]
    trials.append(parse_trial({"id": "window", "title": "t", "source": "test", "criteria": timed}))
    return trials


def all_trials() -> tuple[Trial, ...]:
    examples = [load_trial(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    assert len(examples) == 2
    return (*bundled_trials().values(), *examples, *every_fact_trials())


def expected_columns(batch: pa.RecordBatch, trials: tuple[Trial, ...]) -> list[dict[str, Any]]:
    """The trial columns from ``screen_cases`` on the rebuilt cases (the reference)."""
    cases = [Case.model_validate(row_document(row)) for row in batch.to_pylist()]
    out = []
    for screening in screen_cases(cases, trials):
        row: dict[str, Any] = {}
        for tr in screening.trials:
            row[trial_column(tr.trial, "status")] = tr.status
            row[trial_column(tr.trial, "eligible_until")] = tr.eligible_until
            row[trial_column(tr.trial, "eligible_from")] = tr.eligible_from
            row[trial_column(tr.trial, "failing")] = ", ".join(c.id for c in tr.criteria if c.result == "fail")
            # listed where nothing fails (what to record to decide); null where a failing criterion decides
            unknown = ", ".join(c.id for c in tr.criteria if c.result == "unknown")
            row[trial_column(tr.trial, "unknown")] = None if tr.status == "not_eligible" else unknown
        out.append(row)
    return out


def trial_columns(out: pa.RecordBatch, trials: tuple[Trial, ...]) -> list[dict[str, Any]]:
    names = [trial_column(t.id, c) for t in trials for c in TRIAL_COLUMNS]
    return out.select(names).to_pylist()


def _assert_equal(batch: pa.RecordBatch, trials: tuple[Trial, ...]) -> list[dict[str, Any]]:
    got = trial_columns(assess_batch(batch, trials=trials), trials)
    expected = expected_columns(batch, trials)
    for row, want, have in zip(batch.to_pylist(), expected, got, strict=True):
        assert have == want, row["id"]
    return got


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 120))
def test_synthetic_cohort_trial_columns_equal_screen_cases(seed: int, n: int) -> None:
    _assert_equal(synth_table(n, seed).to_batches()[0], all_trials())


def test_the_comparison_sees_every_status_and_both_windows() -> None:
    """On a synthetic cohort the reference has each status, windows of both kinds, failing and unknown
    criteria: a column left at one value would fail the comparison."""
    trials = all_trials()
    got = _assert_equal(synth_table(600, 4).to_batches()[0], trials)
    values = {c: {str(v) for r in got for k, v in r.items() if k.endswith(c)} for c in TRIAL_COLUMNS}
    assert {"eligible", "undetermined", "not_eligible"} <= values["status"]
    assert len(values["eligible_until"]) > 2 and len(values["eligible_from"]) > 2
    assert "" in values["failing"] and len(values["failing"]) > 5 and len(values["unknown"]) > 5


TODAY = dt.date(2026, 1, 15)


@st.composite
def trial_case_document(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    """A case document with what the synthetic cohort lacks: SVC, a diagnosis date near the month bounds,
    tofersen and edaravone courses (current, stopped, future), stopped riluzole courses on the 30-day edge."""
    doc = draw(case_document(ident))
    today = dt.date.fromisoformat(doc["assessment_date"])
    onset = dt.date.fromisoformat(doc["symptom_onset"])
    span = (today - onset).days
    when = st.integers(0, span).map(lambda k: onset + dt.timedelta(days=k))
    if draw(st.booleans()):
        doc["svc"] = [
            {"date": draw(when).isoformat(), "percent_predicted": draw(st.sampled_from([40.0, 50.0, 55.0, 80.0]))}
            for _ in range(draw(st.integers(1, 2)))
        ]
    meds = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["riluzole", "tofersen", "edaravone_iv", "edaravone_oral", "other"]))
        back = draw(st.sampled_from([0, 1, 13, 14, 29, 30, 31])) if draw(st.booleans()) else draw(st.integers(0, span))
        start = max(onset, today - dt.timedelta(days=back))
        med: dict[str, Any] = {"name": name, "start_date": start.isoformat()}
        if draw(st.booleans()):
            med["stop_date"] = (start + dt.timedelta(days=draw(st.integers(0, (today - start).days)))).isoformat()
        meds.append(med)
    doc["medications"] = meds
    return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(*(trial_case_document(f"t-{i}") for i in range(n)))))
def test_case_documents_trial_columns_equal_screen_cases(docs: tuple[dict[str, Any], ...]) -> None:
    """Random case documents (every part of the case model, SVC, every medication) through the flat layout."""
    batch = cases_to_batch([Case.model_validate(d) for d in docs])
    _assert_equal(batch, all_trials())


def test_invalid_rows_get_null_trial_columns_and_ids_keep_their_order() -> None:
    trials = all_trials()[:5]
    table = synth_table(30, 2)
    rows = table.to_pylist()
    rows[4]["course"] = "sometimes"
    batch = pa.RecordBatch.from_pylist(rows, schema=table.schema)
    out = assess_batch(batch, trials=trials)
    assert out.column("id").to_pylist() == batch.column("id").to_pylist()
    bad = out.slice(4, 1).to_pylist()[0]
    assert bad["invalid_reason"] and all(bad[trial_column(t.id, c)] is None for t in trials for c in TRIAL_COLUMNS)
    good = out.slice(0, 4).to_pylist()
    assert all(r[trial_column(t.id, "status")] is not None for r in good for t in trials)
    assert all(isinstance(r[trial_column(t.id, "failing")], str) for r in good for t in trials)


def test_without_trials_the_output_is_unchanged_and_with_them_only_added() -> None:
    batch = synth_table(50, 9).to_batches()[0]
    plain = assess_batch(batch)
    assert plain.schema == output_schema() and assess_batch(batch, trials=()).equals(plain)
    trials = all_trials()[:5]
    screened = assess_batch(batch, trials=trials)
    assert screened.select(plain.schema.names).equals(plain)
    added = [n for n in screened.schema.names if n not in plain.schema.names]
    assert added == [trial_column(t.id, c) for t in trials for c in TRIAL_COLUMNS]
    status = screened.schema.field(trial_column(trials[0].id, "status"))
    assert status.metadata[b"categories"] == b"eligible,undetermined,not_eligible"
    assert screened.schema.field(trial_column(trials[0].id, "eligible_until")).type == pa.date32()


def test_a_trial_given_twice_is_refused_naming_its_id() -> None:
    trial = bundled_trials()["phoenix-amx0035"]
    with pytest.raises(TrialFileError, match="phoenix-amx0035"):
        assess_batch(synth_table(3, 1).to_batches()[0], trials=(trial, trial))


def test_course_figures_round_as_python_rounds() -> None:
    values = np.array([0.03125, 1.00005, 2.123449999, 0.1 + 0.2, 12.34565, -0.00015, np.nan])
    got = shown(values)
    assert got[:-1].tolist() == [round(float(v), 4) for v in values[:-1]] and np.isnan(got[-1])


def _cohort_with_an_invalid_row(path: Path) -> pa.Table:
    table = synth_table(120, 6)
    rows = table.to_pylist()
    rows[7]["course"] = "sometimes"
    broken = pa.Table.from_pylist(rows, schema=table.schema)
    pq.write_table(broken, path, row_group_size=50)
    return broken


def test_cli_trial_option_adds_the_columns_with_null_on_invalid_rows(tmp_path: Path) -> None:
    src, out = tmp_path / "cohort.parquet", tmp_path / "out.parquet"
    table = _cohort_with_an_invalid_row(src)
    example = EXAMPLES / "example-phase3.yaml"
    ran = CliRunner().invoke(
        app,
        [
            "cohort",
            "run",
            str(src),
            str(out),
            "--workers",
            "1",
            "--no-progress",
            "-t",
            "phoenix-amx0035",
            "-t",
            str(example),
        ],
    )
    assert ran.exit_code == 0, ran.output
    written = pq.read_table(out)
    trials = (bundled_trials()["phoenix-amx0035"], load_trial(example))
    for trial in trials:
        for column in TRIAL_COLUMNS:
            values = written.column(trial_column(trial.id, column)).to_pylist()
            assert values[7] is None
    assert written.column(trial_column("example-phase3", "status")).null_count == 1
    expected = trial_columns(assess_batch(table.combine_chunks().to_batches()[0], trials=trials), trials)
    assert written.select([trial_column(t.id, c) for t in trials for c in TRIAL_COLUMNS]).to_pylist() == expected


def test_cli_a_bad_trial_file_exits_2_naming_the_criterion_before_reading_rows(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad-trial\ntitle: t\nsource: s\ncriteria:\n"
        "  - {id: fvc-floor, kind: inclusion, fact: fvc_upright_percent, min: sixty}\n"
    )
    out = tmp_path / "out.parquet"
    ran = CliRunner().invoke(  # the cohort file does not even exist: the trial is refused first
        app, ["cohort", "run", str(tmp_path / "missing.parquet"), str(out), "--trial", str(bad)]
    )
    assert ran.exit_code == 2
    assert "fvc-floor" in ran.output and "no such file" not in ran.output
    assert not out.exists()
    twice = CliRunner().invoke(
        app, ["cohort", "run", str(tmp_path / "c.parquet"), str(out), "-t", "phoenix-amx0035", "-t", "phoenix-amx0035"]
    )
    assert twice.exit_code == 2 and "phoenix-amx0035" in twice.output


def test_cli_engine_spark_passes_the_trials_to_the_spark_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alsdx.cohort import spark
    from alsdx.cohort.summary import Summary

    seen: dict[str, Any] = {}

    def fake(source: Path, output: Path, interpretation: Any = None, **kwargs: Any) -> Summary:
        seen.update(kwargs)
        return Summary()

    monkeypatch.setattr(spark, "run_spark", fake)
    src = tmp_path / "c.parquet"
    pq.write_table(synth_table(3, 1), src)
    ran = CliRunner().invoke(
        app,
        [
            "cohort",
            "run",
            str(src),
            str(tmp_path / "o.parquet"),
            "--engine",
            "spark",
            "-t",
            "healey-als-platform",
            "-t",
            str(EXAMPLES / "example-sod1-als.yaml"),
        ],
    )
    assert ran.exit_code == 0, ran.output
    assert [t.id for t in seen["trials"]] == ["healey-als-platform", "example-sod1-als"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(*(trial_case_document(f"k-{i}") for i in range(n)))))
def test_the_kernel_columns_equal_the_case_front_ends(docs: tuple[dict[str, Any], ...]) -> None:
    """Column by column (every fact, the time facts' shown values, every anchor): the flat front end builds what
    ``trials.facts.fact_columns`` builds from the rebuilt cases and their assessments."""
    from alsdx.cohort.batch import run_kernels
    from alsdx.cohort.validity import check_rows
    from alsdx.cohort.vocabulary_columns import read_vocabulary
    from alsdx.columns import arrow_emg
    from alsdx.columns.arrow_trials import trial_fact_columns
    from alsdx.engine.assess import assess_many
    from alsdx.rules.criteria.interpretation import Interpretation
    from alsdx.trials.facts import fact_columns

    batch = read_vocabulary(cases_to_batch([Case.model_validate(d) for d in docs]))
    emg = arrow_emg.decode(batch.column("emg"), batch.num_rows)
    invalid, _ = check_rows(batch, emg)
    assert not invalid.any()
    got = trial_fact_columns(batch, run_kernels(batch, emg, Interpretation(), invalid).outputs)
    cases = [Case.model_validate(row_document(row)) for row in batch.to_pylist()]
    want = fact_columns(cases, assess_many(cases))
    assert set(got) == set(want)
    for key in want:
        assert np.array_equal(got[key], want[key], equal_nan=True), key
