"""patient-view with full prefetch vs discovery GET, on loopback, in the same run.

Runs the CDS app under uvicorn on 127.0.0.1 (JWT auth on, ES384 tokens), sends N sequential requests of each
kind with httpx, and prints p50/p99 and the ratio patient-view / discovery. Target (issue 8): patient-view p99
< 50 ms. Usage: PYTHONPATH=src python benchmarks/bench_cdshooks.py [N]
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))
from cds_helpers import auth, hook_request, settings  # noqa: E402

from alsdx.api.cdshooks import PATIENT_VIEW_ID, create_cds_app  # noqa: E402
from alsdx.model.load import load_case  # noqa: E402


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main(n: int = 300) -> None:
    app = create_cds_app(settings(base_url=None), today=lambda: date(2026, 11, 23))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    case = load_case(ROOT / "examples" / "cases" / "bulbar-onset.yaml")
    body = hook_request(case)
    path = f"/cds-services/{PATIENT_VIEW_ID}"
    n_resources = sum(len(v.get("entry", [])) for v in body["prefetch"].values() if v.get("entry"))
    print(f"prefetch: {n_resources} resources in searchsets + Patient")
    timings: dict[str, list[float]] = {"discovery": [], "patient-view": []}
    with httpx.Client() as client:
        for _ in range(20):  # warm-up
            client.get(f"{base}/cds-services", headers=auth("/cds-services", aud=f"{base}/cds-services"))
            client.post(
                f"{base}{path}",
                json=body | {"hookInstance": str(uuid.uuid4())},
                headers=auth(path, aud=f"{base}{path}"),
            )
        for _ in range(n):
            h = auth("/cds-services", aud=f"{base}/cds-services", alg="ES384", kid="ec-1")
            t = time.perf_counter()
            r = client.get(f"{base}/cds-services", headers=h)
            timings["discovery"].append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
            h = auth(path, aud=f"{base}{path}", alg="ES384", kid="ec-1")
            b = body | {"hookInstance": str(uuid.uuid4())}
            t = time.perf_counter()
            r = client.post(f"{base}{path}", json=b, headers=h)
            timings["patient-view"].append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200 and r.json()["cards"]
    server.should_exit = True
    for name, xs in timings.items():
        print(f"{name:13s} n={len(xs)} p50={statistics.median(xs):6.2f} ms  p99={percentile(xs, 0.99):6.2f} ms")
    ratio50 = statistics.median(timings["patient-view"]) / statistics.median(timings["discovery"])
    ratio99 = percentile(timings["patient-view"], 0.99) / percentile(timings["discovery"], 0.99)
    print(f"ratio patient-view/discovery: p50 {ratio50:.1f}x, p99 {ratio99:.1f}x")
    print(f"target p99 < 50 ms: {'met' if percentile(timings['patient-view'], 0.99) < 50 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
