"""Benchmark of the care plan (issue 5): ``build_plan`` and ``to_ics`` for the bulbar-onset example (on
riluzole) and for a case with edaravone and tofersen calendars, as ratios to pydantic validation of the same
case (the floor, measured in the same run).

Run:  PYTHONPATH=src python benchmarks/bench_plan.py [--repeat 2000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml

from alsdx.care import build_plan
from alsdx.care.ics import to_ics
from alsdx.model.case import Case

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "bulbar-onset.yaml"
CALENDARS = {
    "id": "bench-calendars",
    "symptom_onset": "2024-06-01",
    "assessment_date": "2026-01-20",
    "course": "progressive",
    "genetics": {"variants": [{"gene": "SOD1", "classification": "pathogenic"}]},
    "medications": [
        {"name": "riluzole", "start_date": "2025-01-31"},
        {"name": "edaravone_iv", "start_date": "2025-12-01"},
        {"name": "tofersen", "start_date": "2026-01-10"},
    ],
}


def percentiles(fn, repeat: int) -> tuple[float, float]:
    for _ in range(repeat // 10):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    arr = np.array(times) / 1e6
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    for name, doc in (("bulbar-onset", yaml.safe_load(EXAMPLE.read_text())), ("calendars", CALENDARS)):
        case = Case.model_validate(doc)
        plan = build_plan(case)
        events = sum(len(m.schedule) + len(m.monitoring) for m in plan.medications) + len(plan.follow_up)
        v50, _ = percentiles(lambda doc=doc: Case.model_validate(doc), args.repeat)
        b50, b99 = percentiles(lambda case=case: build_plan(case), args.repeat)
        i50, i99 = percentiles(lambda plan=plan: to_ics(plan), max(args.repeat // 10, 20))
        print(f"{name} ({events} calendar events)")
        print(f"  validation floor   p50 {v50:.3f} ms")
        print(f"  build_plan         p50 {b50:.3f} ms  p99 {b99:.3f} ms  ratio p50 {b50 / v50:.1f}x floor")
        print(f"  to_ics             p50 {i50:.3f} ms  p99 {i99:.3f} ms  ratio p50 {i50 / v50:.1f}x floor")


if __name__ == "__main__":
    main()
