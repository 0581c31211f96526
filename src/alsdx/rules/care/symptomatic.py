"""Symptomatic care triggers (kernel): pseudobulbar affect, sialorrhoea, cramps, spasticity, NIV and
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
  ``alsdx.rules.care.referrals.WEIGHT_LOSS_PERCENT`` (EFNS 2012: gastrostomy timing weighs bulbar symptoms, "weight
  loss > 10 %", respiratory function and general condition; the loss is counted from the first recorded
  weight, docs/case-format.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.care.referrals import WEIGHT_LOSS_PERCENT

GASTROSTOMY_FVC_PERCENT = 50.0
GASTROSTOMY_LOOKAHEAD_DAYS = 183
MEXILETINE = "Weiss MD et al., Neurology 2016;86:1474-1481; Oskarsson B et al., Muscle Nerve 2018;58:42-48"
NUEDEXTA = "NUEDEXTA (dextromethorphan/quinidine) US prescribing information"


def symptomatic_kernel(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
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
