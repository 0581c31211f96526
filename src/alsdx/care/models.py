"""The care plan's output models (docs/architecture.md public contract: ``plan.referrals``, ``plan.medications``,
``plan.alerts``, ``plan.monitoring``; more keys may be added, none of these may change).

Wording throughout supports a clinician's decision ("to be considered", "per label"); nothing here
prescribes.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["info", "warning", "critical"]
"""Alert severities:

- ``critical``: a label stop threshold is reached on current treatment (riluzole ALT ≥ 5 × ULN,
  neutropenia); the prescriber should review promptly, not at the next routine visit.
- ``warning``: an action is advised at the next contact (a caution threshold, an overdue or more
  frequent check, an input that prevents a safety rule from being evaluated).
- ``info``: context worth seeing, no action implied (e.g. a stop threshold reached on a treatment that
  has since been stopped).
"""

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}

MedicationStatus = Literal["current", "stopped", "to_be_considered"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Referral(_Out):
    discipline: str
    """Stable identifier, e.g. ``speech_language_therapy``."""
    label: str
    reason: str
    """All reasons joined in one sentence (docs/architecture.md ``{discipline, reason}``)."""
    triggers: list[str]
    """The trigger ids that fired, in the order of ``reason``."""
    source: str


class ScheduleItem(_Out):
    date: date
    action: str


class MonitoringItem(_Out):
    date: date
    test: str


class MedicationPlan(_Out):
    name: str
    """Case-file medication name (``riluzole``, ``edaravone_iv`` ...)."""
    label: str
    status: MedicationStatus
    start_date: date | None = None
    stop_date: date | None = None
    schedule: list[ScheduleItem] = Field(default_factory=list)
    monitoring: list[MonitoringItem] = Field(default_factory=list)
    instructions: list[str] = Field(default_factory=list)
    watch_for: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    source: str


class Alert(_Out):
    id: str
    severity: Severity
    message: str
    source: str


class SymptomItem(_Out):
    id: str
    """Symptom or decision, e.g. ``sialorrhoea``, ``niv``."""
    label: str
    finding: str
    """What in the case (or the course outputs) raised it."""
    options: list[str]
    """Options to be considered, each naming its evidence level where the source gives one."""
    source: str


class MonitoringDue(_Out):
    """A check the plan finds due, not tied to a medication (e.g. pulmonary function tests when no FVC is recent)."""

    id: str
    """Stable identifier of the rule, e.g. ``fvc_not_recent``."""
    date: date
    """When it is due: the assessment date for a check already due."""
    test: str
    reason: str
    source: str


class DueItem(_Out):
    date: date
    item: str


class Plan(_Out):
    case_id: str
    assessment_date: date
    horizon_end: date
    """Schedules cover ``assessment_date`` .. ``horizon_end`` inclusive (12 calendar months)."""
    referrals: list[Referral]
    medications: list[MedicationPlan]
    symptomatic: list[SymptomItem]
    alerts: list[Alert]
    follow_up: list[ScheduleItem]
    monitoring: list[MonitoringDue] = Field(default_factory=list)
    """Checks due that belong to no medication (docs/ruleset.md §10 "FVC recency"); each also heads ``next_due``."""
    next_due: list[DueItem]
    """The first upcoming date of every schedule, monitoring series and follow-up, by date."""
    notes: list[str]
