"""How ``alsdx serve`` runs uvicorn: time limits, connection caps, and which proxies to believe.

Issue 15, finding 7: uvicorn has no timeout for a request's headers, and a connection that sends
nothing (or one header byte a minute) was kept for ever; 1,050 such sockets took the service down.
:class:`GuardedHttp` (uvicorn's httptools protocol with three additions) closes a connection whose
request headers are not complete ``header_timeout`` seconds after the connection opened or the request
began, refuses request lines and headers over ``max_header_bytes`` (431), and closes at once a new
connection from an address that already holds ``max_connections_per_client``. uvicorn's own
``limit_concurrency`` answers 503 beyond that many connections and requests in total, and
``timeout_keep_alive`` closes idle keep-alive connections. The body's deadline is the app's own
(``Settings.body_timeout``, alsdx.api.limits), so it holds under any server.

Client addresses: ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed only from the proxies given
with ``--trusted-proxy`` (default: none). uvicorn's default believes them from any loopback peer, which
let anything on the same host choose the address the throttle and the audit log see (finding 5).

Every core (issue 20): ``alsdx serve --workers N`` runs N worker processes on one listening socket
(:func:`worker_config`, :class:`AnnouncingSupervisor`, uvicorn's own supervisor). What they share lives in the
database: sessions, tokens, the log-in throttle and the CDS JWT replay cache (``api/cds/replay.py``). An SQLite
file shared by the workers works (WAL mode, one writer at a time); an in-memory SQLite database would be one
database per worker, so ``alsdx serve`` needs a file or PostgreSQL with more than one worker.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors.multiprocess import Multiprocess

log = logging.getLogger("alsdx.serve")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WORKER_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"
"""With several workers each line names the process that wrote it."""


@dataclass(frozen=True)
class ServerLimits:
    header_timeout: float = 10.0
    """Seconds from a connection's start (or a request's first byte) to the end of its headers."""
    keep_alive_timeout: float = 5.0
    """Seconds an idle keep-alive connection stays open."""
    max_connections: int = 256
    """Connections plus requests in flight before new requests get 503 (uvicorn's limit_concurrency)."""
    max_connections_per_client: int = 32
    """Open connections one client address may hold; more are closed at once (0: no cap)."""
    max_header_bytes: int = 64 * 1024
    """Request line plus headers; more is refused with 431."""


def guarded_protocol(limits: ServerLimits) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with the header deadline, the header size cap and the per-client cap."""
    per_client: Counter[str] = Counter()

    class GuardedHttp(HttpToolsProtocol):
        _header_timer: asyncio.TimerHandle | None = None
        _header_bytes = 0
        _refused = False
        _peer: str | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._peer = self.client[0] if self.client else None
            if self._peer is not None:
                per_client[self._peer] += 1
                if limits.max_connections_per_client and per_client[self._peer] > limits.max_connections_per_client:
                    self._refused = True
                    transport.abort()
                    return
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._peer is not None:
                per_client[self._peer] -= 1
                if per_client[self._peer] <= 0:
                    del per_client[self._peer]
                self._peer = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            super().data_received(data)

        def on_message_begin(self) -> None:
            self._header_bytes = 0
            if self._header_timer is None:
                self._arm()
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value))
            if not self._refused:
                super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._disarm()
            if self._refused:
                return
            super().on_headers_complete()

        def _count(self, n: int) -> None:
            self._header_bytes += n
            if self._header_bytes > limits.max_header_bytes and not self._refused:
                self._refused = True
                self._disarm()
                self.transport.write(
                    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                self.transport.close()

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(limits.header_timeout, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if not self.transport.is_closing():
                self.transport.abort()

    return GuardedHttp


_PROTOCOLS: dict[ServerLimits, type[asyncio.Protocol]] = {}


@dataclass(frozen=True)
class GuardedProtocolFactory:
    """:func:`guarded_protocol` for worker processes: uvicorn sends its config to each worker by pickling, and a
    class made in a function cannot be pickled; this can, and makes the class once per process."""

    limits: ServerLimits

    def __call__(self, *args: Any, **kwargs: Any) -> asyncio.Protocol:
        cls = _PROTOCOLS.get(self.limits)
        if cls is None:
            cls = _PROTOCOLS[self.limits] = guarded_protocol(self.limits)
        return cls(*args, **kwargs)


def server_config(
    app: Any, *, host: str, port: int, limits: ServerLimits, trusted_proxies: list[str] | None = None
) -> uvicorn.Config:
    trusted = [p.strip() for p in (trusted_proxies or []) if p.strip()]
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(limits),
        access_log=False,
        log_level="info",
        timeout_keep_alive=int(max(1, limits.keep_alive_timeout)),
        limit_concurrency=limits.max_connections,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or "",
        server_header=False,
    )


APP_FACTORY = "alsdx.api.app:create_app"
"""What each worker process imports and calls: the app from the ``ALSDX_*`` environment (``Settings.from_env``)."""


def worker_config(
    *, host: str, port: int, limits: ServerLimits, workers: int, trusted_proxies: list[str] | None = None
) -> uvicorn.Config:
    """:func:`server_config` for ``workers`` processes: the app by import path, the protocol and logging
    configuration as values a worker can unpickle."""
    config = server_config(APP_FACTORY, host=host, port=port, limits=limits, trusted_proxies=trusted_proxies)
    config.factory = True
    config.workers = workers
    config.http = cast(Any, GuardedProtocolFactory(limits))
    config.log_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": WORKER_LOG_FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
    }
    return config


class AnnouncingSupervisor(Multiprocess):
    """uvicorn's supervisor of worker processes, calling ``on_started`` once every worker has started its app
    and serves (the counterpart of ``startup.AnnouncingServer``). A worker that fails to start stops the
    supervisor before that, and :meth:`serve` returns uvicorn's start-up failure status."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], on_started: Callable[[], None]) -> None:
        super().__init__(config, sockets)
        self._on_started = on_started
        self.failed = False

    def init_processes(self) -> None:
        super().init_processes()
        for process in self.processes:
            if not process.wait_until_ready(self.config.timeout_worker_healthcheck * 12, self.should_exit):
                if not self.should_exit.is_set():
                    log.error("worker process %s did not start; stopping", process.pid)
                self.failed = True
                self.should_exit.set()
                return
        self._on_started()

    def serve(self) -> int:
        """Run until stopped; the exit status (uvicorn's start-up failure status when a worker did not start)."""
        self.run()
        return STARTUP_FAILURE if self.failed else 0
