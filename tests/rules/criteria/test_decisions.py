"""Decisions 1, 2, 4 and 20 of docs/ruleset.md: EMG muscle and region rules, and rostrality."""

from __future__ import annotations

import numpy as np
import pytest

from alsdx.columns.from_case import case_columns
from alsdx.rules.criteria import decisions as d
from alsdx.rules.criteria.regions import region_evidence
from conftest import build_case, muscle

REGION = {"bulbar": 0, "cervical": 1, "thoracic": 2, "lumbosacral": 3}


def emg_regions(*muscles: dict) -> tuple[list[str], list[str]]:
    ev = region_evidence(case_columns([build_case(emg=list(muscles))]))
    names = list(REGION)
    return (
        [names[i] for i in np.flatnonzero(ev["lmn_emg_reec"][0])],
        [names[i] for i in np.flatnonzero(ev["lmn_emg_awaji"][0])],
    )


# Decision 1 - one muscle.
@pytest.mark.parametrize(
    ("fib", "fasc", "chronic", "reec", "awaji"),
    [
        (True, False, True, True, True),
        (False, True, True, False, True),  # fasciculation potentials never count under rEEC
        (True, True, False, False, False),  # no chronic neurogenic change: neither
        (False, False, True, False, False),  # chronic change alone: neither
    ],
)
def test_muscle_rule(fib: bool, fasc: bool, chronic: bool, reec: bool, awaji: bool) -> None:
    a = np.array([fib]), np.array([fasc]), np.array([chronic])
    assert bool(d.emg_muscle_reec(*a)[0]) is reec
    assert bool(d.emg_muscle_awaji(*a)[0]) is awaji


# Decision 2 - regions.
def test_bulbar_needs_one_muscle() -> None:
    assert emg_regions(muscle("genioglossus", fib=True)) == (["bulbar"], ["bulbar"])


def test_fdi_and_apb_share_roots_so_cervical_is_not_involved() -> None:
    reec, awaji = emg_regions(
        muscle("first_dorsal_interosseous", fib=True), muscle("abductor_pollicis_brevis", fib=True)
    )
    assert reec == [] and awaji == []


def test_biceps_and_fdi_differ_in_roots_and_nerves() -> None:
    assert emg_regions(muscle("biceps_brachii", fib=True), muscle("first_dorsal_interosseous", fib=True)) == (
        ["cervical"],
        ["cervical"],
    )


def test_same_nerve_different_roots_does_not_qualify() -> None:
    # triceps (C6-C8) and extensor digitorum communis (C7-C8) are both radial-nerve muscles
    assert emg_regions(muscle("triceps_brachii", fib=True), muscle("extensor_digitorum_communis", fib=True)) == ([], [])


def test_overlapping_root_sets_with_different_principal_roots_qualify() -> None:
    # Decision 20: tibialis anterior L4-L5 with vastus lateralis L2-L4
    assert emg_regions(muscle("tibialis_anterior", fib=True), muscle("vastus_lateralis", fib=True)) == (
        ["lumbosacral"],
        ["lumbosacral"],
    )


def test_one_limb_muscle_is_not_enough() -> None:
    assert emg_regions(muscle("tibialis_anterior", fib=True)) == ([], [])


def test_a_pair_that_differs_in_both_is_found_among_three_muscles() -> None:
    # FDI (ulnar, C8-T1) + APB (median, C8-T1) + ADM (ulnar, C8-T1): same roots -> no; adding biceps -> yes
    base = [
        muscle("first_dorsal_interosseous", fib=True),
        muscle("abductor_pollicis_brevis", fib=True),
        muscle("abductor_digiti_minimi", fib=True),
    ]
    assert emg_regions(*base) == ([], [])
    assert emg_regions(*base, muscle("biceps_brachii", fib=True))[0] == ["cervical"]


def test_non_qualifying_muscle_does_not_complete_a_pair() -> None:
    assert emg_regions(muscle("biceps_brachii", fib=True), muscle("first_dorsal_interosseous", fasc=True)) == (
        [],
        ["cervical"],
    )


@pytest.mark.parametrize(("level", "counts"), [("T5", False), ("T6", True), ("T8", True), ("T12", True)])
def test_thoracic_paraspinal_counts_at_or_below_t6(level: str, counts: bool) -> None:
    reec, _ = emg_regions(muscle("thoracic_paraspinal", fib=True, roots=[level]))
    assert (reec == ["thoracic"]) is counts


def test_abdominal_muscle_counts_for_thoracic() -> None:
    assert emg_regions(muscle("rectus_abdominis", fib=True))[0] == ["thoracic"]


def test_muscles_of_different_patients_never_pair_up() -> None:
    cols = case_columns(
        [
            build_case(emg=[muscle("biceps_brachii", fib=True)]),
            build_case(emg=[muscle("first_dorsal_interosseous", fib=True)]),
        ]
    )
    assert not region_evidence(cols)["lmn_emg_reec"].any()


# Decision 4 - rostral.
def rows(*regions: str) -> np.ndarray:
    out = np.zeros((1, 4), dtype=bool)
    for r in regions:
        out[0, REGION[r]] = True
    return out


@pytest.mark.parametrize(
    ("umn", "lmn", "umn_rostral", "lmn_rostral"),
    [
        (("bulbar",), ("cervical",), True, False),
        (("cervical",), ("bulbar",), False, True),
        (("cervical",), ("cervical",), False, False),  # same region alone does not count
        (("cervical", "lumbosacral"), ("cervical",), False, True),
        (("bulbar", "lumbosacral"), ("cervical",), True, True),
        ((), ("cervical",), False, False),
    ],
)
def test_rostral_both_ways(umn: tuple, lmn: tuple, umn_rostral: bool, lmn_rostral: bool) -> None:
    u, l_ = d.region_mask(rows(*umn)), d.region_mask(rows(*lmn))
    assert bool(d.umn_rostral_to_lmn(u, l_)[0]) is umn_rostral
    assert bool(d.lmn_rostral_to_umn(u, l_)[0]) is lmn_rostral


def test_region_mask_is_the_same_for_small_and_bulk_batches() -> None:
    rng = np.random.default_rng(3)
    big = rng.random((2000, 4)) < 0.4
    assert (d.region_mask(big) == np.concatenate([d.region_mask(big[i : i + 1]) for i in range(2000)])).all()
    assert (d.n_regions(d.region_mask(big)) == big.sum(axis=1)).all()
