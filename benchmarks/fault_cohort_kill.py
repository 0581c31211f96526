"""kill -9 the cohort runner in the middle of a file (issue 9, figure "interrupted cohort run").

``alsdx cohort run`` writes its output and side file under temporary names and renames them when the run
completes. This script proves it: a synthetic cohort is assessed once to completion (the reference); then,
in each round, a previous output is in place, a new run starts, and its whole process group (runner and
workers) gets SIGKILL once its temporary output holds a random 10-90 % of the reference's size. After
the kill the previous output and side file must be byte-for-byte unchanged; a fresh run then completes
and must equal the reference row for row. A first-ever run killed the same way must leave no output.

Run:   PYTHONPATH=src python benchmarks/fault_cohort_kill.py [--rows 1000000] [--rounds 5] [--workers 2]
Exit status 1 if an output was damaged, appeared half-written, or a rerun differed from the reference.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from service_harness import workdir

CLI = [sys.executable, "-c", "from alsdx.cli import app; app()"]


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _run(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(CLI + args, check=True, capture_output=True, timeout=1800)
    return time.perf_counter() - t


def _killed_run(source: Path, out: Path, workers: int, kill_at_bytes: int) -> tuple[bool, float]:
    """Start a run in its own process group; SIGKILL the group once the temporary output reaches
    ``kill_at_bytes``. Returns (killed before completing, seconds until then)."""
    proc = subprocess.Popen(
        [*CLI, "cohort", "run", str(source), str(out), "--workers", str(workers), "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    t = time.perf_counter()
    try:
        while proc.poll() is None:
            temp = out.with_name(f".{out.name}.{proc.pid}.tmp")  # this run's own temporary output
            if temp.exists() and temp.stat().st_size >= kill_at_bytes:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
                return True, time.perf_counter() - t
            time.sleep(0.005)
        return False, time.perf_counter() - t
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ok = True
    with workdir("alsdx-cohort-kill-") as tmp:
        source, ref = tmp / "cohort.parquet", tmp / "reference.parquet"
        _run(["cohort", "synth", str(args.rows), str(source), "--seed", str(args.seed)])
        seconds = _run(["cohort", "run", str(source), str(ref), "--workers", str(args.workers), "--no-progress"])
        reference = pq.read_table(ref)
        ref_side = (tmp / "reference.invalid.csv").read_bytes()
        size = ref.stat().st_size
        print(f"{args.rows:,} rows, {args.workers} workers: reference run {seconds:.1f} s, output {size:,} bytes")

        out = tmp / "out.parquet"
        side = tmp / "out.invalid.csv"
        killed, at = _killed_run(source, out, args.workers, int(size * 0.5))
        first_ok = killed and not out.exists() and not side.exists()
        print(
            f"first-ever run killed after {at:.1f} s: output absent {not out.exists()}, side file absent {not side.exists()}"
        )
        ok &= first_ok

        shutil.copy(ref, out)
        side.write_bytes(ref_side)
        before = (_sha(out), _sha(side))
        for r in range(args.rounds):
            share = rng.uniform(0.1, 0.9)
            killed, at = _killed_run(source, out, args.workers, int(size * share))
            intact = (_sha(out), _sha(side)) == before
            leftovers = len(list(tmp.glob(".out.parquet.*.tmp")))
            print(
                f"round {r + 1}: killed at {share:.0%} of the output ({at:.1f} s): {killed}; "
                f"previous output and side file unchanged: {intact}; temporary files left: {leftovers}"
            )
            ok &= killed and intact
        _run(["cohort", "run", str(source), str(out), "--workers", str(args.workers), "--no-progress"])
        same = pq.read_table(out).equals(reference) and side.read_bytes() == ref_side
        stale = len(list(tmp.glob(".out.*.tmp")))
        print(f"rerun after the kills equals the reference: {same}; temporary files left: {stale}")
        ok &= stale == 0
        ok &= same
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
