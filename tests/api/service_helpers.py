"""Example case documents for the service tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alsdx.model.load import load_case

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
EXAMPLE_NAMES = tuple(sorted(p.stem for p in EXAMPLES.glob("*.yaml")))


def example(name: str) -> dict[str, Any]:
    return load_case(EXAMPLES / f"{name}.yaml").model_dump(mode="json")
