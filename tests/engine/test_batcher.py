"""Micro-batching (issue 20, alsdx.engine.batcher): concurrent assessments run as one ``assess_many`` call, each
request gets exactly the assessment ``assess()`` gives its case alone, a bad case fails only its own request, a
request arriving at an idle engine starts at once, and only requests with equal options share a batch."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from alsdx.engine.assess import assess, assess_many
from alsdx.engine.batcher import AssessBatcher, Options
from alsdx.engine.results import Assessment
from alsdx.model.case import Case
from alsdx.model.load import load_case
from alsdx.rules.criteria.interpretation import Interpretation

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "cases").glob("*.yaml"))
WAIT = 60.0
"""Seconds a test waits for a future before calling the batcher stuck (a failure bound, not a timing assertion)."""


def _cases() -> list[Case]:
    """The example cases, each also with another id and a later assessment date: distinct cases side by side."""
    out: list[Case] = []
    for path in EXAMPLES:
        case = load_case(path)
        out.append(case)
        later = case.assessment_date.replace(year=case.assessment_date.year + 1)
        out.append(case.model_copy(update={"id": f"{case.id}-later", "assessment_date": later}))
    return out


def _json(a: Assessment) -> str:
    return a.model_dump_json()


class Recording:
    """``assess_many`` that records each batch's case ids; the first call can be held until released, so that
    requests pile up behind it deterministically; a case whose id is in ``broken`` makes the call raise."""

    def __init__(self, *, hold_first: bool = False, broken: frozenset[str] = frozenset()) -> None:
        self.batches: list[list[str]] = []
        self.options: list[tuple[Interpretation | None, bool]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()
        self.broken = broken

    def __call__(
        self, cases: Sequence[Case], interpretation: Interpretation | None = None, *, prorate_missing: bool = False
    ) -> list[Assessment]:
        self.batches.append([c.id for c in cases])
        self.options.append((interpretation, prorate_missing))
        self.started.set()
        assert self.release.wait(WAIT)
        if any(c.id in self.broken for c in cases):
            raise RuntimeError("a kernel failed on purpose")
        return assess_many(cases, interpretation, prorate_missing=prorate_missing)


@pytest.fixture
def worker() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-cpu")
    yield pool
    pool.shutdown(wait=True)


def test_concurrent_requests_get_what_assess_gives_each_case_alone(worker: ThreadPoolExecutor) -> None:
    cases = _cases() * 3
    expected = {c.id: assess(c).model_dump_json() for c in cases}
    engine = Recording(hold_first=True)
    batcher = AssessBatcher(worker, engine=engine, max_wait=0)
    first = batcher.submit(cases[0], _json)
    assert engine.started.wait(WAIT)
    with ThreadPoolExecutor(max_workers=8) as clients:  # many concurrent callers while the engine is busy
        futures = list(clients.map(lambda c: (c.id, batcher.submit(c, _json)), cases[1:]))
    engine.release.set()
    assert first.result(WAIT) == expected[cases[0].id]
    for case_id, future in futures:
        assert future.result(WAIT) == expected[case_id], case_id
    assert engine.batches[0] == [cases[0].id]  # the first request ran alone, at once
    assert max(len(b) for b in engine.batches) > 1  # those that waited were assessed together
    assert sorted(i for b in engine.batches for i in b) == sorted(c.id for c in cases)


def test_a_batch_holds_at_most_max_batch_cases_in_arrival_order(worker: ThreadPoolExecutor) -> None:
    cases = _cases()
    engine = Recording(hold_first=True)
    batcher = AssessBatcher(worker, engine=engine, max_batch=4, max_wait=0)
    futures = [batcher.submit(cases[0], _json)]
    assert engine.started.wait(WAIT)
    futures += [batcher.submit(c, _json) for c in cases[1:11]]
    engine.release.set()
    for f in futures:
        f.result(WAIT)
    assert engine.batches == [[c.id for c in cases[i : i + n]] for i, n in ((0, 1), (1, 4), (5, 4), (9, 2))]


def test_a_bad_case_fails_only_its_own_request(worker: ThreadPoolExecutor) -> None:
    cases = _cases()[:6]
    bad = cases[3].id
    engine = Recording(hold_first=True, broken=frozenset({bad}))
    batcher = AssessBatcher(worker, engine=engine, max_wait=0)
    first = batcher.submit(cases[0], _json)
    assert engine.started.wait(WAIT)
    futures = {c.id: batcher.submit(c, _json) for c in cases[1:]}
    engine.release.set()
    assert first.result(WAIT) == assess(cases[0]).model_dump_json()
    with pytest.raises(RuntimeError, match="on purpose"):
        futures[bad].result(WAIT)
    for case_id, future in futures.items():
        if case_id != bad:
            assert future.result(WAIT) == assess(next(c for c in cases if c.id == case_id)).model_dump_json()
    assert [c.id for c in cases[1:]] in engine.batches  # the batch was tried whole, then case by case
    assert [bad] in engine.batches


def test_an_error_in_one_requests_finish_step_stays_with_that_request(worker: ThreadPoolExecutor) -> None:
    cases = _cases()[:3]
    engine = Recording(hold_first=True)
    batcher = AssessBatcher(worker, engine=engine, max_wait=0)
    batcher.submit(cases[0], _json)
    assert engine.started.wait(WAIT)

    def broken_render(a: Assessment) -> str:
        raise ValueError("rendering failed")

    bad = batcher.submit(cases[1], broken_render)
    good = batcher.submit(cases[2], _json)
    engine.release.set()
    with pytest.raises(ValueError, match="rendering failed"):
        bad.result(WAIT)
    assert good.result(WAIT) == assess(cases[2]).model_dump_json()


class FrozenClock:
    """A clock that never moves: a batch that waited for its window would wait for ever."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return 0.0


def test_a_lone_request_starts_at_once_without_waiting_for_the_batch_window(worker: ThreadPoolExecutor) -> None:
    case = _cases()[0]
    engine = Recording()
    clock = FrozenClock()
    batcher = AssessBatcher(worker, engine=engine, max_wait=3600.0, clock=clock)  # an hour's window, never reached
    assert batcher.submit(case, _json).result(WAIT) == assess(case).model_dump_json()
    assert engine.batches == [[case.id]]
    assert clock.reads == 1  # its arrival time only: no deadline was ever computed


def test_requests_that_waited_are_held_for_the_window_until_the_batch_is_full(worker: ThreadPoolExecutor) -> None:
    """After a busy batch, the next one waits (here: for ever by the frozen clock) until ``max_batch`` requests
    are there, so the window, not the arrival of a single request, decides what runs together."""
    cases = _cases()
    engine = Recording(hold_first=True)
    batcher = AssessBatcher(worker, engine=engine, max_batch=3, max_wait=3600.0, clock=FrozenClock())
    futures = [batcher.submit(cases[0], _json), batcher.submit(cases[1], _json)]
    assert engine.started.wait(WAIT)
    engine.release.set()
    futures[0].result(WAIT)
    assert not futures[1].done()  # held: one request waiting, the window open
    futures += [batcher.submit(c, _json) for c in cases[2:4]]  # the batch is full
    for f in futures:
        f.result(WAIT)
    assert engine.batches == [[cases[0].id], [c.id for c in cases[1:4]]]


def test_only_requests_with_the_same_options_share_a_batch(worker: ThreadPoolExecutor) -> None:
    cases = _cases()[:5]
    engine = Recording(hold_first=True)
    batcher = AssessBatcher(worker, engine=engine, max_wait=0)
    reading = Options(interpretation=Interpretation(weakness_counts_as_lmn=True))
    batcher.submit(cases[0], _json)
    assert engine.started.wait(WAIT)
    plain = [batcher.submit(c, _json) for c in cases[1:3]]
    other = [batcher.submit(c, _json, reading) for c in cases[3:5]]
    engine.release.set()
    for f, c in zip(plain, cases[1:3], strict=True):
        assert f.result(WAIT) == assess(c).model_dump_json()
    for f, c in zip(other, cases[3:5], strict=True):
        assert f.result(WAIT) == assess(c, reading.interpretation).model_dump_json()
    assert engine.batches[1:] == [[c.id for c in cases[1:3]], [c.id for c in cases[3:5]]]
    assert engine.options[2] == (reading.interpretation, False)


def test_a_blocking_call_from_the_worker_thread_assesses_at_once(worker: ThreadPoolExecutor) -> None:
    case = _cases()[0]
    batcher = AssessBatcher(worker, engine=Recording(), max_wait=0)

    batcher.submit(case, _json).result(WAIT)  # the pool's thread has run a batch: it is the batcher's worker

    def inside() -> Any:
        return batcher.call(case, _json)  # waiting for a batch here would wait for this very call

    assert worker.submit(inside).result(WAIT) == assess(case).model_dump_json()
