"""kill -9 the server in the middle of a write burst, restart it, and prove that every acknowledged
visit is stored and no visit is half-written (issue 9, figure "kill -9"), on SQLite and PostgreSQL.

Each round: ``--clients`` writers POST visits as fast as the server takes them; after a random
0.5-``--burst`` seconds the server gets SIGKILL (no shutdown, no flush). The server restarts on the
same database and the next round writes on. At the end the database is read directly: every visit
acknowledged with HTTP 201 in any round must be there exactly once, where the server said, and every
stored visit must have one version-1 document that validates and matches its sha256. Visits stored
without an acknowledgement (the response was lost with the process) are counted, not errors.
SQLite also gets ``PRAGMA integrity_check``.

Run:   PYTHONPATH=src python benchmarks/fault_kill.py [--rounds 5] [--clients 20] [--burst 3] [--db sqlite postgresql]
Exit status 1 on any lost, duplicated, misplaced or partial visit.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import threading
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


def _sqlite_integrity(url: str) -> str:
    import sqlite3

    with sqlite3.connect(url.split("///", 1)[1]) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def run(kind: str, rounds: int, clients: int, burst: float, seed: int) -> bool:
    rng = random.Random(seed)
    log = WriteLog()
    with workdir("alsdx-kill-") as tmp, database(kind, tmp) as url:
        token = clinician_token(url)
        server = Server(url, tmp)
        server.start()
        patients = create_patients(server.base, token, 5, "kill")
        kills = []
        try:
            for r in range(rounds):
                # one acknowledged visit first: a fresh process spends its first second importing the engine
                asyncio.run(write_visits(server.base, token, patients, 1, 1, log, tag=f"warm{r}-"))
                delay = rng.uniform(0.5, burst)
                killer = threading.Timer(delay, server.kill9)
                before = len(log.acknowledged)
                t = time.perf_counter()
                killer.start()
                asyncio.run(
                    write_visits(server.base, token, patients, clients, None, log, stop_after=burst + 30, tag=f"r{r}-")
                )
                killer.join()
                kills.append((delay, len(log.acknowledged) - before, time.perf_counter() - t))
                server.start()
        finally:
            server.stop()
        verdict = verify(log, stored_visits(url))
        in_log = leaked(server.log_path, log.attempted | set(patients))
        integrity = _sqlite_integrity(url) if kind == "sqlite" else "n/a"
    print(
        f"{kind:<10} {rounds} kills during bursts of {clients} writers: acknowledged {verdict.acknowledged}, "
        f"stored {verdict.stored} (of which unacknowledged {verdict.unacknowledged_stored}), "
        f"lost {len(verdict.lost)}, duplicated {len(verdict.duplicated)}, misplaced {len(verdict.mismatched)}, "
        f"partial {len(verdict.partial)}; integrity_check {integrity}"
    )
    print(f"{'':<10} per round (kill after s, acknowledged): " + ", ".join(f"{d:.1f}s/{n}" for d, n, _ in kills))
    print(f"{'':<10} client-side failures: {log.failures}; case or patient ids in the server log: {len(in_log)}")
    for problem in (verdict.lost + verdict.duplicated + verdict.mismatched + verdict.partial)[:10]:
        print(f"{'':<10} PROBLEM {problem}")
    return verdict.ok and integrity in ("ok", "n/a") and not in_log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--burst", type=float, default=3.0, help="kill within this many seconds of the burst start")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    args = parser.parse_args()
    ok = [run(kind, args.rounds, args.clients, args.burst, args.seed) for kind in args.db]
    raise SystemExit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
