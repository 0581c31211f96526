"""Case -> patient columns for the mimic, PLS, supportive-feature and work-up kernels (alsdx.rules.mimics).

Every column has length n (one element per patient). Conventions, so that kernels never branch on Python
values:
- numeric lab values are float64, NaN when never measured (rules use the latest value of each analyte);
- categorical results are int8 codes: ``NOT_DONE`` (-1), ``NEGATIVE`` (0: negative / normal / absent),
  ``POSITIVE`` (1: positive / abnormal / present / low HexA activity / raised lead);
- MRI results are int8 codes ``NOT_DONE``, ``MRI_NORMAL``, ``MRI_COMPRESSIVE``, ``MRI_OTHER_LESION``;
- dates are day ordinals (``date.toordinal()``), so durations are integer comparisons.

Anniversaries (decision in docs/case-format.md "Extensions: mimics"): the n-th anniversary of a date is the
same day n calendar years later; 29 February clamps to 28 February in a common year, as calendar months clamp
in docs/ruleset.md Decision 16. Age at onset, when derived from birth_date, is exact calendar age: completed
years plus the elapsed fraction of the current year of age."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

import numpy as np

from alsdx.model.case import Case, LabPanel
from alsdx.model.vocab import INVESTIGATION_TESTS

Columns = dict[str, np.ndarray]

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
MRI_FIELDS: Final = ("cervical_spine_mri", "brain_mri", "lumbosacral_spine_mri")
_MRI_CODES: Final = {
    "not_done": NOT_DONE,
    "normal": MRI_NORMAL,
    "compressive_myelopathy": MRI_COMPRESSIVE,
    "compressive_lesion": MRI_COMPRESSIVE,
    "abnormal": MRI_OTHER_LESION,
    "other_lesion": MRI_OTHER_LESION,
}
_TONGUE: Final = {
    None: NOT_DONE,
    "absent": TONGUE_ABSENT,
    "present": TONGUE_PRESENT,
    "symmetric_movements_only": TONGUE_SYMMETRIC_ONLY,
}


def anniversary(d: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February -> 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def calendar_age(birth: date, on: date) -> float:
    """Exact age in years: completed years plus the elapsed fraction of the current year of age."""
    years = on.year - birth.year - (1 if (on.month, on.day) < (birth.month, birth.day) else 0)
    last, nxt = anniversary(birth, years), anniversary(birth, years + 1)
    return years + (on - last).days / (nxt - last).days


def _latest(labs: Sequence[LabPanel], field: str) -> tuple[object, LabPanel | None]:
    """Latest recorded value of one analyte (ties on date: the panel listed last)."""
    found: tuple[object, LabPanel | None] = (None, None)
    best: date | None = None
    for panel in labs:
        value = getattr(panel, field)
        if value is not None and (best is None or panel.date >= best):
            found, best = (value, panel), panel.date
    return found


def mimic_columns(cases: Sequence[Case]) -> Columns:
    """Patient columns for the differential kernels (see the module docstring for the codes)."""
    n = len(cases)
    cols: Columns = {
        "sex_male": np.array([c.sex == "male" for c in cases], dtype=bool),
        "sex_female": np.array([c.sex == "female" for c in cases], dtype=bool),
        "age_at_onset_years": np.array([_onset_age(c) for c in cases], dtype=np.float64),
        "onset_day": np.array([c.symptom_onset.toordinal() for c in cases], dtype=np.int64),
        "assessment_day": np.array([c.assessment_date.toordinal() for c in cases], dtype=np.int64),
    }
    for years in (1, 2, 4):
        cols[f"onset_plus_{years}y_day"] = np.array(
            [anniversary(c.symptom_onset, years).toordinal() for c in cases], dtype=np.int64
        )
    for name in EXAM_FLAGS:
        cols[f"exam_{name}"] = np.array([getattr(c.exam, name) for c in cases], dtype=bool)
    for name in WEAKNESS_FLAGS:
        cols[f"exam_weakness_{name}"] = np.array([getattr(c.exam.weakness, name) for c in cases], dtype=bool)
    for symptom in ("dysarthria", "dysphagia"):
        cols[f"exam_{symptom}"] = np.array([symptom in c.exam.bulbar_symptoms for c in cases], dtype=bool)
    cols["exam_tongue_fasciculations"] = np.array([_TONGUE[c.exam.tongue_fasciculations] for c in cases], dtype=np.int8)
    for name in HISTORY_FLAGS:
        cols[f"history_{name}"] = np.array([getattr(c.history, name) for c in cases], dtype=bool)
    cols.update(_lab_columns(cases))
    cols["ncs_done"] = np.array([c.ncs is not None for c in cases], dtype=bool)
    for name in ("motor_conduction_block", "sensory_abnormal", "slowed_conduction_demyelinating"):
        cols[f"ncs_{name}"] = np.array([bool(c.ncs and getattr(c.ncs, name)) for c in cases], dtype=bool)
    cols["ncs_rns_decrement"] = np.array(
        [_code(c.ncs.rns_decrement if c.ncs else None, True) for c in cases], dtype=np.int8
    )
    for name in MRI_FIELDS:
        cols[f"imaging_{name}"] = np.array([_MRI_CODES[getattr(c.imaging, name)] for c in cases], dtype=np.int8)
    cols["genetics_ar_cag_repeats"] = np.array(
        [np.nan if c.genetics.ar_cag_repeats is None else c.genetics.ar_cag_repeats for c in cases],
        dtype=np.float64,
    )
    for test in INVESTIGATION_TESTS:
        cols[f"investigation_{test}"] = np.array([_investigation(c, test) for c in cases], dtype=np.int8)
    assert all(v.shape == (n,) for v in cols.values())
    return cols


def _onset_age(case: Case) -> float:
    if case.age_at_onset is not None:
        return case.age_at_onset
    if case.birth_date is not None:
        return calendar_age(case.birth_date, case.symptom_onset)
    return float("nan")


def _code(value: object, positive: object) -> int:
    if value is None:
        return NOT_DONE
    return POSITIVE if value == positive else NEGATIVE


def _lab_columns(cases: Sequence[Case]) -> Columns:
    numbers = {name: np.full(len(cases), np.nan) for name in (*LAB_NUMBERS, "ck_uln_u_per_l")}
    codes = {name: np.full(len(cases), NOT_DONE, dtype=np.int8) for name in LAB_CODES}
    for i, case in enumerate(cases):
        for name in LAB_NUMBERS:
            value, panel = _latest(case.labs, name)
            if value is not None:
                numbers[name][i] = float(value)  # type: ignore[arg-type]
            if name == "ck_u_per_l" and panel is not None and panel.ck_uln_u_per_l is not None:
                # The CK upper limit of the panel that gave the latest CK (ratios need one laboratory).
                numbers["ck_uln_u_per_l"][i] = panel.ck_uln_u_per_l
        for name, positive in LAB_CODES.items():
            codes[name][i] = _code(_latest(case.labs, name)[0], positive)
    return {**{f"lab_{k}": v for k, v in numbers.items()}, **{f"lab_{k}": v for k, v in codes.items()}}


def _investigation(case: Case, test: str) -> int:
    """Latest recorded result of a work-up test (ties on date: the entry listed last)."""
    found, best = NOT_DONE, None
    for inv in case.investigations:
        if inv.test == test and (best is None or inv.date >= best):
            found, best = (POSITIVE if inv.result == "abnormal" else NEGATIVE), inv.date
    return found


def neutral_mimic_columns(n: int) -> Columns:
    """Columns for n patients with nothing recorded (no finding, nothing measured or done; onset = assessment =
    day 0). For synthetic batches (benchmarks, cohort tests) that build the criteria columns by hand."""
    template = mimic_columns(
        [
            Case.model_validate(
                {"id": "x", "symptom_onset": "2000-01-01", "assessment_date": "2000-01-01", "course": "unknown"}
            )
        ]
    )
    return {name: np.repeat(column, n) for name, column in template.items()}
