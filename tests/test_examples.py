"""The shipped example cases and their expected categories (each follows from the spec's definitions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alsdx.engine.assess import assess
from alsdx.model.load import load_case

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"

EXPECTED = {
    # UMN+LMN clinically in bulbar, cervical, lumbosacral -> definite everywhere
    "bulbar-onset.yaml": ("definite", "definite", "definite", "met"),
    # cervical UMN+LMN, lumbosacral UMN; lumbosacral EMG by fasciculation potentials only (Awaji, not rEEC)
    "limb-onset-emg.yaml": ("possible", "possible", "probable", "met"),
    # LMN only: clinical LMN in one region; EMG (Awaji rule) in cervical and lumbosacral -> Gold Coast only
    "lmn-conduction-block.yaml": ("not_met", "not_met", "not_met", "met"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_categories(name: str) -> None:
    result = assess(load_case(EXAMPLES / name))
    got = tuple(
        getattr(result.criteria, s).category for s in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
    )
    assert got == EXPECTED[name]
    assert all(getattr(result.criteria, s).explanation for s in ("el_escorial_1994", "awaji", "gold_coast"))
