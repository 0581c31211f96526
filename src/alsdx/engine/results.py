"""The assessment output models (docs/architecture.md "Public contracts"); keys here are a stable public contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from alsdx.care.models import Plan
from alsdx.engine.course_results import Course
from alsdx.model.case import Reading

NOTICE = (
    "Decision support for a clinician: alsdx reports which published criteria the recorded findings meet; "
    "it does not diagnose. Categories depend on complete, accurate findings and on excluding other causes."
)


class NextEvidence(BaseModel):
    evidence: str
    would_give: str


class AlternativeReading(BaseModel):
    """A named alternative interpretation (docs/ruleset.md Decisions 3, 5, 6) that changes the category."""

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
    examined: bool = True
    """False when the region was omitted or null in the case: no signs are known, not "none found"."""
    emg_studied: bool = False
    """Some muscle of this region is in ``emg``."""
    emg_muscles_reec: list[str]
    """Muscles of this region meeting the rEEC muscle rule (fibrillations/PSW with chronic neurogenic change)."""
    emg_muscles_awaji: list[str]
    """Muscles meeting the Awaji/Gold Coast muscle rule (chronic change with fibrillations/PSW or fasciculation potentials)."""


class Regions(BaseModel):
    bulbar: RegionFindings
    cervical: RegionFindings
    thoracic: RegionFindings
    lumbosacral: RegionFindings


class WorkupItem(BaseModel):
    """One investigation of the exclusion work-up and its status read from the case."""

    id: str
    test: str
    status: Literal["not_done", "done", "done_normal", "done_abnormal"]
    """'done' = recorded but not graded by alsdx (e.g. EMG, whose findings feed the criteria)."""
    required: bool
    tier: Literal["essential", "recommended", "as_indicated"]
    reasons: list[str]
    """Why it is listed: the essential list, or the raised mimics that call for it."""
    fields: list[str]
    source: str


class Exclusion(BaseModel):
    complete: bool
    """other_causes_excluded is recorded AND no required work-up item is outstanding (alsdx decision 14)."""
    outstanding: list[str]
    workup: list[WorkupItem] = Field(default_factory=list)


class PlsResult(BaseModel):
    """Primary lateral sclerosis consensus criteria (Turner 2020; alsdx decision 15)."""

    category: Literal["not_met", "probable", "definite"]
    label: str
    flags: list[str]
    re_examine_on: list[date]
    """The 2nd / 4th anniversaries of symptom onset still ahead, when the UMN-only pattern holds."""
    caveat: str | None
    explanation: list[str]
    source: str


class MimicFinding(BaseModel):
    """A red flag (or a finding against a mimic) and the case fields behind it."""

    id: str
    flag: str
    fields: list[str]


class MimicResult(BaseModel):
    id: str
    name: str
    level: Literal["consider", "likely"]
    red_flags: list[MimicFinding]
    against: list[MimicFinding]
    workup: list[str]
    treatable: bool
    source: str
    notes: list[str] = Field(default_factory=list)


class SupportiveFeature(BaseModel):
    """A finding reported beside the criteria as raising or lowering the suspicion of ALS (or a caution)."""

    id: str
    feature: str
    direction: Literal["raises", "lowers", "caution"]
    fields: list[str]
    source: str


class MissingInput(BaseModel):
    """One input the assessment had to do without (a region not examined, EMG not studied; other doors add
    their own, e.g. the CDS service's "prefetch failed")."""

    input: str
    reason: str


class Completeness(BaseModel):
    """What the findings cover: "unknown is not absent". Categories are computed from what was recorded; a
    criteria set not met while ``assessable`` is not "complete" is not met *on the findings recorded*."""

    regions_not_examined: list[str]
    """Regions omitted or null in ``exam`` (not examined / not recorded), in region order."""
    emg_regions_not_studied: list[str]
    """Regions without any muscle in ``emg``."""
    assessable: Literal["complete", "partial", "none"]
    """complete: all four regions examined; none: no region examined and no EMG muscle; else partial."""
    missing: list[MissingInput] = Field(default_factory=list)


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
    """Disease course (``alsdx.engine.course``): ALSFRS-R, staging, FVC and respiratory triggers, ENCALS prognosis."""
    pls: PlsResult
    mimics: list[MimicResult] = Field(default_factory=list)
    """Raised mimics, likely first, then treatable first; a mimic never changes a criteria category."""
    supportive: list[SupportiveFeature] = Field(default_factory=list)
    plan: Plan
    """Dated care plan (care/): referrals, medications with calendars, symptomatic care, alerts."""
    read_as: list[Reading] = Field(default_factory=list)
    """Every value read differently from how it was written: ``{field, written, read_as, note}`` (a synonym,
    an abbreviation, a branch nerve read as its trunk, roots written "C8-T1", a date given as a month)."""
    approximate: list[str] = Field(default_factory=list)
    """Results that rest on a date given as a month or a year (docs/case-format.md, "Dates"): approximate."""
    completeness: Completeness
    """Regions not examined and EMG not studied; the doors name them beside any "not met"."""
    notice: str = NOTICE
