"""Column names and code tables shared by both front ends (``from_case``, ``from_arrow``) and read by the rules.

Patient columns have one element per patient; the EMG side table has one row per muscle studied, its
``emg_patient`` column holding the patient's row index. Conventions, so that kernels never branch on Python
values:
- numeric lab values are float64, NaN when never measured (rules use the latest value of each analyte);
- categorical results are int8 codes: ``NOT_DONE`` (-1), ``NEGATIVE`` (0: negative / normal / absent),
  ``POSITIVE`` (1: positive / abnormal / present / low HexA activity / raised lead);
- MRI results are int8 codes ``NOT_DONE``, ``MRI_NORMAL``, ``MRI_COMPRESSIVE``, ``MRI_OTHER_LESION``;
- dates of the criteria and mimic columns are day ordinals (``date.toordinal()``), so durations are integer
  comparisons; the course tables hold them as float64 so that NaN can mean "not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from alsdx.model.case import ALSFRS_ITEMS
from alsdx.model.vocab import KNOWN_GENES, LMN_SIGNS, REGIONS, ROOT_NAMES, UMN_SIGNS

Columns = dict[str, np.ndarray]

# --- criteria columns --------------------------------------------------------------------------------------

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


def root_mask(roots: Sequence[str]) -> int:
    mask = 0
    for root in roots:
        mask |= ROOT_BIT[root]
    return mask


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
REGION_EXAMINED: Final = "region_examined"
"""(n, 4) booleans in ``REGIONS`` order: the region was examined (``RegionSigns.examined``); "unknown is not
absent", so a kernel that needs a region *free* of signs reads this before calling it spared."""
REGION_EMG_STUDIED: Final = "region_emg_studied"
"""(n, 4) booleans in ``REGIONS`` order: some muscle of the region was studied by needle EMG."""

# --- differential (mimic, PLS, supportive, work-up) columns ---------------------------------------------------

NOT_DONE, NEGATIVE, POSITIVE = -1, 0, 1
MRI_NORMAL, MRI_COMPRESSIVE, MRI_OTHER_LESION = 0, 1, 2
TONGUE_ABSENT, TONGUE_PRESENT, TONGUE_SYMMETRIC_ONLY = 0, 1, 2

EXAM_FLAGS: Final = (
    "sensory_loss",
    "sphincter_dysfunction",
    "neck_pain_or_radicular_pain",
    "gynecomastia",
    "dermatomyositis_rash",
    "fatigable_weakness",
    "weakness_fluctuating",
    "ptosis_or_diplopia",
    "perioral_fasciculations",
    "tremor",
    "split_hand",
    "head_drop",
    "dorsal_column_sensory_loss",
    "severe_pain_at_onset",
    "myalgia",
    "ataxia",
    "asymmetric_lower_cranial_nerve_signs",
)
WEAKNESS_FLAGS: Final = ("asymmetric", "proximal", "distal", "finger_flexors", "quadriceps")
BULBAR_SYMPTOMS: Final = ("dysarthria", "dysphagia")
HISTORY_FLAGS: Final = (
    "prior_paralytic_polio",
    "gastric_surgery_or_zinc_excess",
    "lead_exposure",
    "endemic_htlv1_origin",
    "ashkenazi_ancestry",
    "known_malignancy",
    "testicular_atrophy_or_reduced_fertility",
    "subacute_onset",
    "family_history_spastic_paraplegia",
)
LAB_NUMBERS: Final = (
    "ck_u_per_l",
    "tsh_mu_per_l",
    "calcium_mmol_per_l",
    "b12_pmol_per_l",
    "copper_umol_per_l",
    "csf_protein_g_per_l",
)
LAB_CODES: Final[dict[str, str]] = {
    # field -> the value coded POSITIVE
    "anti_gm1_igm": "positive",
    "csf_oligoclonal_bands": "positive",
    "paraprotein": "present",
    "hiv": "positive",
    "htlv1": "positive",
    "achr_antibodies": "positive",
    "musk_antibodies": "positive",
    "onconeural_antibodies": "positive",
    "hexa_activity": "low",
    "blood_lead": "raised",
}
NCS_FLAGS: Final = ("motor_conduction_block", "sensory_abnormal", "slowed_conduction_demyelinating")
INVESTIGATION_CODES: Final = {"abnormal": POSITIVE, "normal": NEGATIVE}
MRI_FIELDS: Final = ("cervical_spine_mri", "brain_mri", "lumbosacral_spine_mri")
MRI_CODES: Final = {
    "not_done": NOT_DONE,
    "normal": MRI_NORMAL,
    "compressive_myelopathy": MRI_COMPRESSIVE,
    "compressive_lesion": MRI_COMPRESSIVE,
    "abnormal": MRI_OTHER_LESION,
    "other_lesion": MRI_OTHER_LESION,
}
TONGUE_CODES: Final = {
    None: NOT_DONE,
    "absent": TONGUE_ABSENT,
    "present": TONGUE_PRESENT,
    "symmetric_movements_only": TONGUE_SYMMETRIC_ONLY,
}

# --- course tables (alsdx.rules.course) -----------------------------------------------------------------------

COURSE_PATIENT_COLUMNS: Final = (
    "onset_day",  # symptom_onset
    "assessment_day",  # assessment_date
    "diagnosis_day",  # diagnosis_date, NaN when not given
    "age_at_onset_julian_years",  # age_at_onset, or dates.julian_age from birth_date; NaN when neither
    "onset_bulbar",  # onset_region == bulbar (bool)
    "frontotemporal_dementia",  # bool
    "c9orf72",  # genetics.c9orf72_repeat_expansion: 1 / 0 / NaN unknown
    "exam_orthopnea",  # exam.orthopnea (bool)
    "snip_cm_h2o",  # latest recorded SNIP (positive magnitude), NaN when none
    "snip_day",
    "mip_cm_h2o",  # latest recorded MIP (negative pressure), NaN when none
    "mip_day",
    "nocturnal_oximetry_abnormal",  # latest recorded: 1 / 0 / NaN
    "nocturnal_oximetry_day",
    "reec_definite",  # 1 / 0 from the criteria engine; NaN from the front ends (the case does not say)
)
"""The course kernels' patient columns. Dates are day numbers (``date.toordinal()``) as float64, NaN when not
recorded; scores float64 with NaN for an unanswered item; yes/no facts that may be unknown 1.0 / 0.0 / NaN."""
VISIT_COLUMNS: Final = (
    "patient",
    "alsfrs_index",  # position of the visit in the case's alsfrs_r list (for error paths)
    "alsfrs_day",
    "onset_day",  # the patient's onset, repeated per visit (for ΔFS at each visit)
    "alsfrs_gastrostomy",  # bool: item 5 scored on 5b
    *(f"alsfrs_{i}" for i in ALSFRS_ITEMS),
)
"""The ALSFRS-R visit side table, one row per visit, chronological within a patient; ``patient`` is the row
index into the patient columns. The 12 items in form order, column ``alsfrs_<item>``."""
FVC_COLUMNS: Final = ("fvc_patient", "fvc_day", "fvc_percent", "fvc_upright")
"""The FVC side table, one row per measurement."""


@dataclass(frozen=True)
class CourseColumns:
    """The course kernels' three tables (``alsdx.rules.course.pipeline``)."""

    patients: Columns
    visits: Columns
    fvc: Columns

    @property
    def n(self) -> int:
        return len(self.patients["onset_day"])
