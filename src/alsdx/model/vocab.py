"""The closed vocabularies of the case file: regions, sign codes, genes.

Sign codes follow case-format.md; their UMN/LMN meaning follows docs/ruleset.md §5
(El Escorial 1994, revised El Escorial 2000, Gold Coast 2020 sign lists).
"""

from __future__ import annotations

from typing import Final, Literal

REGIONS: Final = ("bulbar", "cervical", "thoracic", "lumbosacral")
"""The four neuronal pools, rostral to caudal (rank = index + 1)."""

Region = Literal["bulbar", "cervical", "thoracic", "lumbosacral"]

UMN_SIGNS: Final = (
    "hyperreflexia",
    "reflex_preserved_in_weak_wasted_muscle",
    "spread_of_reflexes",
    "babinski",
    "hoffmann",
    "crossed_adductor",
    "jaw_jerk",
    "snout",
    "spasticity",
    "clonus",
    "slowed_movements",
    "pseudobulbar_affect",
)
LMN_SIGNS: Final = ("weakness", "atrophy", "fasciculations", "hyporeflexia", "flaccidity")

UmnSign = Literal[
    "hyperreflexia",
    "reflex_preserved_in_weak_wasted_muscle",
    "spread_of_reflexes",
    "babinski",
    "hoffmann",
    "crossed_adductor",
    "jaw_jerk",
    "snout",
    "spasticity",
    "clonus",
    "slowed_movements",
    "pseudobulbar_affect",
]
LmnSign = Literal["weakness", "atrophy", "fasciculations", "hyporeflexia", "flaccidity"]

_ANY_REGION_UMN = Literal[
    "hyperreflexia",
    "reflex_preserved_in_weak_wasted_muscle",
    "spread_of_reflexes",
    "spasticity",
    "clonus",
    "slowed_movements",
]
BulbarUmnSign = Literal[_ANY_REGION_UMN, "jaw_jerk", "snout", "pseudobulbar_affect"]
CervicalUmnSign = Literal[_ANY_REGION_UMN, "hoffmann"]
ThoracicUmnSign = _ANY_REGION_UMN
LumbosacralUmnSign = Literal[_ANY_REGION_UMN, "babinski", "crossed_adductor"]

UMN_SIGN_ONLY_IN: Final[dict[str, str]] = {
    # Signs that belong to one region's anatomy (docs/ruleset.md §5: jaw jerk, snout and pseudobulbar
    # affect are bulbar; Hoffmann is a finger reflex; Babinski and crossed adductor are leg reflexes).
    "jaw_jerk": "bulbar",
    "snout": "bulbar",
    "pseudobulbar_affect": "bulbar",
    "hoffmann": "cervical",
    "babinski": "lumbosacral",
    "crossed_adductor": "lumbosacral",
}

SIGN_LABELS: Final[dict[str, str]] = {
    "hyperreflexia": "hyperreflexia",
    "reflex_preserved_in_weak_wasted_muscle": "reflex preserved in a weak, wasted muscle",
    "spread_of_reflexes": "spread of reflexes",
    "babinski": "extensor plantar (Babinski)",
    "hoffmann": "Hoffmann sign",
    "crossed_adductor": "crossed adductor reflex",
    "jaw_jerk": "brisk jaw jerk",
    "snout": "snout reflex",
    "spasticity": "spasticity",
    "clonus": "clonus",
    "slowed_movements": "slowed movements",
    "pseudobulbar_affect": "pseudobulbar affect",
    "weakness": "weakness",
    "atrophy": "atrophy",
    "fasciculations": "fasciculations",
    "hyporeflexia": "reduced/absent reflexes",
    "flaccidity": "flaccidity",
}

BULBAR_SYMPTOMS: Final = ("dysarthria", "dysphagia", "sialorrhea", "voice_change")
BulbarSymptom = Literal["dysarthria", "dysphagia", "sialorrhea", "voice_change"]

ROOT_NAMES: Final = (
    tuple(f"C{i}" for i in range(1, 9))
    + tuple(f"T{i}" for i in range(1, 13))
    + tuple(f"L{i}" for i in range(1, 6))
    + tuple(f"S{i}" for i in range(1, 6))
    + ("CN V", "CN VII", "CN IX", "CN X", "CN XI", "CN XII")
)
"""Spinal roots and motor cranial nerves, each one bit of a root mask (columns/codes.py)."""

DOMINANT_ALS_GENES: Final = (
    "C9orf72",
    "SOD1",
    "TARDBP",
    "FUS",
    "TBK1",
    "OPTN",
    "VCP",
    "UBQLN2",
    "SQSTM1",
    "PFN1",
    "MATR3",
    "CHCHD10",
    "ANXA11",
    "KIF5A",
    "TUBA4A",
    "VAPB",
)
"""Established autosomal-dominant ALS genes (docs/ruleset.md Decision 11): a pathogenic or likely pathogenic
variant in one of them, with a family history, gives the revised El Escorial familial category. Risk or
recessive genes (NEK1, ANG, ALS2, SETX) do not qualify; a VUS never counts."""

KNOWN_GENES: Final = (
    *DOMINANT_ALS_GENES,
    # Risk or recessive genes that do not qualify for the familial category.
    "NEK1",
    "ANG",
    "ALS2",
    "SETX",
    "SPG11",
    # Genes of mimics (Kennedy disease, hexosaminidase A deficiency).
    "AR",
    "HEXA",
)
"""Genes given their own column; any other gene symbol is accepted and counted as 'other'."""
