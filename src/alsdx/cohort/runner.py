"""The local engine: input parts -> a pool of workers running ``assess_batch`` -> output in input order.

Columnar inputs (Parquet, CSV) on up to ``THREADS_UP_TO`` workers run on threads: reading Parquet, Arrow
compute and the kernels' numpy operations on batches of thousands of rows release the GIL, so two threads keep
two cores busy with no pool start-up (a process pool pays 0.5-1 s to start and import the kernels, a third of
a 1,000,000-row run) and nothing pickled. More workers, and JSONL case documents (validating them with the
case model is Python work that holds the GIL), run on processes.

Memory stays bounded: at most ``2 x workers`` parts are in flight, each about ``PART_ROWS`` rows (or
``batch_size``, when larger).
Output goes to temporary files in the destination directory, renamed only when the run completes,
so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from alsdx.cohort.batch import check_trials, output_schema
from alsdx.cohort.csvcells import safe_row
from alsdx.cohort.reader import Part, assess_part, count_rows, input_format, parts
from alsdx.cohort.schema import INVALID_REASON
from alsdx.cohort.summary import Summary
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.trials.model import Trial

DEFAULT_BATCH = 65_536
"""Rows per kernel batch. Per row, read + ``assess_batch`` on one core cost 25 % more at 8,192 rows, 5 % more
at 32,768 and 0-6 % more at 131,072 (benchmarks/bench_cohort.py prints the sweep)."""
PART_ROWS = 65_536
"""Rows per unit of work handed to a worker (whole Parquet row groups, read by the worker). Small enough that
the last part, assessed while the other worker has nothing left, is a small share of the run."""
THREADS_UP_TO = 2
"""Most workers that run as threads. Two threads run ``assess_batch`` 1.55-1.6x faster than one: about a
quarter of its time holds the GIL, so by Amdahl's law four threads would give 2.2x and no number 4x, while
processes, once started, scale with the cores (two ran at their solo speed each; benchmarks/bench_cohort.py)."""
T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def invalid_path(output: Path) -> Path:
    """The side file listing invalid rows: ``OUT.invalid.csv`` next to ``OUT.parquet``."""
    return output.with_name(f"{output.stem}.invalid.csv")


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int, processes: bool = False) -> Iterator[R]:
    """``map`` over a pool of threads (or of processes, for work that holds the GIL), results in input
    order, at most ``2 x workers`` items in flight."""
    if workers <= 1:
        yield from map(fn, items)
        return
    pool: Executor
    if processes:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["alsdx.cohort.reader"])
        pool = ProcessPoolExecutor(workers, mp_context=context)
    else:
        pool = ThreadPoolExecutor(workers, thread_name_prefix="alsdx-cohort")
    window: deque[Future[R]] = deque()
    try:
        for item in items:
            window.append(pool.submit(fn, item))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class CohortOutput(AbstractContextManager["CohortOutput"]):
    """Output Parquet plus the invalid-rows side file, both written under temporary names and renamed
    into place on success (removed on failure)."""

    def __init__(self, path: Path, schema: pa.Schema | None = None) -> None:
        self.path = path
        self.side = invalid_path(path)
        for target in (self.path, self.side):
            remove_stale_temporaries(target)
        tag = f".{os.getpid()}.tmp"
        self._tmp = path.with_name(f".{path.name}{tag}")
        self._side_tmp = self.side.with_name(f".{self.side.name}{tag}")
        self.rows = 0
        self.summary = Summary()
        self._writer = writer(self._tmp, schema or output_schema())
        self._side_file = open(self._side_tmp, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self._side = csv.writer(self._side_file)
        self._side.writerow(["row", "id", "reason"])

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(batch)
        reasons = batch.column(INVALID_REASON)
        if reasons.null_count < len(reasons):
            ids = batch.column("id")
            for i, reason in enumerate(reasons.to_pylist()):
                if reason is not None:
                    self._side.writerow(safe_row([self.rows + i, ids[i].as_py(), reason]))
        self.summary.add(batch)
        self.rows += batch.num_rows

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._writer.close()
        self._side_file.close()
        if kind is None:
            os.replace(self._tmp, self.path)
            os.replace(self._side_tmp, self.side)
        else:
            for tmp in (self._tmp, self._side_tmp):
                tmp.unlink(missing_ok=True)


def writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """Parquet dictionaries only where values repeat (categories, mimic ids): trying one on the unique ids
    costs time and is dropped anyway. No column statistics (a quarter of the writing time): every row group
    holds patients of every category, so their min/max would never let a reader skip one."""
    repeated = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    repeated += [f"{f.name}.list.element" for f in schema if pa.types.is_list(f.type)]
    return pq.ParquetWriter(path, schema, use_dictionary=repeated, write_statistics=False)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files of earlier runs towards ``target`` whose process is gone (a run killed
    with SIGKILL cannot clean up; each left a hidden file as large as a partial output behind:
    benchmarks/fault_cohort_kill.py). A live run's file is kept."""
    removed = []
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        pid = tmp.name[len(target.name) + 2 : -len(".tmp")]
        if pid.isdigit() and not _running(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def progress_bar(console: Console, enabled: bool, label: str = "assessing") -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )


def run_local(
    source: Path,
    output: Path,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    interpretation: Interpretation | None = None,
    progress: bool = True,
    console: Console | None = None,
    trials: Sequence[Trial] = (),
) -> Summary:
    """Assess every row of ``source`` (Parquet, CSV or JSONL of case documents) into ``output`` (Parquet),
    screened against each of ``trials`` (their columns follow the assessment's; docs/trials.md)."""
    console = console or Console(stderr=True)
    workers = workers or default_workers()
    trials = check_trials(trials)
    task = partial(assess_part, batch_size=batch_size, interpretation=interpretation, trials=trials)
    stream: Iterator[Part] = parts(source, batch_size, PART_ROWS)
    first = next(stream, None)  # checks the input's columns before any output file exists
    todo: list[Part] = [] if first is None else [first]
    with CohortOutput(output, output_schema(trials)) as out, progress_bar(console, progress) as bar:
        bar_task = bar.add_task("assess", total=count_rows(source))
        processes = input_format(source) == "jsonl" or workers > THREADS_UP_TO
        # One writer thread: a batch is written (Parquet releases the GIL) while this thread reads the next part
        # and hands it to the workers, so reading and writing no longer queue behind each other; batches are
        # written in order, at most one waiting.
        with ThreadPoolExecutor(1, thread_name_prefix="alsdx-cohort-writer") as write_pool:
            writing: Future[None] | None = None
            for batches in ordered_map(task, _chain(todo, stream), workers, processes):
                for b in batches:
                    if writing is not None:
                        writing.result()
                    writing = write_pool.submit(out.write, b)
                    bar.advance(bar_task, b.num_rows)
            if writing is not None:
                writing.result()
    return out.summary


def _chain(first: list[Part], rest: Iterator[Part]) -> Iterator[Part]:
    yield from first
    yield from rest
