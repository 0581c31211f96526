"""The collector pause of large requests (alsdx.api.collector): counted, so overlapping pauses end together."""

from __future__ import annotations

import gc
import threading

from alsdx.api.collector import collector_paused


def test_the_collector_is_paused_inside_and_enabled_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_enable_the_collector_only_when_the_last_ends() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the second pause has ended; this one still holds

    t = threading.Thread(target=first)
    t.start()
    first_in.wait(5)
    with collector_paused():
        pass
    second_done.set()
    t.join(5)
    assert seen == [False] and gc.isenabled()


def test_an_exception_inside_still_enables_the_collector() -> None:
    try:
        with collector_paused():
            raise ValueError("a failing batch")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
