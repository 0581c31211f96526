"""The clinician web pages: log in, patient list, case-entry form, assessment view (server-rendered).

Sessions are server-side tokens (kind "session") in an HttpOnly, SameSite=Lax cookie, Secure and named
``__Host-alsdx_session`` when served over https. Every form carries a CSRF token: before login a double-submit cookie, after login
an HMAC of the session secret. Pages use the same store functions and audit actions as the REST API.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import io
import math
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from alsdx.api import alsfrs_anchors, caseform, formerrors
from alsdx.api.deps import in_db_thread, record
from alsdx.api.login import log_in
from alsdx.api.routes_patients import plan_calendar, stored_assessment
from alsdx.engine.category_line import category_flags, category_text
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import BULBAR_SYMPTOMS, REGIONS
from alsdx.rules.course.alsfrs_r import DOMAINS as ALSFRS_DOMAINS
from alsdx.store import accounts, registry
from alsdx.store.accounts import Principal
from alsdx.store.schema import Patient

HERE = Path(__file__).parent
SESSION_COOKIE = "alsdx_session"
HOST_SESSION_COOKIE = "__Host-alsdx_session"
LOGIN_CSRF_COOKIE = "alsdx_login_csrf"
PAGE_SIZE = 25

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.tests["startswith"] = lambda value, prefix: str(value).startswith(prefix)
templates.env.globals.update(
    regions=REGIONS,
    umn_by_region=caseform.UMN_BY_REGION,
    lmn_codes=caseform.LMN_CODES,
    sign_label=caseform.sign_label,
    bulbar_symptoms=BULBAR_SYMPTOMS,
    muscles_by_region=caseform.muscles_by_region(),
    alsfrs_items=alsfrs_anchors.ITEMS,
    alsfrs_options=alsfrs_anchors.options,
    medication_names=[(n, n.replace("_", " ")) for n in caseform.MEDICATIONS],
    nerve_names=caseform.nerve_names(),
    muscle_nerves={name: m.nerve for name, m in muscle_table().items()},
    alsfrs_domain={item: domain for domain, items in ALSFRS_DOMAINS.items() for item in items},
    default_emg_side=caseform.DEFAULT_EMG_SIDE,
    emg_findings=caseform.EMG_FINDINGS,
    tongue_choices=caseform.TONGUE,
    default_fvc_position=caseform.DEFAULT_FVC_POSITION,
    category_text=category_text,
    age_at_assessment=caseform.age_at_assessment,
    category_flags=category_flags,
    weakness_flags=caseform.WEAKNESS,
    exam_extra=caseform.EXAM_EXTRA,
    history_fields=caseform.HISTORY,
    ncs_fields=caseform.NCS,
    imaging_fields=caseform.IMAGING,
    lab_fields=caseform.LAB_PANEL,
    respiratory_fields=caseform.RESPIRATORY,
    weight_fields=caseform.WEIGHT,
    investigation_fields=caseform.INVESTIGATION,
)


PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
VersionNumber = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
"""Bounded query integers: ?page=10^20 was an unhandled 500 (an SQL OFFSET overflow; issue 15)."""


class LoginRequired(Exception):
    pass


def csrf_token(session_secret: str) -> str:
    return hmac.new(session_secret.encode(), b"alsdx-csrf", hashlib.sha256).hexdigest()


def _same(a: str, b: str) -> bool:
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


def _db(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


def session_cookie(request: Request) -> str:
    """``__Host-alsdx_session`` over https: browsers accept that name only with Secure, Path=/ and no
    Domain, so a same-site page (another subdomain) cannot plant its own session on the victim (issue 15,
    finding 10). Plain http (local development) cannot set a Secure cookie: there the name is
    ``alsdx_session``, which is never read over https."""
    return HOST_SESSION_COOKIE if request.url.scheme == "https" else SESSION_COOKIE


def _principal(request: Request, db: Session) -> Principal:
    secret = request.cookies.get(session_cookie(request), "")
    who = accounts.authenticate(db, secret, kind="session") if secret else None
    if who is None:
        raise LoginRequired
    request.state.csrf = csrf_token(secret)
    return who


def _check_csrf(request: Request, form: FormData) -> None:
    if not _same(str(form.get("csrf", "")), getattr(request.state, "csrf", "")):
        raise LoginRequired  # a forged or stale form: start again from the login page


def _page(request: Request, name: str, who: Principal | None, status: int = 200, **context: Any) -> HTMLResponse:
    context.update(who=who, csrf=getattr(request.state, "csrf", ""), printed_on=date.today().isoformat())
    return templates.TemplateResponse(request, name, context, status_code=status)


def _in_session(request: Request, work: Callable[[Session, Principal], Response]) -> Response:
    """Run a page's work in one transaction as the logged-in user."""
    with _db(request) as db, db.begin():
        return work(db, _principal(request, db))


async def _run(request: Request, work: Callable[[Session, Principal], Response]) -> Response:
    return await in_db_thread(request, lambda: _in_session(request, work))


def _own(db: Session, who: Principal, patient_id: str) -> Patient:
    patient = registry.get_patient(db, who.clinic_id, patient_id)
    if patient is None:
        raise PageNotFound
    return patient


class PageNotFound(Exception):
    pass


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/patients"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(PageNotFound)
    async def _not_found(request: Request, _: PageNotFound) -> Response:
        return _page(request, "not_found.html", None, status=404)

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        return RedirectResponse("/patients", status_code=303)

    @app.get("/login", include_in_schema=False)
    async def login_form(request: Request, next: str = "/patients") -> Response:
        return _login_page(request, _safe_next(next))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        target = _safe_next(str(form.get("next", "/patients")))
        if not _same(str(form.get("login_csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")):
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        outcome = await log_in(request, name, password)
        if outcome.wait or outcome.busy:
            wait = outcome.wait or 5
            minutes = math.ceil(wait / 60)
            error = (
                f"Too many failed log-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
                if outcome.wait
                else "The service is busy checking other log-ins. Try again in a few seconds."
            )
            refused = _page(
                request,
                "login.html",
                None,
                status=429 if outcome.wait else 503,
                login_csrf=str(form.get("login_csrf", "")),
                next=target,
                error=error,
            )
            refused.headers["Retry-After"] = str(wait)
            return refused
        if outcome.secret is None:
            return _login_page(request, target, status=401, error="Unknown user name or wrong password.")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            session_cookie(request),
            outcome.secret,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
            max_age=int(request.app.state.settings.session_hours * 3600),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = await request.form()

        def work(db: Session, who: Principal) -> Response:
            _check_csrf(request, form)
            accounts.revoke_token(db, who.token_id)
            record(db, request, who, "logout")
            response = RedirectResponse("/login", status_code=303)
            response.delete_cookie(session_cookie(request), path="/", secure=request.url.scheme == "https")
            return response

        return await _run(request, work)

    @app.get("/patients", include_in_schema=False)
    async def patients(request: Request, q: str = "", page: PageNumber = 1) -> Response:
        page = max(1, page)

        def work(db: Session, who: Principal) -> Response:
            rows, total = registry.list_patients(db, who.clinic_id, q[:100], PAGE_SIZE, (page - 1) * PAGE_SIZE)
            record(db, request, who, "patient.list")
            pages = max(1, -(-total // PAGE_SIZE))
            return _page(
                request, "patients.html", who, rows=rows, total=total, q=q, page=page, pages=pages, error=None, form={}
            )

        return await _run(request, work)

    @app.post("/patients", include_in_schema=False)
    async def create_patient(request: Request) -> Response:
        form = await request.form()

        def work(db: Session, who: Principal) -> Response:
            _check_csrf(request, form)
            reference, name = str(form.get("reference", "")).strip(), str(form.get("display_name", "")).strip()
            try:
                with db.begin_nested():
                    patient = registry.create_patient(db, who.clinic_id, reference, name, who.user_id)
            except registry.RegistryError as exc:
                rows, total = registry.list_patients(db, who.clinic_id, "", PAGE_SIZE, 0)
                return _page(
                    request,
                    "patients.html",
                    who,
                    status=422,
                    rows=rows,
                    total=total,
                    q="",
                    page=1,
                    pages=max(1, -(-total // PAGE_SIZE)),
                    error=str(exc),
                    form={"reference": reference, "display_name": name},
                )
            record(db, request, who, "patient.create", patient.id)
            return RedirectResponse(f"/patients/{patient.id}/visits/new", status_code=303)

        return await _run(request, work)

    @app.get("/patients/{patient_id}", include_in_schema=False)
    async def patient_page(request: Request, patient_id: str) -> Response:
        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            visits, _ = registry.list_visits(db, patient, 200, 0)
            latest = visits[0] if visits else None
            assessment = stored_assessment(db, latest).result if latest else None
            record(db, request, who, "patient.read", patient.id)
            return _page(
                request,
                "patient.html",
                who,
                patient=patient,
                visits=visits,
                latest=latest,
                a=assessment,
                case=latest.case if latest else None,
                plan_ics=f"/patients/{patient.id}/visits/{latest.visit_id}/plan.ics" if latest else None,
                plots=_plot_urls(f"/patients/{patient.id}/visits/{latest.visit_id}", assessment, latest.version)
                if latest and assessment
                else [],
            )

        return await _run(request, work)

    @app.get("/patients/{patient_id}/visits/new", include_in_schema=False)
    async def new_visit_form(request: Request, patient_id: str) -> Response:
        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            latest = registry.latest_version(db, patient)
            today = date.today().isoformat()
            doc = (
                {**latest.case, "assessment_date": today} if latest else caseform.new_case_doc(patient.reference, today)
            )
            view = caseform.form_view(doc, copied_from=str(latest.case.get("assessment_date")) if latest else None)
            return _form_page(request, who, patient, view, action=f"/patients/{patient.id}/visits")

        return await _run(request, work)

    @app.post("/patients/{patient_id}/visits", include_in_schema=False)
    async def create_visit(request: Request, patient_id: str) -> Response:
        form = await request.form()

        def work(db: Session, who: Principal) -> Response:
            _check_csrf(request, form)
            patient = _own(db, who, patient_id)
            fields = _fields(form)
            case = _checked_case(fields)
            if not isinstance(case, Case):
                return _form_page(request, who, patient, *case, action=f"/patients/{patient.id}/visits", status=422)
            version = registry.add_visit(db, patient, case.model_dump(mode="json"), who.user_id)
            stored_assessment(db, version)
            record(db, request, who, "visit.create", patient.id, version.visit_id)
            return RedirectResponse(f"/patients/{patient.id}/visits/{version.visit_id}", status_code=303)

        return await _run(request, work)

    @app.get("/patients/{patient_id}/visits/{visit_id}", include_in_schema=False)
    async def visit_page(request: Request, patient_id: str, visit_id: str, version: VersionNumber = None) -> Response:
        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            visit = registry.get_visit(db, patient, visit_id)
            row = registry.get_version(db, visit, version) if visit else None
            if visit is None or row is None:
                raise PageNotFound
            versions = registry.list_versions(db, visit)
            result = stored_assessment(db, row).result
            record(db, request, who, "assessment.read", patient.id, visit_id)
            return _page(
                request,
                "visit.html",
                who,
                patient=patient,
                version=row,
                versions=versions,
                a=result,
                case=row.case,
                plan_ics=f"/patients/{patient.id}/visits/{visit_id}/plan.ics?version={row.version}",
                plots=_plot_urls(f"/patients/{patient.id}/visits/{visit_id}", result, row.version),
            )

        return await _run(request, work)

    @app.get("/patients/{patient_id}/visits/{visit_id}/plots/{kind}.svg", include_in_schema=False)
    async def visit_plot(
        request: Request, patient_id: str, visit_id: str, kind: str, version: VersionNumber = None
    ) -> Response:
        if kind not in ("alsfrs-r", "fvc"):
            raise PageNotFound

        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            visit = registry.get_visit(db, patient, visit_id)
            row = registry.get_version(db, visit, version) if visit else None
            svg = course_svg(row.case, stored_assessment(db, row).result, kind) if row else None
            if svg is None:
                raise PageNotFound
            return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

        return await _run(request, work)

    @app.get("/patients/{patient_id}/visits/{visit_id}/plan.ics", include_in_schema=False)
    async def visit_calendar(
        request: Request, patient_id: str, visit_id: str, version: VersionNumber = None
    ) -> Response:
        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            visit = registry.get_visit(db, patient, visit_id)
            row = registry.get_version(db, visit, version) if visit else None
            if row is None:
                raise PageNotFound
            record(db, request, who, "assessment.read", patient.id, visit_id)
            return plan_calendar(stored_assessment(db, row).result)

        return await _run(request, work)

    @app.get("/patients/{patient_id}/visits/{visit_id}/edit", include_in_schema=False)
    async def edit_visit_form(request: Request, patient_id: str, visit_id: str) -> Response:
        def work(db: Session, who: Principal) -> Response:
            patient = _own(db, who, patient_id)
            visit = registry.get_visit(db, patient, visit_id)
            row = registry.get_version(db, visit) if visit else None
            if row is None:
                raise PageNotFound
            record(db, request, who, "visit.read", patient.id, visit_id)
            return _form_page(
                request,
                who,
                patient,
                caseform.form_view(row.case),
                action=f"/patients/{patient.id}/visits/{visit_id}/edit",
                version=row.version,
            )

        return await _run(request, work)

    @app.post("/patients/{patient_id}/visits/{visit_id}/edit", include_in_schema=False)
    async def edit_visit(request: Request, patient_id: str, visit_id: str) -> Response:
        form = await request.form()

        def work(db: Session, who: Principal) -> Response:
            _check_csrf(request, form)
            patient = _own(db, who, patient_id)
            visit = registry.get_visit(db, patient, visit_id)
            if visit is None:
                raise PageNotFound
            case = _checked_case(_fields(form))
            if not isinstance(case, Case):
                return _form_page(
                    request, who, patient, *case, action=f"/patients/{patient.id}/visits/{visit_id}/edit", status=422
                )
            version = registry.add_version(db, visit, case.model_dump(mode="json"), who.user_id)
            stored_assessment(db, version)
            record(db, request, who, "visit.version", patient.id, visit_id)
            return RedirectResponse(f"/patients/{patient.id}/visits/{visit_id}", status_code=303)

        return await _run(request, work)


def _checked_case(
    fields: dict[str, list[str]],
) -> Case | tuple[dict[str, Any], list[formerrors.PlainError], list[caseform.Confirmation]]:
    """The case to save; or the form to show again with every error and every question at once."""
    doc = caseform.case_from_form(fields)
    errors = formerrors.plain(caseform.form_errors(fields) + formerrors.all_errors(doc))
    confirmations = caseform.entry_checks(fields, doc)
    if errors or confirmations:
        return caseform.form_view(doc, form=fields), errors, confirmations
    return case_from_dict(doc)


def _form_page(
    request: Request,
    who: Principal,
    patient: Patient,
    view: dict[str, Any],
    errors: list[formerrors.PlainError] | None = None,
    confirmations: list[caseform.Confirmation] | None = None,
    *,
    action: str,
    status: int = 200,
    version: int | None = None,
) -> Response:
    by_field: dict[str, list[str]] = {}
    for e in errors or []:
        by_field.setdefault(e.field_id, []).append(e.message)
    return _page(
        request,
        "case_form.html",
        who,
        status=status,
        patient=patient,
        f=view,
        errors=errors or [],
        confirmations=confirmations or [],
        field_errors=by_field,
        action=action,
        version=version,
    )


def _plot_urls(base: str, result: dict[str, Any], version: int) -> list[tuple[str, str]]:
    """(url, caption) of the course plots this assessment has data for (none without matplotlib)."""
    if importlib.util.find_spec("matplotlib") is None:
        return []
    course = result.get("course") or {}
    out = []
    if course.get("alsfrs_r"):
        out.append((f"{base}/plots/alsfrs-r.svg?version={version}", "ALSFRS-R total and domains over time"))
    if course.get("fvc"):
        out.append((f"{base}/plots/fvc.svg?version={version}", "FVC (% predicted) over time"))
    return out


def course_svg(case_doc: dict[str, Any], result: dict[str, Any], kind: str) -> bytes | None:
    """One course plot as SVG, drawn by alsdx.report.plots from the stored course (nothing recomputed)."""
    from alsdx.engine.course_results import Course
    from alsdx.report.plots import alsfrs_figure, fvc_figure

    draw = {"alsfrs-r": alsfrs_figure, "fvc": fvc_figure}[kind]
    figure = draw(case_from_dict(case_doc), Course.model_validate(result["course"]))
    if figure is None:
        return None
    buf = io.BytesIO()
    figure.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _fields(form: FormData) -> dict[str, list[str]]:
    """Every submitted value per name (uploads are not part of the case form and are ignored)."""
    return {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form}


def _login_page(request: Request, target: str, status: int = 200, error: str | None = None) -> Response:
    """The log-in form with a fresh CSRF token, set as a cookie the form must echo (double submit)."""
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", None, status=status, login_csrf=token, next=target, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=3600,
    )
    return response


def _safe_next(target: str) -> str:
    """Only local paths: never redirect off-site after login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/patients"
