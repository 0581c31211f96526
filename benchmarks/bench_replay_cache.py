"""Cost of the CDS Hooks replay check per request with many remembered tokens against few (same run).

Under sustained load every request's ``jti`` is remembered until the token expires (up to 10 min), so
the cache holds rate x lifetime ids. The check must not grow with that number.

Run:   PYTHONPATH=src python benchmarks/bench_replay_cache.py
Target: ratio (40,000 remembered : 1,000 remembered) near 1 (it was ~10, at 4.7 ms per request, before
the expiry heap).
"""

from __future__ import annotations

import time

from alsdx.api.cds.auth import JwtVerifier
from alsdx.api.cds.settings import CdsSettings


def per_call_us(remembered: int, calls: int = 5_000) -> float:
    v = JwtVerifier(CdsSettings())
    now = time.time()
    for i in range(remembered):
        v._remember("iss", f"old-{i}", now + 300, now)
    t = time.perf_counter()
    for i in range(calls):
        v._remember("iss", f"new-{i}", now + 300, now)
    return (time.perf_counter() - t) / calls * 1e6


def main() -> None:
    few = min(per_call_us(1_000) for _ in range(3))
    many = min(per_call_us(40_000) for _ in range(3))
    print(f"replay check: {few:.2f} us per request with 1,000 remembered, {many:.2f} us with 40,000")
    print(f"ratio 40,000 : 1,000 = {many / few:.2f} (target near 1)")


if __name__ == "__main__":
    main()
