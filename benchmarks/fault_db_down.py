"""The database goes away under load and comes back (issue 9, figure "database unavailable").

A real ``alsdx serve`` reaches PostgreSQL through a loopback proxy (tests/reliability/tcp_proxy.py)
that this script cuts for ``--outage`` seconds while ``--clients`` writers POST visits; the shared
PostgreSQL server itself keeps running. Reported: the answers during the outage (all should be 503
problem+json with Retry-After), how long the service took to answer again once the database was
back, and the usual check that every acknowledged visit is stored once.

Run:   PYTHONPATH=src python benchmarks/fault_db_down.py [--clients 10] [--outage 5]
Exit status 1 if any answer during the outage was not a 503, or a visit was lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter

import httpx
from service_harness import (
    ROOT,
    Server,
    WriteLog,
    clinician_token,
    create_patients,
    database,
    example_case,
    stored_visits,
    verify,
    workdir,
)

sys.path.insert(0, str(ROOT / "tests" / "reliability"))
from tcp_proxy import TcpProxy


async def _load(base: str, token: str, patients: list[str], clients: int, proxy: TcpProxy, outage: float) -> dict:
    doc = example_case()
    log = WriteLog()
    phases: dict[str, Counter[str]] = {"before": Counter(), "outage": Counter(), "after": Counter()}
    state = {"phase": "before", "restored_at": 0.0, "first_ok_after": None}
    stop = asyncio.Event()

    async def writer(c: int) -> None:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as h:
            n = 0
            while not stop.is_set():
                case_id, n = f"d{c:02d}-{n:05d}", n + 1
                log.attempted.add(case_id)
                phase = state["phase"]
                try:
                    r = await h.post(f"/v1/patients/{patients[n % len(patients)]}/visits", json={**doc, "id": case_id})
                except httpx.HTTPError as exc:
                    phases[phase][type(exc).__name__] += 1
                    continue
                ok = (
                    r.status_code == 503
                    and r.headers.get("retry-after")
                    and "problem+json" in r.headers.get("content-type", "")
                )
                phases[phase]["503 problem" if ok else f"HTTP {r.status_code}"] += 1
                if r.status_code == 201:
                    log.acknowledged[case_id] = (patients[n % len(patients)], r.json()["id"])
                    if phase == "after" and state["first_ok_after"] is None:
                        state["first_ok_after"] = time.monotonic() - state["restored_at"]
                if r.status_code == 503:
                    await asyncio.sleep(0.05)

    async def conductor() -> None:
        await asyncio.sleep(2)
        state["phase"] = "outage"
        proxy.cut()
        await asyncio.sleep(outage)
        state["phase"], state["restored_at"] = "after", time.monotonic()
        proxy.restore()
        await asyncio.sleep(3)
        stop.set()

    await asyncio.gather(conductor(), *(writer(c) for c in range(clients)))
    return {"log": log, "phases": phases, "recovery_s": state["first_ok_after"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--outage", type=float, default=5.0)
    args = parser.parse_args()
    with workdir("alsdx-dbdown-") as tmp, database("postgresql", tmp) as direct_url:
        token = clinician_token(direct_url)  # migrates and creates the user directly
        proxy = TcpProxy(5432).start()
        proxied = direct_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
        try:
            with Server(proxied, tmp) as server:
                patients = create_patients(server.base, token, 3, "down")
                result = asyncio.run(_load(server.base, token, patients, args.clients, proxy, args.outage))
        finally:
            proxy.cut()
        verdict = verify(result["log"], stored_visits(direct_url))
    phases = result["phases"]
    wrong = {
        k: v for k, v in phases["outage"].items() if k not in ("503 problem", "HTTP 201")
    }  # 201: began as it returned
    print(f"PostgreSQL cut for {args.outage:.0f} s under {args.clients} writers (alsdx serve, loopback proxy)")
    for name, counts in phases.items():
        print(f"  {name:<7} " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    recovery = result["recovery_s"]
    print(f"  first 201 after the database returned: {recovery:.2f} s" if recovery is not None else "  never recovered")
    print(
        f"  acknowledged {verdict.acknowledged}, stored {verdict.stored}, lost {len(verdict.lost)}, "
        f"duplicated {len(verdict.duplicated)}, partial {len(verdict.partial)}"
    )
    ok = not wrong and recovery is not None and verdict.ok
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
