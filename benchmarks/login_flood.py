"""Log-in under attack (issue 15, findings 2 and 4): a clinician's latency during a log-in flood, and the
response time of log-ins for known against unknown user names.

A real ``alsdx serve`` on SQLite (production argon2 cost) serves one clinician, who sends
``GET /v1/patients`` one after another: first alone (the baseline of this run), then while 20 log-in
POSTs with wrong passwords arrive at once from one address (the per-address budget the penetration
test used), ``--rounds`` times. Then ``--samples`` log-ins with a wrong password for existing names and
as many for unknown names, interleaved, each from its own loopback address (so the throttle never
answers instead of the password check); the report gives both medians and their ratio.

Run:   PYTHONPATH=src python benchmarks/login_flood.py [--rounds 3] [--samples 20]
Before/after: run it once with ``PYTHONPATH=/path/to/old/checkout/src`` (the server child and the setup
import whichever alsdx comes first on the path).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from service_harness import Server, clinician_token, database, workdir

CSRF = "c" * 32
PASSWORD = "a fresh passphrase 7 for the benchmark"


def _get(port: int, token: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request("GET", "/v1/patients", headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    r.read()
    conn.close()
    assert r.status == 200, r.status
    return (time.perf_counter() - t) * 1e3


def _login(port: int, name: str, source: str = "127.0.0.1") -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    body = f"name={name}&password=wrong-password-0&login_csrf={CSRF}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"alsdx_login_csrf={CSRF}"}
    t = time.perf_counter()
    conn.request("POST", "/login", body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status, (time.perf_counter() - t) * 1e3


def _summary(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20, method="inclusive") if len(values) > 1 else values * 19
    return f"p50 {statistics.median(values):7.1f} ms  p95 {q[18]:7.1f} ms  max {max(values):7.1f} ms  (n={len(values)})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--samples", type=int, default=20)
    args = ap.parse_args()
    with workdir("alsdx-login-") as tmp, database("sqlite", tmp) as url:
        token = clinician_token(url)
        from alsdx.store import accounts, open_store

        sessions = open_store(url)
        with sessions.begin() as s:
            for i in range(args.samples):
                accounts.create_user(s, f"known{i}", PASSWORD, "clinician", "Load clinic")
        sessions.kw["bind"].dispose()
        with Server(url, tmp) as server:
            port = server.port
            for _ in range(5):
                _get(port, token)  # warm up
            idle = [_get(port, token) for _ in range(40)]
            during: list[float] = []
            flood_ms: list[float] = []
            statuses: dict[int, int] = {}
            for rnd in range(args.rounds):
                done = threading.Event()

                def clinician(stop: threading.Event) -> None:
                    while not stop.is_set():
                        during.append(_get(port, token))

                watcher = threading.Thread(target=clinician, args=(done,))
                watcher.start()
                t = time.perf_counter()
                with ThreadPoolExecutor(20) as pool:
                    results = list(pool.map(lambda i, r=rnd: _login(port, f"flood{r}x{i}"), range(20)))
                flood_ms.append((time.perf_counter() - t) * 1e3)
                done.set()
                watcher.join()
                for status, _ in results:
                    statuses[status] = statuses.get(status, 0) + 1
                time.sleep(1)
            known: list[float] = []
            unknown: list[float] = []
            for i in range(args.samples):
                known.append(_login(port, f"known{i}", source=f"127.0.5.{i + 1}")[1])
                unknown.append(_login(port, f"nobody{i}", source=f"127.0.6.{i + 1}")[1])
    print(f"GET /v1/patients alone:               {_summary(idle)}")
    print(f"GET /v1/patients during 20 log-ins:   {_summary(during)}")
    print(
        f"  ratio p50 during/alone {statistics.median(during) / statistics.median(idle):.2f}, "
        f"max during / p50 alone {max(during) / statistics.median(idle):.1f}; "
        f"flood answered in {statistics.median(flood_ms):.0f} ms (median of {args.rounds}); statuses {statuses}"
    )
    print(f"log-in, known names (wrong password): {_summary(known)}")
    print(f"log-in, unknown names:                {_summary(unknown)}")
    print(
        f"  ratio of medians unknown/known {statistics.median(unknown) / statistics.median(known):.2f}; "
        f"samples of one group above every sample of the other: "
        f"{sum(u > max(known) for u in unknown)} unknown, {sum(k > max(unknown) for k in known)} known"
    )


if __name__ == "__main__":
    main()
