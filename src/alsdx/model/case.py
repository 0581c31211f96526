"""The case-file contract (docs/case-format.md) as strict pydantic v2 models.

Strict means: unknown fields, unknown codes, wrong types (``"yes"`` for a boolean, ``false`` for a
number), impossible values and dates after ``assessment_date`` are errors naming the field path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alsdx.model import case_rules, vocabulary
from alsdx.model.case_rules import MAX_AGE, day_number
from alsdx.model.muscles import Muscle, muscle_table
from alsdx.model.vocab import (
    PATHOGENIC_CLASSES,
    REGIONS,
    BulbarSymptom,
    BulbarUmnSign,
    CervicalUmnSign,
    InvestigationTest,
    LmnSign,
    LumbosacralUmnSign,
    Region,
    ThoracicUmnSign,
    UmnSign,
    VariantClass,
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
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2024-03-15") from None
    elif not isinstance(value, date):
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2024-03-15")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"date {value} is outside {EARLIEST_DATE} to {LATEST_DATE}")
    return value


MID_MONTH_DAY: Final = 15
"""A date given as a month (``2024-03``, as registries record onset) is read as its 15th: the middle of the
month keeps the error within about half a month either way."""
MID_YEAR: Final = (7, 1)
"""A birth date given as a year (``1958``) is read as 1 July, the middle of the year (the usual mid-year
imputation of a year-only date; the error stays within half a year either way)."""
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def date_precision(value: Any) -> Literal["day", "month", "year"]:
    """How precisely a written date was given (``2024-03-15``, ``2024-03`` or ``1958``)."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if _MONTH.match(text):
        return "month"
    if _YEAR.match(text):
        return "year"
    return "day"


def _month_date(value: Any) -> Any:
    """ISO date, or a month (``YYYY-MM``, read as the 15th)."""
    if isinstance(value, str) and (m := _MONTH.match(value)):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{value!r} is not a month: write YYYY-MM-DD, or YYYY-MM when only the month is known")
        value = date(year, month, MID_MONTH_DAY)
    try:
        return _iso_date(value)
    except ValueError as exc:
        if "is not a date" in str(exc):
            raise ValueError(
                f"{value!r} is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known"
            ) from None
        raise


def _year_date(value: Any) -> Any:
    """ISO date, a month (``YYYY-MM``) or a year (``YYYY``, text or number; read as 1 July)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}" if 0 <= value <= 9999 else str(value)
    if isinstance(value, str) and _YEAR.match(value):
        value = date(int(value), *MID_YEAR)
    try:
        return _month_date(value)
    except ValueError as exc:
        if "is not a date" in str(exc):
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (a year)") from None
        raise


def _integral(value: Any) -> Any:
    """JSON Schema calls 3.0 an integer; accept it as 3, but never a bool or 3.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _day(value: date | None) -> np.int32:
    return np.int32(day_number(value))


def _enforce(rules: tuple[case_rules.CrossFieldRule, ...], values: Mapping[str, np.generic]) -> None:
    """Refuse the document with the message of the first rule it breaks (alsdx.model.case_rules)."""
    problem = case_rules.first_broken(rules, values)
    if problem is not None:
        raise ValueError(problem)


PLAUSIBLE_FLOOR: Final[dict[str, float]] = {
    # FVC % predicted: values <= 10 are litres (3.2) or a spreadsheet fraction (0.82), not a % of predicted
    # (a patient at 10 % of predicted vital capacity cannot perform spirometry; AAN 2009 NIV triggers sit at 50 %).
    "percent_predicted": 10.0,
    # Enzymes in U/L. SI laboratories report kinases and transaminases in µkat/L (1 µkat/L = 60 U/L,
    # IFCC/Tietz Textbook of Clinical Chemistry and Molecular Diagnostics, 6th ed., 2018): a normal CK is
    # 0.4-3.3 µkat/L, a normal ALT 0.1-0.9 µkat/L. The floors lie far below the lowest reference limits in U/L
    # (CK ~25-40 U/L, ALT/AST ~7-10 U/L, Tietz) and below most assays' limits of detection, so no real
    # U/L value is refused, while a normal value written in µkat/L is.
    "ck_u_per_l": 5.0,
    "alt_u_per_l": 2.0,
    "ast_u_per_l": 2.0,
}
UNIT_HINTS: Final[dict[str, str]] = {
    "percent_predicted": "FVC is written as % of predicted (e.g. 78): is {value:g} litres, or a fraction "
    "(0.82 means 82 %)?",
    "ck_u_per_l": "CK is written in U/L (e.g. 150): {value:g} looks like µkat/L; multiply by 60 (1 µkat/L = 60 U/L)",
    "alt_u_per_l": "ALT is written in U/L (e.g. 25): {value:g} looks like µkat/L; multiply by 60 (1 µkat/L = 60 U/L)",
    "ast_u_per_l": "AST is written in U/L (e.g. 25): {value:g} looks like µkat/L; multiply by 60 (1 µkat/L = 60 U/L)",
    "age_at_onset": "ages run from 0 to 110 years: is {value:g} a year or an age in months?",
}
"""What a value outside a plausibility bound most likely is, keyed by field name (read by every door's
error messages: the case loader and the cohort row checks)."""


def unit_hint(field: str, value: object) -> str | None:
    """The likely mistake behind an implausible value of ``field``, if the field has a hint."""
    template = UNIT_HINTS.get(field)
    if template is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return template.format(value=value)


MonthDate = Annotated[date, BeforeValidator(_month_date)]
"""A date that may be given as a month (symptom onset and diagnosis, as registries record them)."""
YearDate = Annotated[date, BeforeValidator(_year_date)]
"""A date that may be given as a month or a year (birth)."""
Score = Annotated[int, BeforeValidator(_integral), Field(ge=0, le=4)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_omitted(cls, data: Any) -> Any:
        """``null`` in a field that may be left out means "not given", exactly as leaving it out
        (docs/case-format.md); a required field given as null is still missing."""
        if isinstance(data, dict) and None in data.values():
            fields = cls.model_fields
            return {k: v for k, v in data.items() if not (v is None and k in fields and not fields[k].is_required())}
        return data


class RegionSigns(Strict):
    """Signs found in one region. Region-specific UMN signs (docs/ruleset.md §5: jaw jerk, snout and
    pseudobulbar affect are bulbar; Hoffmann is cervical; Babinski and crossed adductor are
    lumbosacral) are accepted only in their region's subclass.

    ``examined`` separates "examined, no signs" from "not examined": a region given in the case (even
    ``{}``) was examined; a region omitted or ``null`` was not (``Exam`` sets ``examined: false``). The
    criteria read only the signs, so a region not examined contributes no signs, and every door says
    that the region was not examined instead of presenting it as normal (docs/case-format.md)."""

    examined: bool = True
    umn: list[UmnSign] = Field(default_factory=list)
    lmn: list[LmnSign] = Field(default_factory=list)

    @field_validator("umn", "lmn")
    @classmethod
    def _unique(cls, signs: list[str]) -> list[str]:
        return list(dict.fromkeys(signs))

    @model_validator(mode="after")
    def _signs_need_examination(self) -> RegionSigns:
        values = {"examined": np.bool_(self.examined), "signs": np.bool_(bool(self.umn or self.lmn))}
        _enforce((case_rules.SIGNS_NEED_EXAMINATION,), values)
        return self


class BulbarSigns(RegionSigns):
    umn: list[BulbarUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class CervicalSigns(RegionSigns):
    umn: list[CervicalUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class ThoracicSigns(RegionSigns):
    umn: list[ThoracicUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


class LumbosacralSigns(RegionSigns):
    umn: list[LumbosacralUmnSign] = Field(default_factory=list)  # type: ignore[assignment]


def _not_examined_if_null(value: Any) -> Any:
    """``exam.<region>: null`` is the same as leaving the region out: not examined."""
    return {"examined": False} if value is None else value


def _region_field(model: type[RegionSigns]) -> Any:
    return Field(default_factory=lambda: model(examined=False))


BulbarExam = Annotated[BulbarSigns, BeforeValidator(_not_examined_if_null)]
CervicalExam = Annotated[CervicalSigns, BeforeValidator(_not_examined_if_null)]
ThoracicExam = Annotated[ThoracicSigns, BeforeValidator(_not_examined_if_null)]
LumbosacralExam = Annotated[LumbosacralSigns, BeforeValidator(_not_examined_if_null)]


class Weakness(Strict):
    asymmetric: bool = False
    proximal: bool = False
    distal: bool = False
    finger_flexors: bool = False
    quadriceps: bool = False


class Exam(Strict):
    bulbar: BulbarExam = _region_field(BulbarSigns)
    cervical: CervicalExam = _region_field(CervicalSigns)
    thoracic: ThoracicExam = _region_field(ThoracicSigns)
    lumbosacral: LumbosacralExam = _region_field(LumbosacralSigns)
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
        values: dict[str, np.generic] = {
            "dorsal_column_sensory_loss": np.bool_(self.dorsal_column_sensory_loss),
            "sensory_loss": np.bool_(self.sensory_loss),
        }
        _enforce((case_rules.DORSAL_COLUMN_IS_SENSORY_LOSS,), values)
        return self

    def region(self, name: str) -> RegionSigns:
        signs: RegionSigns = getattr(self, name)
        return signs

    def regions_not_examined(self) -> list[str]:
        """Regions omitted or null in the case, in the order of ``REGIONS``."""
        return [name for name in REGIONS if not self.region(name).examined]


def _roots(value: Any) -> Any:
    """Roots as written in EMG reports ("C8-T1", "L4/L5", "Th10", "CN 12", a list of these)."""
    if value is None or (isinstance(value, list) and not value):
        return value
    if not isinstance(value, str | list):
        raise ValueError(f"{value!r} is not a list of roots; {vocabulary.ROOTS_HELP}")
    return vocabulary.roots(value)


def _nerve(value: Any) -> Any:
    return vocabulary.nerve(value) if isinstance(value, str) else value


def _muscle(value: Any) -> Any:
    return vocabulary.muscle(value).name if isinstance(value, str) else value


class EmgMuscle(Strict):
    """One muscle of a needle EMG study. The muscle, nerve and roots are read through the vocabulary
    (``alsdx.model.vocabulary``): ``FDI``, ``tib ant``, ``T10 paraspinal``; ``deep peroneal`` is the peroneal
    trunk; ``C8-T1`` is [C8, T1]. A table muscle takes its region, nerve and roots from the muscle table."""

    muscle: Annotated[str, BeforeValidator(_muscle)]
    side: Annotated[Literal["left", "right", "midline"], BeforeValidator(vocabulary.side)]
    region: Region | None = None
    roots: Annotated[list[str], BeforeValidator(_roots)] | None = None
    nerve: Annotated[str, BeforeValidator(_nerve)] | None = None
    fibrillations_psw: bool = False
    fasciculation_potentials: bool = False
    chronic_neurogenic: bool = False

    @model_validator(mode="before")
    @classmethod
    def _read_muscle(cls, data: Any) -> Any:
        """A muscle written with its level ("T10 paraspinal") gives its roots; "FDP" takes its part from
        the nerve. Names the vocabulary cannot read are left for the field's check to refuse."""
        if not isinstance(data, dict) or not isinstance(data.get("muscle"), str):
            return data
        nerve = data.get("nerve")
        try:
            reading = vocabulary.muscle(data["muscle"], nerve if isinstance(nerve, str) else None)
        except vocabulary.VocabularyError:
            return data
        data = {**data, "muscle": reading.name}
        if reading.roots:
            given = data.get("roots")
            if given is None:
                data["roots"] = list(reading.roots)
            else:
                try:
                    same = set(_roots(given)) == set(reading.roots)
                except ValueError:
                    return data  # the roots field reports its own error
                if not same:
                    raise ValueError(
                        f"muscle {reading.name} was written with level {', '.join(reading.roots)} but roots "
                        f"gives {given!r}; give the level once"
                    )
        return data

    @model_validator(mode="after")
    def _complete_from_table(self) -> EmgMuscle:
        """Fill region/roots/nerve from the muscle table; values given must agree with it (a nerve is
        compared as its trunk, roots may be a subset of the table's: textbooks list fewer or more)."""
        known = muscle_table().get(self.muscle)
        if known is None:
            missing = [f for f in ("region", "roots", "nerve") if not getattr(self, f)]
            if missing:
                guess = vocabulary.muscle_suggestion(self.muscle)
                hint = f"did you mean {guess!r}? If not, " if guess else ""
                raise ValueError(
                    f"muscle {self.muscle!r} is not in the muscle table: {hint}give its {', '.join(missing)} "
                    "(a muscle outside the table needs region, roots and nerve)"
                )
            return self
        if self.region is not None and self.region != known.region:
            raise ValueError(
                f"region {self.region!r} contradicts the muscle table ({self.muscle} is {known.region}); "
                "omit region or write " + known.region
            )
        if self.nerve is not None and self.nerve != known.nerve:
            raise ValueError(
                f"nerve {self.nerve!r} contradicts the muscle table ({self.muscle} is supplied by the "
                f"{known.nerve} nerve); omit nerve or write {known.nerve}"
            )
        if not known.roots and not self.roots:
            raise ValueError(
                f"{self.muscle} has no fixed level: give its roots (e.g. roots: [T8], or write the muscle "
                "as 'T8 paraspinal')"
            )
        if known.roots and self.roots and not set(self.roots) <= set(known.roots):
            extra = [r for r in self.roots if r not in known.roots]
            raise ValueError(
                f"roots {', '.join(extra)} are not roots of {self.muscle} in the muscle table "
                f"({', '.join(known.roots)}); omit roots or give some of {', '.join(known.roots)}"
            )
        object.__setattr__(self, "region", known.region)
        object.__setattr__(self, "nerve", known.nerve)
        if known.roots:  # one definition: a subset written from another textbook reads as the table's roots
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
        assert self.roots is not None and self.region is not None
        outside = vocabulary.outside_region(self.roots, self.region)
        if outside:
            where = (
                "a bulbar muscle's roots are cranial nerves (e.g. [CN XII])"
                if self.region == "bulbar"
                else f"a {self.region} muscle's roots are "
                + {"cervical": "C1-C8 or T1", "thoracic": "T1-T12", "lumbosacral": "L1-L5 or S1-S5"}[self.region]
            )
            raise ValueError(f"roots {', '.join(outside)} lie outside the {self.region} region: {where}")
        return self


class Ncs(Strict):
    motor_conduction_block: bool = False
    sensory_abnormal: bool = False
    slowed_conduction_demyelinating: bool = False
    rns_decrement: bool | None = None
    """Repetitive nerve stimulation decrement; None = RNS not done."""


class LabPanel(Strict):
    date: IsoDate
    ck_u_per_l: Annotated[float, Field(ge=PLAUSIBLE_FLOOR["ck_u_per_l"], allow_inf_nan=False)] | None = None
    alt_u_per_l: Annotated[float, Field(ge=PLAUSIBLE_FLOOR["alt_u_per_l"], allow_inf_nan=False)] | None = None
    alt_uln_u_per_l: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    ast_u_per_l: Annotated[float, Field(ge=PLAUSIBLE_FLOOR["ast_u_per_l"], allow_inf_nan=False)] | None = None
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
    classification: VariantClass


class Genetics(Strict):
    variants: list[Variant] = Field(default_factory=list)
    c9orf72_repeat_expansion: bool | None = None
    ar_cag_repeats: Annotated[int, BeforeValidator(_integral), Field(ge=1, le=100)] | None = None

    def pathogenic_genes(self) -> list[str]:
        """Genes of the pathogenic or likely pathogenic variants (``PATHOGENIC_CLASSES``), in case order."""
        return [v.gene for v in self.variants if v.classification in PATHOGENIC_CLASSES]


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
    percent_predicted: Annotated[float, Field(gt=PLAUSIBLE_FLOOR["percent_predicted"], le=200, allow_inf_nan=False)]
    position: Literal["upright", "supine"]


class SvcMeasurement(Strict):
    """Slow vital capacity, % predicted (trial eligibility often asks for SVC rather than FVC; issue 19). Checked
    as FVC is: the same plausibility floor (a value of 10 or below is litres or a fraction) and ceiling."""

    date: IsoDate
    percent_predicted: Annotated[float, Field(gt=PLAUSIBLE_FLOOR["percent_predicted"], le=200, allow_inf_nan=False)]


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
        _enforce(
            (case_rules.STOP_NOT_BEFORE_START,),
            {"start_date": _day(self.start_date), "stop_date": _day(self.stop_date)},
        )
        return self


class Case(Strict):
    """One patient at one assessment date (case-file contract, version 1)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
    sex: Annotated[Literal["male", "female", "other", "unknown"], BeforeValidator(vocabulary.sex)] = "unknown"
    birth_date: YearDate | None = None
    age_at_onset: Annotated[float, Field(ge=0, le=MAX_AGE, allow_inf_nan=False)] | None = None
    symptom_onset: MonthDate
    assessment_date: IsoDate
    diagnosis_date: MonthDate | None = None
    onset_region: Literal["bulbar", "cervical", "thoracic", "lumbosacral", "respiratory", "generalized", "unknown"] = (
        "unknown"
    )
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
    svc: list[SvcMeasurement] = Field(default_factory=list)
    respiratory: list[RespiratoryMeasurement] = Field(default_factory=list)
    weight: list[WeightMeasurement] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    history: History = Field(default_factory=History)
    investigations: list[Investigation] = Field(default_factory=list)

    _readings: list[Reading] = PrivateAttr(default_factory=list)

    def __eq__(self, other: object) -> bool:
        """Two cases are equal when their fields are: how a value was written (``readings``) is not the case."""
        if not isinstance(other, Case):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # lists inside: a case was never hashable

    @property
    def readings(self) -> list[Reading]:
        """The values read differently from how they were written (synonyms, abbreviations, partial dates)."""
        return list(self._readings)

    @property
    def approximate_dates(self) -> list[str]:
        """The date fields given as a month or a year (read as the 15th / 1 July)."""
        return [r.field for r in self._readings if r.field in PARTIAL_DATES and r.note]

    def date_as_written(self, name: str) -> str:
        """A partial date as precise as it was given (``2024-03`` for a month): texts never claim a day."""
        value: date = getattr(self, name)
        precision = next((r.note for r in self._readings if r.field == name and r.note), None)
        if precision is None:
            return value.isoformat()
        return value.isoformat()[:7] if "month" in precision else str(value.year)

    @model_validator(mode="wrap")
    @classmethod
    def _read_vocabulary(cls, data: Any, handler: ModelWrapValidatorHandler[Case]) -> Case:
        """Signs and symptoms are read through the vocabulary before validation (``extensor plantar`` is
        ``babinski``); afterwards every value read differently from how it was written is kept, so the
        assessment can echo it."""
        if not isinstance(data, dict):
            return handler(data)
        case = handler(_signs_read(data))
        case._readings = _readings(data, case)
        return case

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Case:
        """The case's rules between fields (alsdx.model.case_rules), first values no clinic produces (a typed
        year, a date in the future), then the order of the dates; the first rule broken is reported."""
        values: dict[str, np.generic] = {
            "assessment_date": _day(self.assessment_date),
            "symptom_onset": _day(self.symptom_onset),
            "birth_date": _day(self.birth_date),
            "diagnosis_date": _day(self.diagnosis_date),
            "age_at_onset": np.float64(np.nan if self.age_at_onset is None else self.age_at_onset),
        }
        rules = (
            case_rules.ASSESSMENT_NOT_AFTER_TODAY,
            case_rules.AGE_AT_ASSESSMENT_AT_MOST_MAX,
            case_rules.ONSET_NOT_AFTER_ASSESSMENT,
            case_rules.BIRTH_BEFORE_ONSET,
            case_rules.DIAGNOSIS_NOT_BEFORE_ONSET,
        )
        _enforce(rules, values)
        dated: list[tuple[str, date]] = []
        for name in ("labs", "alsfrs_r", "fvc", "svc", "respiratory", "weight", "investigations"):
            dated += [(f"{name}[{i}].date", e.date) for i, e in enumerate(getattr(self, name))]
        dated += [(f"medications[{i}].start_date", m.start_date) for i, m in enumerate(self.medications)]
        dated += [
            (f"medications[{i}].stop_date", m.stop_date)
            for i, m in enumerate(self.medications)
            if m.stop_date is not None
        ]
        if self.diagnosis_date is not None:
            dated.append(("diagnosis_date", self.diagnosis_date))
        days = np.array([day_number(when) for _, when in dated], dtype=np.int32)
        entries = {"date": days, "assessment_date": np.full(len(days), values["assessment_date"])}
        late = case_rules.DATED_NOT_AFTER_ASSESSMENT.where_broken(entries)
        if late.any():
            late_dates = [f"{path} ({when})" for (path, when), after in zip(dated, late, strict=True) if after]
            raise ValueError(case_rules.dates_after_assessment(case_rules.Values.one(values), late_dates))
        _enforce((case_rules.AGE_AT_ONSET_AGREES,), values)
        return self

    @property
    def onset_age_years(self) -> float | None:
        """Age at symptom onset, from age_at_onset or birth_date (years of 365.25 days)."""
        if self.age_at_onset is not None:
            return self.age_at_onset
        if self.birth_date is not None:
            return (self.symptom_onset - self.birth_date).days / 365.25
        return None


PARTIAL_DATES: Final = ("birth_date", "symptom_onset", "diagnosis_date")
"""The dates a case may give as a month (or, for birth, a year)."""


class Reading(BaseModel):
    """A value read differently from how it was written: ``field`` (its path in the case), ``written`` (as
    given) and ``read_as`` (the canonical value alsdx used); ``note`` says why, where a word helps."""

    field: str
    written: Any
    read_as: Any
    note: str | None = None


_REGIONS_EXAM: Final = ("bulbar", "cervical", "thoracic", "lumbosacral")
_NO_LEVEL: Final = Muscle("", "", ("-",), "")
"""Stands in for a muscle outside the table when asking whether a muscle's level came from its name."""


def _signs_read(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document with exam signs and bulbar symptoms read through the vocabulary."""
    exam = data.get("exam")
    if not isinstance(exam, dict):
        return data
    exam = dict(exam)
    for region in _REGIONS_EXAM:
        signs = exam.get(region)
        if isinstance(signs, dict):
            signs = dict(signs)
            for kind in ("umn", "lmn"):
                if isinstance(signs.get(kind), list):
                    signs[kind] = [vocabulary.sign(s) for s in signs[kind]]
            exam[region] = signs
    if isinstance(exam.get("bulbar_symptoms"), list):
        exam["bulbar_symptoms"] = [vocabulary.bulbar_symptom(s) for s in exam["bulbar_symptoms"]]
    return {**data, "exam": exam}


def _readings(data: dict[str, Any], case: Case) -> list[Reading]:
    out: list[Reading] = []

    def note(path: str, written: Any, read_as: Any, why: str | None = None) -> None:
        if written is not None and written != read_as:
            out.append(Reading(field=path, written=written, read_as=read_as, note=why))

    note("sex", data.get("sex"), case.sex)
    for name in PARTIAL_DATES:
        written, read = data.get(name), getattr(case, name)
        precision = date_precision(written)
        if precision != "day":
            why = (
                f"given as a month: read as the {MID_MONTH_DAY}th"
                if precision == "month"
                else "given as a year: read as 1 July"
            )
            out.append(Reading(field=name, written=written, read_as=read.isoformat(), note=why))
    exam = data.get("exam")
    if isinstance(exam, dict):
        for region in _REGIONS_EXAM:
            signs = exam.get(region)
            if isinstance(signs, dict):
                for kind in ("umn", "lmn"):
                    for i, written in enumerate(signs.get(kind) or []):
                        note(f"exam.{region}.{kind}[{i}]", written, vocabulary.sign(written))
        for i, written in enumerate(exam.get("bulbar_symptoms") or []):
            note(f"exam.bulbar_symptoms[{i}]", written, vocabulary.bulbar_symptom(written))
    for i, (raw, muscle) in enumerate(zip(data.get("emg") or [], case.emg, strict=False)):
        if not isinstance(raw, dict):
            continue
        level = raw.get("roots") is None and not muscle_table().get(muscle.muscle, _NO_LEVEL).roots
        note(
            f"emg[{i}].muscle",
            raw.get("muscle"),
            muscle.muscle,
            f"roots {', '.join(muscle.roots or [])} from the name" if level else None,
        )
        note(f"emg[{i}].side", raw.get("side"), muscle.side)
        nerve = raw.get("nerve")
        trunk = isinstance(nerve, str) and vocabulary.fold(nerve) != vocabulary.fold(str(muscle.nerve))
        note(f"emg[{i}].nerve", nerve, muscle.nerve, "read as its trunk" if trunk else None)
        written_roots = raw.get("roots")
        if written_roots is not None and written_roots != muscle.roots:
            out.append(Reading(field=f"emg[{i}].roots", written=written_roots, read_as=muscle.roots))
    return out
