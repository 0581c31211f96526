"""A/B of the cohort engine between two source trees, measured in the same run (for refactors: "not slower").

Both trees assess the same synthetic cohort (``alsdx cohort synth``, seed 7; SYNTHETIC data), in both layouts:
the full flat layout and the "criteria columns" file (what the criteria kernels and row checks read; see
``bench_cohort.py``). Each measurement runs in a fresh single-threaded interpreter (Arrow's CPU and I/O pools set
to one thread) and counts the process's CPU time, not wall time, for

- the read floor: every batch of the file read with pyarrow, and
- the engine: the same read plus ``assess_batch`` on every batch (row checks, kernels, output columns),

so the figure per tree is engine CPU / read-floor CPU. Each measurement is the minimum of ``--repeat`` passes after a
warm-up pass; the trees alternate round by round (A B B A ...), and the minimum over rounds is reported: on a shared machine other processes only ever add time, so the minimum is the
least disturbed measurement of each tree.

Run:  python benchmarks/ab_cohort.py --before-commit fea4036 [--rows 300000] [--rounds 4]
      python benchmarks/ab_cohort.py --before /path/to/old/tree --after /path/to/new/tree
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "benchmarks"))
from bench_cohort import CRITERIA_COLUMNS  # noqa: E402

MEASURE = """
import time
import pyarrow as pa
pa.set_cpu_count(1)
pa.set_io_thread_count(1)
from alsdx.cohort.reader import open_parquet
from alsdx.cohort.batch import assess_batch


def one_pass(work):
    f = open_parquet({path!r})
    t0 = time.process_time()
    for g in range(f.num_row_groups):
        for batch in f.iter_batches(batch_size=131072, row_groups=[g], use_threads=False):
            work(batch)
    return time.process_time() - t0


one_pass(assess_batch)  # warm-up: first-call caches, page cache
floor = min(one_pass(lambda b: None) for _ in range({repeat}))
engine = min(one_pass(assess_batch) for _ in range({repeat}))
print(floor, engine)
"""


def cpu_seconds(tree: Path, path: Path, repeat: int) -> tuple[float, float]:
    """CPU seconds (minimum of ``repeat``) of one single-threaded pass over ``path`` with ``tree``'s alsdx: read only,
    and read + ``assess_batch``."""
    code = MEASURE.format(path=str(path), repeat=repeat)
    env = {"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
    floor, engine = map(float, done.stdout.split()[:2])
    return floor, engine


def make_files(tree: Path, folder: Path, rows: int) -> dict[str, Path]:
    """The full synthetic cohort and its criteria-columns projection, written with ``tree``'s alsdx."""
    full, criteria = folder / "full.parquet", folder / "criteria.parquet"
    code = "\n".join(
        [
            "import pyarrow as pa, pyarrow.parquet as pq",
            "from alsdx.cohort.convert import write_synth",
            "from alsdx.cohort.schema import flat_fields",
            "from alsdx.columns.codes import PATIENT_COLUMNS",
            f"write_synth({rows}, {str(full)!r}, seed=7, progress=False)",
            f"keep = {CRITERIA_COLUMNS}",
            f"f = pq.ParquetFile({str(full)!r})",
            f"with pq.ParquetWriter({str(criteria)!r}, pa.schema([f.schema_arrow.field(c) for c in keep])) as w:",
            "    for g in range(f.num_row_groups):",
            "        w.write_table(f.read_row_group(g, columns=keep))",
        ]
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"}
    )
    return {"criteria columns": criteria, "full layout": full}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="source tree A (the baseline)")
    parser.add_argument("--before-commit", help="or a commit of this repository, checked out in a temporary worktree")
    parser.add_argument("--after", type=Path, default=HERE, help="source tree B (default: this tree)")
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="passes per measurement (the minimum is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = args.before
        if before is None:
            if not args.before_commit:
                parser.error("give --before or --before-commit")
            before = Path(tmp) / "before"
            subprocess.run(
                ["git", "-C", str(HERE), "worktree", "add", "--detach", "-q", str(before), args.before_commit],
                check=True,
            )
        try:
            files = make_files(args.after, Path(tmp), args.rows)
            trees = {"before": before, "after": args.after.resolve()}
            seen: dict[tuple[str, str], list[tuple[float, float]]] = {}
            for r in range(args.rounds):
                order = list(trees) if r % 2 == 0 else list(reversed(trees))
                for layout, path in files.items():
                    for name in order:
                        floor, work = cpu_seconds(trees[name], path, args.repeat)
                        seen.setdefault((name, layout), []).append((floor, work))
                        print(
                            f"round {r + 1} {layout:16} {name:6} read floor {floor:6.3f} s, engine {work:6.3f} s "
                            f"({work / floor:5.2f}x)",
                            flush=True,
                        )
            report = {}
            for layout in files:
                floor = {name: min(f for f, _ in seen[(name, layout)]) for name in trees}
                work = {name: min(w for _, w in seen[(name, layout)]) for name in trees}
                ratio = {name: work[name] / floor[name] for name in trees}
                report[layout] = {
                    "read_floor_s": floor,
                    "engine_s": work,
                    "engine/read floor": ratio,
                    "after/before": ratio["after"] / ratio["before"],
                }
                print(
                    f"{layout:16} engine/read floor (minima): before {ratio['before']:.2f}, after {ratio['after']:.2f}; "
                    f"after/before {ratio['after'] / ratio['before']:.3f} (engine CPU alone: "
                    f"{work['after'] / work['before']:.3f})"
                )
            print(json.dumps({"rows": args.rows, "rounds": args.rounds, **report}))
        finally:
            if args.before is None:
                subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(before)], check=False)


if __name__ == "__main__":
    main()
