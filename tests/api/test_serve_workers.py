"""`alsdx serve --workers 2` (issue 20): two worker processes answer on one port with one SQLite file, and what they
share is in the database: a CDS Hooks JWT accepted by one worker is refused as a replay by the other."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import ISSUER, jwks, token

ACCESS = re.compile(r"alsdx\.access \[(\d+)\]: GET /cds-services (\d+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TwoWorkers:
    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "ALSDX_DATABASE_URL": f"sqlite:///{tmp_path}/registry.db",
            "ALSDX_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
            "ALSDX_CDS_ISSUERS": json.dumps({ISSUER: {"jwks": jwks()}}),
            "ALSDX_CDS_BASE_URL": self.base,
        }
        self.log = tmp_path / "serve.log"
        self.out = tmp_path / "serve.out"
        with self.log.open("w") as err, self.out.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "alsdx.cli", "serve", "--no-demo", "--workers", "2", "--port", str(self.port)],
                stdout=out,
                stderr=err,
                env=env,
            )
        deadline = time.monotonic() + 120
        while "serving on" not in self.out.read_text():
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "alsdx serve did not start"
            time.sleep(0.2)

    def answered(self) -> list[tuple[int, int]]:
        """(worker pid, status) of each GET /cds-services in the access log so far."""
        return [(int(pid), int(status)) for pid, status in ACCESS.findall(self.log.read_text())]

    def get(self, client: httpx.Client, jwt: str) -> tuple[int, int]:
        """GET /cds-services with this token on this client's connection: (status, pid of the worker that
        answered, read from its access-log line)."""
        before = len(self.answered())
        status = client.get("/cds-services", headers={"Authorization": f"Bearer {jwt}"}).status_code
        deadline = time.monotonic() + 30
        while len(lines := self.answered()) == before:
            assert time.monotonic() < deadline, "no access-log line"
            time.sleep(0.02)
        assert lines[-1][1] == status
        return status, lines[-1][0]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[TwoWorkers]:
    server = TwoWorkers(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def test_two_workers_answer_and_a_jwt_used_at_one_is_a_replay_at_the_other(served: TwoWorkers) -> None:
    clients: dict[int, httpx.Client] = {}  # worker pid -> a kept-alive connection that worker accepted
    for _ in range(60):
        client = httpx.Client(base_url=served.base, timeout=30)
        status, pid = served.get(client, token("/cds-services", aud=f"{served.base}/cds-services"))
        assert status == 200
        if pid in clients:
            client.close()
        else:
            clients[pid] = client
        if len(clients) == 2:
            break
    assert len(clients) == 2, "only one worker answered 60 new connections"
    assert served.proc.pid not in clients  # the supervisor answers nothing itself
    (first_pid, first), (second_pid, second) = clients.items()
    once = token("/cds-services", aud=f"{served.base}/cds-services")
    assert served.get(first, once) == (200, first_pid)
    assert served.get(second, once) == (401, second_pid)  # the replay, refused by the other worker
    for client in clients.values():
        client.close()
