"""One worker thread per process for CPU-bound request work (assessment, FHIR validation).

Requests take turns in arrival order, as they would on the event loop, while the loop stays free to read,
answer and time out other requests. Blocking the loop instead let a queue of 16 CDS patient-views delay a
discovery call by 0.5-1.6 s. More threads only fight over the GIL: with anyio's 40-thread pool, 32 concurrent
EHR calls got 26 answers/s against 33 on the event loop (benchmarks/load_service.py, docs/reliability.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

R = TypeVar("R")

_CPU_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alsdx-cpu")


async def run_cpu(fn: Callable[..., R], *args: object) -> R:
    """``fn(*args)`` in the process's CPU worker thread."""
    return await asyncio.get_running_loop().run_in_executor(_CPU_WORKER, fn, *args)
