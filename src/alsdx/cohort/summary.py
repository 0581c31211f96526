"""Run summary: counts per category per criteria set, and revised El Escorial x Gold Coast (the table
registries publish when they re-classify a cohort), tallied batch by batch from the output."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rich.console import Console
from rich.table import Table

from alsdx.cohort.schema import INVALID_REASON
from alsdx.engine.completeness import ASSESSABLE
from alsdx.engine.explain.criteria import SET_NAMES, label
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS

ROWS, COLS = "revised_el_escorial", "gold_coast"


def _ranks(column: pa.Array, categories: tuple[str, ...]) -> np.ndarray:
    """Category ranks (-1 for null) whatever the column's encoding (dictionary or plain text)."""
    if pa.types.is_dictionary(column.type):
        lookup = np.array([categories.index(v) for v in column.dictionary.to_pylist()], dtype=np.int64)
        idx = pc.fill_null(column.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(idx >= 0, lookup[np.maximum(idx, 0)] if len(lookup) else -1, -1)
    found = pc.index_in(column, value_set=pa.array(categories))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


@dataclass
class Summary:
    rows: int = 0
    invalid: int = 0
    counts: dict[str, np.ndarray] = field(
        default_factory=lambda: {s: np.zeros(len(CATEGORIES[s]), dtype=np.int64) for s in CRITERIA_SETS}
    )
    assessable: np.ndarray = field(default_factory=lambda: np.zeros(len(ASSESSABLE), dtype=np.int64))
    """Valid rows by ``assessable`` (complete / partial / none): a "not met" count includes rows not fully examined."""
    crosstab: np.ndarray = field(
        default_factory=lambda: np.zeros((len(CATEGORIES[ROWS]), len(CATEGORIES[COLS])), dtype=np.int64)
    )

    def add(self, out: pa.RecordBatch | pa.Table) -> None:
        self.rows += out.num_rows
        self.invalid += out.num_rows - out.column(INVALID_REASON).null_count
        ranks = {}
        for s in CRITERIA_SETS:
            column = out.column(s)
            column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            r = _ranks(column, CATEGORIES[s])
            ranks[s] = r
            self.counts[s] += np.bincount(r[r >= 0], minlength=len(CATEGORIES[s]))
        if "assessable" in out.schema.names:
            column = out.column("assessable")
            column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            a = _ranks(column, ASSESSABLE)
            self.assessable += np.bincount(a[a >= 0], minlength=len(ASSESSABLE))
        both = (ranks[ROWS] >= 0) & (ranks[COLS] >= 0)
        cells = ranks[ROWS][both] * len(CATEGORIES[COLS]) + ranks[COLS][both]
        self.crosstab += np.bincount(cells, minlength=self.crosstab.size).reshape(self.crosstab.shape)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "invalid": self.invalid,
            "assessable": dict(zip(ASSESSABLE, map(int, self.assessable), strict=True)),
            "counts": {s: dict(zip(CATEGORIES[s], map(int, self.counts[s]), strict=True)) for s in CRITERIA_SETS},
            "crosstab": {
                r: dict(zip(CATEGORIES[COLS], map(int, self.crosstab[i]), strict=True))
                for i, r in enumerate(CATEGORIES[ROWS])
            },
        }

    def render(self, console: Console) -> None:
        valid = self.rows - self.invalid
        console.print(
            f"[bold]{self.rows:,}[/] rows: {valid:,} assessed, {self.invalid:,} invalid (reasons in the side file).",
            highlight=False,
        )
        partial, none = (int(self.assessable[ASSESSABLE.index(k)]) for k in ("partial", "none"))
        if partial or none:
            console.print(
                f"Not fully examined: {partial:,} rows with regions not examined and {none:,} with no examination "
                "findings; their 'not met' is not met on the findings recorded (column regions_not_examined).",
                highlight=False,
            )
        for s in CRITERIA_SETS:
            t = Table(title=SET_NAMES[s], title_justify="left")
            t.add_column("category", overflow="fold")
            t.add_column("label", overflow="fold")
            t.add_column("patients", justify="right")
            t.add_column("%", justify="right")
            for category, count in zip(CATEGORIES[s], self.counts[s], strict=True):
                t.add_row(category, label(s, category), f"{count:,}", f"{100 * count / valid:.1f}" if valid else "-")
            console.print(t)
        t = Table(title="revised El Escorial x Gold Coast", title_justify="left")
        t.add_column("revised El Escorial", overflow="fold")
        for c in CATEGORIES[COLS]:
            t.add_column(f"Gold Coast {c}", justify="right")
        t.add_column("total", justify="right")
        for i, r in enumerate(CATEGORIES[ROWS]):
            t.add_row(r, *(f"{v:,}" for v in self.crosstab[i]), f"{self.crosstab[i].sum():,}")
        t.add_row("total", *(f"{v:,}" for v in self.crosstab.sum(axis=0)), f"{self.crosstab.sum():,}")
        console.print(t)
