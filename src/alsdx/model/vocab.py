"""The closed vocabularies of the case file: regions, sign codes, bulbar symptoms, genes, variant classes,
investigation tests.

Sign codes follow case-format.md; their UMN/LMN meaning follows docs/ruleset.md §5
(El Escorial 1994, revised El Escorial 2000, Gold Coast 2020 sign lists). Each closed list is written once, as a
``Literal`` (what the case model validates and type checkers read); its tuple (what columns and tables iterate) is
derived from it with ``typing.get_args``.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Region = Literal["bulbar", "cervical", "thoracic", "lumbosacral"]
REGIONS: Final[tuple[str, ...]] = get_args(Region)
"""The four neuronal pools, rostral to caudal (rank = index + 1)."""

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
UMN_SIGNS: Final[tuple[str, ...]] = get_args(UmnSign)
LMN_SIGNS: Final[tuple[str, ...]] = get_args(LmnSign)

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

BulbarSymptom = Literal["dysarthria", "dysphagia", "sialorrhea", "voice_change"]
BULBAR_SYMPTOMS: Final[tuple[str, ...]] = get_args(BulbarSymptom)

VariantClass = Literal["pathogenic", "likely_pathogenic", "vus", "benign"]
"""ACMG/AMP variant classes (Richards S et al., Genet Med 2015;17:405-424); the case file has no "likely benign"."""
VARIANT_CLASSES: Final[tuple[str, ...]] = get_args(VariantClass)
PATHOGENIC_CLASSES: Final[tuple[VariantClass, ...]] = ("pathogenic", "likely_pathogenic")
"""The classes that count as a genetic finding: pathogenic or likely pathogenic, never a VUS (docs/ruleset.md
Decision 11). Every rule and door that asks "does this variant count" reads this one constant (through
``Genetics.pathogenic_genes`` where it has a case)."""

InvestigationTest = Literal[
    "blood_count_inflammatory_markers",
    "biochemistry",
    "muscle_biopsy",
    "myositis_antibodies",
    "brachial_plexus_mri",
    "vlcfa",
    "hsp_gene_panel",
    "malignancy_screen",
]
"""Work-up tests without a dedicated case field (the others are read from labs, ncs, emg, imaging, genetics)."""
INVESTIGATION_TESTS: Final[tuple[str, ...]] = get_args(InvestigationTest)

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
