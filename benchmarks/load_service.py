"""Sustained load on /v1/assess and on the CDS Hooks patient-view service (issue 9, figure "load").

A real ``alsdx serve`` (SQLite, one process) on 127.0.0.1; wrk (1 thread, C) drives it for
``--seconds`` per endpoint, split into ``--windows`` equal windows so that a slowdown over time shows
(the ratio last window : first window is the baseline of the same run). /v1/assess carries a
clinician's bearer token and examples/cases/bulbar-onset.yaml as JSON. patient-view carries the
example's full FHIR prefetch and a fresh ES256 JWT per request (unique ``jti``; the service rejects
replays), pre-signed by this script and read by wrk's Lua script.

Run:   PYTHONPATH=src python benchmarks/load_service.py [--seconds 60] [--connections 32] [--windows 6]
Prints requests/s, p50/p99 (median of the windows' p50, worst window's p99) and errors (non-2xx and
socket errors). Targets: no errors; patient-view p99 well under the CDS Hooks guidance of 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service_harness import EXAMPLES, ROOT, Server, WrkResult, clinician_token, database, workdir, wrk

ISSUER = "https://ehr.load.test/"
PATIENT_VIEW = "/cds-services/alsdx-patient-view"


def _cds_setup(folder: Path, base: str) -> tuple[dict[str, str], object]:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key())) | {"kid": "load-1", "use": "sig"}
    env = {
        "ALSDX_CDS_ISSUERS": json.dumps({ISSUER: {"jwks": {"keys": [jwk]}}}),
        "ALSDX_CDS_BASE_URL": base,
        "ALSDX_CDS_MAX_TOKEN_LIFETIME_SECONDS": "600",
    }
    return env, key


def _tokens(key: object, audience: str, count: int, path: Path) -> None:
    import jwt

    now = int(time.time())
    claims = {"iss": ISSUER, "aud": audience, "iat": now, "exp": now + 590}
    with path.open("w") as f:
        for _ in range(count):
            token = jwt.encode(claims | {"jti": uuid.uuid4().hex}, key, algorithm="ES256", headers={"kid": "load-1"})
            f.write(token + "\n")


def _hook_body() -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests" / "api"))
    from cds_helpers import hook_request

    from alsdx.model.load import load_case

    return hook_request(load_case(EXAMPLES / "bulbar-onset.yaml"))


def _static_script(folder: Path, name: str, body: str, headers: dict[str, str]) -> Path:
    (folder / f"{name}.json").write_text(body)
    lines = [
        'wrk.method = "POST"',
        f'local f = io.open("{folder / name}.json", "r"); wrk.body = f:read("*a"); f:close()',
    ]
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    script = folder / f"{name}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def _token_script(folder: Path, name: str, body: str, tokens: Path) -> Path:
    """Each request takes the next pre-signed token; when they run out, requests go to a path that
    answers 404, so an exhausted pool is counted as errors, never as silent replays."""
    (folder / f"{name}.json").write_text(body)
    script = folder / f"{name}.lua"
    script.write_text(
        f"""
local tokens = {{}}
for line in io.lines("{tokens}") do tokens[#tokens + 1] = line end
local f = io.open("{folder / name}.json", "r"); local body = f:read("*a"); f:close()
local i = 0
request = function()
  i = i + 1
  local t = tokens[i]
  if t == nil then
    return wrk.format("POST", "/token-pool-exhausted", {{["Content-Type"] = "application/json"}}, body)
  end
  return wrk.format("POST", "{PATIENT_VIEW}",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. t}}, body)
end
"""
    )
    return script


def summarise(name: str, windows: list[WrkResult]) -> str:
    requests = sum(w.requests for w in windows)
    seconds = sum(w.seconds for w in windows)
    p50 = sorted(w.p50_ms for w in windows)[len(windows) // 2]
    p99 = max(w.p99_ms for w in windows)
    errors = sum(w.errors for w in windows)
    trend = " ".join(f"{w.rps:.0f}" for w in windows)
    ratio = windows[-1].rps / windows[0].rps
    return (
        f"{name:<18} {requests / seconds:8.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors:>5}"
        f"  | req/s per window: {trend}  (last : first = {ratio:.2f})"
    )


@dataclass
class OpenLoop:
    rate: float
    latencies_ms: list[float]
    errors: int

    def line(self, name: str) -> str:
        xs = sorted(self.latencies_ms) or [float("nan")]
        pct = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]  # noqa: E731
        return (
            f"{name:<18} {self.rate:8.1f} req/s  p50 {pct(0.5):7.2f} ms  p99 {pct(0.99):7.2f} ms  "
            f"errors {self.errors:>5}  | max {xs[-1]:.0f} ms, {len(xs)} answered"
        )


def open_loop(url: str, rate: float, seconds: float, body: str, headers: Callable[[int], dict[str, str]]) -> OpenLoop:
    """Requests sent on a fixed schedule, whatever the server's pace; latency is counted from the
    scheduled send time, so a slow answer does not hide the requests queued behind it."""
    import httpx

    result = OpenLoop(rate, [], 0)

    async def one(client: httpx.AsyncClient, i: int, due: float) -> None:
        try:
            r = await client.post(url, content=body, headers={"Content-Type": "application/json", **headers(i)})
        except httpx.HTTPError:
            result.errors += 1
            return
        if r.status_code != 200:
            result.errors += 1
        else:
            result.latencies_ms.append((time.monotonic() - due) * 1e3)

    async def run() -> None:
        limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            start, tasks = time.monotonic(), []
            for i in range(int(rate * seconds)):
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                tasks.append(asyncio.create_task(one(client, i, due)))
            await asyncio.gather(*tasks)

    asyncio.run(run())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per endpoint and phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument("--open-load", type=float, default=0.5, help="open-loop rate as a share of saturation")
    parser.add_argument("--max-cds-rps", type=int, default=300, help="pre-signed tokens per second of load")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required (apt install wrk)")
    from alsdx.model.load import load_case

    window = args.seconds / args.windows
    case_json = json.dumps(load_case(EXAMPLES / "bulbar-onset.yaml").model_dump(mode="json"))
    with workdir("alsdx-load-") as folder, database("sqlite", folder) as url:
        token = clinician_token(url)
        server = Server(url, folder)
        cds_env, key = _cds_setup(folder, server.base)
        server.env.update(cds_env)
        assess_script = _static_script(
            folder, "assess", case_json, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        )
        hook = json.dumps(_hook_body())
        per_window = int(args.max_cds_rps * window) + 1000
        token_files = [folder / f"tokens-{i}.txt" for i in range(args.windows + 2)]
        t0 = time.perf_counter()
        for path in token_files:
            _tokens(key, server.base + PATIENT_VIEW, per_window, path)
        print(f"signed {per_window * len(token_files)} JWTs in {time.perf_counter() - t0:.1f} s")
        saturated: dict[str, list[WrkResult]] = {}
        steady: dict[str, OpenLoop] = {}
        with server:
            wrk(server.base + "/v1/assess", assess_script, 2, args.connections)  # warm-up
            saturated["/v1/assess"] = [
                wrk(server.base + "/v1/assess", assess_script, window, args.connections) for _ in range(args.windows)
            ]
            runs = []
            for i, path in enumerate(token_files[:-1]):
                script = _token_script(folder, f"hook-{i}", hook, path)
                runs.append(wrk(server.base + PATIENT_VIEW, script, 2 if i == 0 else window, args.connections))
            saturated["cds patient-view"] = runs[1:]
            capacity = {
                name: sum(w.requests for w in ws) / sum(w.seconds for w in ws) for name, ws in saturated.items()
            }
            time.sleep(5)  # let the server finish what the saturation phase left queued
            bearer = {"Authorization": f"Bearer {token}"}
            steady["/v1/assess"] = open_loop(
                server.base + "/v1/assess", args.open_load * capacity["/v1/assess"], args.seconds, case_json,
                lambda _i: bearer,
            )  # fmt: skip
            pool = token_files[-1].read_text().split()
            steady["cds patient-view"] = open_loop(
                server.base + PATIENT_VIEW, args.open_load * capacity["cds patient-view"], args.seconds, hook,
                lambda i: {"Authorization": f"Bearer {pool[i]}"},
            )  # fmt: skip
        print(
            f"alsdx serve on 127.0.0.1 (SQLite, 1 process); bodies {len(case_json)} / {len(hook)} bytes\n"
            f"saturation: wrk 1 thread, {args.connections} connections, {args.seconds:.0f} s per endpoint "
            f"in {args.windows} windows"
        )
        for name, windows in saturated.items():
            print(summarise(name, windows))
        print(f"steady: open loop at {args.open_load:.0%} of the saturation rate, {args.seconds:.0f} s per endpoint")
        for name, result in steady.items():
            print(result.line(name))


if __name__ == "__main__":
    main()
