"""Region-evidence kernel: per patient and region, the UMN and LMN evidence each criteria set counts.

Sign meanings follow docs/ruleset.md §5 (El Escorial 1994 / revised El Escorial 2000 / Gold Coast 2020
sign lists); the EMG and clinical-LMN rules are Decisions 1-3 and 20 in ``decisions.py``.
Output arrays are (n, 4): bulbar, cervical, thoracic, lumbosacral.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.codes import EMG_COLUMNS, sign_column, variant_column
from alsdx.model.vocab import DOMINANT_ALS_GENES, REGIONS, UMN_SIGNS
from alsdx.rules.criteria import decisions as d

GOLD_COAST_UMN_SIGNS = tuple(s for s in UMN_SIGNS if s != "pseudobulbar_affect")
"""Gold Coast's UMN list has no pseudobulbar affect (Shefner 2020; Decision 12)."""


def region_evidence(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Evidence under every reading: ``lmn_clinical`` is Decision 3's default, ``lmn_clinical_with_weakness``
    its alternative; the criteria stage picks one per Interpretation."""
    n = cols["course"].shape[0]
    shape = (n, d.N_REGIONS)
    umn, umn_gc, lmn_clinical, lmn_weak, lmn_clinical_gc, weakness = (np.zeros(shape, dtype=bool) for _ in range(6))
    atrophy, fasciculations = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for i, region in enumerate(REGIONS):
        # One reduction over the stacked sign columns (axis 0 is contiguous), not one OR per sign.
        umn_gc[:, i] = np.logical_or.reduce([cols[sign_column(region, "umn", s)] for s in GOLD_COAST_UMN_SIGNS])
        umn[:, i] = umn_gc[:, i] | cols[sign_column(region, "umn", "pseudobulbar_affect")]

        def lmn(sign: str, region: str = region) -> np.ndarray:
            return cols[sign_column(region, "lmn", sign)]

        signs = (lmn("weakness"), lmn("atrophy"), lmn("fasciculations"), lmn("hyporeflexia"), lmn("flaccidity"))
        lmn_clinical[:, i] = d.clinical_lmn_el_escorial(*signs, weakness_counts=False)
        lmn_weak[:, i] = d.clinical_lmn_el_escorial(*signs, weakness_counts=True)
        lmn_clinical_gc[:, i] = d.clinical_lmn_gold_coast(lmn("weakness"), lmn("atrophy"))
        weakness[:, i] = lmn("weakness")
        atrophy[:, i] = lmn("atrophy")
        fasciculations[:, i] = lmn("fasciculations")

    emg = {k: cols[k] for k in EMG_COLUMNS}
    if emg["emg_patient"].size and np.any(emg["emg_patient"][1:] < emg["emg_patient"][:-1]):
        order = np.argsort(emg["emg_patient"], kind="stable")  # the region rule reads runs per patient
        emg = {k: v[order] for k, v in emg.items()}
    fib, fasc, chronic = (
        emg["emg_fibrillations_psw"],
        emg["emg_fasciculation_potentials"],
        emg["emg_chronic_neurogenic"],
    )
    muscle_reec = d.emg_muscle_reec(fib, fasc, chronic)
    muscle_awaji = d.emg_muscle_awaji(fib, fasc, chronic)
    table = (emg["emg_patient"], emg["emg_region"], emg["emg_nerve"], emg["emg_roots"], n)
    emg_reec = d.emg_region(muscle_reec, *table)
    emg_awaji = d.emg_region(muscle_awaji, *table)
    # Regions with at least one qualifying muscle, whether or not the region rule is met (for explanations).
    abnormal = {}
    for name, q in (("reec", muscle_reec), ("awaji", muscle_awaji)):
        seen = np.zeros(shape, dtype=bool)
        at = np.flatnonzero(q)  # by index, not by mask: see d.emg_region
        seen[emg["emg_patient"][at], emg["emg_region"][at]] = True
        abnormal[f"emg_abnormal_{name}"] = seen

    dominant = np.zeros(n, dtype=bool)
    for gene in DOMINANT_ALS_GENES:
        dominant |= cols[variant_column(gene)]
    dominant |= cols["c9orf72_repeat_expansion"]

    return {
        "umn": umn,
        "umn_gold_coast": umn_gc,
        "lmn_clinical": lmn_clinical,
        "lmn_clinical_with_weakness": lmn_weak,
        "lmn_clinical_gold_coast": lmn_clinical_gc,
        "lmn_emg_reec": emg_reec,
        "lmn_emg_awaji": emg_awaji,
        "lmn_gold_coast": lmn_clinical_gc | emg_awaji,
        "weak_only": weakness & ~lmn_clinical,
        **abnormal,
        # Raw per-region signs, read by the PLS and mimic kernels (Decision 15: atrophy is active LMN loss).
        "weakness": weakness,
        "atrophy": atrophy,
        "fasciculations": fasciculations,
        "emg_muscle_reec": muscle_reec,
        "emg_muscle_awaji": muscle_awaji,
        "dominant_gene_variant": dominant,
        "family_history_als": cols["family_history_als"],
        "normal_motor_function_before_onset": cols["normal_motor_function_before_onset"],
        "other_causes_excluded": cols["other_causes_excluded"],
        "course": cols["course"],
    }
