"""Multidisciplinary referrals: the trigger kernel (which disciplines, from which findings).

Sources:
- Miller RG, Jackson CE, Kasarskis EJ, et al. Practice Parameter update: the care of the patient with
  ALS: drug, nutritional, and respiratory therapies (part 1). Neurology 2009;73:1218-1226 — respiratory
  monitoring and NIV, nutrition and gastrostomy.
- Miller RG, Jackson CE, Kasarskis EJ, et al. Practice Parameter update: multidisciplinary care,
  symptom management, and cognitive/behavioral impairment (part 2). Neurology 2009;73:1227-1233 —
  referral to a specialised multidisciplinary clinic should be considered (level B); screening for
  cognitive and behavioural impairment; pseudobulbar affect.
- Andersen PM, Abrahams S, Borasio GD, et al. EFNS guidelines on the clinical management of ALS
  (MALS) - revised report of an EFNS task force. Eur J Neurol 2012;19:360-375 — the multidisciplinary
  team (speech and language therapy, dietetics, physio- and occupational therapy, respiratory care,
  palliative care from diagnosis, genetic counselling, neuropsychology).

Trigger rules (alsdx's reading; thresholds are the published ones where a source gives one):
- neurology / MDT clinic: always (AAN 2009 part 2, level B).
- speech and language therapy: bulbar UMN or LMN signs; dysarthria or voice change; dysphagia;
  ALSFRS-R speech or swallowing item below 4.
- pulmonology: FVC < 80 % predicted (the conventional lower bound of normal, docs/ruleset.md §10);
  a falling FVC slope (< 0 % predicted per month: the issue's "falling slope", no published cut-off);
  orthopnoea; the course module's NIV trigger; any ALSFRS-R respiratory item (dyspnoea, orthopnoea,
  respiratory insufficiency) below 4.
- nutrition / gastroenterology: dysphagia or ALSFRS-R swallowing below 4; a gastrostomy in place; weight
  loss above 10 % since the first recorded weight (EFNS 2012's gastrostomy-timing threshold; AAN 2009
  part 1: weight at every visit, nutrition management).
- physiotherapy: any limb-region sign; ALSFRS-R turning in bed, walking or climbing stairs below 4.
- occupational therapy: cervical (upper-limb) signs; ALSFRS-R handwriting, cutting food or
  dressing/hygiene below 4.
- mobility / wheelchair services: ALSFRS-R walking or climbing stairs below 4; lower-limb weakness.
- palliative care: always, worded "once the diagnosis is established" (EFNS 2012: early, from
  diagnosis); plus respiratory insufficiency (NIV trigger, FVC < 50 %, ALSFRS-R item 12 below 4).
- genetic counselling: family history of ALS; a pathogenic or likely pathogenic variant (never a
  VUS); a C9orf72 repeat expansion.
- psychology / cognitive screening: frontotemporal dementia; pseudobulbar affect.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

AAN_2009_1 = "Miller RG et al., Neurology 2009;73:1218-1226 (AAN practice parameter, part 1)"
AAN_2009_2 = "Miller RG et al., Neurology 2009;73:1227-1233 (AAN practice parameter, part 2)"
EFNS_2012 = "Andersen PM et al., Eur J Neurol 2012;19:360-375 (EFNS MALS guideline)"

FVC_REFERRAL_PERCENT = 80.0
FVC_PALLIATIVE_PERCENT = 50.0
FALLING_SLOPE_PER_MONTH = 0.0
WEIGHT_LOSS_PERCENT = 10.0
"""EFNS 2012 (Andersen 2012): weight loss > 10 % is one of the factors for the timing of gastrostomy; it
raises a nutrition referral here and a gastrostomy discussion in symptomatic.py."""

DISCIPLINE_SOURCES: dict[str, str] = {
    "neurology_mdt": AAN_2009_2,
    "speech_language_therapy": f"{EFNS_2012}; {AAN_2009_2}",
    "pulmonology": f"{AAN_2009_1}; {EFNS_2012}",
    "nutrition_gastroenterology": f"{AAN_2009_1}; {EFNS_2012}",
    "physiotherapy": EFNS_2012,
    "occupational_therapy": EFNS_2012,
    "mobility_wheelchair_services": EFNS_2012,
    "palliative_care": EFNS_2012,
    "genetic_counselling": EFNS_2012,
    "psychology_cognitive": f"{AAN_2009_2}; {EFNS_2012}",
}
"""The disciplines in plan order, each with its sources."""
DISCIPLINES = tuple(DISCIPLINE_SOURCES)

TRIGGERS: tuple[tuple[str, str], ...] = (
    ("mdt_clinic", "neurology_mdt"),
    ("slt_bulbar_signs", "speech_language_therapy"),
    ("slt_dysarthria", "speech_language_therapy"),
    ("slt_dysphagia", "speech_language_therapy"),
    ("slt_alsfrs_speech", "speech_language_therapy"),
    ("slt_alsfrs_swallowing", "speech_language_therapy"),
    ("pulm_fvc_below_80", "pulmonology"),
    ("pulm_fvc_falling", "pulmonology"),
    ("pulm_orthopnea", "pulmonology"),
    ("pulm_niv", "pulmonology"),
    ("pulm_alsfrs_respiratory", "pulmonology"),
    ("nut_dysphagia", "nutrition_gastroenterology"),
    ("nut_gastrostomy", "nutrition_gastroenterology"),
    ("nut_weight_loss", "nutrition_gastroenterology"),
    ("pt_limb_signs", "physiotherapy"),
    ("pt_gross_motor", "physiotherapy"),
    ("ot_upper_limb", "occupational_therapy"),
    ("ot_fine_motor", "occupational_therapy"),
    ("mob_alsfrs_walking", "mobility_wheelchair_services"),
    ("mob_leg_weakness", "mobility_wheelchair_services"),
    ("pal_early", "palliative_care"),
    ("pal_respiratory", "palliative_care"),
    ("gen_family_history", "genetic_counselling"),
    ("gen_plp_variant", "genetic_counselling"),
    ("gen_c9orf72", "genetic_counselling"),
    ("psy_ftd", "psychology_cognitive"),
    ("psy_pba", "psychology_cognitive"),
)
"""(trigger id, discipline), in the order a referral's reasons are listed."""


def referral_kernel(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Trigger columns and one ``refer_<discipline>`` column per discipline (the OR of its triggers)."""

    def item(name: str) -> np.ndarray:
        return cols[f"alsfrs_{name}"]

    fvc = cols["fvc_percent"]
    n = len(fvc)
    out = {
        "mdt_clinic": np.ones(n, dtype=bool),
        "slt_bulbar_signs": cols["bulbar_umn"] | cols["bulbar_lmn"],
        "slt_dysarthria": cols["dysarthria"] | cols["voice_change"],
        "slt_dysphagia": cols["dysphagia"],
        "slt_alsfrs_speech": item("speech") < 4,
        "slt_alsfrs_swallowing": item("swallowing") < 4,
        "pulm_fvc_below_80": fvc < FVC_REFERRAL_PERCENT,
        "pulm_fvc_falling": cols["fvc_slope_per_month"] < FALLING_SLOPE_PER_MONTH,
        "pulm_orthopnea": cols["exam_orthopnea"] | cols["resp_orthopnea"],
        "pulm_niv": cols["niv_indicated"],
        "pulm_alsfrs_respiratory": (item("dyspnea") < 4)
        | (item("orthopnea") < 4)
        | (item("respiratory_insufficiency") < 4),
        "nut_dysphagia": cols["dysphagia"] | (item("swallowing") < 4),
        "nut_gastrostomy": cols["gastrostomy"],
        "nut_weight_loss": cols["weight_loss_percent"] > WEIGHT_LOSS_PERCENT,
        "pt_limb_signs": cols["limb_signs"],
        "pt_gross_motor": (item("turning_in_bed") < 4) | (item("walking") < 4) | (item("climbing_stairs") < 4),
        "ot_upper_limb": cols["cervical_signs"],
        "ot_fine_motor": (item("handwriting") < 4) | (item("cutting_food") < 4) | (item("dressing_hygiene") < 4),
        "mob_alsfrs_walking": (item("walking") < 4) | (item("climbing_stairs") < 4),
        "mob_leg_weakness": cols["lumbosacral_weakness"],
        "pal_early": np.ones(n, dtype=bool),
        "pal_respiratory": cols["niv_indicated"]
        | (fvc < FVC_PALLIATIVE_PERCENT)
        | (item("respiratory_insufficiency") < 4),
        "gen_family_history": cols["family_history_als"],
        "gen_plp_variant": cols["plp_variant"],
        "gen_c9orf72": cols["c9orf72_expansion"],
        "psy_ftd": cols["frontotemporal_dementia"],
        "psy_pba": cols["pseudobulbar_affect"],
    }
    for discipline in DISCIPLINES:
        fired = [out[t] for t, d in TRIGGERS if d == discipline]
        out[f"refer_{discipline}"] = np.logical_or.reduce(fired)
    return out
