"""The care plan as an iCalendar download: one answer for the REST API and the web pages."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from alsdx.services.visits import plan_ics


def plan_calendar(result: dict[str, Any]) -> Response:
    """A stored assessment's care plan (doses, checks, reviews) as ``care-plan.ics``."""
    return Response(
        plan_ics(result),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="care-plan.ics"'},
    )
