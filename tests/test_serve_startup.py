"""`alsdx serve` creates the first admin and prints its one-time password only once the server is up; a
start-up that fails prints none and leaves no account behind; `alsdx user password admin` sets a new one."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from alsdx.api import startup
from alsdx.cli import app
from alsdx.store import accounts, open_store

SERVE = [sys.executable, "-m", "alsdx.cli", "serve", "--host", "127.0.0.1", "--no-demo"]
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _has_users(url: str) -> bool:
    with open_store(url).begin() as s:
        return accounts.has_users(s)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/serve.db"
    monkeypatch.setenv("ALSDX_DATABASE_URL", url)
    return url


class Served:
    """`alsdx serve` in a child process; its stdout lines are read as they come."""

    def __init__(self, port: int, log: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.stderr = log.open("w")
        self.proc = subprocess.Popen(
            [*SERVE, "--port", str(port)], stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, text: str, timeout: float = 90) -> list[str]:
        """The stdout lines up to and including the first one containing ``text``."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"serve ended before {text!r}; stdout: {seen}")
            seen.append(line)
            if text in line:
                return seen

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.stderr.close()


@pytest.fixture
def served() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.stop()


def test_port_taken_prints_no_password_and_creates_no_admin(db_url: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "ALSDX_DATABASE_URL": db_url}
        r = subprocess.run([*SERVE, "--port", str(port)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode != 0
    assert "password" not in r.stdout.lower() and "serving on" not in r.stdout
    assert "address already in use" in r.stderr.lower()
    assert not _has_users(db_url)


def test_application_start_up_failure_prints_no_password(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("start-up failed on purpose")

    monkeypatch.setattr(startup, "freeze_startup_heap", broken)  # in this process: the one-worker server
    r = runner.invoke(app, ["serve", "--no-demo", "--workers", "1", "--port", str(_free_port())])
    assert r.exit_code != 0
    assert "password" not in r.output.lower() and "serving on" not in r.output
    assert not _has_users(db_url)


def test_a_worker_that_fails_to_start_stops_serve_without_a_password(db_url: str, tmp_path: Path) -> None:
    """With several workers the app starts in each worker process; one that cannot start stops them all, with
    uvicorn's start-up failure status and no account created."""
    issuers = '{"https://ehr.example.org/": {"jwks_url": "https://ehr.example.org/jwks.json"}}'
    env = {**os.environ, "ALSDX_DATABASE_URL": db_url, "ALSDX_CDS_ISSUERS": issuers}  # no ALSDX_CDS_BASE_URL
    r = subprocess.run(
        [*SERVE, "--workers", "2", "--port", str(_free_port())], capture_output=True, text=True, env=env, timeout=180
    )
    assert r.returncode == 3, r.stderr
    assert "ALSDX_CDS_BASE_URL" in r.stderr  # the worker's own error
    assert "password" not in r.stdout.lower() and "serving on" not in r.stdout
    assert not _has_users(db_url)


def test_password_printed_once_the_server_answers_and_reset_by_user_password(
    db_url: str, tmp_path: Path, served: list[Served]
) -> None:
    port = _free_port()
    first = Served(port, tmp_path / "first.log")
    served.append(first)
    lines = first.until("serving on")
    password_lines = [line for line in lines if "password:" in line]
    assert len(password_lines) == 1, lines
    password = password_lines[0].rsplit(" ", 1)[-1]
    assert any("alsdx user password admin" in line for line in lines)
    # The password is printed after start-up: the server answers, the CDS Hooks discovery included.
    base = f"http://127.0.0.1:{port}"
    assert httpx.get(f"{base}/openapi.json", timeout=10).status_code == 200
    discovery = httpx.get(f"{base}/cds-services", timeout=10)  # served, and closed until an EHR is configured
    assert discovery.status_code == 401 and discovery.headers["www-authenticate"].startswith("Bearer")
    first.stop()
    with open_store(db_url).begin() as s:
        assert accounts.check_password(s, "admin", password) is not None

    second = Served(port, tmp_path / "second.log")
    served.append(second)
    assert not any("password:" in line for line in second.until("serving on"))  # shown once only
    second.stop()

    r = runner.invoke(app, ["user", "password", "admin", "--password-stdin"], input="a-new-admin-password\n")
    assert r.exit_code == 0, r.output
    with open_store(db_url).begin() as s:
        assert accounts.check_password(s, "admin", "a-new-admin-password") is not None
        assert accounts.check_password(s, "admin", password) is None
