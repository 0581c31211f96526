"""Export each example case as a FHIR R4 Bundle and import it back: the same case comes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir_bundles import assert_fhir_round_trip

from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_case(path):
    case = load_case(path)
    assert_fhir_round_trip(case)


def test_examples_exist():
    assert len(EXAMPLES) >= 3
