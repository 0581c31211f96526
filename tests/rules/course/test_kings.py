"""King's stage from ALSFRS-R (Balendra 2014 mapping, Roche 2012 stages, docs/ruleset.md Decision 18)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsdx.rules.course import alsfrs_r, kings


def stage(gastrostomy: bool = False, **scores: float) -> tuple[str, dict[str, np.ndarray]]:
    cols = {f"alsfrs_{i}": np.array([float(scores.get(i, 4))]) for i in alsfrs_r.ITEMS}
    cols["alsfrs_gastrostomy"] = np.array([gastrostomy])
    out = kings.kings(cols)
    return kings.LABELS[int(out["kings_stage"][0])], out


def test_labels_are_decision_18() -> None:
    assert kings.LABELS == ("1", "2", "3", "4A", "4B", "4A+4B")


def test_no_region_item_abnormal_is_stage_1_and_flagged() -> None:
    label, out = stage()
    assert label == "1"
    assert out["kings_no_region_item_abnormal"][0]
    assert out["kings_regions"][0] == 0


def test_items_outside_the_mapping_do_not_count_as_regions() -> None:
    # Climbing stairs, turning in bed, dressing and orthopnea are not Balendra region items (proact note).
    label, out = stage(climbing_stairs=0, turning_in_bed=1, dressing_hygiene=1, orthopnea=0, dyspnea=1)
    assert label == "1" and out["kings_no_region_item_abnormal"][0]


@pytest.mark.parametrize("item", ["speech", "salivation", "swallowing"])
def test_bulbar_region_from_items_1_to_3_at_the_boundary(item: str) -> None:
    assert stage(**{item: 4})[1]["kings_bulbar"][0] == np.False_
    label, out = stage(**{item: 3})
    assert out["kings_bulbar"][0] and label == "1" and not out["kings_no_region_item_abnormal"][0]


@pytest.mark.parametrize("item", ["handwriting", "cutting_food"])
def test_upper_limb_from_items_4_and_5(item: str) -> None:
    assert not stage(**{item: 4})[1]["kings_upper_limb"][0]
    assert stage(**{item: 3})[1]["kings_upper_limb"][0]


def test_lower_limb_from_walking() -> None:
    assert not stage(walking=4)[1]["kings_lower_limb"][0]
    assert stage(walking=3)[1]["kings_lower_limb"][0]


def test_stage_counts_regions() -> None:
    assert stage(speech=3)[0] == "1"
    assert stage(speech=3, handwriting=3)[0] == "2"
    assert stage(speech=3, handwriting=3, walking=3)[0] == "3"
    assert stage(handwriting=2, cutting_food=1, walking=0)[0] == "2"  # two items of one region count once


def test_4a_is_gastrostomy() -> None:
    label, out = stage(gastrostomy=True)
    assert label == "4A" and out["kings_stage_number"][0] == 4


@pytest.mark.parametrize(
    ("scores", "is_4b"),
    [
        ({"dyspnea": 0}, True),
        ({"dyspnea": 1}, False),
        ({"respiratory_insufficiency": 3}, True),
        ({"respiratory_insufficiency": 4}, False),
        ({"respiratory_insufficiency": 0}, True),
    ],
)
def test_4b_boundaries(scores: dict[str, float], is_4b: bool) -> None:
    label, out = stage(speech=3, **scores)
    assert out["kings_4b"][0] == is_4b
    assert label == ("4B" if is_4b else "1")


def test_4a_and_4b_coexist() -> None:
    assert stage(gastrostomy=True, respiratory_insufficiency=2)[0] == "4A+4B"


def test_stage_4_overrides_the_region_count() -> None:
    assert stage(speech=3, handwriting=3, walking=3, gastrostomy=True)[0] == "4A"


def test_missing_item_read_by_the_mapping_marks_a_lower_bound() -> None:
    assert stage(walking=np.nan)[1]["kings_lower_bound"][0]
    assert not stage(climbing_stairs=np.nan)[1]["kings_lower_bound"][0]


visits = st.tuples(st.lists(st.integers(0, 4), min_size=12, max_size=12), st.booleans())


@given(visits, st.lists(st.integers(0, 4), min_size=12, max_size=12), st.booleans())
def test_a_worse_visit_never_lowers_the_stage(
    first: tuple[list[int], bool], drops: list[int], adds_gastrostomy: bool
) -> None:
    scores, gastrostomy = first
    worse = [max(0, s - d) for s, d in zip(scores, drops, strict=True)]
    cols = {f"alsfrs_{i}": np.array([scores[k], worse[k]], dtype=float) for k, i in enumerate(alsfrs_r.ITEMS)}
    cols["alsfrs_gastrostomy"] = np.array([gastrostomy, gastrostomy or adds_gastrostomy])
    out = kings.kings(cols)
    assert out["kings_stage_number"][1] >= out["kings_stage_number"][0]
    assert out["kings_4a"][1] >= out["kings_4a"][0] and out["kings_4b"][1] >= out["kings_4b"][0]
    assert out["kings_regions"][1] >= out["kings_regions"][0]
