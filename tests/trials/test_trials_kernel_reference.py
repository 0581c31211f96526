"""The per-criterion screening kernel equals the kernel as first written (``reference_kernel``) on random columns
and random trials: every fact kind, inclusions and exclusions, min/max/in, manual criteria, unknown values and
anchors, assessment days around the time bounds; with and without the bounds shared across trials."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_kernel import reference_screen

from alsdx.rules.trials import NO_DAY, Bounds, screen
from alsdx.trials.facts_catalog import FACT_NAMES, FACTS
from alsdx.trials.model import parse_trial
from alsdx.trials.screen import criteria_arrays


@st.composite
def criterion(draw: st.DrawFn, j: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f"c{j}", "kind": draw(st.sampled_from(["inclusion", "exclusion"]))}
    if draw(st.integers(0, 9)) == 0:
        return {**out, "manual": True}
    name = draw(st.sampled_from(FACT_NAMES))
    fact = FACTS[name]
    out["fact"] = name
    if fact.kind == "category":
        out["in"] = draw(st.lists(st.sampled_from(fact.values), min_size=1, max_size=3, unique=True))
    elif fact.kind == "boolean":
        out["equals"] = draw(st.booleans())
    else:
        lo, hi = draw(st.none() | st.integers(0, 40)), draw(st.none() | st.integers(0, 40))
        if lo is None and hi is None:
            lo = draw(st.integers(0, 40))
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        if fact.kind == "number" and draw(st.booleans()):
            return {**out, "in": draw(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))}
        out.update({k: v for k, v in (("min", lo), ("max", hi)) if v is not None})
    return out


@st.composite
def columns(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    facts = rng.integers(0, 5, size=(n, len(FACT_NAMES))).astype(float)
    facts[rng.random(facts.shape) < 0.3] = np.nan
    day = rng.integers(19000, 21000, n)

    def anchor(p_none: float, back: int) -> np.ndarray:
        return np.where(rng.random(n) < p_none, NO_DAY, day - rng.integers(0, back, n))

    age = anchor(0.3, 30000)
    return {
        "facts": facts if draw(st.booleans()) else np.asfortranarray(facts),
        "assessment_day": day,
        "onset_day": anchor(0.0, 1500),
        "diagnosis_day": anchor(0.4, 900),
        "age_anchor_day": age,
        "age_offset": np.where(age == NO_DAY, np.nan, rng.integers(0, 60, n) * (rng.random(n) < 0.5)),
        "riluzole_start_day": anchor(0.4, 60),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cols=columns(),
    trials=st.lists(st.integers(1, 12).flatmap(lambda c: st.tuples(*(criterion(j) for j in range(c)))), max_size=3),
)
def test_screen_equals_the_reference_kernel(cols: dict[str, np.ndarray], trials: list[tuple[dict, ...]]) -> None:
    shared = Bounds()
    for criteria in trials:
        crit = criteria_arrays(parse_trial({"id": "t", "title": "t", "source": "s", "criteria": list(criteria)}))
        want = reference_screen(cols, crit)
        for got in (screen(cols, crit), screen(cols, crit, shared)):
            assert set(got) == set(want)
            for key in want:
                assert np.array_equal(got[key], want[key]), key
