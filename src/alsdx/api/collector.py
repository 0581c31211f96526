"""The cyclic garbage collector paused while a large request builds its result.

A 1,000-case ``POST /v1/assess:batch`` allocates a few million short-lived objects (case models, kernel
columns, assessments), almost all freed by reference counting when they go out of use; the collector's
generation passes over them cost a fifth of the request (in-process: 1.50 s with the collector, 1.19 s without;
benchmarks/bench_api.py). The pause is bounded by the request (the batch is capped at 1,000 cases) and counted,
so concurrent pauses end together: the collector runs again when the last one ends, and anything cyclic made
meanwhile is collected then.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0
_enable_after = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector disabled (enabled again after the last overlapping pause, if it was
    enabled when the first began)."""
    global _paused, _enable_after
    with _lock:
        if _paused == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _enable_after:
                gc.enable()
