"""The local and Spark engines screening the same synthetic cohort against 5 trials (issue 19): the trial
columns must be identical; prints each engine's time.

N SYNTHETIC patients (``alsdx cohort synth``, default 1,000,000), the 5 bundled trials. Each engine writes its output file (``run_local``, ``run_spark`` in local mode on the
machine's cores); the two files' trial columns (``trial_<id>_*``) are compared as Arrow tables, and the
whole files too (every other column is the engines' shared output).

Run:  python benchmarks/trials_engines.py [--rows 1000000] [--workers 2] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from alsdx.cohort.convert import write_synth
from alsdx.cohort.runner import run_local
from alsdx.cohort.spark import local_session, run_spark
from alsdx.trials.model import Trial, bundled_trials


def decoded(table: pa.Table) -> pa.Table:
    """Dictionary columns as their strings (a criterion set's dictionary holds the sets of its batch, and the
    engines cut batches differently): the values compared."""
    return pa.table(
        [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )


def five_trials() -> tuple[Trial, ...]:
    trials = tuple(bundled_trials().values())
    assert len(trials) == 5, [t.id for t in trials]
    return trials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2, help="local engine workers and Spark local cores")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temp dir)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="trials_engines_"))
    work.mkdir(parents=True, exist_ok=True)
    n, trials = args.rows, five_trials()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; files in {work}")
    cohort = work / f"cohort_{n}.parquet"
    if not cohort.exists():
        t = time.perf_counter()
        write_synth(n, cohort, seed=19, progress=False)
        print(f"synthesised {n:,} patients in {time.perf_counter() - t:.1f} s")

    local_out, spark_out = work / "local.parquet", work / "spark.parquet"
    t = time.perf_counter()
    run_local(cohort, local_out, workers=args.workers, progress=False, trials=trials)
    local_s = time.perf_counter() - t
    print(f"local engine ({args.workers} workers), 5 trials: {local_s:.1f} s ({n / local_s:,.0f} patients/s)")

    t = time.perf_counter()
    session = local_session(cores=args.workers)
    start_s = time.perf_counter() - t
    t = time.perf_counter()
    run_spark(cohort, spark_out, session=session, trials=trials)
    spark_s = time.perf_counter() - t
    session.stop()
    print(
        f"Spark engine (local[{args.workers}]), 5 trials: {spark_s:.1f} s ({n / spark_s:,.0f} patients/s) "
        f"after a session start of {start_s:.1f} s"
    )

    local, spark = decoded(pq.read_table(local_out)), decoded(pq.read_table(spark_out))
    columns = [c for c in local.column_names if c.startswith("trial_")]
    assert len(columns) == 5 * 5, columns
    assert spark.select(columns).equals(local.select(columns)), "the engines' trial columns differ"
    assert spark.equals(local), "the engines' files differ"
    statuses = {c: local.column(c).value_counts().to_pylist() for c in columns if c.endswith("_status")}
    print(
        f"trial columns identical ({len(columns)} columns x {n:,} rows); whole files identical (values; dictionaries decoded)"
    )
    for column, counts in statuses.items():
        print(f"  {column}: " + ", ".join(f"{c['values']} {c['counts']:,}" for c in counts))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
