"""Benchmark of the service against the engine in the same run (issue 20).

Reports, in one run and each as a ratio to the in-process single-case ``assess()`` rate:
the in-process ``assess_many`` rate; ``POST /v1/assess`` under 32 connections (throughput, p50, p99, errors;
wrk when installed — Debian package ``wrk`` — else a multi-connection asyncio httpx client); ``POST /v1/assess``
at an open-loop load of 100 requests/s (latency from each request's scheduled start, so a slow answer is not hidden
by the requests it delayed); and ``POST /v1/assess:batch`` of 1,000 cases against in-process ``assess_many`` of
the same 1,000.

The service is ``alsdx serve`` itself (``--workers`` default: the cores; ALSDX_OPEN_ASSESS=1, SQLite in a
temporary folder, no demo patients, no per-client connection cap since every connection comes from 127.0.0.1).

Run:  python benchmarks/bench_api.py [--seconds 10] [--connections 32] [--workers N] [--client wrk|httpx]
Targets (issue 20): /v1/assess under 32 connections >= 2.0 x the in-process single rate, p99 <= 100 ms, no
errors; open loop 100 req/s p99 <= 25 ms; /v1/assess:batch of 1,000 >= 0.8 x in-process assess_many.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE.parent / "examples" / "cases"
CASE = CASES / "bulbar-onset.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int, tmp: Path, workers: int | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ALSDX_OPEN_ASSESS": "1",
        "ALSDX_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "ALSDX_SECRET_KEY_FILE": str(tmp / "secret.key"),
    }
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent / "src"), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, "-m", "alsdx.cli", "serve", "--no-demo", "--port", str(port)]
    cmd += ["--max-connections-per-client", "0"] + (["--workers", str(workers)] if workers else [])
    log = (tmp / "serve.log").open("w")
    out = tmp / "serve.out"
    proc = subprocess.Popen(cmd, env=env, stdout=out.open("w"), stderr=log)
    deadline = time.monotonic() + 120
    while "serving on" not in out.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"alsdx serve did not start:\n{(tmp / 'serve.log').read_text()}")
        time.sleep(0.2)
    return proc


def _ms(text: str, out: str) -> float:
    """wrk's latency ("812.00us", "3.77ms", "1.02s", "1.00m") in ms; wrk's whole report if it is none of these."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise SystemExit(f"cannot read the latency {text!r} in wrk's report:\n{out}")
    return float(found[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}[found[2]]


def run_wrk(url: str, body: Path, seconds: int, connections: int) -> dict[str, float]:
    script = body.with_suffix(".lua")
    script.write_text(
        'wrk.method = "POST"\n'
        f'local f = io.open("{body}", "r"); wrk.body = f:read("*a"); f:close()\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    if "Socket errors" in out:  # connect, read, write errors or timeouts
        raise SystemExit(f"{url}: socket errors\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50": _ms(re.search(r"50%\s+(\S+)", out)[1], out),  # type: ignore[index]
        "p99": _ms(re.search(r"99%\s+(\S+)", out)[1], out),  # type: ignore[index]
    }


def run_httpx(url: str, body: Path, seconds: int, connections: int) -> dict[str, float]:
    import httpx

    payload = body.read_bytes()
    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient, stop: float) -> None:
        while time.perf_counter() < stop:
            t = time.perf_counter()
            r = await client.post(url, content=payload, headers={"content-type": "application/json"})
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}")
            latencies.append((time.perf_counter() - t) * 1e3)

    async def main() -> float:
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            start = time.perf_counter()
            await asyncio.gather(*(worker(client, start + seconds) for _ in range(connections)))
            return time.perf_counter() - start

    elapsed = asyncio.run(main())
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
    }


def run_open_loop(url: str, body: Path, seconds: int, rate: float) -> dict[str, float]:
    """``rate`` requests/s sent on schedule whatever the answers; latency from each request's scheduled time."""
    import httpx

    payload = body.read_bytes()
    latencies: list[float] = []
    errors = 0

    async def one(client: httpx.AsyncClient, due: float) -> None:
        nonlocal errors
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        r = await client.post(url, content=payload, headers={"content-type": "application/json"})
        errors += r.status_code != 200
        latencies.append((time.perf_counter() - due) * 1e3)

    async def main() -> None:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=256), timeout=30) as client:
            start = time.perf_counter() + 0.1
            n = int(seconds * rate)
            await asyncio.gather(*(one(client, start + i / rate) for i in range(n)))

    asyncio.run(main())
    latencies.sort()
    return {
        "rps": rate,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": float(errors),
    }


def _rate(fn: Any, seconds: float, per_call: int = 1) -> float:
    """Calls per second of ``fn`` (times ``per_call`` cases) over about ``seconds``, after one warm-up call."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n * per_call / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="alsdx serve --workers [its default: the cores]")
    parser.add_argument("--client", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    import httpx

    from alsdx.engine.assess import assess, assess_many
    from alsdx.model.load import load_case

    case = load_case(CASE)
    examples = [load_case(p) for p in sorted(CASES.glob("*.yaml"))]
    thousand = [examples[i % len(examples)] for i in range(1000)]
    single = _rate(lambda: assess(case).model_dump_json(), 5)
    many32 = _rate(lambda: [a.model_dump_json() for a in assess_many([case] * 32)], 5, 32)
    many1000 = _rate(lambda: [a.model_dump(mode="json") for a in assess_many(thousand)], 5, 1000)
    run = run_wrk if args.client == "wrk" else run_httpx
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "case.json"
        body.write_text(json.dumps(case.model_dump(mode="json")))
        batch = json.dumps({"cases": [c.model_dump(mode="json") for c in thousand]}).encode()
        port = _free_port()
        server = _start_server(port, Path(tmp), args.workers)
        try:
            url = f"http://127.0.0.1:{port}/v1/assess"
            run(url, body, 3, args.connections)  # warm-up
            closed = run(url, body, args.seconds, args.connections)
            opened = run_open_loop(url, body, args.seconds, 100.0)
            with httpx.Client(timeout=120) as client:

                def post_batch() -> None:
                    r = client.post(url + ":batch", content=batch, headers={"content-type": "application/json"})
                    assert r.status_code == 200 and all(x["ok"] for x in r.json()["results"])

                served_batch = _rate(post_batch, 10, 1000)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(f"{os.cpu_count()} cores; alsdx serve --workers {args.workers or os.cpu_count()}; client {args.client}")
    print(f"in-process assess() single case          {single:8.0f} cases/s   1.00 x")
    print(f"in-process assess_many, batches of 32     {many32:8.0f} cases/s   {many32 / single:.2f} x")
    print(f"in-process assess_many, 1,000 cases       {many1000:8.0f} cases/s   {many1000 / single:.2f} x")
    print(
        f"POST /v1/assess, {args.connections} connections          {closed['rps']:8.0f} req/s     "
        f"{closed['rps'] / single:.2f} x   p50 {closed['p50']:.1f} ms  p99 {closed['p99']:.1f} ms  errors 0"
        "   (targets >= 2.0 x, p99 <= 100 ms)"
    )
    print(
        f"POST /v1/assess, open loop 100 req/s      p50 {opened['p50']:.1f} ms  p99 {opened['p99']:.1f} ms  "
        f"errors {opened['errors']:.0f}   (target p99 <= 25 ms)"
    )
    print(
        f"POST /v1/assess:batch, 1,000 cases        {served_batch:8.0f} cases/s   {served_batch / single:.2f} x; "
        f"{served_batch / many1000:.2f} x in-process assess_many   (target >= 0.8 x)"
    )


if __name__ == "__main__":
    main()
