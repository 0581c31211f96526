"""Mimics of ALS: one column kernel per mimic, each citing its source, and the registry the engine renders.

Order is the registry order (seed-note mimics first, then docs/ruleset.md §12); the engine sorts raised mimics
likely first, then treatable first, then by this order."""

from __future__ import annotations

from alsdx.rules.mimics import (
    b12_copper_deficiency,
    benign_fasciculation_syndrome,
    cervical_myelopathy,
    hexosaminidase_a_deficiency,
    hiv,
    hsp,
    htlv1,
    inclusion_body_myositis,
    kennedy_disease,
    lead_neuropathy,
    lumbosacral_radiculopathy,
    motor_cidp,
    multifocal_motor_neuropathy,
    myasthenia_gravis,
    neuralgic_amyotrophy,
    paraneoplastic_paraproteinaemic,
    polymyositis_dermatomyositis,
    post_polio,
    ppms,
    primary_lateral_sclerosis,
    skull_base_lesion,
    thyroid_parathyroid,
)
from alsdx.rules.mimics.common import Feature, Mimic

__all__ = ["LEVELS", "MIMICS", "MIMIC_BY_ID", "Feature", "Mimic"]

LEVELS = ("none", "consider", "likely")

MIMICS: tuple[Mimic, ...] = tuple(
    module.MIMIC
    for module in (
        cervical_myelopathy,
        primary_lateral_sclerosis,
        multifocal_motor_neuropathy,
        kennedy_disease,
        inclusion_body_myositis,
        polymyositis_dermatomyositis,
        myasthenia_gravis,
        benign_fasciculation_syndrome,
        hexosaminidase_a_deficiency,
        thyroid_parathyroid,
        b12_copper_deficiency,
        lead_neuropathy,
        hiv,
        htlv1,
        paraneoplastic_paraproteinaemic,
        post_polio,
        motor_cidp,
        neuralgic_amyotrophy,
        hsp,
        ppms,
        skull_base_lesion,
        lumbosacral_radiculopathy,
    )
)
MIMIC_BY_ID = {m.id: m for m in MIMICS}
