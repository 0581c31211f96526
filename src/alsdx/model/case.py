"""The case-file contract (docs/case-format.md) as strict pydantic v2 models.

Strict means: unknown fields, unknown codes, wrong types (``"yes"`` for a boolean, ``false`` for a
number), impossible values and dates after ``assessment_date`` are errors naming the field path.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import (
    BulbarSymptom,
    BulbarUmnSign,
    CervicalUmnSign,
    LmnSign,
    LumbosacralUmnSign,
    Region,
    ThoracicUmnSign,
    UmnSign,
)

EARLIEST_DATE = date(1850, 1, 1)
LATEST_DATE = date(2199, 12, 31)
"""Clinical dates outside these bounds are typing errors; refusing them also keeps the care plan's
date arithmetic (assessment date + 12 months) inside Python's calendar (found by fuzzing: 9999-12-31)."""


def _iso_date(value: Any) -> Any:
    """Accept ISO 8601 calendar dates (strings or date objects); nothing else becomes a date."""
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be an ISO 8601 date (YYYY-MM-DD), got {value!r}") from None
    elif not isinstance(value, date):
        raise ValueError(f"must be an ISO 8601 date (YYYY-MM-DD), got {type(value).__name__}")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"date {value} is outside {EARLIEST_DATE} to {LATEST_DATE}")
    return value


def _integral(value: Any) -> Any:
    """JSON Schema calls 3.0 an integer; accept it as 3, but never a bool or 3.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Score = Annotated[int, BeforeValidator(_integral), Field(ge=0, le=4)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RegionSigns(Strict):
    """Signs found in one region. Region-specific UMN signs (clinical-spec §5: jaw jerk, snout and
    pseudobulbar affect are bulbar; Hoffmann is cervical; Babinski and crossed adductor are
    lumbosacral) are accepted only in their region's subclass."""

    umn: list[UmnSign] = Field(default_factory=list)
    lmn: list[LmnSign] = Field(default_factory=list)

    @field_validator("umn", "lmn")
    @classmethod
    def _unique(cls, signs: list[str]) -> list[str]:
        return list(dict.fromkeys(signs))


class BulbarSigns(RegionSigns):
    umn: list[BulbarUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class CervicalSigns(RegionSigns):
    umn: list[CervicalUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class ThoracicSigns(RegionSigns):
    umn: list[ThoracicUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class LumbosacralSigns(RegionSigns):
    umn: list[LumbosacralUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class Weakness(Strict):
    asymmetric: bool = False
    proximal: bool = False
    distal: bool = False
    finger_flexors: bool = False
    quadriceps: bool = False


class Exam(Strict):
    bulbar: BulbarSigns = Field(default_factory=BulbarSigns)
    cervical: CervicalSigns = Field(default_factory=CervicalSigns)
    thoracic: ThoracicSigns = Field(default_factory=ThoracicSigns)
    lumbosacral: LumbosacralSigns = Field(default_factory=LumbosacralSigns)
    sensory_loss: bool = False
    sphincter_dysfunction: bool = False
    weakness: Weakness = Field(default_factory=Weakness)
    gynecomastia: bool = False
    dermatomyositis_rash: bool = False
    bulbar_symptoms: list[BulbarSymptom] = Field(default_factory=list)
    neck_pain_or_radicular_pain: bool = False
    orthopnea: bool = False
    muscle_cramps: bool = False
    """Muscle cramps reported by the patient (a symptom; read by the care plan's mexiletine item)."""
    # Extensions: mimics (docs/case-format.md); read by alsdx.rules.mimics.
    fatigable_weakness: bool = False
    weakness_fluctuating: bool = False
    ptosis_or_diplopia: bool = False
    perioral_fasciculations: bool = False
    tremor: bool = False
    split_hand: bool = False
    head_drop: bool = False
    tongue_fasciculations: Literal["present", "absent", "symmetric_movements_only"] | None = None
    """Seed note: symmetric tongue movements are typically not fasciculations - record them as such."""
    dorsal_column_sensory_loss: bool = False
    severe_pain_at_onset: bool = False
    myalgia: bool = False
    ataxia: bool = False
    asymmetric_lower_cranial_nerve_signs: bool = False

    @field_validator("bulbar_symptoms")
    @classmethod
    def _unique_symptoms(cls, symptoms: list[str]) -> list[str]:
        return list(dict.fromkeys(symptoms))

    @model_validator(mode="after")
    def _dorsal_column_is_sensory_loss(self) -> Exam:
        if self.dorsal_column_sensory_loss and not self.sensory_loss:
            raise ValueError("dorsal_column_sensory_loss is an objective sensory deficit: set sensory_loss: true")
        return self

    def region(self, name: str) -> RegionSigns:
        signs: RegionSigns = getattr(self, name)
        return signs


Root = Annotated[str, Field(pattern=r"^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|CN (V|VII|IX|X|XI|XII))$")]


class EmgMuscle(Strict):
    muscle: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
    side: Literal["left", "right", "midline"]
    region: Region | None = None
    roots: list[Root] | None = None
    nerve: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")] | None = None
    fibrillations_psw: bool = False
    fasciculation_potentials: bool = False
    chronic_neurogenic: bool = False

    @model_validator(mode="after")
    def _complete_from_table(self) -> EmgMuscle:
        """Fill region/roots/nerve from the muscle table; values given must agree with it."""
        known = muscle_table().get(self.muscle)
        if known is None:
            missing = [f for f in ("region", "roots", "nerve") if not getattr(self, f)]
            if missing:
                raise ValueError(
                    f"muscle {self.muscle!r} is not in the shipped muscle table; give {', '.join(missing)}"
                )
            return self
        if self.region is not None and self.region != known.region:
            raise ValueError(f"region {self.region!r} contradicts the muscle table ({self.muscle} is {known.region})")
        if self.nerve is not None and self.nerve != known.nerve:
            raise ValueError(f"nerve {self.nerve!r} contradicts the muscle table ({self.muscle}: {known.nerve})")
        if not known.roots and not self.roots:
            raise ValueError(f"{self.muscle} has no fixed level: give its roots (e.g. [T8])")
        if known.roots and self.roots and set(self.roots) != set(known.roots):
            raise ValueError(
                f"roots {self.roots} contradict the muscle table ({self.muscle}: {list(known.roots)})"
            )
        object.__setattr__(self, "region", known.region)
        object.__setattr__(self, "nerve", known.nerve)
        if not self.roots:
            object.__setattr__(self, "roots", list(known.roots))
        return self

    @field_validator("roots")
    @classmethod
    def _roots_nonempty(cls, roots: list[str] | None) -> list[str] | None:
        if roots is not None and not roots:
            raise ValueError("roots must list at least one root, e.g. [C8, T1] or [CN XII]")
        return roots

    @model_validator(mode="after")
    def _roots_match_region(self) -> EmgMuscle:
        assert self.roots is not None
        cranial = [r for r in self.roots if r.startswith("CN")]
        if self.region == "bulbar" and len(cranial) != len(self.roots):
            raise ValueError("a bulbar muscle's roots are cranial nerves (e.g. [CN XII])")
        if self.region != "bulbar" and cranial:
            raise ValueError(f"cranial nerve roots {cranial} given for a {self.region} muscle")
        return self


class Ncs(Strict):
    motor_conduction_block: bool = False
    sensory_abnormal: bool = False
    slowed_conduction_demyelinating: bool = False
    rns_decrement: bool | None = None
    """Repetitive nerve stimulation decrement; None = RNS not done."""


class LabPanel(Strict):
    date: IsoDate
    ck_u_per_l: NonNegative | None = None
    alt_u_per_l: NonNegative | None = None
    alt_uln_u_per_l: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    ast_u_per_l: NonNegative | None = None
    anc_10e9_per_l: NonNegative | None = None
    anti_gm1_igm: Literal["positive", "negative"] | None = None
    # Extensions: mimics (docs/case-format.md).
    ck_uln_u_per_l: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    tsh_mu_per_l: NonNegative | None = None
    calcium_mmol_per_l: Annotated[float, Field(ge=0, le=6, allow_inf_nan=False)] | None = None
    b12_pmol_per_l: NonNegative | None = None
    copper_umol_per_l: NonNegative | None = None
    csf_protein_g_per_l: Annotated[float, Field(ge=0, le=30, allow_inf_nan=False)] | None = None
    csf_oligoclonal_bands: Literal["positive", "negative"] | None = None
    paraprotein: Literal["present", "absent"] | None = None
    hiv: Literal["positive", "negative"] | None = None
    htlv1: Literal["positive", "negative"] | None = None
    achr_antibodies: Literal["positive", "negative"] | None = None
    musk_antibodies: Literal["positive", "negative"] | None = None
    onconeural_antibodies: Literal["positive", "negative"] | None = None
    hexa_activity: Literal["low", "normal"] | None = None
    blood_lead: Literal["raised", "normal"] | None = None


class Variant(Strict):
    gene: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")]
    classification: Literal["pathogenic", "likely_pathogenic", "vus", "benign"]


class Genetics(Strict):
    variants: list[Variant] = Field(default_factory=list)
    c9orf72_repeat_expansion: bool | None = None
    ar_cag_repeats: Annotated[int, BeforeValidator(_integral), Field(ge=1, le=100)] | None = None


class Imaging(Strict):
    cervical_spine_mri: Literal["normal", "compressive_myelopathy", "other_lesion", "not_done"] = "not_done"
    brain_mri: Literal["normal", "abnormal", "not_done"] = "not_done"
    lumbosacral_spine_mri: Literal["normal", "compressive_lesion", "other_lesion", "not_done"] = "not_done"


class History(Strict):
    """Extensions: mimics - history items that raise a mimic (docs/case-format.md)."""

    prior_paralytic_polio: bool = False
    gastric_surgery_or_zinc_excess: bool = False
    lead_exposure: bool = False
    endemic_htlv1_origin: bool = False
    ashkenazi_ancestry: bool = False
    known_malignancy: bool = False
    testicular_atrophy_or_reduced_fertility: bool = False
    subacute_onset: bool = False
    family_history_spastic_paraplegia: bool = False


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


class Investigation(Strict):
    test: InvestigationTest
    date: IsoDate
    result: Literal["normal", "abnormal"]


ALLOW_MISSING_ALSFRS_ITEMS = "allow_missing_alsfrs_items"
"""Validation-context key: when true, ALSFRS-R items may be null or omitted (the engine then prorates
or refuses, alsdx.rules.course.alsfrs_r). Without it a visit with a missing item is rejected."""


class AlsfrsItems(Strict):
    """ALSFRS-R items (Cedarbaum 1999), each 0-4, 4 = normal. An item is null when not answered; a
    visit with a missing item is rejected unless validation is asked to allow it (prorating is an
    explicit option of the course engine, never a default)."""

    speech: Score | None = None
    salivation: Score | None = None
    swallowing: Score | None = None
    handwriting: Score | None = None
    cutting_food: Score | None = None
    dressing_hygiene: Score | None = None
    turning_in_bed: Score | None = None
    walking: Score | None = None
    climbing_stairs: Score | None = None
    dyspnea: Score | None = None
    orthopnea: Score | None = None
    respiratory_insufficiency: Score | None = None

    @model_validator(mode="after")
    def _all_answered(self, info: ValidationInfo) -> AlsfrsItems:
        if info.context and info.context.get(ALLOW_MISSING_ALSFRS_ITEMS):
            return self
        missing = self.missing_items()
        if missing:
            raise ValueError(
                f"item(s) {', '.join(missing)} missing: all 12 ALSFRS-R items are required "
                "(prorating a missing item is an explicit option: --prorate-missing)"
            )
        return self

    def missing_items(self) -> list[str]:
        return [name for name in type(self).model_fields if getattr(self, name) is None]


ALSFRS_ITEMS: Final = tuple(AlsfrsItems.model_fields)
"""The 12 ALSFRS-R item names in form order (Cedarbaum 1999: items 1-12)."""


class AlsfrsVisit(Strict):
    date: IsoDate
    gastrostomy: bool
    """Item 5 is scored on 5a without and 5b with a gastrostomy: the flag is required."""
    items: AlsfrsItems


class FvcMeasurement(Strict):
    date: IsoDate
    percent_predicted: Annotated[float, Field(gt=0, le=200, allow_inf_nan=False)]
    position: Literal["upright", "supine"]


class RespiratoryMeasurement(Strict):
    """Respiratory muscle tests beside FVC (AAN 2009 NIV triggers). Signs follow AAN 2009's notation:
    SNIP as a positive magnitude ("SNP < 40 cm H2O"), MIP as a negative pressure ("MIP < -60 cm H2O")."""

    date: IsoDate
    snip_cm_h2o: Annotated[float, Field(ge=0, le=250, allow_inf_nan=False)] | None = None
    mip_cm_h2o: Annotated[float, Field(ge=-250, le=0, allow_inf_nan=False)] | None = None
    nocturnal_oximetry_abnormal: bool | None = None


class WeightMeasurement(Strict):
    """Body weight on a date (AAN 2009: weight at every 3-monthly clinic visit). Record the patient's usual
    weight before onset, where known, as the first entry: weight loss is counted from the first entry."""

    date: IsoDate
    weight_kg: Annotated[float, Field(gt=0, le=400, allow_inf_nan=False)]


class Medication(Strict):
    name: Literal[
        "riluzole",
        "edaravone_iv",
        "edaravone_oral",
        "tofersen",
        "dextromethorphan_quinidine",
        "other",
    ]
    start_date: IsoDate
    stop_date: IsoDate | None = None

    @model_validator(mode="after")
    def _stop_after_start(self) -> Medication:
        if self.stop_date is not None and self.stop_date < self.start_date:
            raise ValueError(f"stop_date {self.stop_date} is before start_date {self.start_date}")
        return self


class Case(Strict):
    """One patient at one assessment date (case-file contract, version 1)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
    sex: Literal["male", "female", "other", "unknown"] = "unknown"
    birth_date: IsoDate | None = None
    age_at_onset: Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)] | None = None
    symptom_onset: IsoDate
    assessment_date: IsoDate
    diagnosis_date: IsoDate | None = None
    onset_region: Literal[
        "bulbar", "cervical", "thoracic", "lumbosacral", "respiratory", "generalized", "unknown"
    ] = "unknown"
    course: Literal["progressive", "not_progressive", "unknown"]
    normal_motor_function_before_onset: bool = True
    other_causes_excluded: bool = False
    family_history_als: bool = False
    frontotemporal_dementia: bool = False
    exam: Exam = Field(default_factory=Exam)
    emg: list[EmgMuscle] = Field(default_factory=list)
    ncs: Ncs | None = None
    labs: list[LabPanel] = Field(default_factory=list)
    genetics: Genetics = Field(default_factory=Genetics)
    imaging: Imaging = Field(default_factory=Imaging)
    alsfrs_r: list[AlsfrsVisit] = Field(default_factory=list)
    fvc: list[FvcMeasurement] = Field(default_factory=list)
    respiratory: list[RespiratoryMeasurement] = Field(default_factory=list)
    weight: list[WeightMeasurement] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    history: History = Field(default_factory=History)
    investigations: list[Investigation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_consistent(self) -> Case:
        today = self.assessment_date
        if self.symptom_onset > today:
            raise ValueError(f"symptom_onset {self.symptom_onset} is after assessment_date {today}")
        if self.birth_date is not None and self.birth_date >= self.symptom_onset:
            raise ValueError(f"birth_date {self.birth_date} is not before symptom_onset {self.symptom_onset}")
        dated: list[tuple[str, date]] = []
        for name in ("labs", "alsfrs_r", "fvc", "respiratory", "weight", "investigations"):
            dated += [(f"{name}[{i}].date", e.date) for i, e in enumerate(getattr(self, name))]
        dated += [(f"medications[{i}].start_date", m.start_date) for i, m in enumerate(self.medications)]
        dated += [
            (f"medications[{i}].stop_date", m.stop_date)
            for i, m in enumerate(self.medications)
            if m.stop_date is not None
        ]
        if self.diagnosis_date is not None:
            if self.diagnosis_date < self.symptom_onset:
                raise ValueError(
                    f"diagnosis_date {self.diagnosis_date} is before symptom_onset {self.symptom_onset}"
                )
            dated.append(("diagnosis_date", self.diagnosis_date))
        late = [f"{path} ({when})" for path, when in dated if when > today]
        if late:
            raise ValueError(f"dates after assessment_date {today}: {', '.join(late)}")
        if self.birth_date is not None and self.age_at_onset is not None:
            derived = (self.symptom_onset - self.birth_date).days / 365.25
            if abs(derived - self.age_at_onset) > 1.0:
                raise ValueError(
                    f"age_at_onset {self.age_at_onset} disagrees with birth_date and symptom_onset "
                    f"({derived:.1f} years); give one of the two"
                )
        return self

    @property
    def onset_age_years(self) -> float | None:
        """Age at symptom onset, from age_at_onset or birth_date (years of 365.25 days)."""
        if self.age_at_onset is not None:
            return self.age_at_onset
        if self.birth_date is not None:
            return (self.symptom_onset - self.birth_date).days / 365.25
        return None
