"""Benchmark of the criteria engine (issue 2).

1. One full ``assess()`` (validated case -> explained Assessment): p50/p99 after warm-up, as a ratio to
   pydantic validation of the same case alone (the floor measured in the same run).
   The same for ``assess_many`` of 32 cases (the examples, repeated), per case.
2. Kernel throughput (region evidence + the four criteria sets) over N synthetic patients on one core,
   as a ratio to one pass that reads every input column once (np.count_nonzero / sum per column).

Run:  python benchmarks/bench_assess.py [--patients 1000000]
Targets (issue 2): assess p50 <= 1 ms and <= 5x the validation floor; kernels >= 2,000,000 patients/s and
<= 20x the column-read floor. No second implementation of the rules is written here.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import yaml

from alsdx.columns.codes import PATIENT_COLUMNS, REGION_EMG_STUDIED, REGION_EXAMINED, ROOT_BIT
from alsdx.columns.from_case import neutral_mimic_columns
from alsdx.engine.assess import assess, assess_many
from alsdx.engine.pipeline import run_kernels
from alsdx.model.case import Case
from alsdx.model.load import load_case
from alsdx.rules.criteria import criteria_from_evidence
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.rules.criteria.regions import region_evidence

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "bulbar-onset.yaml"
BATCH = 32


def percentiles(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    arr = np.array(times) / 1e6
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def synthetic_columns(n: int, seed: int = 7, muscles_per_patient: int = 4) -> dict[str, np.ndarray]:
    """Random columns in the kernels' layout (not clinically plausible; throughput only)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {"course": rng.integers(0, 3, n).astype(np.int8)}
    for name in PATIENT_COLUMNS:
        if name != "course":
            cols[name] = rng.random(n) < 0.15
    cols.update(neutral_mimic_columns(n))  # differential-stage inputs (nothing recorded)
    m = n * muscles_per_patient
    roots = np.array(list(ROOT_BIT.values()), dtype=np.int64)
    cols["emg_patient"] = np.repeat(np.arange(n, dtype=np.int64), muscles_per_patient)
    cols["emg_region"] = rng.integers(0, 4, m).astype(np.int8)
    cols["emg_nerve"] = rng.integers(0, 30, m).astype(np.int64)
    cols["emg_roots"] = roots[rng.integers(0, len(roots), m)] | roots[rng.integers(0, len(roots), m)]
    for flag in ("emg_fibrillations_psw", "emg_fasciculation_potentials", "emg_chronic_neurogenic"):
        cols[flag] = rng.random(m) < 0.5
    cols[REGION_EXAMINED] = np.ones((n, 4), dtype=bool)  # every region examined
    cols[REGION_EMG_STUDIED] = np.zeros((n, 4), dtype=bool)
    cols[REGION_EMG_STUDIED][cols["emg_patient"], cols["emg_region"]] = True
    return cols


def read_floor(cols: dict[str, np.ndarray]) -> None:
    for v in cols.values():
        if v.dtype == bool:
            np.count_nonzero(v)
        else:
            v.sum()


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()

    doc = yaml.safe_load(EXAMPLE.read_text())
    case = Case.model_validate(doc)
    for _ in range(200):
        assess(case)
    v50, v99 = percentiles(lambda: Case.model_validate(doc), args.repeat)
    a50, a99 = percentiles(lambda: assess(case), args.repeat)
    e50, e99 = percentiles(lambda: assess(Case.model_validate(doc)), args.repeat)
    print(f"validation floor          p50 {v50:.3f} ms  p99 {v99:.3f} ms")
    print(f"assess(case)              p50 {a50:.3f} ms  p99 {a99:.3f} ms  ratio p50 {a50 / v50:.1f}x floor")
    print(f"validate + assess         p50 {e50:.3f} ms  p99 {e99:.3f} ms  ratio p50 {e50 / v50:.1f}x floor")
    examples = [load_case(p) for p in sorted(EXAMPLE.parent.glob("*.yaml"))]
    batch = (examples * (BATCH // len(examples) + 1))[:BATCH]
    b50, _ = percentiles(lambda: assess_many(batch), max(args.repeat // BATCH, 20))
    print(f"assess_many, {BATCH} cases     p50 {b50 / BATCH:.3f} ms per case (the example cases, repeated)")

    cols = synthetic_columns(args.patients)
    floor = best_of(lambda: read_floor(cols), 5)
    no_workup = np.zeros(args.patients, dtype=bool)

    def criteria_only() -> None:
        ev = region_evidence(cols)
        ev["workup_outstanding"] = no_workup
        criteria_from_evidence(ev)

    kernel = best_of(criteria_only, 3)
    full = best_of(lambda: run_kernels(cols, Interpretation()), 3)
    n = args.patients
    print(f"column-read floor         {floor * 1e3:8.1f} ms  {n / floor / 1e6:7.1f} M patients/s")
    print(
        f"criteria kernels          {kernel * 1e3:8.1f} ms  {n / kernel / 1e6:7.2f} M patients/s  "
        f"ratio {kernel / floor:.1f}x floor   (region evidence + the four criteria sets)"
    )
    print(
        f"+ differential stage      {full * 1e3:8.1f} ms  {n / full / 1e6:7.2f} M patients/s  "
        f"ratio {full / floor:.1f}x floor   (adds 22 mimics, PLS, work-up status)"
    )


if __name__ == "__main__":
    main()
