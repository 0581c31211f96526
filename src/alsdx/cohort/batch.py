"""``assess_batch``: the one batch function every engine (local processes, Spark) calls.

flat record batch -> row checks + kernel columns -> the same kernels ``assess()`` uses -> one output row
per input row, in order, same id. Invalid rows get nulls and their reason in ``invalid_reason``.
Each group of outputs is a :class:`Stage`; adding the mimics, PLS or course kernels is one entry in ``STAGES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import pyarrow as pa

from alsdx import RULESET_VERSION
from alsdx.cohort import emg as emg_table
from alsdx.cohort.columns import kernel_columns
from alsdx.cohort.conform import check_columns
from alsdx.cohort.schema import INVALID_REASON
from alsdx.cohort.validity import check_rows
from alsdx.model.columns import Columns
from alsdx.model.vocab import REGIONS
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS, criteria_kernel
from alsdx.rules.criteria.interpretation import Interpretation

CODE: Final = pa.dictionary(pa.int8(), pa.string())
FLAGS: Final = ("exclusion_pending", "progression_not_documented", "progression_absent")
"""Shared by every criteria set (``criteria_from_evidence`` adds the same arrays to each)."""
REGION_EVIDENCE: Final = ("umn", "lmn_clinical", "lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast")
"""As in the assessment's ``regions.<region>.<kind>``."""

Outputs = dict[str, pa.Array]


def codes_array(ranks: np.ndarray, categories: tuple[str, ...], invalid: np.ndarray) -> pa.Array:
    """Category ranks -> dictionary<int8, string> with the category names, null where invalid."""
    indices = pa.array(ranks.astype(np.int8, copy=False), mask=invalid if invalid.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(categories, pa.string()))


def bool_array(values: np.ndarray, invalid: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.bool_(), mask=invalid if invalid.any() else None)


@dataclass(frozen=True)
class Stage:
    """A group of output columns from one family of kernels."""

    fields: Callable[[], list[pa.Field]]
    run: Callable[[Columns, Interpretation, np.ndarray], Outputs]


def _criteria_fields() -> list[pa.Field]:
    return (
        [pa.field(name, CODE) for name in CRITERIA_SETS]
        + [pa.field(flag, pa.bool_()) for flag in FLAGS]
        + [pa.field(f"{region}_{kind}", pa.bool_()) for region in REGIONS for kind in REGION_EVIDENCE]
    )


def _criteria(cols: Columns, interp: Interpretation, invalid: np.ndarray) -> Outputs:
    ev, results = criteria_kernel(cols, interp)
    out: Outputs = {name: codes_array(results[name]["category"], CATEGORIES[name], invalid) for name in CRITERIA_SETS}
    shared = results[CRITERIA_SETS[0]]
    out.update({flag: bool_array(shared[flag], invalid) for flag in FLAGS})
    # As assess(): the clinical-LMN evidence shown is the one the chosen reading of Decision 3 counts.
    key = {"lmn_clinical": "lmn_clinical_with_weakness" if interp.weakness_counts_as_lmn else "lmn_clinical"}
    for j, region in enumerate(REGIONS):
        for kind in REGION_EVIDENCE:
            out[f"{region}_{kind}"] = bool_array(ev[key.get(kind, kind)][:, j], invalid)
    return out


STAGES: Final = (Stage(_criteria_fields, _criteria),)


@cache
def output_schema() -> pa.Schema:
    fields = [pa.field("id", pa.string())]
    for stage in STAGES:
        fields += stage.fields()
    fields += [pa.field(INVALID_REASON, pa.string()), pa.field("ruleset_version", CODE)]
    return pa.schema(fields, metadata={"alsdx.ruleset_version": RULESET_VERSION})


def assess_batch(batch: pa.RecordBatch, interpretation: Interpretation | None = None) -> pa.RecordBatch:
    """Assess every row of a flat batch (see ``alsdx.cohort.schema``); one output row per input row."""
    check_columns(batch.schema)
    interp = interpretation or Interpretation()
    n = batch.num_rows
    names = batch.schema.names
    emg = emg_table.decode(batch.column("emg") if "emg" in names else None, n)
    invalid, reasons = check_rows(batch, emg)
    cols = kernel_columns(batch, emg)
    ids = batch.column("id")
    out: Outputs = {"id": ids if ids.type == pa.string() else ids.cast(pa.string())}
    for stage in STAGES:
        out.update(stage.run(cols, interp, invalid))
    reason_list: list[str | None] = [None] * n
    for i, text in reasons.items():
        reason_list[i] = text
    out[INVALID_REASON] = pa.array(reason_list, pa.string()) if reasons else pa.nulls(n, pa.string())
    version = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int8)), pa.array([RULESET_VERSION]))
    out["ruleset_version"] = version
    schema = output_schema()
    return pa.RecordBatch.from_arrays([out[f.name] for f in schema], schema=schema)
