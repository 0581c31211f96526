"""Inputs as a stream of work parts (Parquet row groups, CSV batches, JSONL line blocks), never whole files.

A part is small and picklable; ``assess_part`` turns one part into output batches in any thread or process.
Parquet parts name row groups, so workers read them themselves; a file whose row groups are much larger
than the batch size is streamed by the main thread instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from pydantic import ValidationError

from alsdx.cohort.batch import assess_batch
from alsdx.cohort.conform import CohortInputError, check_columns
from alsdx.cohort.flatten import case_row, rows_to_batch
from alsdx.cohort.schema import INVALID_REASON, flat_fields
from alsdx.cohort.spreadsheet import sniff
from alsdx.cohort.text import from_text
from alsdx.errors import CaseFileError
from alsdx.model.case import Case
from alsdx.model.load import field_errors, json_document
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.trials.model import Trial

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class ParquetPart:
    path: str
    row_groups: tuple[int, ...]
    rows: int


@dataclass(frozen=True)
class BatchPart:
    batch: pa.RecordBatch
    text: bool
    """Columns are CSV text still to convert."""
    decimal_comma: bool = False
    """CSV numbers may use a decimal comma (``alsdx.cohort.spreadsheet``)."""
    first_lines: np.ndarray | None = None
    """CSV: the file line each row starts on (invalid rows are reported with it)."""

    @property
    def rows(self) -> int:
        return self.batch.num_rows


@dataclass(frozen=True)
class JsonlPart:
    first_line: int
    lines: tuple[bytes, ...]

    @property
    def rows(self) -> int:
        return sum(1 for line in self.lines if line.strip())


Part = ParquetPart | BatchPart | JsonlPart


def input_format(path: Path) -> str:
    if path.is_dir():
        return "parquet"
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CohortInputError(f"{path}: unknown input format; use .parquet, .csv or .jsonl (case documents)")
    return fmt


@cache
def _dictionary_paths() -> tuple[str, ...]:
    """Nested text columns read as dictionaries: names repeat, so each distinct value is decoded once."""
    out = []
    for f in flat_fields():
        for c in f.children:
            if pa.types.is_string(c.type):
                out.append(f"{f.name}.list.element.{c.name}")
            elif pa.types.is_list(c.type):
                out.append(f"{f.name}.list.element.{c.name}.list.element")
    return tuple(out)


def open_parquet(path: str) -> pq.ParquetFile:
    """A Parquet file with its nested text columns read as dictionaries, reused within a thread (one
    ``ParquetFile`` read from two threads at once fails: "ReadRangeCache did not find matching cache entry")."""
    stat = Path(path).stat()
    return _open_parquet(path, stat.st_mtime_ns, stat.st_size, threading.get_ident())


@lru_cache(maxsize=16)
def _open_parquet(path: str, mtime: int, size: int, thread: int) -> pq.ParquetFile:
    try:
        f = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise CohortInputError(f"{path}: not a readable Parquet file: {exc}") from None
    present = {f.schema.column(i).path for i in range(len(f.schema))}
    wanted = [p for p in _dictionary_paths() if p in present]
    return pq.ParquetFile(path, read_dictionary=wanted) if wanted else f


def parquet_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
        if not files:
            raise CohortInputError(f"{path}: directory holds no .parquet files")
        return files
    return [path]


def count_rows(path: Path) -> int | None:
    """Rows in the input when cheap to know (Parquet metadata), else None."""
    if input_format(path) != "parquet":
        return None
    return sum(open_parquet(str(p)).metadata.num_rows for p in parquet_files(path))


def parts(path: Path, batch_size: int, part_rows: int = 0) -> Iterator[Part]:
    """The input as parts, in input order; the columns are checked before the first part. Parquet parts
    hold about ``max(batch_size, part_rows)`` rows (whole row groups), assessed in batches of ``batch_size``."""
    fmt = input_format(path)
    if fmt == "parquet":
        yield from _parquet_parts(path, max(batch_size, part_rows))
    elif fmt == "csv":
        yield from _csv_parts(path, batch_size)
    else:
        yield from jsonl_parts(path, batch_size)


def _parquet_parts(path: Path, part_rows: int) -> Iterator[Part]:
    for file in parquet_files(path):
        f = open_parquet(str(file))
        check_columns(f.schema_arrow)
        meta = f.metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        if sizes and max(sizes) > 4 * part_rows:
            for batch in f.iter_batches(batch_size=part_rows):
                yield BatchPart(batch, text=False)
            continue
        group: list[int] = []
        rows = 0
        for i, size in enumerate(sizes):
            group.append(i)
            rows += size
            if rows >= part_rows:
                yield ParquetPart(str(file), tuple(group), rows)
                group, rows = [], 0
        if group:
            yield ParquetPart(str(file), tuple(group), rows)


def _csv_parts(path: Path, batch_size: int) -> Iterator[Part]:
    """A CSV as spreadsheets export it (``alsdx.cohort.spreadsheet``): separator sniffed from the header, every
    column read as text (ids stay ``0012``; a UTF-8 BOM is skipped), quoted cells may hold line breaks."""
    try:
        dialect = sniff(path)
    except ValueError as exc:
        raise CohortInputError(f"{path}: {exc}") from None
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=1 << 22),
            parse_options=pcsv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(dialect.names, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        raise CohortInputError(f"{path}: not a readable CSV file: {exc}") from None
    check_columns(reader.schema, types=False)
    pending: list[pa.RecordBatch] = []
    rows = 0
    line = 2  # the header is line 1

    def part() -> BatchPart:
        nonlocal line
        batch = pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
        starts, line = _line_numbers(batch, line)
        return BatchPart(batch, text=True, decimal_comma=dialect.decimal_comma, first_lines=starts)

    for batch in _read_on(reader, path):
        pending.append(batch)
        rows += batch.num_rows
        if rows >= batch_size:
            yield part()
            pending, rows = [], 0
    if rows:
        yield part()


def _line_numbers(batch: pa.RecordBatch, first: int) -> tuple[np.ndarray, int]:
    """The line each row starts on, counting line breaks inside quoted cells; and the next row's line."""
    extra = np.zeros(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        found = pc.count_substring(column, "\n")
        if pc.max(found).as_py():
            extra += pc.fill_null(found, 0).to_numpy(zero_copy_only=False)
    ends = np.cumsum(extra + 1)
    return first + ends - extra - 1, first + int(ends[-1]) if len(ends) else first


def _read_on(reader: pcsv.CSVStreamingReader, path: Path) -> Iterator[pa.RecordBatch]:
    """The CSV's batches; a file that breaks further on (a row of the wrong width, bytes that are not
    UTF-8) stops the run with an error naming the file, before any output is kept."""
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            hint = "; save the CSV as UTF-8 (Excel: 'CSV UTF-8')" if "UTF8" in str(exc) else ""
            raise CohortInputError(f"{path}: not a readable CSV file: {exc}{hint}") from None
        yield batch


def jsonl_parts(path: Path, batch_size: int) -> Iterator[JsonlPart]:
    with open(path, "rb") as fh:
        block: list[bytes] = []
        first = 1
        for number, line in enumerate(fh, start=1):
            block.append(line)
            if len(block) >= batch_size:
                yield JsonlPart(first, tuple(block))
                block, first = [], number + 1
        if block:
            yield JsonlPart(first, tuple(block))


@dataclass(frozen=True)
class Document:
    line: int
    row: dict[str, object] | None
    """The flat row, or None when the case model rejected the document."""
    id: str | None
    reason: str | None


def parse_jsonl(part: JsonlPart) -> list[Document]:
    """Validate each case document with the case model and flatten it; blank lines are skipped."""
    out = []
    for number, line in enumerate(part.lines, start=part.first_line):
        if not line.strip():
            continue
        doc = None
        try:
            doc = json_document(line)  # as `alsdx assess` reads a case: repeated keys and deep nesting refused
            if not isinstance(doc, dict):
                raise ValueError(f"a case must be a JSON object, got {type(doc).__name__}")
            row = case_row(Case.model_validate(doc))
            out.append(Document(number, row, str(row["id"]), None))
        except ValidationError as exc:
            out.append(Document(number, None, _id(doc), "; ".join(str(e) for e in field_errors(exc))))
        except (ValueError, CaseFileError) as exc:
            out.append(Document(number, None, _id(doc), str(exc)))
    return out


def _id(doc: object) -> str | None:
    ident = doc.get("id") if isinstance(doc, dict) else None
    return ident if isinstance(ident, str) else None


def jsonl_batch(part: JsonlPart) -> pa.RecordBatch:
    """Case documents -> flat rows; a rejected document becomes a row with its id and reason."""
    rows = [
        {**d.row, INVALID_REASON: None}
        if d.row is not None
        else {"id": d.id, INVALID_REASON: f"line {d.line}: {d.reason}"}
        for d in parse_jsonl(part)
    ]
    return rows_to_batch(rows, with_reason=True)


def part_batches(part: Part, batch_size: int) -> Iterator[pa.RecordBatch]:
    """The flat batches of one part (in the process that assesses it)."""
    if isinstance(part, ParquetPart):
        f = open_parquet(part.path)
        for group in part.row_groups:  # one group at a time: Arrow cannot join nested dictionaries across groups
            yield from f.iter_batches(batch_size=batch_size, row_groups=[group], use_threads=False)
    elif isinstance(part, BatchPart):
        batch = from_text(part.batch, part.decimal_comma) if part.text else part.batch
        for start in range(0, max(batch.num_rows, 1), batch_size):
            yield batch.slice(start, batch_size)
    else:
        yield jsonl_batch(part)


def assess_part(
    part: Part, batch_size: int, interpretation: Interpretation | None, trials: tuple[Trial, ...] = ()
) -> list[pa.RecordBatch]:
    out = [assess_batch(b, interpretation, trials) for b in part_batches(part, batch_size)]
    if isinstance(part, BatchPart) and part.first_lines is not None:
        return list(with_line_numbers(out, part.first_lines))
    return out


def with_line_numbers(batches: Iterable[pa.RecordBatch], lines: np.ndarray) -> Iterator[pa.RecordBatch]:
    """Output batches (in input order) with each invalid row's reason starting with its line in the CSV file,
    as JSONL reasons do; ``lines[i]`` is the line input row ``i`` starts on."""
    start = 0
    for b in batches:
        reasons = b.column(INVALID_REASON)
        if reasons.null_count < b.num_rows:
            texts = [None if r is None else f"line {lines[start + i]}: {r}" for i, r in enumerate(reasons.to_pylist())]
            where = b.schema.get_field_index(INVALID_REASON)
            columns = [pa.array(texts, pa.string()) if j == where else c for j, c in enumerate(b.columns)]
            b = pa.RecordBatch.from_arrays(columns, schema=b.schema)
        start += b.num_rows
        yield b
