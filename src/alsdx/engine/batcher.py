"""Concurrent ``assess()`` calls of one process become one ``assess_many`` call (micro-batching, issue 20).

The kernels cost less per case in a batch (``assess_many`` of 32 cases: 1.45 ms a case against 3.3 ms for a
batch of one, issue 20), and a busy service has several patients waiting at once. Requests go to the process's
one CPU worker thread (:data:`CPU_WORKER`, which ``alsdx.api.cpu.run_cpu`` also uses): when the engine is idle a
request starts at once, alone; requests that arrive while a batch runs wait for it and are then assessed together,
at most ``max_batch`` at a time and held at most ``max_wait`` seconds after the oldest arrived for more to come.

Each request gets its own result: ``assess(case)`` is ``assess_many([case])[0]`` and a row's kernels never read
another row, so a case's assessment in a batch is the one it gets alone (tests/engine/test_batcher.py). Should
``assess_many`` raise for a batch, its cases are assessed one at a time, so one bad case answers only its own
request with its own error. Only requests with the same options (interpretation, proration) share a batch.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from alsdx.engine.assess import assess_many
from alsdx.engine.isolation import batch_or_each
from alsdx.engine.results import Assessment
from alsdx.model.case import Case
from alsdx.rules.criteria.interpretation import Interpretation

T = TypeVar("T")

MAX_BATCH = 64
"""Cases per ``assess_many`` call: beyond a few dozen the per-case cost no longer falls (issue 20), and a bigger
batch only makes its first request wait longer."""
MAX_WAIT_SECONDS = 0.002
"""How long a request that arrived while the engine was busy may be held for more to join its batch."""


@dataclass(frozen=True)
class Options:
    """What ``assess_many`` is called with besides the cases; requests share a batch only with equal options."""

    interpretation: Interpretation | None = None
    prorate_missing: bool = False


@dataclass
class _Request(Generic[T]):
    case: Case
    finish: Callable[[Assessment], T]
    options: Options
    arrived: float
    future: Future[T] = field(default_factory=Future)


_THREAD = threading.local()


def _mark_worker_thread() -> None:
    _THREAD.is_worker = True


def in_worker_thread() -> bool:
    """Whether this is a thread that runs batches (waiting there for a batch would wait for itself)."""
    return bool(getattr(_THREAD, "is_worker", False))


AssessMany = Callable[..., Sequence[Assessment]]


class AssessBatcher:
    """Runs assessments in ``executor`` (one thread), concurrent ones as one ``assess_many`` call."""

    def __init__(
        self,
        executor: Executor,
        *,
        max_batch: int = MAX_BATCH,
        max_wait: float = MAX_WAIT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        engine: AssessMany = assess_many,
    ) -> None:
        self._executor = executor
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._clock = clock
        self._engine = engine
        self._cond = threading.Condition()
        self._pending: deque[_Request[Any]] = deque()
        self._scheduled = False
        """A batch is queued in or running on the executor; the next request waits for it."""

    def submit(self, case: Case, finish: Callable[[Assessment], T], options: Options | None = None) -> Future[T]:
        """``finish(assess(case))`` (``finish`` runs in the worker thread too: serialising, rendering), as a future
        that carries this request's own result or its own exception."""
        request: _Request[T] = _Request(case, finish, options or Options(), self._clock())
        with self._cond:
            self._pending.append(request)
            self._cond.notify_all()
            start = not self._scheduled
            self._scheduled = True
        if start:  # the engine is idle: run this request now, without waiting for others
            self._executor.submit(self._run_batch, False)
        return request.future

    def call(self, case: Case, finish: Callable[[Assessment], T], options: Options | None = None) -> T:
        """The blocking form of :meth:`submit`, for synchronous code (the stored-visit assessment in a database
        thread). In the worker thread itself it assesses at once, as waiting there would wait for ever."""
        if in_worker_thread():
            opts = options or Options()
            return finish(self._engine([case], opts.interpretation, prorate_missing=opts.prorate_missing)[0])
        return self.submit(case, finish, options).result()

    def _run_batch(self, continued: bool) -> None:
        _mark_worker_thread()
        try:
            batch = self._take(continued)
            self._assess(batch)
        finally:
            with self._cond:
                more = bool(self._pending)
                self._scheduled = more
            if more:  # queued behind other CPU work of the thread (FHIR validation), not ahead of it
                self._executor.submit(self._run_batch, True)

    def _take(self, continued: bool) -> list[_Request[Any]]:
        """The next batch: the oldest request and those after it with the same options, up to ``max_batch``.
        A batch that follows a busy one waits up to ``max_wait`` after its oldest request for more to join."""
        with self._cond:
            if continued and self.max_wait > 0 and self._pending:
                deadline = self._pending[0].arrived + self.max_wait
                while len(self._pending) < self.max_batch and (left := deadline - self._clock()) > 0:
                    self._cond.wait(left)
            if not self._pending:
                return []
            options = self._pending[0].options
            batch: list[_Request[Any]] = []
            kept: deque[_Request[Any]] = deque()
            while self._pending:
                request = self._pending.popleft()
                if request.options == options and len(batch) < self.max_batch:
                    batch.append(request)
                else:
                    kept.append(request)
            self._pending = kept
            return batch

    def _assess(self, batch: list[_Request[Any]]) -> None:
        if not batch:
            return
        options = batch[0].options

        def run(requests: list[_Request[Any]]) -> Sequence[Assessment]:
            cases = [r.case for r in requests]
            return self._engine(cases, options.interpretation, prorate_missing=options.prorate_missing)

        # one case that breaks the batch is found by assessing each alone, and answers only its own request
        for request, result in zip(batch, batch_or_each(batch, run), strict=True):
            if isinstance(result, Exception):
                request.future.set_exception(result)
            else:
                self._finish(request, result)

    @staticmethod
    def _finish(request: _Request[Any], assessment: Assessment) -> None:
        try:
            request.future.set_result(request.finish(assessment))
        except Exception as exc:
            request.future.set_exception(exc)


CPU_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alsdx-cpu", initializer=_mark_worker_thread)
"""The process's one thread for CPU-bound request work (``alsdx.api.cpu`` explains why one)."""

ASSESSMENTS = AssessBatcher(CPU_WORKER)
"""The process's batcher: ``POST /v1/assess``, the stored-visit assessment and CDS Hooks patient-view use it."""
