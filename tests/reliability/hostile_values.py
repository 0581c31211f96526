"""Hypothesis strategies for hostile input: arbitrary JSON-like values, nasty scalars, and mutations
of a valid document at a random path. Shared by the fuzz tests of the case parser and the FHIR mapper."""

from __future__ import annotations

import copy
import os
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=int(os.environ.get("ALSDX_FUZZ_EXAMPLES", "60")),
    # Generous bound per example: a hang or a quadratic blow-up fails the test, slow CI does not.
    deadline=timedelta(seconds=int(os.environ.get("ALSDX_FUZZ_DEADLINE_S", "5"))),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
"""Settings of every fuzz test; ALSDX_FUZZ_EXAMPLES=5000 for a long run (docs/reliability.md)."""

NASTY_SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    4,
    5,
    2**63,
    -(2**63),
    10**300,
    0.5,
    -0.0,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    " ",
    "\x00",
    "\ud800",
    "é" * 3,
    "x" * 100_000,
    "2025-02-30",
    "2025-13-01",
    "0001-01-01",
    "9999-12-31",
    "2026-01-15T10:00:00Z",
    "2026",
    "1e400",
    "NaN",
    "riluzole",
    "bulbar",
    "left",
    "present",
    "final",
    "Patient/p1",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE visits; --",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(NASTY_SCALARS)
)

json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=25,
)
"""Arbitrary JSON-shaped values (NaN and infinities included, as Python's json module accepts them)."""


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (tuple of keys and indices) to a value inside ``doc``, the root excluded."""
    out: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        out.append((*prefix, key))
        out += paths(value, (*prefix, key))
    return out


@st.composite
def mutated(
    draw: st.DrawFn,
    base: Any,
    keys: st.SearchStrategy[str] | None = None,
    values: st.SearchStrategy[Any] | None = None,
) -> Any:
    """``base`` with one to three random edits: a value replaced, a key removed, a key added, a list
    entry duplicated. Keys and values come from ``keys`` and ``values`` (default: arbitrary) so that
    edits can hit real field names and codes."""
    doc = copy.deepcopy(base)
    key_strategy = keys if keys is not None else st.text(max_size=12)
    value_strategy = json_values if values is None else json_values | values
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        candidates = paths(doc)
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        op = draw(st.sampled_from(["replace", "remove", "add", "duplicate"]))
        if op == "replace":
            parent[last] = draw(value_strategy)
        elif op == "remove":
            del parent[last]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(key_strategy)] = draw(value_strategy)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    return doc
