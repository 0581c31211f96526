"""Named alternative readings of the criteria (docs/ruleset.md "Decisions" 3, 5 and 6).

The default ruleset is ``Interpretation()``. Each alternative is one boolean switch with a stable
name used by ``alsdx assess --interpretation NAME``; an assessment reports when switching one of
them on would change a category.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np


@dataclass(frozen=True)
class Interpretation:
    weakness_counts_as_lmn: bool = False
    """Decision 3 alternative: weakness alone establishes clinical LMN involvement (published sign lists)."""
    definite_count_reading: bool = False
    """Decision 5 alternative: bulbar UMN+LMN with UMN in >= 2 and LMN in >= 2 spinal regions, or UMN and
    LMN each in all 3 spinal regions (the reading of a public calculator)."""
    probable_any_region: bool = False
    """Decision 6 alternative: signs in >= 2 regions with some UMN rostral to LMN, without requiring UMN in
    >= 2 and LMN in >= 2 regions."""

    @property
    def names(self) -> list[str]:
        return [option_name(f.name) for f in fields(self) if getattr(self, f.name)]


def option_name(field_name: str) -> str:
    return field_name.replace("_", "-")


OPTIONS: dict[str, str] = {option_name(f.name): f.name for f in fields(Interpretation)}
"""CLI/API name -> field name, e.g. 'weakness-counts-as-lmn' -> 'weakness_counts_as_lmn'."""


def interpretation_from_names(names: list[str]) -> Interpretation:
    unknown = [n for n in names if n not in OPTIONS]
    if unknown:
        raise ValueError(f"unknown interpretation {unknown[0]!r}; allowed: {', '.join(OPTIONS)}")
    return Interpretation(**{OPTIONS[n]: True for n in names})


def single_alternatives(base: Interpretation) -> list[tuple[str, Interpretation]]:
    """Each reading that differs from ``base`` in exactly one switch, with a name for that switch."""
    out = []
    for f in fields(base):
        on = not getattr(base, f.name)
        name = option_name(f.name) if on else f"without {option_name(f.name)}"
        out.append((name, replace(base, **{f.name: on})))
    return out


@dataclass(frozen=True)
class RowReadings:
    """One reading per batch row (boolean arrays), so several interpretations run in one kernel call."""

    weakness_counts_as_lmn: np.ndarray
    definite_count_reading: np.ndarray
    probable_any_region: np.ndarray

    @classmethod
    def stack(cls, readings: list[Interpretation]) -> RowReadings:
        return cls(**{f.name: np.array([getattr(r, f.name) for r in readings]) for f in fields(Interpretation)})


Readings = Interpretation | RowReadings
"""What the criteria kernels accept: one reading for the whole batch, or one per row."""
