"""Writing flat-layout Parquet: case documents (``alsdx cohort flatten``) and synthetic cohorts
(``alsdx cohort synth``), streamed, under a temporary name renamed into place when complete."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console

from alsdx.cohort.csvcells import safe_row
from alsdx.cohort.flatten import rows_to_batch
from alsdx.cohort.reader import Document, JsonlPart, jsonl_parts, parse_jsonl
from alsdx.cohort.runner import default_workers, invalid_path, ordered_map, progress_bar
from alsdx.cohort.schema import flat_schema
from alsdx.cohort.synth import synth_batches


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path``, renamed onto it on success and removed on failure."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _flatten_part(part: JsonlPart) -> tuple[pa.RecordBatch, list[Document]]:
    docs = parse_jsonl(part)
    batch = rows_to_batch([d.row for d in docs if d.row is not None]).cast(flat_schema())
    return batch, [d for d in docs if d.row is None]


def flatten_jsonl(source: Path, output: Path, workers: int | None = None, batch_size: int = 16_384) -> tuple[int, int]:
    """JSONL case documents -> flat Parquet; rejected documents -> OUT.invalid.csv (line, id, reason)."""
    written = rejected = 0
    with (
        replacing(output) as tmp,
        replacing(invalid_path(output)) as side_tmp,
        pq.ParquetWriter(tmp, flat_schema()) as writer,
        open(side_tmp, "w", newline="", encoding="utf-8") as fh,
    ):
        side = csv.writer(fh)
        side.writerow(["line", "id", "reason"])
        parts = jsonl_parts(source, batch_size)
        for batch, bad in ordered_map(_flatten_part, parts, workers or default_workers(), processes=True):
            writer.write_batch(batch)
            written += batch.num_rows
            for d in bad:
                side.writerow(safe_row([d.line, d.id or "", d.reason]))
            rejected += len(bad)
    return written, rejected


def write_synth(n: int, output: Path, seed: int = 0, progress: bool = True, row_group_size: int | None = None) -> None:
    """A synthetic cohort of ``n`` patients (SYNTHETIC; see ``alsdx.cohort.synth``)."""
    schema = flat_schema().with_metadata(
        {**(flat_schema().metadata or {}), b"alsdx.synthetic": b"true", b"alsdx.synthetic_seed": str(seed).encode()}
    )
    with (
        replacing(output) as tmp,
        pq.ParquetWriter(tmp, schema) as writer,
        progress_bar(Console(stderr=True), progress, "generating") as bar,
    ):
        task = bar.add_task("synth", total=n)
        for batch in synth_batches(n, seed):
            writer.write_batch(batch, row_group_size=row_group_size)
            bar.advance(task, batch.num_rows)


__all__ = ["flatten_jsonl", "replacing", "write_synth"]
