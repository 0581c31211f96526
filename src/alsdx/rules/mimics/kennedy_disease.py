"""Kennedy disease (spinal and bulbar muscular atrophy, SBMA).

Sources: La Spada AR. Spinal and Bulbar Muscular Atrophy. GeneReviews (last update 2022): X-linked; males; LMN
weakness, atrophy and fasciculations, bulbar involvement, perioral fasciculations, tremor, reduced reflexes,
sensory neuronopathy (reduced SNAPs); gynaecomastia, testicular atrophy and reduced fertility (androgen
insensitivity); the diagnosis is established in a male proband by an AR CAG repeat expansion of > 35 repeats.
Laskaratos A, Breza M, Karadima G, Koutsis G. Wide range of reduced penetrance alleles in spinal and bulbar
muscular atrophy: a model-based approach. J Med Genet 2020 (doi:10.1136/jmedgenet-2020-106963): <= 34 repeats
carry no risk; penetrance rises gradually from 35 repeats (35-37 reduced penetrance; >= 38 traditionally fully
penetrant). Seed note: "X-linked ... progressive LMN pattern ... androgen resistance (gynecomastia, defective
spermatogenesis)".

Rule (boundaries tested): AR CAG <= 34 normal -> the mimic is not raised (genetically excluded); 35 ->
consider (reduced penetrance, below GeneReviews' "> 35"); 36-37 -> likely in a male: above GeneReviews'
diagnostic threshold, so the expansion establishes SBMA in a symptomatic male, while the reduced-penetrance
flag is kept because Laskaratos 2020 puts 36-37 in the reduced-penetrance range; >= 38 -> likely (fully
penetrant). A female with an expansion is a carrier (SBMA manifests in males): consider. Clinical consider
(not female): LMN involvement with gynaecomastia, testicular atrophy/reduced fertility, perioral
fasciculations, reduced SNAPs, or bulbar and limb LMN signs without any UMN sign."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import BULBAR, SPINAL, Cols, Feature, Mimic, any_of, any_region, level, lmn, lower_motor

CAG_NORMAL_MAX = 34
CAG_DIAGNOSTIC_ABOVE = 35
CAG_FULL_PENETRANCE_MIN = 38


def kennedy_disease(x: Cols) -> dict[str, np.ndarray]:
    cag = x["genetics_ar_cag_repeats"]
    known = ~np.isnan(cag)
    normal = known & (cag <= CAG_NORMAL_MAX)
    reduced = known & (cag > CAG_NORMAL_MAX) & (cag < CAG_FULL_PENETRANCE_MIN)
    expanded = known & (cag > CAG_DIAGNOSTIC_ABOVE)
    full = known & (cag >= CAG_FULL_PENETRANCE_MIN)
    female = x["sex_female"]
    low, umn = lower_motor(x), any_region(x["umn"])
    motor = any_region(low)
    involved = lmn(x)
    bulbar_limb_lmn_only = involved[:, BULBAR] & any_of(involved, *SPINAL) & ~umn
    snaps = x["ncs_sensory_abnormal"] & motor
    clinical = (
        ~female
        & motor
        & (
            x["exam_gynecomastia"]
            | x["history_testicular_atrophy_or_reduced_fertility"]
            | x["exam_perioral_fasciculations"]
            | snaps
            | bulbar_limb_lmn_only
        )
    )
    consider = (clinical | reduced | (female & expanded)) & ~normal
    likely = ~female & expanded
    raised = consider | likely
    return {
        "level": level(consider, likely),
        "flag_ar_cag_expanded": expanded,
        "flag_ar_cag_reduced_penetrance": reduced,
        "flag_ar_cag_full_penetrance": full,
        "flag_gynecomastia": x["exam_gynecomastia"] & raised,
        "flag_testicular_atrophy_or_reduced_fertility": x["history_testicular_atrophy_or_reduced_fertility"] & raised,
        "flag_perioral_fasciculations": x["exam_perioral_fasciculations"] & raised,
        "flag_tremor": x["exam_tremor"] & raised,
        "flag_reduced_snaps": snaps & raised,
        "flag_bulbar_and_limb_lmn_without_umn": bulbar_limb_lmn_only & raised,
        "against_ar_cag_normal": normal,
        "against_female": female,
        "against_umn_signs": umn,
    }


MIMIC = Mimic(
    id="kennedy_disease",
    name="Kennedy disease (spinal and bulbar muscular atrophy)",
    kernel=kennedy_disease,
    flags={
        "ar_cag_expanded": Feature(
            "AR CAG repeat above 35 (GeneReviews: establishes SBMA in a symptomatic male)",
            ("genetics.ar_cag_repeats",),
        ),
        "ar_cag_reduced_penetrance": Feature(
            "AR CAG repeat 35-37: reduced-penetrance range (Laskaratos 2020)", ("genetics.ar_cag_repeats",)
        ),
        "ar_cag_full_penetrance": Feature("AR CAG repeat 38 or more: fully penetrant", ("genetics.ar_cag_repeats",)),
        "gynecomastia": Feature("gynaecomastia", ("exam.gynecomastia",)),
        "testicular_atrophy_or_reduced_fertility": Feature(
            "testicular atrophy or reduced fertility", ("history.testicular_atrophy_or_reduced_fertility",)
        ),
        "perioral_fasciculations": Feature("perioral / chin fasciculations", ("exam.perioral_fasciculations",)),
        "tremor": Feature("tremor", ("exam.tremor",)),
        "reduced_snaps": Feature("reduced sensory nerve action potentials", ("ncs.sensory_abnormal",)),
        "bulbar_and_limb_lmn_without_umn": Feature(
            "bulbar and limb LMN involvement without any UMN sign", ("exam.bulbar.lmn", "exam", "emg")
        ),
    },
    against={
        "ar_cag_normal": Feature("AR CAG repeat 34 or fewer (normal)", ("genetics.ar_cag_repeats",)),
        "female": Feature("female sex (SBMA manifests in males; carriers are usually unaffected)", ("sex",)),
        "umn_signs": Feature("UMN signs (SBMA is a pure LMN disorder)", ("exam",)),
    },
    workup=("ar_cag", "ck", "ncs"),
    treatable=False,
    source=(
        "La Spada AR. GeneReviews: Spinal and Bulbar Muscular Atrophy (2022); Laskaratos A, et al. J Med "
        "Genet 2020 (doi:10.1136/jmedgenet-2020-106963)"
    ),
)
