"""Checks due that belong to no medication: today, pulmonary function tests when no FVC is recent.

The rule and its source are the kernel's (``alsdx.rules.care.fvc_recency``, docs/ruleset.md §10 "FVC recency");
this module words the plan item. Every door shows it through the plan: ``plan.monitoring`` and ``plan.next_due``
(CLI, web page), a ServiceRequest in the FHIR CarePlan, and the CDS Hooks "pft" card.
"""

from __future__ import annotations

from datetime import date

from alsdx.care.columns import Columns
from alsdx.care.models import MonitoringDue
from alsdx.rules.care import fvc_recency

FVC_TEST = "Pulmonary function tests (FVC upright and supine)"
FVC_REASON = "no FVC recorded in the last 3 months (AAN 2009: FVC at the 3-monthly clinic visits)"


def monitoring_due(care: Columns, assessment_date: date) -> list[MonitoringDue]:
    """The checks due at ``assessment_date`` (``care`` = ``care_columns``)."""
    out = []
    if fvc_recency.fvc_recency_kernel(care)["fvc_due"][0]:
        out.append(
            MonitoringDue(
                id=fvc_recency.ITEM_ID,
                date=assessment_date,
                test=FVC_TEST,
                reason=FVC_REASON,
                source=fvc_recency.SOURCE,
            )
        )
    return out
