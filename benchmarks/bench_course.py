"""Benchmark of the disease-course kernels (issue 4).

1. ``course_kernel`` (every course kernel: scores, ΔFS, King's, MiToS, slopes, FVC, NIV, gastrostomy risk,
   ENCALS) over N synthetic patients with 4 ALSFRS-R visits and 4 FVC values each, as a ratio to one pass
   that reads every input column once (the floor measured in the same run).
2. The vectorised per-patient slope (``np.bincount`` sums) against a Python loop of ``np.polyfit`` per
   patient over the same visits (the per-patient baseline, on a subset so that it stays short).

Run:  python benchmarks/bench_course.py [--patients 200000]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from alsdx.model.case import ALSFRS_ITEMS
from alsdx.rules.course import alsfrs_r
from alsdx.rules.course.months import DAYS_PER_MONTH
from alsdx.rules.course.pipeline import course_kernel

VISITS = 4


def synthetic(n: int, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], ...]:
    onset = 739000.0 + rng.integers(0, 365, n).astype(float)
    patients = {
        "onset_day": onset,
        "assessment_day": onset + 700,
        "diagnosis_day": onset + rng.integers(60, 400, n),
        "age_at_onset_julian_years": rng.uniform(30, 85, n),
        "onset_bulbar": rng.random(n) < 0.3,
        "frontotemporal_dementia": rng.random(n) < 0.1,
        "c9orf72": np.where(rng.random(n) < 0.5, np.nan, (rng.random(n) < 0.1).astype(float)),
        "exam_orthopnea": rng.random(n) < 0.1,
        "snip_cm_h2o": np.where(rng.random(n) < 0.5, rng.uniform(10, 90, n), np.nan),
        "mip_cm_h2o": np.where(rng.random(n) < 0.5, -rng.uniform(10, 110, n), np.nan),
        "nocturnal_oximetry_abnormal": np.where(rng.random(n) < 0.7, np.nan, (rng.random(n) < 0.2).astype(float)),
        "reec_definite": (rng.random(n) < 0.3).astype(float),
    }
    m = n * VISITS
    patient = np.repeat(np.arange(n), VISITS)
    day = onset[patient] + 60 + np.tile(np.arange(VISITS) * 91.0, n)
    visits = {
        "patient": patient,
        "alsfrs_index": np.tile(np.arange(VISITS), n),
        "alsfrs_day": day,
        "onset_day": onset[patient],
        "alsfrs_gastrostomy": rng.random(m) < 0.05,
    }
    for item in ALSFRS_ITEMS:
        visits[f"alsfrs_{item}"] = rng.integers(0, 5, m).astype(float)
    fvc = {
        "fvc_patient": patient,
        "fvc_day": day,
        "fvc_percent": rng.uniform(20, 120, m),
        "fvc_upright": rng.random(m) < 0.8,
    }
    return patients, visits, fvc


def best(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200_000)
    n = parser.parse_args().patients
    patients, visits, fvc = synthetic(n, np.random.default_rng(4))
    tables = (patients, visits, fvc)

    floor = best(lambda: [float(np.sum(a)) for t in tables for a in t.values()])
    kernel = best(lambda: course_kernel(patients, visits, fvc), repeat=3)
    print(
        f"course_kernel: {n:,} patients x {VISITS} visits: {kernel * 1e3:.0f} ms "
        f"({n / kernel:,.0f} patients/s), {kernel / floor:.1f}x the column-read floor ({floor * 1e3:.1f} ms)"
    )

    k = min(n, 20_000)
    rows = visits["patient"] < k
    sub = {
        "patient": visits["patient"][rows],
        "alsfrs_day": visits["alsfrs_day"][rows],
        "alsfrs_total": visits["alsfrs_speech"][rows] * 12,
    }
    vectorised = best(lambda: alsfrs_r.slope(sub, k))

    def per_patient() -> None:
        x = sub["alsfrs_day"] / DAYS_PER_MONTH
        for p in range(k):
            sel = sub["patient"] == p if k < 2000 else slice(p * VISITS, (p + 1) * VISITS)
            np.polyfit(x[sel], sub["alsfrs_total"][sel], 1)

    loop = best(per_patient, repeat=1)
    print(
        f"slope over {k:,} patients: bincount {vectorised * 1e3:.1f} ms vs per-patient polyfit loop "
        f"{loop * 1e3:.0f} ms: {loop / vectorised:.0f}x faster"
    )


if __name__ == "__main__":
    main()
