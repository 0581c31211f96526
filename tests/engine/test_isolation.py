"""engine.isolation.batch_or_each: one batch call; each item alone only when the batch fails."""

from __future__ import annotations

from alsdx.engine.isolation import batch_or_each


def test_a_batch_that_succeeds_is_run_once() -> None:
    calls: list[list[int]] = []

    def run(items: list[int]) -> list[int]:
        calls.append(items)
        return [x * 10 for x in items]

    assert batch_or_each([1, 2, 3], run) == [10, 20, 30]
    assert calls == [[1, 2, 3]]


def test_a_failing_item_gets_its_own_exception_and_the_others_their_result() -> None:
    def run(items: list[int]) -> list[int]:
        if 2 in items:
            raise ValueError("item 2")
        return [x * 10 for x in items]

    out = batch_or_each([1, 2, 3], run)
    assert out[0] == 10 and out[2] == 30
    assert isinstance(out[1], ValueError) and str(out[1]) == "item 2"


def test_no_items_runs_nothing() -> None:
    assert batch_or_each([], lambda items: 1 / 0) == []  # type: ignore[arg-type,return-value]
