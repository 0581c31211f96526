"""Shared shape of the mimic kernels and small numpy helpers they compose.

A mimic kernel reads one mapping ``x`` = case columns (alsdx.columns: codes.py names them) + region
evidence (rules/criteria/regions.py) + the PLS kernel's outputs prefixed ``pls_``, and returns:
``level`` (int8: 0 not raised, 1 consider, 2 likely), one boolean ``flag_<name>`` column per red flag and one
``against_<name>`` column per finding that argues against the mimic. Its static metadata (:class:`Mimic`)
names, for every flag, a readable text and the case fields that trigger it, so the engine can report them
without re-deciding anything. Invariant (tested): a raised mimic has at least one red flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from alsdx.columns.codes import MRI_NORMAL, NOT_DONE, POSITIVE
from alsdx.rules.criteria.decisions import BULBAR, CERVICAL, LUMBOSACRAL, THORACIC
from alsdx.rules.mimics.reference_limits import CK_VERY_UNUSUAL_IN_MND_U_PER_L

SPINAL = (CERVICAL, THORACIC, LUMBOSACRAL)

__all__ = [
    "BULBAR",
    "CERVICAL",
    "CK_VERY_UNUSUAL_IN_MND",
    "LUMBOSACRAL",
    "SPINAL",
    "THORACIC",
    "Feature",
    "Kernel",
    "Mimic",
    "above",
    "any_of",
    "any_region",
    "below",
    "done",
    "emg_any",
    "emg_studied",
    "level",
    "lmn",
    "lower_motor",
    "mri_normal",
    "patients_with",
    "positive",
    "shared_inputs",
]

Cols = Mapping[str, np.ndarray]
Kernel = Callable[[Cols], dict[str, np.ndarray]]

CK_VERY_UNUSUAL_IN_MND = CK_VERY_UNUSUAL_IN_MND_U_PER_L
"""CK > 1000 IU/L is 'very unusual in MND' (Williams 2013); Turner & Talbot 2013 call it a myopathy clue."""


@dataclass(frozen=True)
class Feature:
    """A red flag or an 'against' finding: readable text and the case fields behind it."""

    text: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Mimic:
    id: str
    name: str
    kernel: Kernel
    flags: dict[str, Feature]
    against: dict[str, Feature]
    workup: tuple[str, ...]
    """Work-up item ids (rules/mimics/workup.py) this mimic calls for when raised."""
    treatable: bool
    source: str
    notes: tuple[str, ...] = field(default=())


def level(consider: np.ndarray, likely: np.ndarray) -> np.ndarray:
    """0 not raised, 1 consider, 2 likely (likely implies raised)."""
    return (consider | likely).view(np.int8) + likely.view(np.int8)


def positive(code: np.ndarray) -> np.ndarray:
    return code == POSITIVE


def done(code: np.ndarray) -> np.ndarray:
    return code != NOT_DONE


def mri_normal(code: np.ndarray) -> np.ndarray:
    return code == MRI_NORMAL


def above(values: np.ndarray, limit: float) -> np.ndarray:
    """values > limit; an unmeasured value (NaN) is never above."""
    return np.greater(values, limit, where=~np.isnan(values), out=np.zeros(values.shape, dtype=bool))


def below(values: np.ndarray, limit: float) -> np.ndarray:
    """values < limit; an unmeasured value (NaN) is never below."""
    return np.less(values, limit, where=~np.isnan(values), out=np.zeros(values.shape, dtype=bool))


def lmn(x: Cols) -> np.ndarray:
    """(n, 4) LMN involvement: clinical LMN signs (Decision 3) or the Awaji EMG region rule."""
    return x["lmn_regions"]


def lower_motor(x: Cols) -> np.ndarray:
    """(n, 4) LMN involvement or weakness (mimics weaken without wasting: neuropathy, myopathy)."""
    return x["lower_motor_regions"]


def shared_inputs(x: Cols) -> dict[str, np.ndarray]:
    """Arrays several mimic kernels read, computed once per batch by the differential stage."""
    lmn_regions = x["lmn_clinical"] | x["lmn_emg_awaji"]
    return {"lmn_regions": lmn_regions, "lower_motor_regions": lmn_regions | x["weakness"]}


def emg_any(x: Cols, column: str) -> np.ndarray:
    """(n,) some studied muscle has ``column`` true (EMG side table -> patients)."""
    return patients_with(x, x[column])


def emg_studied(x: Cols) -> np.ndarray:
    """(n,) at least one muscle was studied by EMG."""
    out = np.zeros(x["course"].shape[0], dtype=bool)
    out[x["emg_patient"]] = True
    return out


def patients_with(x: Cols, rows: np.ndarray) -> np.ndarray:
    """(n,) patients owning at least one EMG side-table row where ``rows`` is true (any row order)."""
    out = np.zeros(x["course"].shape[0], dtype=bool)
    out[x["emg_patient"][np.flatnonzero(rows)]] = True  # by index, not by mask (see decisions.emg_region)
    return out


def any_region(regions: np.ndarray) -> np.ndarray:
    """(n,) from an (n, 4) boolean region array: true in at least one region (four bytes read as one int)."""
    if regions.dtype == bool and regions.shape[1:] == (4,) and regions.flags.c_contiguous:
        return cast(np.ndarray, regions.view(np.uint32)[:, 0] != 0)
    return cast(np.ndarray, regions.any(axis=1))


def any_of(regions: np.ndarray, *columns: int) -> np.ndarray:
    """(n,) true in at least one of the given region columns (e.g. the limbs, or everything above the legs)."""
    return cast(np.ndarray, np.logical_or.reduce([regions[:, c] for c in columns]))
