"""CDS Hooks 2.0 cards built from an assessment (its public JSON) and the case it came from.

Cards only render what the engine decided; they never re-derive a category. Parts of the assessment
that other modules add (mimics, course, plan) become cards when present. Every card has a ``uuid``
(stable for one hook call), a ``summary`` under 140 characters, an ``indicator``, a ``source`` with a
label and a citation URL, and, when it has suggestions, a ``selectionBehavior``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alsdx.fhir import vocab
from alsdx.fhir.narrative import with_narrative
from alsdx.model.case import Case
from alsdx.rules.care import fvc_recency
from alsdx.trials.facts_catalog import FACTS
from alsdx.trials.model import Trial
from alsdx.trials.screen import CaseScreening, TrialResult
from alsdx.trials.wording import STATUS_WORDS

SUMMARY_MAX = 139  # the spec: "<140-character summary"

SOURCES = {
    "criteria": {
        "label": "ALS criteria: El Escorial, Awaji, Gold Coast (alsdx)",
        "url": "https://doi.org/10.1016/j.clinph.2020.04.005",
    },
    "mimics": {
        "label": "Turner & Talbot, Mimics and chameleons in MND, Pract Neurol 2013",
        "url": "https://doi.org/10.1136/practneurol-2013-000557",
    },
    "respiratory": {
        "label": "AAN practice parameter, Miller et al., Neurology 2009",
        "url": "https://doi.org/10.1212/WNL.0b013e3181bc0141",
    },
    "riluzole": {
        "label": "Rilutek (riluzole) EU Summary of Product Characteristics, EMA",
        "url": "https://www.ema.europa.eu/en/medicines/human/EPAR/rilutek",
    },
    "trials": {
        "label": "Trial eligibility screening (alsdx): the clinic's trials, criteria as posted in each registry record",
        "url": "https://clinicaltrials.gov/",
    },
}
SHORT_SET = {
    "el_escorial_1994": "EEC 1994",
    "revised_el_escorial": "rEEC",
    "awaji": "Awaji",
    "gold_coast": "Gold Coast",
}
SHORT_CATEGORY = {
    "not_met": "not met",
    "probable_laboratory_supported": "probable lab-supported",
    "definite_familial_laboratory_supported": "definite familial lab-supported",
}
INDICATORS = {"critical": "critical", "warning": "warning", "info": "info"}


@dataclass
class CardContext:
    hook_instance: str
    patient_id: str
    link: dict[str, str] | None = None
    data_notes: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """Inputs the rules needed and did not get, as (input, reason): no coded findings, no onset date, data cut
    by paging, a prefetch that failed. Shown on the criteria card in plain words."""
    regions_not_examined: list[str] = field(default_factory=list)
    assessable: str = "complete"
    """``complete``, ``partial`` (some regions without a coded finding) or ``none`` (no coded finding at all)."""


NO_FINDINGS = "the criteria cannot be assessed from the coded record: no examination findings were found"
HOW_TO_ASSESS = (
    "What would make it possible: examination findings recorded as coded Observations (UMN and LMN signs in HPO or "
    "SNOMED CT, with Observation.bodySite naming the body region), or needle EMG per muscle; a hospital that codes "
    "them with local codes maps those codes in its ConceptMap (ALSDX_FHIR_CONCEPT_MAP, docs/fhir.md)."
)


def summary(text: str) -> str:
    """One sentence under 140 characters (cut on a word, with an ellipsis, when longer)."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_MAX:
        return text
    return text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:·") + "…"


def card_uuid(ctx: CardContext, *key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(("alsdx-cds", ctx.hook_instance, *key))))


def _card(
    ctx: CardContext,
    key: str,
    text: str,
    indicator: str,
    source: str,
    detail: str | None = None,
    suggestions: list[dict[str, Any]] | None = None,
    extension: dict[str, Any] | None = None,
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "uuid": card_uuid(ctx, key),
        "summary": summary(text),
        "indicator": indicator,
        "source": dict(SOURCES[source]),
    }
    if detail:
        card["detail"] = detail
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "any"
    if ctx.link:
        card["links"] = [dict(ctx.link)]
    if extension:
        card["extension"] = extension
    return card


def service_request(ctx: CardContext, service: str, reason: str) -> dict[str, Any]:
    code = vocab.SERVICES[service]
    return {
        "label": f"Order {code.display}",
        "uuid": card_uuid(ctx, "suggestion", service),
        "actions": [
            {
                "type": "create",
                "description": f"Create a draft order: {code.display}",
                "resource": with_narrative(
                    {
                        "resourceType": "ServiceRequest",
                        "status": "draft",
                        "intent": "proposal",
                        "code": vocab.service_concept(service, text=code.display),
                        "subject": {"reference": f"Patient/{ctx.patient_id}"},
                        "reasonCode": [{"text": reason}],
                    }
                ),
            }
        ],
    }


def patient_view_cards(a: dict[str, Any], case: Case, ctx: CardContext) -> list[dict[str, Any]]:
    cards = [_criteria_card(a, ctx)]
    workup = _workup_card(a, case, ctx)
    if workup:
        cards.append(workup)
    cards += _trigger_cards(a, ctx)
    return cards


def error_card(ctx: CardContext, text: str, detail: str, key: str = "criteria") -> dict[str, Any]:
    """An info card saying why alsdx could not assess (instead of swallowing the error); ``key``: what failed
    (``criteria`` or ``trials``), for the card's uuid and source."""
    return _card(ctx, "error" if key == "criteria" else f"error-{key}", text, "info", key, detail)


def _category_words(category: str, label: str, ctx: CardContext) -> str:
    """A category as the card shows it: never a bare "not met" when regions were not examined (COMMON.md contract 1)."""
    if category == "not_met" and ctx.assessable != "complete":
        return "not met on the findings recorded"
    return label


def _missing_lines(ctx: CardContext) -> list[str]:
    lines = []
    if ctx.regions_not_examined and ctx.assessable == "partial":
        lines.append("**Not examined (no coded finding in the record)**: " + ", ".join(ctx.regions_not_examined) + ".")
    lines += [f"**Missing: {what}**: {why}." for what, why in ctx.missing]
    return lines


def _criteria_card(a: dict[str, Any], ctx: CardContext) -> dict[str, Any]:
    criteria = a["criteria"]
    if ctx.assessable == "none":
        return _not_assessable_card(a, ctx)
    parts = [
        f"{SHORT_SET[k]} {SHORT_CATEGORY.get(v['category'], v['category'])}"
        for k, v in criteria.items()
        if k in SHORT_SET
    ]
    text = "Criteria (alsdx): " + ", ".join(parts)
    if ctx.assessable == "partial":
        text = "Criteria on the findings recorded (alsdx): " + ", ".join(parts)
    rows = ["| Criteria set | Category | Flags |", "|---|---|---|"]
    rows += [
        f"| {SHORT_SET.get(k, k)} | {_category_words(v['category'], v.get('label', v['category']), ctx)} | "
        f"{', '.join(v.get('flags', [])) or '-'} |"
        for k, v in criteria.items()
    ]
    lines = ["\n".join(rows), "", *_missing_lines(ctx)]
    for k, v in criteria.items():
        lines.append(f"**{SHORT_SET.get(k, k)}**: " + " ".join(v.get("explanation", [])))
    if isinstance(a.get("pls"), dict) and "category" in a["pls"]:
        lines.append(f"**PLS (Turner 2020)**: {a['pls']['category']}")
    lines += [f"_{n}_" for n in ctx.data_notes]
    if a.get("notice"):
        lines.append(f"_{a['notice']}_")
    extension = {
        "alsdx.criteria": {k: v["category"] for k, v in criteria.items()},
        "alsdx.assessable": ctx.assessable,
        "alsdx.rulesetVersion": a.get("ruleset_version"),
    }
    return _card(ctx, "criteria", text, "info", "criteria", "\n\n".join(lines), extension=extension)


def _not_assessable_card(a: dict[str, Any], ctx: CardContext) -> dict[str, Any]:
    """No coded examination finding and no EMG: no category is shown, only why and what would allow one."""
    lines = [NO_FINDINGS[0].upper() + NO_FINDINGS[1:] + ".", HOW_TO_ASSESS, *_missing_lines(ctx)]
    lines += [f"_{n}_" for n in ctx.data_notes]
    extension = {"alsdx.assessable": "none", "alsdx.rulesetVersion": a.get("ruleset_version")}
    text = "ALS criteria: " + NO_FINDINGS
    return _card(ctx, "criteria", text, "info", "criteria", "\n\n".join(lines), extension=extension)


def missing_data_card(ctx: CardContext, text: str, detail: str) -> dict[str, Any]:
    """An info card for a patient alsdx could not assess because an input is missing (e.g. no onset date)."""
    lines = [detail, *_missing_lines(ctx), *(f"_{n}_" for n in ctx.data_notes)]
    return _card(ctx, "criteria", text, "info", "criteria", "\n\n".join(lines), extension={"alsdx.assessable": "none"})


def _workup_card(a: dict[str, Any], case: Case, ctx: CardContext) -> dict[str, Any] | None:
    exclusion = a.get("exclusion") or {}
    mimics = a.get("mimics") or []
    pending = not exclusion.get("complete", False)
    if not pending and not mimics:
        return None
    reasons: list[str] = []
    wanted: dict[str, str] = {}
    workup_text = " ".join(w for m in mimics for w in m.get("workup", [])).lower()
    if not case.emg and (pending or "emg" in workup_text):
        wanted["emg"] = "No needle EMG recorded: EMG/NCS supports LMN evidence and excludes mimics"
    if case.imaging.cervical_spine_mri == "not_done" and (pending or "mri" in workup_text):
        wanted["mri_cervical_spine"] = "No MRI of the cervical spine recorded (myelopathy, radiculopathy)"
    if not any(p.anti_gm1_igm for p in case.labs) and (pending or "gm1" in workup_text):
        wanted["anti_gm1"] = "No anti-GM1 IgM recorded (multifocal motor neuropathy)"
    names = [str(m.get("name", m.get("id"))) for m in mimics]
    if names:
        text = f"Mimics to rule out: {', '.join(names)}"
        reasons += [
            f"- **{m.get('name', m.get('id'))}** ({m.get('level', 'flagged')}): "
            + "; ".join(f.get("flag", "") if isinstance(f, dict) else str(f) for f in m.get("red_flags") or [])
            for m in mimics
        ]
    else:
        count = len(wanted) or len(exclusion.get("outstanding", []))
        text = f"Exclusion of ALS mimics outstanding: {count} item(s)"
    reasons += [f"- {o}" for o in exclusion.get("outstanding") or []]
    reasons += [f"- {r}" for r in wanted.values()]
    suggestions = [service_request(ctx, key, why) for key, why in wanted.items()]
    return _card(ctx, "workup", text, "warning", "mimics", "\n".join(reasons), suggestions)


def _trigger_cards(a: dict[str, Any], ctx: CardContext) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    course = a.get("course") or {}
    fvc = course.get("fvc") if isinstance(course, dict) else None
    if isinstance(fvc, dict):
        value = fvc.get("upright_percent", fvc.get("supine_percent"))
        if fvc.get("niv_indicated"):
            cards.append(
                _card(
                    ctx,
                    "niv",
                    f"NIV to be considered (FVC {value} % predicted or orthopnea)",
                    "warning",
                    "respiratory",
                    "AAN 2009: consider non-invasive ventilation for FVC < 50 %, orthopnea, "
                    "SNIP < 40 cm H2O, MIP < -60 cm H2O or abnormal nocturnal oximetry.",
                )
            )
        risk = fvc.get("peg_risk")
        if risk in ("moderate", "high"):
            cards.append(
                _card(
                    ctx,
                    "gastrostomy",
                    f"Gastrostomy: discuss now; procedural risk {risk} (FVC {value} %)",
                    "warning" if risk == "moderate" else "critical",
                    "respiratory",
                    "AAN 2009: gastrostomy risk by FVC > 50 % low, 30-50 % moderate, < 30 % high.",
                )
            )
    plan = a.get("plan") or {}
    for alert in plan.get("alerts") or [] if isinstance(plan, dict) else []:
        source = "riluzole" if str(alert.get("id", "")).startswith("riluzole") else "respiratory"
        cards.append(
            _card(
                ctx,
                f"alert-{alert.get('id')}",
                str(alert.get("message", alert.get("id"))),
                INDICATORS.get(str(alert.get("severity")), "warning"),
                source,
                str(alert.get("message", "")),
            )
        )
    pft = _no_recent_fvc_card(plan, ctx)
    if pft is not None:
        cards.append(pft)
    return cards


def _no_recent_fvc_card(plan: Any, ctx: CardContext) -> dict[str, Any] | None:
    """The plan's FVC-recency item (``plan.monitoring``, id ``fvc_not_recent``: docs/ruleset.md §10) as a card."""
    items = plan.get("monitoring") or [] if isinstance(plan, dict) else []
    if not any(isinstance(m, dict) and m.get("id") == fvc_recency.ITEM_ID for m in items):
        return None
    return _card(
        ctx,
        "pft",
        "No FVC recorded in the last 3 months: pulmonary function tests suggested",
        "info",
        "respiratory",
        "Respiratory function (FVC upright and supine) is monitored at 3-monthly visits.",
        [service_request(ctx, "pft", "FVC monitoring in ALS (3-monthly)")],
    )


def riluzole_order_card(
    ctx: CardContext, alt: float | None, uln: float | None, alt_date: date | None, warn: bool, stop: bool
) -> dict[str, Any] | None:
    """The order-select card for a riluzole order (the decision comes from the kernel: ``warn``/``stop``)."""
    if alt is None:
        return _card(
            ctx,
            "riluzole-no-alt",
            "Riluzole ordered without an ALT on record: check baseline ALT",
            "info",
            "riluzole",
            "The SmPC asks for ALT before and during riluzole therapy.",
            [service_request(ctx, "alt", "Baseline ALT before riluzole")],
        )
    if uln is None:
        return _card(
            ctx,
            "riluzole-no-uln",
            f"Riluzole ordered; latest ALT {alt:g} U/L has no upper reference limit",
            "info",
            "riluzole",
            "The 3 × ULN check needs the laboratory's upper limit of normal.",
        )
    if not warn:
        return None
    ratio = alt / uln
    text = f"Riluzole ordered with ALT {alt:g} U/L = {ratio:.1f} × ULN ({alt_date}); " + (
        "≥ 5 × ULN: stop level" if stop else "> 3 × ULN"
    )
    detail = (
        "EU SmPC: riluzole is contraindicated when baseline transaminases exceed 3 × ULN and must be "
        "stopped at ALT ≥ 5 × ULN. To be considered by the prescriber."
    )
    return _card(ctx, "riluzole-alt", text, "critical" if stop else "warning", "riluzole", detail)


TRIAL_STATUS_WORDS = {status: STATUS_WORDS[status] for status in ("eligible", "undetermined")}
"""The statuses that raise the trial card, in the words every door uses (``trials.wording.STATUS_WORDS``)."""
TRIALS_NOTE = (
    "_Screened from the coded record against the trials' published eligibility criteria. This does not establish "
    "eligibility or a diagnosis: the trial's investigator checks every criterion and decides._"
)


def trials_card(screening: CaseScreening, trials: dict[str, Trial], ctx: CardContext) -> dict[str, Any] | None:
    """The trials the patient may be eligible for or whose eligibility is undetermined, with the window, what to
    check (criteria without a recorded value) and the number of criteria for the investigator; None when there is
    no such trial. A trial not eligible yet only by its time criteria is listed with the date they are met."""
    open_ = [r for r in screening.trials if r.status in TRIAL_STATUS_WORDS]
    if not open_:
        return None
    later = [r for r in screening.trials if r.status == "not_eligible" and r.eligible_from is not None]
    counts = [
        f"{words} for {n} trial{'s' if n > 1 else ''}"
        for status, words in TRIAL_STATUS_WORDS.items()
        if (n := sum(r.status == status for r in open_))
    ]
    text = f"Clinical trials (alsdx screening): {'; '.join(counts)}. The investigator decides"
    lines = [_trial_lines(r, trials) for r in sorted(open_, key=lambda r: r.status != "eligible")]
    lines += [_trial_lines(r, trials) for r in later]
    extension = {"alsdx.trials": {r.trial: r.status for r in screening.trials}}
    return _card(ctx, "trials", text, "info", "trials", "\n\n".join([*lines, TRIALS_NOTE]), extension=extension)


def _trial_lines(result: TrialResult, trials: dict[str, Trial]) -> str:
    trial = trials[result.trial]
    by_id = {c.id: c for c in trial.criteria}
    if result.status == "not_eligible":
        status = f"not yet: its time criteria are met from {result.eligible_from}"
    else:
        status = TRIAL_STATUS_WORDS[result.status]
        if result.eligible_until is not None:
            status += f"; window: eligible until {result.eligible_until} (a time criterion is no longer met after it)"
    lines = [f"**{trial.title}** (`{trial.id}`): {status}."]
    for c in result.criteria:
        if c.result == "unknown":
            criterion = by_id[c.id]
            meaning = FACTS[str(criterion.fact)].meaning
            said = f"{criterion.text} ({meaning})" if criterion.text else meaning
            lines.append(f"- To check, not recorded: {said}")
    manual = sum(c.result == "manual" for c in result.criteria)
    if manual:
        lines.append(f"- For the investigator: {manual} criteri{'a' if manual > 1 else 'on'} alsdx does not evaluate")
    lines.append(f"- Source: {trial.source}")
    return "\n".join(lines)
