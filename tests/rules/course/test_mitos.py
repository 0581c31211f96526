"""MiToS stage from ALSFRS-R (Chiò 2015, Table 1), every threshold on both sides."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsdx.rules.course import alsfrs_r, mitos


def run(**scores: float) -> dict[str, np.ndarray]:
    cols = {f"alsfrs_{i}": np.array([float(scores.get(i, 4))]) for i in alsfrs_r.ITEMS}
    return mitos.mitos(cols)


def test_normal_scale_is_stage_0() -> None:
    assert run()["mitos_stage"][0] == 0


@pytest.mark.parametrize(
    ("scores", "domain", "lost"),
    [
        ({"walking": 1}, "movement", True),
        ({"walking": 2}, "movement", False),
        ({"dressing_hygiene": 1}, "movement", True),
        ({"dressing_hygiene": 2}, "movement", False),
        ({"swallowing": 1}, "swallowing", True),
        ({"swallowing": 2}, "swallowing", False),
        ({"speech": 1, "handwriting": 1}, "communicating", True),
        ({"speech": 1, "handwriting": 2}, "communicating", False),  # Table 1: AND, not OR
        ({"speech": 2, "handwriting": 1}, "communicating", False),
        ({"speech": 0, "handwriting": 4}, "communicating", False),
        ({"dyspnea": 1}, "breathing", True),
        ({"dyspnea": 2}, "breathing", False),
        ({"respiratory_insufficiency": 2}, "breathing", True),
        ({"respiratory_insufficiency": 3}, "breathing", False),
    ],
)
def test_domain_thresholds(scores: dict[str, float], domain: str, lost: bool) -> None:
    out = run(**scores)
    assert out[f"mitos_{domain}_lost"][0] == lost
    assert out["mitos_stage"][0] == int(lost)


def test_stage_counts_lost_domains_up_to_4() -> None:
    assert run(walking=0, swallowing=0)["mitos_stage"][0] == 2
    assert run(walking=0, swallowing=0, speech=0, handwriting=0)["mitos_stage"][0] == 3
    assert run(**dict.fromkeys(alsfrs_r.ITEMS, 0))["mitos_stage"][0] == 4


def test_missing_item_marks_a_lower_bound() -> None:
    assert run(handwriting=np.nan)["mitos_lower_bound"][0]
    assert not run(salivation=np.nan)["mitos_lower_bound"][0]


@given(
    st.lists(st.integers(0, 4), min_size=12, max_size=12),
    st.lists(st.integers(0, 4), min_size=12, max_size=12),
)
def test_a_worse_visit_never_lowers_the_stage(scores: list[int], drops: list[int]) -> None:
    worse = [max(0, s - d) for s, d in zip(scores, drops, strict=True)]
    cols = {f"alsfrs_{i}": np.array([scores[k], worse[k]], dtype=float) for k, i in enumerate(alsfrs_r.ITEMS)}
    out = mitos.mitos(cols)
    assert out["mitos_stage"][1] >= out["mitos_stage"][0]
    for d in mitos.DOMAINS:
        assert out[f"mitos_{d}_lost"][1] >= out[f"mitos_{d}_lost"][0]
