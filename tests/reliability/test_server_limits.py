"""Issue 15, findings 7 and 5: a real uvicorn server, as ``alsdx serve`` configures it, under real sockets.

Finding 7's proof was 1,050 sockets that sent part of a request's headers and then nothing: uvicorn
never timed them out, and the service was down until they were released. Finding 5: uvicorn believed
``X-Forwarded-For`` from any loopback peer, so anything on the host chose the address the throttle and
the audit log saw. The server runs in a thread of the test (alsdx.api.server.server_config) on SQLite.
"""

from __future__ import annotations

import contextlib
import http.client
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from alsdx.api import Settings, create_app
from alsdx.api.server import ServerLimits, server_config
from alsdx.store import accounts
from alsdx.store.schema import AuditEvent

LIMITS = ServerLimits(header_timeout=1.0, keep_alive_timeout=1, max_connections=100, max_connections_per_client=16)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Start = Callable[..., tuple[int, object]]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Start]:
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(trusted_proxies: list[str] | None = None) -> tuple[int, object]:
        app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/s{len(servers)}.db"))
        with app.state.sessions.begin() as s:
            accounts.create_user(s, "ana", "password-123", "clinician", "North")
        port = _free_port()
        config = server_config(app, host="127.0.0.1", port=port, limits=LIMITS, trusted_proxies=trusted_proxies)
        config.log_level = "warning"
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        servers.append((server, thread))
        return port, app

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


def _get(port: int, path: str, source: str = "127.0.0.2", headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse().status
    finally:
        conn.close()


def _slow_socket(port: int, source: str) -> socket.socket:
    """A client that starts a request and never finishes its headers."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    with contextlib.suppress(OSError):  # already refused
        s.sendall(b"GET /login HTTP/1.1\r\nHost: alsdx\r\nX-Slow: ")
    return s


def _closed_by_server(s: socket.socket, within: float) -> bool:
    return _count_closed([s], within) == 1


def _count_closed(sockets: list[socket.socket], within: float) -> int:
    """How many of ``sockets`` the server closes within ``within`` seconds (waiting on all at once)."""
    open_ = {s.fileno(): s for s in sockets}
    closed = 0
    deadline = time.monotonic() + within
    with selectors.DefaultSelector() as sel:
        for s in sockets:
            sel.register(s, selectors.EVENT_READ)
        while open_ and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=max(0.0, deadline - time.monotonic())):
                s = open_.pop(key.fd)
                sel.unregister(s)
                try:
                    s.setblocking(False)
                    gone = s.recv(1024) == b""
                except (ConnectionResetError, BrokenPipeError):
                    gone = True
                except BlockingIOError:
                    gone = False
                closed += gone
    return closed


def test_slow_header_sockets_are_dropped_and_cannot_take_the_service_down(start_server: Start) -> None:
    port, _ = start_server()
    # 1,050 slow sockets from 66 addresses (16 each: the per-client cap) and 200 more from one address
    sockets = [_slow_socket(port, f"127.0.1.{i // 16 + 1}") for i in range(1050)]
    over_cap = [_slow_socket(port, "127.0.2.1") for _ in range(200)]
    try:
        assert _count_closed(over_cap[16:], 2.0) == 200 - 16  # beyond the per-client cap: closed at once
        assert _count_closed(sockets, 10.0) == 1050  # the header deadline (1 s) drops them all
        assert _get(port, "/login") == 200  # and the service answers
    finally:
        for s in sockets + over_cap:
            s.close()


def test_a_silent_connection_is_closed_and_oversized_headers_are_refused(start_server: Start) -> None:
    port, _ = start_server()
    silent = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        assert _closed_by_server(silent, 10.0)
    finally:
        silent.close()
    big = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        big.sendall(
            b"GET /login HTTP/1.1\r\nHost: alsdx\r\nX-Big: " + b"a" * (LIMITS.max_header_bytes + 10) + b"\r\n\r\n"
        )
        assert big.recv(1024).startswith(b"HTTP/1.1 431")
    except (ConnectionResetError, BrokenPipeError):
        pass  # closed before the whole header was sent: refused all the same
    finally:
        big.close()
    assert _get(port, "/login") == 200


def _login_from(port: int, forwarded_for: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = "name=ana&password=wrong-password&login_csrf=cccccccccccccccccccccccccccccccc"
        conn.request(
            "POST",
            "/login",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "alsdx_login_csrf=cccccccccccccccccccccccccccccccc",
                "X-Forwarded-For": forwarded_for,
            },
        )
        assert conn.getresponse().status == 401
    finally:
        conn.close()


def _failed_from(app: object) -> list[str | None]:
    with app.state.sessions() as s:  # type: ignore[attr-defined]
        return list(s.scalars(select(AuditEvent.client_addr).where(AuditEvent.action == "login_failed")))


def test_x_forwarded_for_is_believed_only_from_a_configured_proxy(start_server: Start) -> None:
    port, app = start_server()
    _login_from(port, "203.0.113.9")
    assert _failed_from(app) == ["127.0.0.1"]  # a loopback peer is not a proxy unless configured
    port, app = start_server(trusted_proxies=["127.0.0.1"])
    _login_from(port, "203.0.113.9")
    assert _failed_from(app) == ["203.0.113.9"]


def test_alsdx_serve_passes_its_limits_to_uvicorn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from alsdx.cli import app as cli

    seen: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    monkeypatch.setenv("ALSDX_DATABASE_URL", f"sqlite:///{tmp_path}/serve.db")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ALSDX_SECRET_KEY", raising=False)
    args = [
        "serve",
        "--no-demo",
        "--workers",
        "1",
        "--header-timeout",
        "3",
        "--keep-alive-timeout",
        "2",
        "--max-connections",
        "50",
    ]
    args += ["--max-connections-per-client", "0", "--body-timeout", "7", "--trusted-proxy", "10.0.0.1"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    config = seen[0]
    assert (config.timeout_keep_alive, config.limit_concurrency) == (2, 50)
    assert config.proxy_headers and config.forwarded_allow_ips == ["10.0.0.1"]
    assert config.app.state.settings.body_timeout == 7  # type: ignore[union-attr]
    assert (tmp_path / "data" / "alsdx" / "secret.key").stat().st_mode & 0o777 == 0o600
    seen.clear()
    assert CliRunner().invoke(cli, ["serve", "--no-demo", "--workers", "1"]).exit_code == 0
    assert seen[0].proxy_headers is False  # uvicorn's default would believe any loopback peer


def test_alsdx_serve_passes_its_limits_to_every_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With several workers the configuration travels to each worker process by pickling: the limits, the app
    factory and the body deadline (through the environment) must all arrive."""
    import os
    import pickle

    from typer.testing import CliRunner

    from alsdx.api.server import AnnouncingSupervisor
    from alsdx.cli import app as cli

    seen: list[uvicorn.Config] = []

    def capture(self: AnnouncingSupervisor) -> int:
        seen.append(pickle.loads(pickle.dumps(self.config)))
        return 0

    monkeypatch.setattr(AnnouncingSupervisor, "serve", capture)
    monkeypatch.setenv("ALSDX_DATABASE_URL", f"sqlite:///{tmp_path}/serve.db")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ALSDX_BODY_TIMEOUT", raising=False)
    args = ["serve", "--no-demo", "--workers", "3", "--port", "0", "--header-timeout", "3", "--max-connections", "50"]
    r = CliRunner().invoke(cli, [*args, "--body-timeout", "7", "--trusted-proxy", "10.0.0.1"])
    assert r.exit_code == 0, r.output
    config = seen[0]
    assert (config.workers, config.app, config.factory) == (3, "alsdx.api.app:create_app", True)
    assert config.limit_concurrency == 50 and config.forwarded_allow_ips == ["10.0.0.1"]
    assert config.http.limits.header_timeout == 3  # type: ignore[union-attr]
    assert float(os.environ["ALSDX_BODY_TIMEOUT"]) == 7
    os.environ.pop("ALSDX_BODY_TIMEOUT")
