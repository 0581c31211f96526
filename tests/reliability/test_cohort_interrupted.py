"""A cohort run killed with SIGKILL in the middle of its file leaves the previous output untouched and no
half file; the next run removes the dead run's temporary files and writes the same output as an
uninterrupted run. (The long version, on a million rows and several kills: benchmarks/fault_cohort_kill.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from alsdx.cohort.convert import write_synth
from alsdx.cohort.runner import remove_stale_temporaries, run_local

CLI = [sys.executable, "-c", "from alsdx.cli import app; app()"]


def test_killed_run_keeps_the_previous_output_and_the_rerun_matches(tmp_path: Path) -> None:
    source, out = tmp_path / "cohort.parquet", tmp_path / "out.parquet"
    write_synth(40_000, source, 3, False)
    run_local(source, tmp_path / "reference.parquet", workers=1, batch_size=2_000, progress=False)
    reference = pq.read_table(tmp_path / "reference.parquet")
    out.write_bytes(b"previous output")
    (tmp_path / "out.invalid.csv").write_bytes(b"previous side file")

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [*CLI, "cohort", "run", str(source), str(out), "--workers", "1", "--batch-size", "2000", "--no-progress"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    temp = out.with_name(f".{out.name}.{proc.pid}.tmp")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if temp.exists() and temp.stat().st_size > 20_000:  # several batches written
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed mid-file"
    assert out.read_bytes() == b"previous output"
    assert (tmp_path / "out.invalid.csv").read_bytes() == b"previous side file"
    assert temp.exists()  # a killed process cannot clean up; the next run does

    run_local(source, out, workers=1, batch_size=2_000, progress=False)
    assert pq.read_table(out).equals(reference)
    assert not list(tmp_path.glob(".out*.tmp"))


def test_only_temporaries_of_dead_processes_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    gone = target.with_name(f".{target.name}.{dead.pid}.tmp")
    other = tmp_path / f".other.parquet.{dead.pid}.tmp"
    for p in (mine, gone, other):
        p.write_bytes(b"x")
    assert remove_stale_temporaries(target) == [gone]
    assert mine.exists() and other.exists() and not gone.exists()
