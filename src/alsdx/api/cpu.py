"""One worker thread per process for CPU-bound request work (assessment, FHIR validation).

Requests take turns in arrival order, as they would on the event loop, while the loop stays free to read,
answer and time out other requests. Blocking the loop instead let a queue of 16 CDS patient-views delay a
discovery call by 0.5-1.6 s. More threads only fight over the GIL: with anyio's 40-thread pool, 32 concurrent
EHR calls got 26 answers/s against 33 on the event loop (benchmarks/load_service.py, docs/reliability.md).
The thread is ``alsdx.engine.batcher.CPU_WORKER``; assessments go through its batcher (:func:`assess_in_batch`),
so patients waiting at the same time are assessed in one ``assess_many`` call (issue 20).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from alsdx.engine.batcher import ASSESSMENTS, CPU_WORKER
from alsdx.engine.results import Assessment
from alsdx.model.case import Case

R = TypeVar("R")


async def run_cpu(fn: Callable[..., R], *args: object) -> R:
    """``fn(*args)`` in the process's CPU worker thread."""
    return await asyncio.get_running_loop().run_in_executor(CPU_WORKER, fn, *args)


async def assess_in_batch(case: Case, finish: Callable[[Assessment], R]) -> R:
    """``finish(assess(case))`` in the CPU worker thread, batched with the assessments waiting beside it."""
    return await asyncio.wrap_future(ASSESSMENTS.submit(case, finish))
