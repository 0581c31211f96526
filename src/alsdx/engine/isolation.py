"""One bad case never takes the others down: a batch call, and each item alone only when the batch fails.

Every door that assesses several cases at once (``alsdx assess A B C``, ``alsdx trials screen``,
``POST /v1/assess:batch``, the service's micro-batcher) runs the engine once over the whole batch (the kernels are
cheaper per case in batches) and, should that raise, once per item, so the item that fails gets its own error and
every other item its result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def batch_or_each(items: Sequence[T], run: Callable[[list[T]], Sequence[R]]) -> list[R | Exception]:
    """``run(items)`` as one batch; if it raises, ``run([item])`` for each item. One entry per item, in order:
    its result, or the exception its own run raised."""
    if not items:
        return []
    try:
        return list(run(list(items)))
    except Exception:  # some item broke the batch: find it by running each alone
        pass
    out: list[R | Exception] = []
    for item in items:
        try:
            out.append(run([item])[0])
        except Exception as exc:  # this item's own error; the others go on
            out.append(exc)
    return out
