"""Shared harness of the load and fault scripts: a real ``alsdx serve`` process on 127.0.0.1, its
database (SQLite file or a fresh PostgreSQL database), a clinician's bearer token, wrk runs.

Everything is loopback only and bounded: servers are started by these scripts and stopped by them
(by process id), PostgreSQL databases they create are dropped at the end.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
PG_ADMIN = os.environ.get("ALSDX_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    """A temporary folder (database, server log), removed afterwards unless ALSDX_KEEP_LOGS=1."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if os.environ.get("ALSDX_KEEP_LOGS") == "1":
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def leaked(log_path: Path, needles: set[str]) -> list[str]:
    """Which of ``needles`` (case ids, patient ids) appear in the server's log."""
    logged = log_path.read_text(errors="replace")
    return sorted(n for n in needles if n in logged)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """URL of an empty database of ``kind`` (sqlite | postgresql), removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/registry.db"
        return
    import psycopg

    name = f"alsdx_rel_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clinician_token(url: str, name: str = "load", clinic: str = "Load clinic") -> str:
    """Migrate the database and issue a one-day token for a clinician (created if missing)."""
    from alsdx.store import accounts, open_store

    sessions = open_store(url)
    with sessions.begin() as s:
        user = accounts.find_user(s, name) or accounts.create_user(
            s, name, secrets.token_urlsafe(12), "clinician", clinic
        )
        secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
    sessions.kw["bind"].dispose()
    return secret


@dataclass
class Server:
    """``alsdx serve`` in a child process; its log goes to ``log_path``."""

    url: str
    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "ALSDX_DATABASE_URL": self.url, "XDG_DATA_HOME": str(self.folder), **self.env}
        cmd = [sys.executable, "-c", "from alsdx.cli import app; app()", "serve", "--no-demo"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.starts += 1
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("server did not start")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def wrk(url: str, script: Path, seconds: float, connections: int) -> WrkResult:
    """One bounded wrk run (1 thread: the machine has 2 cores, the server needs one)."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    assert done is not None, out
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests=int(done[1]),
        seconds=ms(done[2] + done[3]) / 1e3,
        # the distribution lines only ("     50%  12.3ms"): the Thread Stats' "+/- Stdev" column may end in 50%
        p50_ms=ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1]),  # type: ignore[index]
        p99_ms=ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1]),  # type: ignore[index]
        non_2xx=int(non2xx[1]) if non2xx else 0,
        socket_errors=sum(int(x) for x in sock.groups()) if sock else 0,
    )


# --- visit writers ------------------------------------------------------------------------------------


def example_case() -> dict[str, Any]:
    from alsdx.model.load import load_case

    return load_case(EXAMPLES / "bulbar-onset.yaml").model_dump(mode="json")


@dataclass
class WriteLog:
    """What the writers sent and what the server acknowledged (HTTP 201 with the visit)."""

    acknowledged: dict[str, tuple[str, str]] = field(default_factory=dict)
    """case id -> (patient id, visit id) for every 201."""
    attempted: set[str] = field(default_factory=set)
    failures: dict[str, int] = field(default_factory=dict)
    """reason (HTTP status or exception type) -> count."""

    def fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1


def create_patients(base: str, token: str, count: int, prefix: str) -> list[str]:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for i in range(count):
            r = client.post("/v1/patients", json={"reference": f"{prefix}-{i}", "display_name": ""})
            r.raise_for_status()
            ids.append(r.json()["id"])
    return ids


async def write_visits(
    base: str,
    token: str,
    patients: list[str],
    clients: int,
    per_client: int | None,
    log: WriteLog,
    stop_after: float | None = None,
    tag: str = "w",
) -> None:
    """``clients`` concurrent writers, each on its own connection, POST visits round-robin over
    ``patients``; each case document carries a unique id (``{tag}{client}-{n}``), the key by which
    stored visits are matched to acknowledgements. Writers stop after ``per_client`` visits or after
    ``stop_after`` seconds, whichever comes first; a refused connection stops a writer (server gone)."""
    import asyncio

    import httpx

    doc = example_case()
    headers = {"Authorization": f"Bearer {token}"}
    deadline = None if stop_after is None else time.monotonic() + stop_after

    async def writer(c: int) -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
            n = 0
            while (per_client is None or n < per_client) and (deadline is None or time.monotonic() < deadline):
                case_id = f"{tag}{c:02d}-{n:05d}"
                patient = patients[(c + n) % len(patients)]
                n += 1
                log.attempted.add(case_id)
                try:
                    r = await client.post(f"/v1/patients/{patient}/visits", json={**doc, "id": case_id})
                except httpx.HTTPError as exc:
                    log.fail(type(exc).__name__)
                    if isinstance(exc, httpx.ConnectError):
                        return
                    continue
                if r.status_code == 201:
                    log.acknowledged[case_id] = (patient, r.json()["id"])
                else:
                    log.fail(f"HTTP {r.status_code}")

    await asyncio.gather(*(writer(c) for c in range(clients)))


@dataclass
class Stored:
    """Visits found in the database, read directly (not through the API under test)."""

    by_case_id: dict[str, list[tuple[str, str]]]
    """case id -> [(patient id, visit id)] for version 1 of every visit."""
    partial: list[str]
    """Visits without exactly one version 1 whose document validates and matches its sha256."""


def stored_visits(url: str) -> Stored:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from alsdx.model.load import case_from_dict
    from alsdx.store.registry import sha256_of
    from alsdx.store.schema import Visit, VisitVersion

    engine = create_engine(url)
    by_case: dict[str, list[tuple[str, str]]] = {}
    partial: list[str] = []
    with Session(engine) as s:
        versions: dict[str, list[VisitVersion]] = {}
        for v in s.scalars(select(VisitVersion)):
            versions.setdefault(v.visit_id, []).append(v)
        for visit in s.scalars(select(Visit)):
            firsts = [v for v in versions.get(visit.id, []) if v.version == 1]
            if len(firsts) != 1:
                partial.append(f"{visit.id}: {len(firsts)} first versions")
                continue
            v = firsts[0]
            try:
                case_from_dict(v.case)
            except ValueError as exc:
                partial.append(f"{visit.id}: stored case does not validate: {exc}")
                continue
            if sha256_of(v.case) != v.case_sha256:
                partial.append(f"{visit.id}: case_sha256 does not match the stored document")
            by_case.setdefault(str(v.case["id"]), []).append((visit.patient_id, visit.id))
    engine.dispose()
    return Stored(by_case, partial)


@dataclass(frozen=True)
class Verdict:
    acknowledged: int
    stored: int
    lost: list[str]
    duplicated: list[str]
    mismatched: list[str]
    unacknowledged_stored: int
    partial: list[str]

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.mismatched or self.partial)


def verify(log: WriteLog, stored: Stored) -> Verdict:
    """Every acknowledged visit stored once, where the server said; nothing stored twice or half."""
    lost = sorted(k for k in log.acknowledged if k not in stored.by_case_id)
    duplicated = sorted(k for k, rows in stored.by_case_id.items() if len(rows) > 1)
    mismatched = sorted(
        k for k, where in log.acknowledged.items() if k in stored.by_case_id and stored.by_case_id[k][0] != where
    )
    extra = sum(1 for k in stored.by_case_id if k not in log.acknowledged and k in log.attempted)
    return Verdict(
        acknowledged=len(log.acknowledged),
        stored=sum(len(r) for r in stored.by_case_id.values()),
        lost=lost,
        duplicated=duplicated,
        mismatched=mismatched,
        unacknowledged_stored=extra,
        partial=stored.partial,
    )
