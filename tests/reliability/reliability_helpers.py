"""Small helpers shared by the service tests of tests/reliability."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alsdx.model.load import load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def example(name: str = "bulbar-onset") -> dict[str, Any]:
    """An example case as the JSON document a client sends."""
    return load_case(EXAMPLES / f"{name}.yaml").model_dump(mode="json")
