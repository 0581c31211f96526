"""Case <-> columns: the flat, named numpy layout every rule kernel reads (docs/architecture.md "column kernels").

One element per patient for patient columns; EMG findings form a side table (one row per muscle
studied) whose ``emg_patient`` column holds the patient's row index. Column names are the contract
between the model and ``alsdx.rules``: rules import the names from here and nothing else of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from alsdx.model.case import Case
from alsdx.model.mimic_columns import mimic_columns
from alsdx.model.vocab import KNOWN_GENES, LMN_SIGNS, PATHOGENIC_CLASSES, REGIONS, ROOT_NAMES, UMN_SIGNS

Columns = dict[str, np.ndarray]

COURSE_CODES: Final = ("progressive", "not_progressive", "unknown")
PROGRESSIVE, NOT_PROGRESSIVE, COURSE_UNKNOWN = 0, 1, 2

ROOT_BIT: Final[dict[str, int]] = {name: 1 << i for i, name in enumerate(ROOT_NAMES)}
"""Each root is one bit of an int64 mask, so root-set equality is integer equality."""


def sign_column(region: str, kind: str, sign: str) -> str:
    """Name of the boolean column 'sign found in region', e.g. ``cervical_umn_hoffmann``."""
    return f"{region}_{kind}_{sign}"


def variant_column(gene: str) -> str:
    """Name of the boolean column 'pathogenic or likely pathogenic variant in gene'."""
    return f"variant_plp_{gene}"


SIGN_COLUMNS: Final = tuple(
    [sign_column(r, "umn", s) for r in REGIONS for s in UMN_SIGNS]
    + [sign_column(r, "lmn", s) for r in REGIONS for s in LMN_SIGNS]
)
PATIENT_FLAG_COLUMNS: Final = (
    "normal_motor_function_before_onset",
    "other_causes_excluded",
    "family_history_als",
    "frontotemporal_dementia",
    "c9orf72_repeat_expansion",
)
VARIANT_COLUMNS: Final = (*(variant_column(g) for g in KNOWN_GENES), variant_column("other"))
EMG_COLUMNS: Final = (
    "emg_patient",
    "emg_region",
    "emg_nerve",
    "emg_roots",
    "emg_fibrillations_psw",
    "emg_fasciculation_potentials",
    "emg_chronic_neurogenic",
)
PATIENT_COLUMNS: Final = ("course", *PATIENT_FLAG_COLUMNS, *SIGN_COLUMNS, *VARIANT_COLUMNS)


def root_mask(roots: Sequence[str]) -> int:
    mask = 0
    for root in roots:
        mask |= ROOT_BIT[root]
    return mask


def case_columns(cases: Sequence[Case]) -> Columns:
    """Flatten validated cases into columns (patient columns of length n plus the EMG side table)."""
    n = len(cases)
    sign_index = {name: i for i, name in enumerate(SIGN_COLUMNS)}
    signs = np.zeros((n, len(SIGN_COLUMNS)), dtype=bool)
    flags = np.zeros((n, len(PATIENT_FLAG_COLUMNS)), dtype=bool)
    variant_index = {name: i for i, name in enumerate(VARIANT_COLUMNS)}
    variants = np.zeros((n, len(VARIANT_COLUMNS)), dtype=bool)
    course = np.empty(n, dtype=np.int8)
    emg_rows: list[tuple[int, int, str, int, bool, bool, bool]] = []
    for i, case in enumerate(cases):
        course[i] = COURSE_CODES.index(case.course)
        flags[i] = (
            case.normal_motor_function_before_onset,
            case.other_causes_excluded,
            case.family_history_als,
            case.frontotemporal_dementia,
            bool(case.genetics.c9orf72_repeat_expansion),
        )
        for region in REGIONS:
            found = case.exam.region(region)
            for sign in found.umn:
                signs[i, sign_index[sign_column(region, "umn", sign)]] = True
            for lmn_sign in found.lmn:
                signs[i, sign_index[sign_column(region, "lmn", lmn_sign)]] = True
        for variant in case.genetics.variants:
            if variant.classification in PATHOGENIC_CLASSES:
                column = variant_column(variant.gene if variant.gene in KNOWN_GENES else "other")
                variants[i, variant_index[column]] = True
        for m in case.emg:
            assert m.region is not None and m.nerve is not None and m.roots is not None
            emg_rows.append(
                (
                    i,
                    REGIONS.index(m.region),
                    m.nerve,
                    root_mask(m.roots),
                    m.fibrillations_psw,
                    m.fasciculation_potentials,
                    m.chronic_neurogenic,
                )
            )
    cols: Columns = {"course": course}
    cols.update({name: flags[:, j] for j, name in enumerate(PATIENT_FLAG_COLUMNS)})
    cols.update({name: signs[:, j] for j, name in enumerate(SIGN_COLUMNS)})
    cols.update({name: variants[:, j] for j, name in enumerate(VARIANT_COLUMNS)})
    cols.update(emg_columns(emg_rows))
    cols.update(mimic_columns(cases))
    return cols


def emg_columns(rows: Sequence[tuple[int, int, str, int, bool, bool, bool]]) -> Columns:
    """The EMG side table; nerve names are interned to integers (only equality matters to the rules)."""
    nerve_ids: dict[str, int] = {}
    return {
        "emg_patient": np.array([r[0] for r in rows], dtype=np.int64),
        "emg_region": np.array([r[1] for r in rows], dtype=np.int8),
        "emg_nerve": np.array([nerve_ids.setdefault(r[2], len(nerve_ids)) for r in rows], dtype=np.int64),
        "emg_roots": np.array([r[3] for r in rows], dtype=np.int64),
        "emg_fibrillations_psw": np.array([r[4] for r in rows], dtype=bool),
        "emg_fasciculation_potentials": np.array([r[5] for r in rows], dtype=bool),
        "emg_chronic_neurogenic": np.array([r[6] for r in rows], dtype=bool),
    }
