"""Process start-up for the servers: load what the first request would load, then freeze the start-up heap;
and a uvicorn server that says when it is up (only then does ``alsdx serve`` create and print the admin password).

Python's full garbage collection walks every tracked object. After start-up that is ~150,000 objects
(modules, pydantic schemas, the FHIR model classes), all alive until the process ends; a full pass over
them took 80–190 ms, and it fell in the middle of whichever request crossed the collector's threshold
(the CDS Hooks patient-view p99 was 145–177 ms against a p50 of 32 ms; benchmarks/bench_cdshooks.py).
``gc.freeze()`` moves these objects out of the collector's generations, so later full passes walk only
what was made since. Nothing is cached: every request still does all of its work.
"""

from __future__ import annotations

import gc
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

_frozen = False


def load_request_modules() -> None:
    """Import what requests import lazily (the R4B model classes the FHIR reader uses, the assessment),
    so that it is part of the frozen start-up heap rather than built during a request."""
    import alsdx.engine.assess  # noqa: F401
    from alsdx.fhir.to_case import load_models

    load_models()


def freeze_startup_heap() -> None:
    """Collect start-up garbage, then exclude the surviving objects from later collections (once per
    process: a later call would freeze objects of the running application, whose cycles would leak)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    load_request_modules()
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """FastAPI lifespan of the alsdx apps: prepare the process before the first request."""
    freeze_startup_heap()
    yield


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, calling ``on_started`` once the application's start-up succeeded and the socket
    listens. A failed start-up (the lifespan raised, the port is taken) exits before that, so whatever
    ``on_started`` does, such as creating the first admin account and printing its one-time password, is
    not done, and is done by the next start that succeeds."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            self._on_started()
