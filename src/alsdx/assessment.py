"""The assessment output models (DESIGN.md "Public contracts"); keys here are a stable public contract."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from alsdx.care.models import Plan
from alsdx.course import Course

NOTICE = (
    "Decision support for a clinician: alsdx reports which published criteria the recorded findings meet; "
    "it does not diagnose. Categories depend on complete, accurate findings and on excluding other causes."
)


class NextEvidence(BaseModel):
    evidence: str
    would_give: str


class AlternativeReading(BaseModel):
    """A named alternative interpretation (clinical-spec Decisions 3, 5, 6) that changes the category."""

    interpretation: str
    category: str


class CriteriaResult(BaseModel):
    category: str
    label: str
    flags: list[str]
    explanation: list[str]
    next_evidence: list[NextEvidence]
    alternatives: list[AlternativeReading] = Field(default_factory=list)
    source: str


class Criteria(BaseModel):
    el_escorial_1994: CriteriaResult
    revised_el_escorial: CriteriaResult
    awaji: CriteriaResult
    gold_coast: CriteriaResult


class RegionFindings(BaseModel):
    umn: bool
    lmn_clinical: bool
    lmn_emg_reec: bool
    lmn_emg_awaji: bool
    lmn_gold_coast: bool
    umn_signs: list[str]
    lmn_signs: list[str]
    emg_muscles_reec: list[str]
    """Muscles of this region meeting the rEEC muscle rule (fibrillations/PSW with chronic neurogenic change)."""
    emg_muscles_awaji: list[str]
    """Muscles meeting the Awaji/Gold Coast muscle rule (chronic change with fibrillations/PSW or fasciculation potentials)."""


class Regions(BaseModel):
    bulbar: RegionFindings
    cervical: RegionFindings
    thoracic: RegionFindings
    lumbosacral: RegionFindings


class Exclusion(BaseModel):
    complete: bool
    outstanding: list[str]


class Assessment(BaseModel):
    id: str
    ruleset_version: str
    assessment_date: date
    interpretation: list[str]
    """Alternative readings switched on (empty = the default ruleset)."""
    criteria: Criteria
    regions: Regions
    exclusion: Exclusion
    course: Course
    """Disease course (course.py): ALSFRS-R, staging, FVC and respiratory triggers, ENCALS prognosis."""
    plan: Plan
    """Dated care plan (care/): referrals, medications with calendars, symptomatic care, alerts."""
    notice: str = NOTICE
