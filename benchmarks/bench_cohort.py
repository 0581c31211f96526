"""Benchmark of the cohort runner (issue 6), all baselines measured in the same run.

On N synthetic patients (``alsdx cohort synth``; SYNTHETIC data, default 1,000,000):
1. the Parquet read floor: every column of the same file read with pyarrow (the reader the engine uses,
   all threads), and its single-thread CPU time;
2. the local engine end to end (``run_local``: read, row checks, kernels, write, summary) with W workers;
3. the same two on a "criteria columns" file (only what the criteria kernels and the row checks need:
   id, dates, course, flags, signs, variants, EMG);
4. the engine's fixed cost (a run on 1,000 rows: thread pool start, first batch) and the engine's rate once
   started (N / (wall - fixed cost)); every engine run is timed after ``import alsdx.cohort.runner`` (which
   imports the kernels, as the floor is timed after ``import pyarrow``);
5. the per-patient loop: flat row -> case document -> ``Case`` -> ``assess()``, on a sample, extrapolated;
6. CPU time per step of the batch loop on one core, for both files, and per kernel batch size;
7. peak memory (PSS of the process tree) of every measurement, each in its own subprocess; then the engine on
   10 x N rows (both layouts) to show the peak does not grow with the file;
8. with ``--trials`` (issue 19): the engine on both files screening the 5 bundled trials
   against the same files without, runs interleaved, as a throughput ratio (``--trials-only``
   runs only this).

Run:  python benchmarks/bench_cohort.py [--rows 1000000] [--big-factor 10] [--workers 2] [--sample 2000] [--repeat 3]
      [--trials | --trials-only]
Targets (issue 6): engine >= 1,000,000 patients/s on 2 cores and <= 3x the read floor; >= 50x the
per-patient loop; peak at 10 x N <= 1.5 x the peak at N. Issue 19: with 5 trials >= 0.70 x the throughput
without, on the criteria-columns file. The machine's load average is printed: other
processes on a shared machine slow every measurement alike, so the ratios are the comparable figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

CRITERIA_COLUMNS = """[f.name for f in flat_fields() if f.name in ("id", "symptom_onset", "assessment_date", "birth_date",
    "age_at_onset", "course", "emg", "c9orf72_repeat_expansion", *PATIENT_COLUMNS)]"""

MEASURE = """
import json, os, threading, time


def tree_rss_mb(pid=None):
    \"\"\"Proportional resident memory (PSS: pages shared after fork counted once) of this process and all its
    descendants (the engine's worker processes), in MB.\"\"\"
    pid = pid or os.getpid()
    try:
        with open(f"/proc/{{pid}}/smaps_rollup") as fh:
            rss = next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0) / 1024
        kids = []
        for task in os.listdir(f"/proc/{{pid}}/task"):
            with open(f"/proc/{{pid}}/task/{{task}}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
    except OSError:
        return 0.0
    return rss + sum(tree_rss_mb(k) for k in kids)


peak = [0.0]
stop = threading.Event()


def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], tree_rss_mb())
        stop.wait(0.1)


sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
t0 = time.perf_counter()
{body}
wall = time.perf_counter() - t0
stop.set()
sampler.join()
print(json.dumps({{"wall": wall, "peak_mb": max(peak[0], tree_rss_mb()), **globals().get("extra", {{}})}}))
"""


def measure(body: str, setup: str = "") -> dict[str, float]:
    """Run ``body`` in a fresh interpreter after ``setup`` (imports; untimed): wall time and the peak resident
    memory of the process tree (sampled every 100 ms)."""
    code = textwrap.dedent(setup) + "\n" + MEASURE.format(body=textwrap.dedent(body))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def synth(path: Path, rows: int) -> None:
    measure(f"from alsdx.cohort.convert import write_synth\nwrite_synth({rows}, {str(path)!r}, seed=7, progress=False)")


def project(src: Path, dst: Path) -> None:
    """The same patients with only the columns the criteria kernels and the row checks read."""
    measure(f"""
import pyarrow as pa, pyarrow.parquet as pq
from alsdx.cohort.schema import flat_fields
from alsdx.columns.codes import PATIENT_COLUMNS
keep = {CRITERIA_COLUMNS}
f = pq.ParquetFile({str(src)!r})
with pq.ParquetWriter({str(dst)!r}, pa.schema([f.schema_arrow.field(c) for c in keep])) as w:
    for g in range(f.num_row_groups):
        w.write_table(f.read_row_group(g, columns=keep))
""")


def read_floor(path: Path, threads: bool) -> dict[str, float]:
    return measure(
        setup="from alsdx.cohort.reader import open_parquet",
        body=f"""
f = open_parquet({str(path)!r})
rows = 0
for g in range(f.num_row_groups):
    for b in f.iter_batches(batch_size=131072, row_groups=[g], use_threads={threads}):
        rows += b.num_rows
extra = {{"rows": rows}}
""",
    )


FIVE_TRIALS = """
from alsdx.trials.model import bundled_trials
trials = tuple(bundled_trials().values())  # the 5 bundled trials (real registry records)
assert len(trials) == 5, trials
"""


def engine(path: Path, out: Path, workers: int, trials: bool = False) -> dict[str, float]:
    """``run_local`` end to end; with ``trials``, screening the 5 trials (read before the clock starts)."""
    return measure(
        setup="from pathlib import Path\nfrom alsdx.cohort.runner import run_local\n"
        + (FIVE_TRIALS if trials else "trials = ()"),
        body=f"""
s = run_local(Path({str(path)!r}), Path({str(out)!r}), workers={workers}, progress=False, trials=trials)
extra = {{"rows": s.rows, "invalid": s.invalid}}
""",
    )


def trial_ratios(files: list[tuple[str, Path]], out: Path, workers: int, repeat: int, n: int) -> None:
    """Throughput with 5 trials / without, per file: runs interleaved (with, without, with, ...), fastest of each."""
    print(f"\nengine with 5 trials vs without ({workers} workers, fastest of {repeat} interleaved runs each):")
    for label, path in files:
        runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
        for _ in range(repeat):
            for trials in (False, True):
                runs[trials].append(engine(path, out, workers, trials))
        plain, screened = (min(runs[t], key=lambda r: r["wall"]) for t in (False, True))
        assert plain["rows"] == screened["rows"] == n, (plain, screened)
        print(
            f"  {label:18s} without {plain['wall']:6.2f} s ({n / plain['wall']:>10,.0f} patients/s), with "
            f"{screened['wall']:6.2f} s ({n / screened['wall']:>10,.0f} patients/s): ratio "
            f"{plain['wall'] / screened['wall']:.2f} (target >= 0.70); peak {plain['peak_mb']:.0f} -> "
            f"{screened['peak_mb']:.0f} MB"
        )


STAGES = """
import time
from pathlib import Path
from alsdx.columns import arrow_emg as emg
from alsdx.cohort.batch import STAGES, Kernels, assess_batch, has_visit, output_schema
from alsdx.columns.from_arrow import kernel_columns
from alsdx.columns.arrow_examined import emg_studied, examined_regions
from alsdx.columns.from_arrow import course_tables
from alsdx.cohort.reader import open_parquet
from alsdx.cohort.runner import DEFAULT_BATCH, writer
from alsdx.cohort.summary import Summary
from alsdx.cohort.validity import check_rows
from alsdx.engine.pipeline import REEC_DEFINITE, KernelOutputs
from alsdx.rules.course.pipeline import course_kernel
from alsdx.rules.criteria import criteria_from_evidence
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.rules.criteria.regions import region_evidence
from alsdx.rules.differential import differential
"""


def stages(path: Path, out: Path) -> dict[str, float]:
    """CPU seconds of each step of the engine on one core (one process, no pool), summed over the file:
    the steps of ``assess_batch`` one by one (course only for batches with an ALSFRS-R visit, as there),
    then ``assess_batch`` itself and the main thread's work."""
    return measure(
        setup=STAGES,
        body=f"""
cpu = {{}}


def timed(step, fn):
    t = time.process_time()
    result = fn()
    cpu[step] = cpu.get(step, 0.0) + time.process_time() - t
    return result


f = open_parquet({str(path)!r})
interp = Interpretation()
assess_batch(next(f.iter_batches(batch_size=1000, use_threads=False)))  # warm-up: one-time loads and caches
summary = Summary()
rows = 0
with writer(Path({str(out)!r}), output_schema()) as w:
    for g in range(f.num_row_groups):
        batches = f.iter_batches(batch_size=DEFAULT_BATCH, row_groups=[g], use_threads=False)
        while (b := timed("read (Parquet -> Arrow)", lambda: next(batches, None))) is not None:
            rows += b.num_rows
            names = b.schema.names
            parts = timed("EMG decode", lambda: emg.decode(b.column("emg") if "emg" in names else None, b.num_rows))
            invalid, _ = timed("row checks", lambda: check_rows(b, parts))
            cols = timed("kernel columns (Arrow -> numpy)", lambda: kernel_columns(b, parts))
            ev = timed("rules: region_evidence", lambda: region_evidence(cols))
            diff = timed("rules: differential", lambda: differential(cols, ev))
            ev["workup_outstanding"] = diff.exclusion["outstanding"]
            res = timed("rules: criteria_from_evidence", lambda: criteria_from_evidence(ev, interp))
            course = None
            if has_visit(b):
                tables = timed("course tables (Arrow -> numpy)", lambda: course_tables(b))
                tables.patients["reec_definite"] = (res["revised_el_escorial"]["category"] == REEC_DEFINITE).astype(float)
                course = timed("rules: course_kernel", lambda: course_kernel(tables.patients, tables.visits, tables.fvc))
            seen = timed("examined regions, EMG studied", lambda: (examined_regions(b), emg_studied(parts, b.num_rows)))
            k = Kernels(KernelOutputs(cols, ev, diff, res, interp, course), invalid, *seen)
            for stage in STAGES:
                timed(f"output: {{stage.run.__name__.strip('_')}} (numpy -> Arrow)", lambda: stage.run(k))
            result = timed("assess_batch (all of the above)", lambda: assess_batch(b))
            timed("main thread: write", lambda: w.write_batch(result))
            timed("main thread: summary", lambda: summary.add(result))
extra = {{"rows": rows, **{{k: v * 1e6 / rows for k, v in cpu.items()}}}}
""",
    )


def batch_sizes(path: Path) -> dict[str, float]:
    """CPU seconds per 1,000,000 rows of read + ``assess_batch`` at several kernel batch sizes (one core)."""
    return measure(
        setup=STAGES,
        body=f"""
f = open_parquet({str(path)!r})
assess_batch(next(f.iter_batches(batch_size=1000, use_threads=False)))
extra = {{}}
for size in (8192, 16384, 32768, 65536, 131072):
    best = float("inf")
    for _ in range(3):  # best of 3: the machine is shared
        t = time.process_time()
        rows = 0
        for g in range(min(4, f.num_row_groups)):  # a group at a time, as the engine reads
            for b in f.iter_batches(batch_size=size, row_groups=[g], use_threads=False):
                assess_batch(b)
                rows += b.num_rows
        best = min(best, (time.process_time() - t) * 1e6 / rows)
    extra[str(size)] = best
""",
    )


def best_of(times: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The fastest of ``times`` runs (other jobs on a shared machine only ever slow a run down), with the
    highest peak memory of them."""
    runs = [run() for _ in range(times)]
    return {**min(runs, key=lambda r: r["wall"]), "peak_mb": max(r["peak_mb"] for r in runs)}


def startup(path: Path, out: Path, workers: int) -> dict[str, float]:
    """The engine's fixed cost: a run on the first 1,000 rows (the thread pool starts, one batch runs)."""
    small = path.with_name(path.stem + ".first1000.parquet")
    if not small.exists():
        measure(
            f"import pyarrow.parquet as pq\npq.write_table(pq.ParquetFile({str(path)!r}).read_row_group(0).slice(0, 1000), {str(small)!r})"
        )
    return engine(small, out, workers)


def per_patient(path: Path, sample: int) -> dict[str, float]:
    return measure(
        body="""
for row in rows:
    assess(Case.model_validate(row_document(row)))
extra = {"rows": len(rows)}
""",
        setup=f"""
import pyarrow.parquet as pq
from alsdx.engine.assess import assess
from alsdx.cohort.flatten import row_document
from alsdx.model.case import Case
rows = pq.ParquetFile({str(path)!r}).read_row_group(0).slice(0, {sample}).to_pylist()
assess(Case.model_validate(row_document(rows[0])))
""",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-factor", type=int, default=10, help="rows x this for the memory check (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement at N rows (the fastest counts)")
    parser.add_argument("--sample", type=int, default=2000, help="patients in the per-patient loop")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the cohorts (default: a temp dir)")
    parser.add_argument("--trials", action="store_true", help="also measure the engine screening 5 trials")
    parser.add_argument("--trials-only", action="store_true", help="measure only the 5-trial ratio")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench_cohort_"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.rows
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; cohorts in {work}")

    full = work / f"cohort_{n}.parquet"
    if not full.exists():
        synth(full, n)
    crit = work / f"cohort_{n}.criteria.parquet"
    if not crit.exists():
        project(full, crit)
    print(
        f"{n:,} synthetic patients: {full.stat().st_size / 1e6:.0f} MB (criteria columns: "
        f"{crit.stat().st_size / 1e6:.0f} MB)"
    )

    if args.trials or args.trials_only:
        files = [("criteria columns", crit), ("full layout", full)]
        trial_ratios(files, work / "out_trials.parquet", args.workers, args.repeat, n)
        if args.trials_only:
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            return

    rows = []
    for label, path in (("full layout", full), ("criteria columns", crit)):
        floor = best_of(args.repeat, lambda p=path: read_floor(p, threads=True))
        floor1 = best_of(args.repeat, lambda p=path: read_floor(p, threads=False))
        run = best_of(args.repeat, lambda p=path: engine(p, work / "out.parquet", args.workers))
        assert run["rows"] == n and run["invalid"] == 0, run
        rows.append((label, floor, floor1, run))
    start = best_of(args.repeat, lambda: startup(full, work / "out_small.parquet", args.workers))

    steps = {label: stages(path, work / "stages.parquet") for label, path in (("full", full), ("criteria", crit))}
    sizes = batch_sizes(crit)
    loop = per_patient(full, args.sample)
    loop_per_row = loop["wall"] / loop["rows"]

    print()
    print(
        f"{'':18s} {'read floor':>12s} {'(1 thread)':>15s} {'engine':>10s} {'patients/s':>12s} "
        f"{'engine/floor':>13s} {'after start':>12s} {'peak MB':>9s}"
    )
    for label, floor, floor1, run in rows:
        peak = run["peak_mb"]
        print(
            f"{label:18s} {floor['wall']:11.2f}s {floor1['wall']:14.2f}s {run['wall']:9.2f}s "
            f"{n / run['wall']:12,.0f} {run['wall'] / floor['wall']:12.2f}x {n / (run['wall'] - start['wall']):12,.0f} "
            f"{peak:9.0f}"
        )
    print(
        "(read floor: wall time with all threads; in brackets its wall time on one thread. after start: patients/s"
        f" once the engine runs, i.e. less its fixed cost, a run on 1,000 rows: {start['wall']:.2f} s)"
    )
    full_run = rows[0][3]
    print(
        f"\nper-patient assess() loop: {loop_per_row * 1e3:.3f} ms/patient on {loop['rows']:,} "
        f"(extrapolated {loop_per_row * n:,.0f} s for {n:,}); engine speed-up {loop_per_row * n / full_run['wall']:,.0f}x"
    )
    peak_n = full_run["peak_mb"]
    print(
        f"engine peak memory at {n:,} (main thread + {args.workers} worker threads): {peak_n:.0f} MB; "
        f"read floor alone: {rows[0][1]['peak_mb']:.0f} MB"
    )

    print(
        "\nCPU seconds per 1,000,000 patients, one core (assess_batch = the steps above it plus building the output):"
    )
    print(f"  {'':40s} {'full':>8s} {'criteria':>9s}")
    for step in steps["full"]:
        if step not in ("wall", "peak_mb", "rows"):
            crit_s = steps["criteria"].get(step)
            print(f"  {step:40s} {steps['full'][step]:8.2f} {'-' if crit_s is None else f'{crit_s:.2f}':>9s}")
    print("CPU seconds per 1,000,000 patients of read + assess_batch by kernel batch size (criteria columns):")
    print("  " + ", ".join(f"{size}: {sizes[size]:.2f}" for size in sizes if size not in ("wall", "peak_mb")))
    if args.big_factor:
        big_n = n * args.big_factor
        big = work / f"cohort_{big_n}.parquet"
        if not big.exists():
            synth(big, big_n)
        big_run = engine(big, work / "out_big.parquet", args.workers)
        assert big_run["rows"] == big_n, big_run
        peak_big = big_run["peak_mb"]
        print(
            f"engine at {big_n:,}: {big_run['wall']:.1f} s ({big_n / big_run['wall']:,.0f} patients/s), peak "
            f"{peak_big:.0f} MB; peak ratio {big_n:,} / {n:,} rows = {peak_big / peak_n:.2f}x"
        )
        big_crit = work / f"cohort_{big_n}.criteria.parquet"
        if not big_crit.exists():
            project(big, big_crit)
        crit_run = engine(big_crit, work / "out_big.parquet", args.workers)
        assert crit_run["rows"] == big_n, crit_run
        print(
            f"engine at {big_n:,}, criteria columns: {crit_run['wall']:.1f} s ({big_n / crit_run['wall']:,.0f} "
            f"patients/s)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
