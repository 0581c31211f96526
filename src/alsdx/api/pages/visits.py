"""One visit's pages: the assessment view (any version), its course plots and its care-plan calendar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from alsdx.api.calendar import plan_calendar
from alsdx.api.deps import record
from alsdx.api.pages.plots import KINDS, course_svg, plot_urls
from alsdx.api.pages.rendering import render
from alsdx.api.pages.session import PageNotFound, run_as_user
from alsdx.services import patients, visits
from alsdx.store.accounts import Principal

VersionNumber = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
"""A bounded query integer: an unbounded one overflowed SQL (issue 15)."""

router = APIRouter(include_in_schema=False)


@router.get("/patients/{patient_id}/visits/{visit_id}")
async def visit_page(request: Request, patient_id: str, visit_id: str, version: VersionNumber = None) -> Response:
    def work(db: Session, who: Principal) -> Response:
        patient = patients.own_patient(db, who, patient_id)
        row = visits.visit_version(db, patient, visit_id, version)
        versions = visits.list_versions(db, patient, visit_id)
        result = visits.stored_assessment(db, row).result
        record(db, request, who, "assessment.read", patient.id, visit_id)
        return render(
            request,
            "visit.html",
            who,
            patient=patient,
            version=row,
            versions=versions,
            a=result,
            case=row.case,
            plan_ics=f"/patients/{patient.id}/visits/{visit_id}/plan.ics?version={row.version}",
            plots=plot_urls(f"/patients/{patient.id}/visits/{visit_id}", result, row.version),
        )

    return await run_as_user(request, work)


@router.get("/patients/{patient_id}/visits/{visit_id}/plots/{kind}.svg")
async def visit_plot(
    request: Request, patient_id: str, visit_id: str, kind: str, version: VersionNumber = None
) -> Response:
    if kind not in KINDS:
        raise PageNotFound

    def work(db: Session, who: Principal) -> Response:
        row = visits.visit_version(db, patients.own_patient(db, who, patient_id), visit_id, version)
        svg = course_svg(row.case, visits.stored_assessment(db, row).result, kind)
        if svg is None:
            raise PageNotFound
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    return await run_as_user(request, work)


@router.get("/patients/{patient_id}/visits/{visit_id}/plan.ics")
async def visit_calendar(request: Request, patient_id: str, visit_id: str, version: VersionNumber = None) -> Response:
    def work(db: Session, who: Principal) -> Response:
        patient = patients.own_patient(db, who, patient_id)
        row = visits.visit_version(db, patient, visit_id, version)
        record(db, request, who, "assessment.read", patient.id, visit_id)
        return plan_calendar(visits.stored_assessment(db, row).result)

    return await run_as_user(request, work)
