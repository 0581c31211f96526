"""50 clients writing visits at once, on SQLite and on PostgreSQL: no visit lost, none duplicated
(issue 9, figure "concurrent writes").

For each database a real ``alsdx serve`` runs on 127.0.0.1; ``--clients`` writers, each on its own
connection, POST ``--visits`` visits each, spread over ``--patients`` patients (so writers collide
on the same patients). Afterwards the database is read directly: every acknowledged visit (HTTP 201)
must be stored exactly once, under the patient and visit id the server returned, with a version-1
document that validates and matches its sha256. Baseline of the same run: 1 client's writes/s.

Run:   PYTHONPATH=src python benchmarks/concurrent_writes.py [--clients 50] [--visits 20] [--db sqlite postgresql]
Exit status 1 if any visit is lost, duplicated, misplaced or partial.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from service_harness import (
    Server,
    WriteLog,
    clinician_token,
    create_patients,
    database,
    leaked,
    stored_visits,
    verify,
    workdir,
    write_visits,
)


def run(kind: str, clients: int, visits: int, patients: int) -> bool:
    with workdir("alsdx-writes-") as tmp, database(kind, tmp) as url:
        token = clinician_token(url)
        with Server(url, tmp) as server:
            ids = create_patients(server.base, token, patients, "cw")
            solo = WriteLog()
            t = time.perf_counter()
            asyncio.run(write_visits(server.base, token, ids, 1, visits, solo, tag="s"))
            solo_rate = len(solo.acknowledged) / (time.perf_counter() - t)
            log = WriteLog()
            t = time.perf_counter()
            asyncio.run(write_visits(server.base, token, ids, clients, visits, log, tag="c"))
            elapsed = time.perf_counter() - t
        for k in solo.acknowledged:  # the baseline's visits are checked too
            log.acknowledged[k] = solo.acknowledged[k]
        log.attempted |= solo.attempted
        verdict = verify(log, stored_visits(url))
        in_log = leaked(server.log_path, log.attempted | set(ids))
    rate = (len(log.acknowledged) - len(solo.acknowledged)) / elapsed
    print(
        f"{kind:<10} {clients} clients x {visits} visits on {patients} patients: "
        f"acknowledged {verdict.acknowledged}, stored {verdict.stored}, lost {len(verdict.lost)}, "
        f"duplicated {len(verdict.duplicated)}, misplaced {len(verdict.mismatched)}, partial {len(verdict.partial)}, "
        f"failed requests {sum(log.failures.values())} {log.failures or ''}"
    )
    print(
        f"{'':<10} {rate:.0f} visits/s with {clients} clients; 1 client {solo_rate:.0f} visits/s (ratio {rate / solo_rate:.2f})"
    )
    print(f"{'':<10} case or patient ids in the server log: {len(in_log)}")
    for problem in (verdict.lost + verdict.duplicated + verdict.mismatched + verdict.partial)[:10]:
        print(f"{'':<10} PROBLEM {problem}")
    return verdict.ok and not log.failures and not in_log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--visits", type=int, default=20, help="per client")
    parser.add_argument("--patients", type=int, default=5)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    args = parser.parse_args()
    ok = [run(kind, args.clients, args.visits, args.patients) for kind in args.db]
    raise SystemExit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
