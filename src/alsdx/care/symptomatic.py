"""Symptomatic care to be considered: the options and their wording for each trigger the kernel raises.

The triggers and their sources are the kernel's (``alsdx.rules.care.symptomatic``, docs/ruleset.md §10-§11).
"""

from __future__ import annotations

import numpy as np

from alsdx.care.columns import Columns
from alsdx.care.course_inputs import RespiratoryInputs
from alsdx.care.models import MedicationPlan, SymptomItem
from alsdx.model.case import Case
from alsdx.rules.care.referrals import AAN_2009_1, AAN_2009_2, EFNS_2012, WEIGHT_LOSS_PERCENT
from alsdx.rules.care.symptomatic import MEXILETINE, NUEDEXTA, symptomatic_kernel


def symptomatic_columns(case: Case, resp: RespiratoryInputs | None, care: Columns) -> dict[str, np.ndarray]:
    cols = dict(care)
    cols["on_dmq"] = np.array(
        [any(m.name == "dextromethorphan_quinidine" and m.stop_date is None for m in case.medications)]
    )
    days = np.nan
    if resp is not None and resp.fvc_50_projected_date is not None:
        days = float((resp.fvc_50_projected_date - case.assessment_date).days)
    cols["days_to_fvc_50"] = np.array([days])
    return cols


def _gastrostomy_options(resp: RespiratoryInputs | None) -> list[str]:
    options = [
        "Gastrostomy discussion to be considered: PEG to stabilise weight and prolong survival (AAN 2009, "
        "level B); early placement recommended (EFNS 2012).",
    ]
    if resp is not None and resp.peg_risk is not None:
        options.append(
            f"Procedural risk from FVC {resp.fvc_percent:g} %: {resp.peg_risk} (AAN 2009: > 50 % low, "
            "30-50 % moderate, < 30 % high; RIG or respiratory support when risk is not low)."
        )
    else:
        options.append(
            "Procedural risk band needs the course FVC outputs (AAN 2009: > 50 % low, 30-50 % moderate, < 30 % high)."
        )
    if resp is not None and resp.fvc_50_projected_date is not None:
        options.append(
            f"FVC projected to reach 50 % around {resp.fvc_50_projected_date} at the current slope: "
            "discuss before then."
        )
    return options


def items(case: Case, resp: RespiratoryInputs | None, care: Columns) -> list[SymptomItem]:
    """The symptomatic items the kernel raises (``care`` = ``care_columns``), with options to be considered."""
    cols = symptomatic_columns(case, resp, care)
    fired = symptomatic_kernel(cols)
    out: list[SymptomItem] = []

    def add(trigger: str, item_id: str, label: str, finding: str, options: list[str], source: str) -> None:
        if fired[trigger][0]:
            out.append(SymptomItem(id=item_id, label=label, finding=finding, options=options, source=source))

    add(
        "pba_treat",
        "pseudobulbar_affect",
        "Pseudobulbar affect",
        "pseudobulbar affect on examination",
        [
            "Dextromethorphan/quinidine to be considered (AAN 2009, level B); per label: 20/10 mg daily for "
            "7 days, then every 12 hours; QT prolongation and CYP2D6 interactions to be reviewed."
        ],
        f"{AAN_2009_2}; {NUEDEXTA}",
    )
    add(
        "pba_on_dmq",
        "pseudobulbar_affect",
        "Pseudobulbar affect",
        "pseudobulbar affect on examination; on dextromethorphan/quinidine",
        ["Review response and tolerability; QT prolongation and CYP2D6 interactions per label."],
        f"{AAN_2009_2}; {NUEDEXTA}",
    )
    salivation = cols["alsfrs_salivation"][0]
    add(
        "sialorrhoea",
        "sialorrhoea",
        "Sialorrhoea",
        "sialorrhoea reported" if cols["sialorrhea"][0] else f"ALSFRS-R salivation {salivation:g}/4",
        [
            "An anticholinergic first (e.g. glycopyrrolate, amitriptyline, atropine drops, hyoscine patch), "
            "watching for anticholinergic adverse effects (EFNS 2012).",
            "Botulinum toxin B to be considered if refractory (AAN 2009, level B); salivary gland "
            "irradiation may be considered (level C).",
        ],
        f"{AAN_2009_2}; {EFNS_2012}",
    )
    mexiletine = (
        "mexiletine to be considered (off-label; 150 mg twice daily, Oskarsson 2018; 300 mg/day, Weiss 2016). "
        "Mexiletine is a class IB antiarrhythmic: cardiac history and ECG per its label."
    )
    add(
        "cramps",
        "cramps",
        "Muscle cramps",
        "muscle cramps reported",
        [f"For troublesome cramps: {mexiletine}"],
        MEXILETINE,
    )
    add(
        "cramps_conditional",
        "cramps",
        "Muscle cramps",
        "LMN signs on examination; muscle cramps not recorded",
        [f"If cramps are troublesome: {mexiletine}"],
        MEXILETINE,
    )
    add(
        "spasticity",
        "spasticity",
        "Spasticity",
        "spasticity on examination",
        [
            "Physiotherapy (EFNS 2012).",
            "Baclofen or tizanidine to be considered, watching for sedation and increased weakness; "
            "intrathecal baclofen in selected refractory cases (EFNS 2012).",
        ],
        EFNS_2012,
    )
    fvc_text = "" if resp is None or resp.fvc_percent is None else f" (latest FVC {resp.fvc_percent:g} %)"
    add(
        "niv",
        "niv",
        "Non-invasive ventilation",
        f"AAN 2009 NIV trigger reached per the course outputs{fvc_text}",
        [
            "NIV to be considered for respiratory insufficiency, to lengthen survival (AAN 2009, level B); "
            "early NIV may improve compliance (level C)."
        ],
        AAN_2009_1,
    )
    findings = []
    if fired["gastrostomy_dysphagia"][0]:
        findings.append("dysphagia or reduced ALSFRS-R swallowing")
    if fired["gastrostomy_fvc"][0]:
        findings.append(f"FVC below 50 % or projected to reach 50 % within 6 months{fvc_text}")
    if fired["gastrostomy_weight"][0]:
        findings.append(
            f"weight loss {care['weight_loss_percent'][0]:.1f} % since the first recorded weight (> {WEIGHT_LOSS_PERCENT:g} %)"
        )
    if findings:
        out.append(
            SymptomItem(
                id="gastrostomy",
                label="Gastrostomy",
                finding="; ".join(findings),
                options=_gastrostomy_options(resp),
                source=f"{AAN_2009_1}; {EFNS_2012}",
            )
        )
    return out


def dmq_plans(case: Case) -> list[MedicationPlan]:
    """Dextromethorphan/quinidine entries from the case (no dated calendar: continuous dosing)."""
    return [
        MedicationPlan(
            name=m.name,
            label="Dextromethorphan/quinidine (Nuedexta)",
            status="current" if m.stop_date is None else "stopped",
            start_date=m.start_date,
            stop_date=m.stop_date,
            instructions=["20/10 mg once daily for 7 days, then every 12 hours (per label)."],
            watch_for=["QT prolongation", "CYP2D6 and QT-prolonging drug interactions", "dizziness", "falls"],
            source=NUEDEXTA,
        )
        for m in case.medications
        if m.name == "dextromethorphan_quinidine"
    ]
