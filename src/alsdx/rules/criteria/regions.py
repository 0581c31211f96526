"""Region-evidence kernel: per patient and region, the UMN and LMN evidence each criteria set counts.

Sign meanings follow clinical-spec.md §5 (El Escorial 1994 / revised El Escorial 2000 / Gold Coast 2020
sign lists); the EMG and clinical-LMN rules are Decisions 1-3 and 20 in ``decisions.py``.
Output arrays are (n, 4): bulbar, cervical, thoracic, lumbosacral.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.model.columns import sign_column, variant_column
from alsdx.model.vocab import REGIONS, UMN_SIGNS
from alsdx.rules.criteria import decisions as d
from alsdx.rules.criteria.interpretation import Interpretation

GOLD_COAST_UMN_SIGNS = tuple(s for s in UMN_SIGNS if s != "pseudobulbar_affect")
"""Gold Coast's UMN list has no pseudobulbar affect (Shefner 2020; Decision 12)."""


def region_evidence(cols: Mapping[str, np.ndarray], interp: Interpretation = Interpretation()) -> dict[str, np.ndarray]:
    n = cols["course"].shape[0]
    shape = (n, d.N_REGIONS)
    umn, umn_gc, lmn_clinical, lmn_clinical_gc, weakness = (np.zeros(shape, dtype=bool) for _ in range(5))
    atrophy, fasciculations = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for i, region in enumerate(REGIONS):
        for sign in UMN_SIGNS:
            found = cols[sign_column(region, "umn", sign)]
            umn[:, i] |= found
            if sign in GOLD_COAST_UMN_SIGNS:
                umn_gc[:, i] |= found

        def lmn(sign: str, region: str = region) -> np.ndarray:
            return cols[sign_column(region, "lmn", sign)]

        lmn_clinical[:, i] = d.clinical_lmn_el_escorial(
            lmn("weakness"),
            lmn("atrophy"),
            lmn("fasciculations"),
            lmn("hyporeflexia"),
            lmn("flaccidity"),
            interp.weakness_counts_as_lmn,
        )
        lmn_clinical_gc[:, i] = d.clinical_lmn_gold_coast(lmn("weakness"), lmn("atrophy"))
        weakness[:, i] = lmn("weakness")
        atrophy[:, i] = lmn("atrophy")
        fasciculations[:, i] = lmn("fasciculations")

    fib, fasc, chronic = (
        cols["emg_fibrillations_psw"],
        cols["emg_fasciculation_potentials"],
        cols["emg_chronic_neurogenic"],
    )
    muscle_reec = d.emg_muscle_reec(fib, fasc, chronic)
    muscle_awaji = d.emg_muscle_awaji(fib, fasc, chronic)
    table = (cols["emg_patient"], cols["emg_region"], cols["emg_nerve"], cols["emg_roots"], n)
    emg_reec = d.emg_region(muscle_reec, *table)
    emg_awaji = d.emg_region(muscle_awaji, *table)

    dominant = np.zeros(n, dtype=bool)
    for gene in d.DOMINANT_ALS_GENES:
        dominant |= cols[variant_column(gene)]
    dominant |= cols["c9orf72_repeat_expansion"]

    return {
        "umn": umn,
        "umn_gold_coast": umn_gc,
        "lmn_clinical": lmn_clinical,
        "lmn_clinical_gold_coast": lmn_clinical_gc,
        "lmn_emg_reec": emg_reec,
        "lmn_emg_awaji": emg_awaji,
        "lmn_gold_coast": lmn_clinical_gc | emg_awaji,
        "weak_only": weakness & ~lmn_clinical,
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
