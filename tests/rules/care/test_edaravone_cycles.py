"""Edaravone cycle arithmetic from the RADICAVA / RADICAVA ORS US labels (FDA 2017, 2022): 28-day cycles, 14 daily
doses in cycle 1, 10 in every later cycle; the cycle count continues across a route switch started within 28
days of the previous entry's stop (alsdx, docs/ruleset.md §11)."""

from __future__ import annotations

import numpy as np

from alsdx.rules.care.edaravone import continues_cycles, cycle_at, cycle_start, doses_in


def test_cycles_are_28_days_from_the_anchor():
    days = np.array([0, 13, 14, 27, 28, 55, 56])
    assert cycle_at(0, days).tolist() == [1, 1, 1, 1, 2, 2, 3]
    assert cycle_start(100, np.array([1, 2, 3])).tolist() == [100, 128, 156]


def test_cycle_one_has_14_doses_and_later_cycles_10():
    assert doses_in(np.array([1, 2, 7])).tolist() == [14, 10, 10]


def test_a_switch_within_28_days_of_the_stop_continues_the_count():
    stop = np.full(4, 1000)
    assert continues_cycles(stop, np.array([999, 1000, 1028, 1029])).tolist() == [False, True, True, False]
