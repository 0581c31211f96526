"""The web pages' Jinja templates (``api/templates``) and the one way a page is rendered."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from alsdx.api import alsfrs_anchors, caseform
from alsdx.engine.category_line import category_flags, category_text
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import BULBAR_SYMPTOMS, REGIONS
from alsdx.rules.course.alsfrs_r import DOMAINS as ALSFRS_DOMAINS
from alsdx.store.accounts import Principal

API_DIR = Path(__file__).resolve().parent.parent
"""``alsdx/api``: its ``templates`` and ``static`` folders."""

templates = Jinja2Templates(directory=str(API_DIR / "templates"))
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


def render(request: Request, name: str, who: Principal | None, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the user, the form's CSRF token and the print date."""
    context.update(who=who, csrf=getattr(request.state, "csrf", ""), printed_on=date.today().isoformat())
    return templates.TemplateResponse(request, name, context, status_code=status)
