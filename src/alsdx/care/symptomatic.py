"""Symptomatic care to be considered: pseudobulbar affect, sialorrhoea, cramps, spasticity, NIV and
gastrostomy.

Sources:
- Miller RG et al., Neurology 2009;73:1227-1233 (AAN part 2): dextromethorphan/quinidine should be
  considered for pseudobulbar affect (level B); botulinum toxin B should be considered for refractory
  sialorrhoea (level B); low-dose salivary gland irradiation may be considered (level C).
- Miller RG et al., Neurology 2009;73:1218-1226 (AAN part 1): NIV should be considered to treat
  respiratory insufficiency (level B), early NIV may improve compliance (level C); PEG should be
  considered to stabilise weight and prolong survival (level B); procedural risk from FVC
  (> 50 % low, 30-50 % moderate, < 30 % high).
- Andersen PM et al., Eur J Neurol 2012;19:360-375 (EFNS): anticholinergics for sialorrhoea;
  physiotherapy and baclofen or tizanidine for spasticity; early gastrostomy.
- Weiss MD et al., Neurology 2016;86:1474-1481 (mexiletine 300 or 900 mg/day reduced cramps);
  Oskarsson B et al., Muscle Nerve 2018;58:42-48 (mexiletine 150 mg twice daily). Off-label.
- NUEDEXTA (dextromethorphan/quinidine) US prescribing information: one capsule (20/10 mg) daily for
  7 days, then every 12 hours; QT prolongation; CYP2D6 interactions.

Triggers (kernel; alsdx's reading):
- pseudobulbar affect: the bulbar UMN sign ``pseudobulbar_affect``.
- sialorrhoea: reported sialorrhoea or ALSFRS-R salivation below 4.
- cramps: reported muscle cramps (``exam.muscle_cramps``) raise the mexiletine item; without that report,
  any LMN sign raises it conditionally ("if cramps are troublesome"), as cramps are common with LMN loss.
- spasticity: the UMN sign ``spasticity`` in any region.
- NIV: the course module's AAN 2009 NIV trigger (Decision 17); never recomputed here.
- gastrostomy discussion (no gastrostomy yet): dysphagia or ALSFRS-R swallowing below 4, FVC < 50 %,
  or the course module's projected date of FVC 50 % within ``GASTROSTOMY_LOOKAHEAD_DAYS`` (183: six
  months to discuss and place it while FVC is above 50 %; alsdx's choice), or weight loss above
  ``referrals.WEIGHT_LOSS_PERCENT`` (EFNS 2012: gastrostomy timing weighs bulbar symptoms, "weight
  loss > 10 %", respiratory function and general condition; the loss is counted from the first recorded
  weight, docs/case-format.md).
"""

from __future__ import annotations

import numpy as np

from alsdx.care.columns import Columns
from alsdx.care.course_inputs import RespiratoryInputs
from alsdx.care.models import MedicationPlan, SymptomItem
from alsdx.care.referrals import AAN_2009_1, AAN_2009_2, EFNS_2012, WEIGHT_LOSS_PERCENT
from alsdx.model.case import Case

GASTROSTOMY_FVC_PERCENT = 50.0
GASTROSTOMY_LOOKAHEAD_DAYS = 183
MEXILETINE = "Weiss MD et al., Neurology 2016;86:1474-1481; Oskarsson B et al., Muscle Nerve 2018;58:42-48"
NUEDEXTA = "NUEDEXTA (dextromethorphan/quinidine) US prescribing information"


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


def symptomatic_kernel(cols: Columns) -> dict[str, np.ndarray]:
    swallowing = cols["alsfrs_swallowing"] < 4
    pba = cols["pseudobulbar_affect"]
    return {
        "pba_treat": pba & ~cols["on_dmq"],
        "pba_on_dmq": pba & cols["on_dmq"],
        "sialorrhoea": cols["sialorrhea"] | (cols["alsfrs_salivation"] < 4),
        "cramps": cols["muscle_cramps"],
        "cramps_conditional": cols["any_lmn"] & ~cols["muscle_cramps"],
        "spasticity": cols["spasticity"],
        "niv": cols["niv_indicated"],
        "gastrostomy_dysphagia": (cols["dysphagia"] | swallowing) & ~cols["gastrostomy"],
        "gastrostomy_fvc": (
            (cols["fvc_percent"] < GASTROSTOMY_FVC_PERCENT) | (cols["days_to_fvc_50"] <= GASTROSTOMY_LOOKAHEAD_DAYS)
        )
        & ~cols["gastrostomy"],
        "gastrostomy_weight": (cols["weight_loss_percent"] > WEIGHT_LOSS_PERCENT) & ~cols["gastrostomy"],
    }


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
