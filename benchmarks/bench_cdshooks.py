"""patient-view with full prefetch vs discovery GET, on loopback, in the same run.

Runs the CDS app under uvicorn on 127.0.0.1 as ``alsdx serve`` does (lifespan on, JWT auth on, ES384
tokens). Phase 1 sends N sequential requests of each kind with httpx and prints p50/p99 and the ratio
patient-view / discovery; target (issue 8): patient-view p99 < 50 ms. Phase 2 (not part of the target)
runs 2 patient-view clients and 1 discovery client at once, to show whether a cheap call waits behind the
CPU-bound one and what concurrent patient-views cost on this machine. Phase 3 (not part of the target)
sends a realistic EHR prefetch (issue 16): 300 blood-pressure Observations in the observations search (a server
that ignores the code filter returns every vital sign) and 60 unrelated problem-list Conditions: alsdx reports them
as not used without validating them (docs/fhir.md).
Usage: PYTHONPATH=src python benchmarks/bench_cdshooks.py [N]
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import statistics
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))
from cds_helpers import auth, hook_request, settings  # noqa: E402

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app  # noqa: E402
from alsdx.model.load import load_case  # noqa: E402


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


class Caller:
    """Signed calls of one kind; each call gets a fresh token and hookInstance (jti replay is refused)."""

    def __init__(self, base: str, body: dict[str, Any]) -> None:
        self.base = base
        self.body = body
        self.path = f"/cds-services/{PATIENT_VIEW_ID}"

    def discovery(self, client: httpx.Client) -> float:
        h = auth("/cds-services", aud=f"{self.base}/cds-services", alg="ES384", kid="ec-1")
        t = time.perf_counter()
        r = client.get(f"{self.base}/cds-services", headers=h)
        ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 200
        return ms

    def patient_view(self, client: httpx.Client) -> float:
        h = auth(self.path, aud=f"{self.base}{self.path}", alg="ES384", kid="ec-1")
        # The timer covers the HTTP exchange: the caller's own JSON encoding of the 77 kB request is done first.
        content = json.dumps(self.body | {"hookInstance": str(uuid.uuid4())}).encode()
        headers = {**h, "Content-Type": "application/json"}
        t = time.perf_counter()
        r = client.post(f"{self.base}{self.path}", content=content, headers=headers)
        ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 200 and r.json()["cards"]
        return ms


def with_vitals(body: dict[str, Any], n: int) -> dict[str, Any]:
    """The request with ``n`` daily blood-pressure panels (LOINC 85354-9, components 8480-6/8462-4) added to
    the observations searchset: resources alsdx does not use, shaped as an EHR sends them."""
    patient = body["context"]["patientId"]
    mmhg = {"unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}

    def component(code: str, value: int) -> dict[str, Any]:
        return {
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "valueQuantity": {"value": value, **mmhg},
        }

    entries = [
        {
            "fullUrl": f"https://ehr.example.org/fhir/Observation/bp-{i}",
            "resource": {
                "resourceType": "Observation",
                "id": f"bp-{i}",
                "meta": {"lastUpdated": "2026-01-01T10:00:00Z"},
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "vital-signs",
                            }
                        ]
                    }
                ],
                "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure"}]},
                "subject": {"reference": f"Patient/{patient}"},
                "effectiveDateTime": (date(2025, 1, 1) + timedelta(days=i)).isoformat(),
                "component": [component("8480-6", 120 + i % 20), component("8462-4", 80 - i % 10)],
            },
            "search": {"mode": "match"},
        }
        for i in range(n)
    ]
    problems = [
        {
            "fullUrl": f"https://ehr.example.org/fhir/Condition/other-{i}",
            "resource": {
                "resourceType": "Condition",
                "id": f"other-{i}",
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": f"I{10 + i % 60}"}]},
                "subject": {"reference": f"Patient/{patient}"},
                "onsetDateTime": "2019-05-01",
            },
            "search": {"mode": "match"},
        }
        for i in range(n // 5)
    ]
    prefetch = body["prefetch"] | {
        "observations": body["prefetch"]["observations"]
        | {"entry": body["prefetch"]["observations"]["entry"] + entries},
        "conditions": body["prefetch"]["conditions"] | {"entry": body["prefetch"]["conditions"]["entry"] + problems},
    }
    return body | {"prefetch": prefetch}


def report(timings: dict[str, list[float]]) -> None:
    for name, xs in timings.items():
        print(f"  {name:13s} n={len(xs)} p50={statistics.median(xs):6.2f} ms  p99={percentile(xs, 0.99):6.2f} ms")


def sequential(caller: Caller, n: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"discovery": [], "patient-view": []}
    with httpx.Client() as client:
        for _ in range(n):
            timings["discovery"].append(caller.discovery(client))
            timings["patient-view"].append(caller.patient_view(client))
    return timings


def concurrent(caller: Caller, n: int, clients: int = 2) -> dict[str, list[float]]:
    """``clients`` patient-view loops of n // clients calls each, and a discovery loop running meanwhile."""
    timings: dict[str, list[float]] = {"discovery": [], "patient-view": []}
    running = threading.Event()
    running.set()

    def views() -> None:
        with httpx.Client() as client:
            for _ in range(n // clients):
                timings["patient-view"].append(caller.patient_view(client))

    def discoveries() -> None:
        with httpx.Client() as client:
            while running.is_set():
                timings["discovery"].append(caller.discovery(client))
                time.sleep(0.005)

    probe = threading.Thread(target=discoveries)
    probe.start()
    workers = [threading.Thread(target=views) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    running.clear()
    probe.join()
    return timings


def serve(sock: socket.socket) -> None:
    """The server process: the CDS app under uvicorn, one worker, lifespan on (as ``alsdx serve``)."""
    app = create_cds_app(settings(base_url=None, dev_mode=True), today=lambda: date(2026, 11, 23))
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on")).run(sockets=[sock])


def main(n: int = 300) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # A separate process, so that the client's own work (JSON encoding, token signing) does not share the
    # server's interpreter lock; fork passes the bound socket and the test keys (tests/api/cds_helpers.py).
    server = multiprocessing.get_context("fork").Process(target=serve, args=(sock,), daemon=True)
    server.start()
    for _ in range(500):  # until uvicorn listens
        try:
            socket.create_connection(sock.getsockname(), timeout=1).close()
            break
        except OSError:
            time.sleep(0.02)
    case = load_case(ROOT / "examples" / "cases" / "bulbar-onset.yaml")
    caller = Caller(base, hook_request(case))
    n_resources = sum(len(v.get("entry", [])) for v in caller.body["prefetch"].values() if v.get("entry"))
    print(f"prefetch: {n_resources} resources in searchsets + Patient; load average {os.getloadavg()[0]:.2f}")
    sequential(caller, 20)  # warm-up
    timings = sequential(caller, n)
    print("sequential:")
    report(timings)
    ratio50 = statistics.median(timings["patient-view"]) / statistics.median(timings["discovery"])
    ratio99 = percentile(timings["patient-view"], 0.99) / percentile(timings["discovery"], 0.99)
    print(f"  ratio patient-view/discovery: p50 {ratio50:.1f}x, p99 {ratio99:.1f}x")
    p99 = percentile(timings["patient-view"], 0.99)
    print(f"  target p99 < 50 ms: {'met' if p99 < 50 else 'NOT met'}")
    print("concurrent (2 patient-view clients + 1 discovery client):")
    report(concurrent(caller, n))
    print("sequential, realistic EHR prefetch (+ 300 blood-pressure Observations, + 60 unrelated Conditions):")
    report(sequential(Caller(base, with_vitals(caller.body, 300)), max(n // 3, 1)))
    server.terminate()
    server.join()
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
