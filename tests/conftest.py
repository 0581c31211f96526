"""Shared test helpers: build valid cases from a few findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings

from alsdx.model.case import Case

# No per-example time limit: a deadline is a timed assertion, and these 2-core machines are shared and noisy
# (a property test failed on Hypothesis' 200 ms deadline under load). Tests that want one set their own.
# Example counts are deliberate: 100 for a property test that names none; the expensive ones set theirs next to
# the test (@settings(max_examples=...); the fuzz tests: ALSDX_FUZZ_EXAMPLES, tests/reliability/hostile_values.py).
settings.register_profile("alsdx", deadline=None, max_examples=100)
settings.load_profile("alsdx")


def build_case(
    umn: dict[str, list[str]] | None = None,
    lmn: dict[str, list[str]] | None = None,
    emg: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Case:
    """A minimal valid case with the given signs per region (dict region -> sign codes) and EMG muscles."""
    exam: dict[str, Any] = {}
    for region in ("bulbar", "cervical", "thoracic", "lumbosacral"):
        exam[region] = {"umn": (umn or {}).get(region, []), "lmn": (lmn or {}).get(region, [])}
    doc: dict[str, Any] = {
        "id": "t-1",
        "age_at_onset": 55,
        "symptom_onset": "2025-01-01",
        "assessment_date": "2026-01-01",
        "course": "progressive",
        "exam": {**exam, **fields.pop("exam", {})},
        "emg": emg or [],
    }
    doc.update(fields)
    return Case.model_validate(doc)


def muscle(name: str, *, fib: bool = False, fasc: bool = False, chronic: bool = True, **extra: Any) -> dict[str, Any]:
    return {
        "muscle": name,
        "side": "right",
        "fibrillations_psw": fib,
        "fasciculation_potentials": fasc,
        "chronic_neurogenic": chronic,
        **extra,
    }


@pytest.fixture
def make_case() -> Callable[..., Case]:
    return build_case


# Registry databases (SQLite and PostgreSQL) for the service tests: fixtures db_url, sessions, pg_template.
pytest_plugins = ["service_db"]
