"""Benign fasciculation syndrome.

Source: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Table 2: fasciculations without weakness, wasting
or UMN signs; EMG shows no chronic neurogenic change or fibrillation; re-examine if weakness appears.

Rule: consider - clinical fasciculations with no weakness, no atrophy and no UMN sign anywhere. likely - that,
with an EMG study in which no muscle shows fibrillations/positive sharp waves or chronic neurogenic change."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, emg_studied, level, patients_with


def benign_fasciculation_syndrome(x: Cols) -> dict[str, np.ndarray]:
    only = (
        any_region(x["fasciculations"]) & ~any_region(x["weakness"]) & ~any_region(x["atrophy"]) & ~any_region(x["umn"])
    )
    studied = emg_studied(x)
    denervation = patients_with(x, x["emg_fibrillations_psw"] | x["emg_chronic_neurogenic"])
    quiet = studied & ~denervation
    return {
        "level": level(only, only & quiet),
        "flag_fasciculations_only": only,
        "flag_emg_without_denervation": only & quiet,
        "against_emg_denervation": denervation,
    }


MIMIC = Mimic(
    id="benign_fasciculation_syndrome",
    name="Benign fasciculation syndrome",
    kernel=benign_fasciculation_syndrome,
    flags={
        "fasciculations_only": Feature(
            "fasciculations without weakness, wasting or UMN signs",
            ("exam.bulbar", "exam.cervical", "exam.thoracic", "exam.lumbosacral"),
        ),
        "emg_without_denervation": Feature("EMG without fibrillations or chronic neurogenic change", ("emg",)),
    },
    against={
        "emg_denervation": Feature("EMG shows fibrillations or chronic neurogenic change", ("emg",)),
    },
    workup=("emg",),
    treatable=False,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Table 2)",
    notes=("Re-examine if weakness or wasting appears.",),
)
