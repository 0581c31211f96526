"""Hostile input to the cohort runner's readers (JSONL case documents, CSV, Parquet): the only outcomes
are a finished run with one output row per input row (bad rows carry an ``invalid_reason``) or a typed
alsdx error for a file that cannot be read at all; never another exception, never a hang."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hostile_values import FUZZ, NASTY_SCALARS, json_values, mutated
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from alsdx.cohort.conform import CohortInputError
from alsdx.cohort.flatten import case_row, row_document, rows_to_batch
from alsdx.cohort.runner import run_local
from alsdx.cohort.spreadsheet import MISSING
from alsdx.engine.assess import assess
from alsdx.errors import AlsdxError
from alsdx.model.case import Case
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))
CASES = [load_case(p) for p in EXAMPLES]
DOCS = [c.model_dump(mode="json") for c in CASES]
ROWS = [case_row(c) for c in CASES]
COLUMNS = list(ROWS[0])


def run(path: Path, tmp: Path) -> pa.Table | AlsdxError:
    out = tmp / f"{path.stem}.out.parquet"
    try:
        run_local(path, out, workers=1, progress=False)
    except AlsdxError as exc:
        assert str(exc) and not out.exists()  # a refused file leaves no output behind
        return exc
    table = pq.read_table(out)
    reasons = table.column("invalid_reason").to_pylist()
    categories = table.column("revised_el_escorial").to_pylist()
    assert all((r is None) != (c is None) for r, c in zip(reasons, categories, strict=True))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, default=str)
    return str(value)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


hostile_text = st.text(max_size=60) | st.sampled_from([str(v) for v in NASTY_SCALARS]) | json_values.map(json.dumps)


@FUZZ
@given(st.lists(st.sampled_from(DOCS).flatmap(mutated).map(json.dumps) | hostile_text, min_size=1, max_size=6))
def test_jsonl_lines(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    tmp = tmp_path_factory.mktemp("jsonl")
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    (tmp / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    result = run(tmp / "in.jsonl", tmp)
    if isinstance(result, pa.Table):
        # Blank lines are skipped; blank means ASCII whitespace only (JSON's own whitespace and form feeds). A line
        # holding anything else, e.g. U+001F which str.strip() would remove, is a row: an invalid one, not lost.
        blank = " \t\r\n\x0b\x0c"
        assert result.num_rows == sum(1 for line in lines if line.strip(blank))


@FUZZ
@given(st.data())
def test_csv_cells(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("csv")
    rows = [dict(r) for r in data.draw(st.lists(st.sampled_from(ROWS), min_size=1, max_size=4))]
    for _ in range(data.draw(st.integers(1, 6))):
        row = data.draw(st.sampled_from(rows))
        row[data.draw(st.sampled_from(COLUMNS))] = data.draw(hostile_text)
    columns = COLUMNS if data.draw(st.booleans()) else data.draw(st.permutations(COLUMNS))
    (tmp / "in.csv").write_text(_csv(rows, list(columns)), encoding="utf-8", errors="surrogatepass")
    result = run(tmp / "in.csv", tmp)
    if isinstance(result, pa.Table):
        assert result.num_rows == len(rows)
        # An id is read exactly as written, except that surrounding spaces are trimmed and a blank or NA-like
        # cell ("", "NA", "N/A", "NULL", "#N/A") is missing (docs/cohort.md, spreadsheets as exported).
        for written, read in zip([r["id"] for r in rows], result.column("id").to_pylist(), strict=True):
            if written == written.strip() and written.lower() not in MISSING:
                assert read == written
            else:
                assert read is None or (read in written and read.lower() not in MISSING)


@FUZZ
@given(st.data())
def test_parquet_columns(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("parquet")
    table = pa.Table.from_batches([rows_to_batch(ROWS)])
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, table.num_columns - 1))
        name = table.column_names[i]
        kind = data.draw(st.sampled_from(["nulls", "ints", "strings", "drop", "dates"]))
        n = table.num_rows
        if kind == "drop":
            table = table.remove_column(i)
            continue
        if kind == "nulls":
            column = pa.nulls(n, table.schema.field(i).type)
        elif kind == "strings":  # Parquet strings are UTF-8: no lone surrogates
            texts = data.draw(st.lists(hostile_text, min_size=n, max_size=n))
            column = pa.array([t.encode("utf-8", "replace").decode() for t in texts])
        else:
            numbers = data.draw(st.lists(st.integers(-(2**31) + 1, 2**31 - 1), min_size=n, max_size=n))
            column = pa.array(numbers, pa.int32())
            column = column.cast(pa.date32()) if kind == "dates" else column
        table = table.set_column(i, name, column)
    pq.write_table(table, tmp / "in.parquet")
    result = run(tmp / "in.parquet", tmp)
    if isinstance(result, pa.Table):
        assert result.num_rows == table.num_rows


# --- defects found, one regression test each --------------------------------------------------------------


def test_jsonl_deep_nesting_huge_numbers_and_repeated_keys_are_invalid_rows(tmp_path: Path) -> None:
    lines = [
        json.dumps(DOCS[0]),
        "[" * 5_000 + "]" * 5_000,  # RecursionError stopped the whole run
        '{"id": ' + "9" * 5_000 + "}",
        json.dumps(DOCS[1])[:-1] + ', "course": "unknown"}',  # the later value won, unlike `alsdx assess`
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    table = run(tmp_path / "in.jsonl", tmp_path)
    assert isinstance(table, pa.Table)
    reasons = table.column("invalid_reason").to_pylist()
    assert reasons[0] is None
    assert "nested more than 32 levels" in reasons[1]
    assert "not valid JSON" in reasons[2]
    assert "duplicate key 'course'" in reasons[3]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.csv", _csv(ROWS, COLUMNS).encode().replace(b"example", b"\xe9xample"), "not UTF-8"),
        ("utf16.csv", b"\xff\xfe" + _csv(ROWS, COLUMNS).encode("utf-16-le"), "not UTF-8"),
        ("narrow.csv", (_csv(ROWS, COLUMNS) + "a,b\n").encode(), "Expected"),
        ("garbage.parquet", b"PAR1 not really", "not a readable Parquet file"),
    ],
)
def test_unreadable_files_are_typed_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = run(tmp_path / name, tmp_path)
    assert isinstance(result, CohortInputError) and message in str(result)


def test_csv_deeply_nested_list_cell_is_an_invalid_row(tmp_path: Path) -> None:
    rows = [dict(ROWS[0], emg="[" * 3_000 + "]" * 3_000), ROWS[1]]
    (tmp_path / "in.csv").write_text(_csv(rows, COLUMNS))
    reasons = run(tmp_path / "in.csv", tmp_path).column("invalid_reason").to_pylist()  # type: ignore[union-attr]
    assert "emg" in reasons[0] and "nested more than" in reasons[0] and reasons[1] is None


def test_csv_medications_with_iso_dates_are_read(tmp_path: Path) -> None:
    """JSON has no dates: every CSV medication record was refused ("str cannot be converted to int")."""
    with_meds = [(c, r) for c, r in zip(CASES, ROWS, strict=True) if c.medications]
    assert with_meds
    (tmp_path / "in.csv").write_text(_csv([r for _, r in with_meds], COLUMNS))
    table = run(tmp_path / "in.csv", tmp_path)
    assert isinstance(table, pa.Table)
    assert table.column("invalid_reason").to_pylist() == [None] * len(with_meds)
    expected = [assess(c).criteria.revised_el_escorial.category for c, _ in with_meds]
    assert table.column("revised_el_escorial").to_pylist() == expected


@pytest.mark.parametrize(
    ("day", "valid"),
    # 1850 and 2199 are inside the date range, but a birth in 1850 makes the patient older than 110 and an
    # assessment in 2199 lies after today (issue 14's plausibility guards): invalid in both, for that reason
    [(dt.date(1850, 1, 1), False), (dt.date(1849, 12, 31), False), (dt.date(2199, 12, 31), False), (None, False)],
)
def test_cohort_date_range_agrees_with_the_case_model(tmp_path: Path, day: dt.date | None, valid: bool) -> None:
    """The vectorised checks report a row invalid exactly when the model rejects the case (docs/cohort.md)."""
    table = pa.Table.from_batches([rows_to_batch([ROWS[0]])])
    date = day or dt.date(2200, 1, 1)
    for name in ("birth_date",) if date.year < 2000 else ("assessment_date",):
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, pa.array([date], pa.date32()))
    if date.year < 2000:
        table = table.set_column(
            table.schema.get_field_index("age_at_onset"), "age_at_onset", pa.nulls(1, pa.float64())
        )
    pq.write_table(table, tmp_path / "in.parquet")
    reason = run(tmp_path / "in.parquet", tmp_path).column("invalid_reason").to_pylist()[0]  # type: ignore[union-attr]
    assert (reason is None) == valid, reason
    row = table.to_pylist()[0]
    with pytest.raises(ValidationError):
        Case.model_validate(row_document(row))
    if day is None or day.year == 1849:
        assert "is outside 1850-01-01 to 2199-12-31" in reason
    elif day.year == 1850:
        assert "years old at assessment_date" in reason and "is outside" not in reason
    else:
        assert "is after today" in reason and "is outside" not in reason
