"""Benchmark of the REST API (issue 7): POST /v1/assess against a no-op POST of the same app, same run.

The app is the real ``create_app`` (ALSDX_OPEN_ASSESS=1, SQLite in a temporary folder) with one extra
route, ``POST /bench/noop``, that reads the body and answers ``{}`` — the baseline. It is served by
uvicorn with its standard extras (uvloop, httptools), one worker, on 127.0.0.1. Load: wrk (C) when
installed, otherwise a small asyncio httpx client; 32 connections, bounded duration, same case body
(examples/cases/bulbar-onset.yaml as JSON) for both endpoints.

Run:  python benchmarks/bench_api.py [--seconds 10] [--connections 32] [--client wrk|httpx]
Target (issue 7): /v1/assess throughput >= 50 % of the no-op, p99 < 20 ms at 32 connections.
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

from fastapi import Request, Response

HERE = Path(__file__).resolve().parent
CASE = HERE.parent / "examples" / "cases" / "bulbar-onset.yaml"


def bench_app() -> Any:
    """uvicorn factory: the service app plus the no-op baseline route."""
    from alsdx.api import Settings, create_app

    app = create_app(Settings.from_env())

    @app.post("/bench/noop", include_in_schema=False)
    async def noop(request: Request) -> Response:
        await request.body()
        return Response(b"{}", media_type="application/json")

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int, tmp: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALSDX_OPEN_ASSESS": "1", "ALSDX_DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent / "src"), env.get("PYTHONPATH", "")])
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bench_api:bench_app",
        "--app-dir",
        str(HERE),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
    ]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--client", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    from alsdx.engine.assess import assess
    from alsdx.model.load import load_case

    case = load_case(CASE)
    timings = []
    for _ in range(200):
        t = time.perf_counter()
        assess(case)
        timings.append((time.perf_counter() - t) * 1e3)
    engine_ms = sorted(timings)[100]
    run = run_wrk if args.client == "wrk" else run_httpx
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "case.json"
        body.write_text(json.dumps(load_case(CASE).model_dump(mode="json")))
        size = body.stat().st_size
        port = _free_port()
        server = _start_server(port, Path(tmp))
        try:
            base = f"http://127.0.0.1:{port}"
            results = {}
            for name, path in (("no-op", "/bench/noop"), ("/v1/assess", "/v1/assess")):
                run(base + path, body, 2, args.connections)  # warm-up
                results[name] = run(base + path, body, args.seconds, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"client {args.client}, {args.connections} connections, {args.seconds} s per endpoint, body {size} bytes")
    for name, r in results.items():
        print(f"{name:>12}: {r['rps']:8.0f} req/s   p50 {r['p50']:6.2f} ms   p99 {r['p99']:6.2f} ms")
    print(f"engine alone: assess() p50 {engine_ms:.2f} ms in-process -> at most ~{1000 / engine_ms:.0f} req/s per core")
    ratio = results["/v1/assess"]["rps"] / results["no-op"]["rps"]
    print(
        f"throughput ratio /v1/assess : no-op = {ratio:.3f} (target >= 0.5); "
        f"p99 /v1/assess {results['/v1/assess']['p99']:.2f} ms (target < 20 ms)"
    )


if __name__ == "__main__":
    main()
