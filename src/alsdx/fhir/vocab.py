"""Every code alsdx reads or writes in FHIR and Phenopackets, each with its system, display and source.

One module, so a reviewer can audit every code in one place (the habit of hpo-toolkit's typed term
constants). Sources:

* HPO ids and labels are checked in ``tests/fhir/test_vocab.py`` against the HPO release embedded in
  hpo3 (HPO 2025-11-24, hpo3 1.5.1); nothing is downloaded.
* LOINC, SNOMED CT and HL7 codes were checked against published HL7 implementation guides and value
  sets (named in each ``source``); fhir.resources does not check codes, so this module is the check.
* Where no standard code could be verified offline (ALSFRS-R item codes, some UMN signs, EMG
  per-muscle findings, criteria categories, medications), alsdx defines its own code in an alsdx
  CodeSystem (``urn:alsdx:...``, a URN so alsdx claims no web domain) and says so in ``source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from alsdx.model.case import ALSFRS_ITEMS as ITEM_NAMES
from alsdx.model.vocab import INVESTIGATION_TESTS, VARIANT_CLASSES

# --- code systems -------------------------------------------------------------------------------
HPO: Final = "http://human-phenotype-ontology.org"  # HL7 terminology (THO) URI for HPO
HPO_ALIASES: Final = frozenset({HPO, "http://purl.obolibrary.org/obo/hp.owl", "https://hpo.jax.org"})
SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10GM: Final = "http://fhir.de/CodeSystem/bfarm/icd-10-gm"
"""ICD-10-GM as the German MII/basisprofil-de profiles name it (BfArM)."""
ICD11: Final = "http://id.who.int/icd/release/11/mms"
"""ICD-11 MMS as HL7 terminology (THO) names it."""
ATC: Final = "http://www.whocc.no/atc"
OBS_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
OBS_INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
FAMILY_RELATIONSHIP: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
BODY_POSITION_EXT: Final = "http://hl7.org/fhir/StructureDefinition/observation-bodyPosition"
ASSERTED_DATE_EXT: Final = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"
"""R4 core extension "date the condition was first asserted" (used for the diagnosis date by HL7 mCODE and the
German MII IGs as "Feststellungsdatum"); docs/fhir.md explains why not Condition.recordedDate."""
DIAGNOSTIC_SERVICE: Final = "http://terminology.hl7.org/CodeSystem/v2-0074"
DATA_ABSENT_REASON: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CASE_ID_SYSTEM: Final = "urn:alsdx:case-id"
"""Patient.identifier system carrying the case id verbatim (a FHIR id cannot hold '_')."""

ALSDX_BASE: Final = "urn:alsdx:codesystem"
ALSDX_FINDING: Final = f"{ALSDX_BASE}:finding"
ALSDX_REGION: Final = f"{ALSDX_BASE}:region"
ALSDX_MUSCLE: Final = f"{ALSDX_BASE}:muscle"
ALSDX_VALUE: Final = f"{ALSDX_BASE}:value"
ALSDX_ALSFRS_ITEM: Final = f"{ALSDX_BASE}:alsfrs-r-item"
ALSDX_MEDICATION: Final = f"{ALSDX_BASE}:medication"
ALSDX_CRITERIA: Final = f"{ALSDX_BASE}:criteria"
ALSDX_SERVICE: Final = f"{ALSDX_BASE}:service"
ALSDX_GENE: Final = f"{ALSDX_BASE}:gene"
ALSDX_LAB: Final = f"{ALSDX_BASE}:lab"
ALSDX_INVESTIGATION: Final = f"{ALSDX_BASE}:investigation"
ALSDX_RESPIRATORY: Final = f"{ALSDX_BASE}:respiratory"

HPO_RELEASE: Final = "2025-11-24"
"""The HPO release the HPO codes below were checked against (embedded in hpo3 1.5.1)."""

_HPO_SRC = f"HPO {HPO_RELEASE} via hpo3 (checked by tests/fhir/test_vocab.py)"
_ALSDX_SRC = "alsdx-defined: no standard code verified offline"
_MII_LUFU = "MII lung-function value set (HL7 FHIR IG, LOINC 19872-1 FVC measured/predicted)"
_MCODE_TG263 = "HL7 mCODE radiotherapy treatment-location value set (TG263 → SNOMED CT)"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str
    source: str

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}

    def concept(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"coding": [self.coding()]}
        if text:
            out["text"] = text
        return out

    def matches(self, coding: Mapping[str, Any]) -> bool:
        system = coding.get("system")
        same_system = system in HPO_ALIASES if self.system == HPO else system == self.system
        return bool(same_system and coding.get("code") == self.code)


def hpo(code: str, display: str) -> Code:
    return Code(HPO, code, display, _HPO_SRC)


def alsdx(system: str, code: str, display: str) -> Code:
    return Code(system, code, display, _ALSDX_SRC)


# --- exam signs (case-format sign codes → codes) -------------------------------------------------
SIGNS: Final[dict[str, Code]] = {
    # UMN signs (docs/ruleset.md §5)
    "hyperreflexia": hpo("HP:0001347", "Hyperreflexia"),
    "reflex_preserved_in_weak_wasted_muscle": alsdx(
        ALSDX_FINDING, "reflex-preserved-in-weak-wasted-muscle", "Reflex preserved in a weak, wasted muscle"
    ),
    "spread_of_reflexes": alsdx(ALSDX_FINDING, "spread-of-reflexes", "Spread of reflexes"),
    "babinski": hpo("HP:0003487", "Babinski sign"),
    "hoffmann": hpo("HP:0031993", "Hoffmann sign"),
    "crossed_adductor": alsdx(ALSDX_FINDING, "crossed-adductor-reflex", "Crossed adductor reflex"),
    "jaw_jerk": alsdx(ALSDX_FINDING, "brisk-jaw-jerk", "Brisk jaw jerk"),
    "snout": hpo("HP:0030905", "Snout reflex"),
    "spasticity": hpo("HP:0001257", "Spasticity"),
    "clonus": hpo("HP:0002169", "Clonus"),
    "slowed_movements": alsdx(ALSDX_FINDING, "slowed-movements", "Slowed, poorly coordinated voluntary movement (UMN)"),
    "pseudobulbar_affect": hpo("HP:0002193", "Pseudobulbar affect"),
    # LMN signs
    "weakness": hpo("HP:0001324", "Muscle weakness"),
    "atrophy": hpo("HP:0003202", "Skeletal muscle atrophy"),
    "fasciculations": hpo("HP:0002380", "Fasciculations"),
    "hyporeflexia": hpo("HP:0001265", "Hyporeflexia"),
    "flaccidity": hpo("HP:0010547", "Muscle flaccidity"),
}

SNOMED_RELEASE: Final = "SNOMED CT International Edition (concepts active in the 2022-07-31 release and later)"
_SCT_SRC = f"{SNOMED_RELEASE}; concept id and FSN seen in public FHIR value sets/examples (docs/fhir.md, 'Codes')"
_IPS_PROBLEMS = (
    "SNOMED CT 2022-07-31; HL7 International Patient Summary IG, value set core-problem-finding-situation-event-gps-uv-ips "
    "(HL7/fhir-ips input/vocabulary) and ProblemsSnomedCtIpsFreeSet"
)
_R4B_SYMPTOMS = "SNOMED CT; HL7 FHIR 4.3.0 (R4B) value set disease-symptom-procedure (official expansion)"
_UMLS_CLONUS = "SNOMED CT (US edition) atom of UMLS concept C0009024 'Clonus' (NLM UMLS Metathesaurus)"
SIGN_SYNONYMS: Final[dict[str, tuple[Code, ...]]] = {
    # Accepted on import (EHRs code exam findings in SNOMED CT, with Observation.bodySite naming where). Only
    # concepts whose id and fully specified name could be verified offline are listed; any other code a hospital
    # uses is added with its ConceptMap (alsdx.fhir.local_codes), never guessed here.
    "hyperreflexia": (Code(SNOMED, "86854008", "Hyperreflexia (finding)", _SCT_SRC),),
    "hoffmann": (Code(SNOMED, "299849001", "Hoffmann's reflex positive (finding)", _SCT_SRC),),
    "spasticity": (Code(SNOMED, "221360009", "Spasticity (finding)", _SCT_SRC),),
    "weakness": (Code(SNOMED, "26544005", "Muscle weakness (finding)", _SCT_SRC),),
    "atrophy": (Code(SNOMED, "88092000", "Muscle atrophy (disorder)", _SCT_SRC),),
    "fasciculations": (Code(SNOMED, "82470000", "Muscle fasciculation (finding)", _IPS_PROBLEMS),),
    "babinski": (Code(SNOMED, "246586009", "Extensor plantar response", _R4B_SYMPTOMS),),
    "clonus": (Code(SNOMED, "36649002", "Clonus (finding)", _UMLS_CLONUS),),
}
"""SNOMED CT exam findings read as signs. Not listed (no concept id could be verified offline): pseudobulbar affect,
tongue fasciculation (a fasciculation coded with a tongue body site is read as bulbar fasciculations); their HPO codes
are read, and a hospital that codes them in SNOMED CT maps its codes with the ConceptMap (docs/fhir.md)."""

# Boolean exam / history findings of the case file, by case field path.
FINDINGS: Final[dict[str, Code]] = {
    "exam.sensory_loss": hpo("HP:0003474", "Somatic sensory dysfunction"),
    "exam.sphincter_dysfunction": hpo("HP:0002839", "Urinary bladder sphincter dysfunction"),
    "exam.gynecomastia": hpo("HP:0000771", "Gynecomastia"),
    "exam.dermatomyositis_rash": alsdx(
        ALSDX_FINDING, "dermatomyositis-rash", "Dermatomyositis rash (heliotrope rash or Gottron papules)"
    ),
    "exam.neck_pain_or_radicular_pain": alsdx(ALSDX_FINDING, "neck-or-radicular-pain", "Neck or radicular pain"),
    "exam.orthopnea": hpo("HP:0012764", "Orthopnea"),
    "exam.muscle_cramps": hpo("HP:0003394", "Muscle spasm"),  # HPO's term for cramps (its synonym "Muscle cramps")
    "exam.weakness.asymmetric": alsdx(ALSDX_FINDING, "asymmetric-weakness", "Asymmetric muscle weakness"),
    "exam.weakness.proximal": hpo("HP:0003701", "Proximal muscle weakness"),
    "exam.weakness.distal": hpo("HP:0002460", "Distal muscle weakness"),
    "exam.weakness.finger_flexors": hpo("HP:0031177", "Finger flexor weakness"),
    "exam.weakness.quadriceps": hpo("HP:0003731", "Quadriceps muscle weakness"),
    "frontotemporal_dementia": hpo("HP:0002145", "Frontotemporal dementia"),
    "normal_motor_function_before_onset": alsdx(
        ALSDX_FINDING, "normal-motor-function-before-onset", "Normal motor function before onset"
    ),
    "other_causes_excluded": alsdx(
        ALSDX_FINDING, "other-causes-excluded", "Exclusion work-up for other causes completed"
    ),
    "ncs.motor_conduction_block": hpo("HP:0012078", "Motor conduction block"),
    "ncs.sensory_abnormal": hpo("HP:0007230", "Decreased distal sensory nerve action potential"),
    "genetics.c9orf72_repeat_expansion": alsdx(
        ALSDX_FINDING, "c9orf72-repeat-expansion", "C9orf72 hexanucleotide repeat expansion"
    ),
    # Extensions: mimics (docs/case-format.md). HPO where a term means exactly the case field; otherwise alsdx
    # (HPO "Split hand" HP:0001171 is the limb malformation, HPO has no head-drop / neck-extensor term, and
    # "ptosis or diplopia" is a disjunction: see FINDING_PRESENT_ONLY).
    "exam.fatigable_weakness": hpo("HP:0003473", "Fatigable weakness"),
    "exam.weakness_fluctuating": alsdx(ALSDX_FINDING, "fluctuating-weakness", "Weakness fluctuating over time"),
    "exam.ptosis_or_diplopia": alsdx(ALSDX_FINDING, "ptosis-or-diplopia", "Ptosis or diplopia"),
    "exam.perioral_fasciculations": alsdx(ALSDX_FINDING, "perioral-fasciculations", "Perioral or chin fasciculations"),
    "exam.tremor": hpo("HP:0001337", "Tremor"),
    "exam.split_hand": alsdx(
        ALSDX_FINDING,
        "split-hand",
        "Split hand (thenar and first dorsal interosseous wasting sparing the hypothenar muscles)",
    ),
    "exam.head_drop": alsdx(ALSDX_FINDING, "head-drop", "Head drop (neck extensor weakness)"),
    "exam.dorsal_column_sensory_loss": alsdx(
        ALSDX_FINDING, "dorsal-column-sensory-loss", "Dorsal column sensory loss (vibration and joint position)"
    ),
    "exam.severe_pain_at_onset": alsdx(ALSDX_FINDING, "severe-pain-at-onset", "Severe pain at onset of weakness"),
    "exam.myalgia": hpo("HP:0003326", "Myalgia"),
    "exam.ataxia": hpo("HP:0001251", "Ataxia"),
    "exam.asymmetric_lower_cranial_nerve_signs": alsdx(
        ALSDX_FINDING, "asymmetric-lower-cranial-nerve-signs", "Asymmetric lower cranial nerve signs"
    ),
    "history.prior_paralytic_polio": alsdx(ALSDX_FINDING, "prior-paralytic-polio", "Prior paralytic poliomyelitis"),
    "history.gastric_surgery_or_zinc_excess": alsdx(
        ALSDX_FINDING, "gastric-surgery-or-zinc-excess", "Gastric surgery or excess zinc intake"
    ),
    "history.lead_exposure": alsdx(ALSDX_FINDING, "lead-exposure", "Exposure to lead"),
    "history.endemic_htlv1_origin": alsdx(
        ALSDX_FINDING, "endemic-htlv1-origin", "Origin in an area endemic for HTLV-1"
    ),
    "history.ashkenazi_ancestry": alsdx(ALSDX_FINDING, "ashkenazi-ancestry", "Ashkenazi Jewish ancestry"),
    "history.known_malignancy": alsdx(ALSDX_FINDING, "known-malignancy", "Known malignancy"),
    "history.testicular_atrophy_or_reduced_fertility": alsdx(
        ALSDX_FINDING, "testicular-atrophy-or-reduced-fertility", "Testicular atrophy or reduced fertility"
    ),
    "history.subacute_onset": alsdx(
        ALSDX_FINDING, "subacute-onset", "Subacute onset (weakness evolving over days to weeks)"
    ),
    "ncs.slowed_conduction_demyelinating": alsdx(
        ALSDX_FINDING,
        "slowed-conduction-demyelinating-range",
        "Motor conduction slowing in the demyelinating range",
    ),
    "ncs.rns_decrement": hpo(
        "HP:0003403", "EMG: decremental response of compound muscle action potential to repetitive nerve stimulation"
    ),
}
"""Findings of the case file by field path. A field whose value is None (ncs not done, C9orf72 or RNS not
tested) is not written; False is written as absent, so a round trip keeps the three states."""

FINDING_PRESENT_ONLY: Final[dict[str, tuple[Code, ...]]] = {
    # Accepted on import only, and only when present: each names one half of a disjunctive case field, so its
    # presence sets the field but its absence says nothing about the other half (reported, never guessed).
    "exam.ptosis_or_diplopia": (hpo("HP:0000508", "Ptosis"), hpo("HP:0000651", "Diplopia")),
    "exam.perioral_fasciculations": (hpo("HP:0032507", "Labiomental fasciculations"),),
    "history.testicular_atrophy_or_reduced_fertility": (
        hpo("HP:0000029", "Testicular atrophy"),
        hpo("HP:0012041", "Decreased fertility in males"),
    ),
}

TONGUE_FASCICULATIONS: Final = hpo("HP:0001308", "Tongue fasciculations")
"""exam.tongue_fasciculations: present / absent, or absent with the alsdx value symmetric_movements_only (seed
note: symmetric tongue movements are typically not fasciculations)."""
SPASTIC_PARAPLEGIA: Final = hpo("HP:0001258", "Spastic paraplegia")
"""history.family_history_spastic_paraplegia: a FamilyMemberHistory condition (Phenopackets: an alsdx feature)."""
CLINICAL_DIAGNOSIS: Final = alsdx(ALSDX_FINDING, "clinical-diagnosis", "Clinical diagnosis of ALS made")
"""Phenopackets only: the diagnosis date as this feature's onset (Phenopacket v2 has no diagnosis date)."""

FINDING_SYNONYMS: Final[dict[str, tuple[Code, ...]]] = {
    # Accepted on import only; export writes the code in FINDINGS.
    "exam.dermatomyositis_rash": (
        hpo("HP:0040324", "Heliotrope rash"),
        hpo("HP:0025508", "Gottron's papules"),
        hpo("HP:0430033", "Gottron sign"),
    ),
    "exam.neck_pain_or_radicular_pain": (hpo("HP:0030833", "Neck pain"),),
    "ncs.sensory_abnormal": (hpo("HP:0007078", "Decreased amplitude of sensory action potentials"),),
}

BULBAR_SYMPTOMS: Final[dict[str, Code]] = {
    "dysarthria": hpo("HP:0001260", "Dysarthria"),
    "dysphagia": hpo("HP:0002015", "Dysphagia"),
    "sialorrhea": hpo("HP:0003781", "Excessive salivation"),
    "voice_change": hpo("HP:0001608", "Abnormality of the voice"),
}
BULBAR_SYMPTOM_SYNONYMS: Final[dict[str, tuple[Code, ...]]] = {
    "sialorrhea": (
        hpo("HP:0002307", "Drooling"),
        Code(SNOMED, "53827007", "Excessive salivation (disorder)", _SCT_SRC),
    ),
    "dysarthria": (Code(SNOMED, "8011004", "Dysarthria (finding)", _SCT_SRC),),
    "dysphagia": (Code(SNOMED, "40739000", "Dysphagia (disorder)", _SCT_SRC),),
}

# Other HPO terms used by Phenopackets export (never region-coded).
ALS_HPO: Final = hpo("HP:0007354", "Amyotrophic lateral sclerosis")
PROGRESSIVE: Final = hpo("HP:0003676", "Progressive")  # course in Phenopackets

# --- present / absent values -------------------------------------------------------------------
PRESENT: Final = Code(SNOMED, "52101004", "Present", "SNOMED CT qualifier value (HL7 IG value sets)")
ABSENT: Final = Code(SNOMED, "2667000", "Absent", "SNOMED CT qualifier value (HL7 IG value sets)")
POSITIVE: Final = Code(SNOMED, "10828004", "Positive", "SNOMED CT qualifier value (HL7 IG value sets)")
NEGATIVE: Final = Code(SNOMED, "260385009", "Negative", "SNOMED CT qualifier value (HL7 IG value sets)")
INTERP_POSITIVE: Final = frozenset({"POS", "A", "AA", "DET", "H", "HH"})
INTERP_NEGATIVE: Final = frozenset({"NEG", "N", "ND"})
_V3_INTERP = "HL7 v3 ObservationInterpretation (R4 core value set observation-interpretation)"
INTERP_LOW: Final = Code(OBS_INTERPRETATION, "L", "Low", _V3_INTERP)
INTERP_NORMAL: Final = Code(OBS_INTERPRETATION, "N", "Normal", _V3_INTERP)
INTERP_HIGH: Final = Code(OBS_INTERPRETATION, "H", "High", _V3_INTERP)
INTERP_LEVELS: Final[dict[str, frozenset[str]]] = {
    # Interpretation codes read as the case's levels on import.
    "low": frozenset({"L", "LL", "LU"}),
    "normal": frozenset({"N"}),
    "raised": frozenset({"H", "HH", "HU"}),
}

# --- regions (El Escorial neuronal pools) ------------------------------------------------------
REGION_SITES: Final[dict[str, Code]] = {
    "bulbar": Code(SNOMED, "15926001", "Brainstem structure", _MCODE_TG263),
    "cervical": Code(SNOMED, "54785003", "Cervical spinal cord structure", _MCODE_TG263),
    "thoracic": Code(SNOMED, "50800009", "Thoracic spinal cord structure", _MCODE_TG263),
    "lumbosacral": Code(SNOMED, "60051002", "Lumbar spinal cord structure", _MCODE_TG263),
}
"""The four regions are neuronal pools; SNOMED CT has no 'lumbosacral cord' concept in the sets we
could verify, so lumbosacral is written as the lumbar cord (plus the alsdx region code) and the
sacral cord is accepted on import."""
REGION_SITE_SYNONYMS: Final[dict[str, tuple[Code, ...]]] = {
    # The tongue is bulbar (hypoglossal nucleus; Brooks 2000): a fasciculation coded at the tongue is a bulbar sign.
    "bulbar": (Code(SNOMED, "21974007", "Tongue structure", "SNOMED CT body structure; DICOM PS3.16 CID 7601/12042"),),
    "cervical": (Code(SNOMED, "53120007", "Upper limb structure", "SNOMED CT; HL7 IG body-site examples"),),
    "lumbosacral": (
        Code(SNOMED, "11478001", "Sacral spinal cord structure", _MCODE_TG263),
        Code(SNOMED, "61685007", "Lower limb structure", "SNOMED CT; HL7 IG body-site examples"),
    ),
}
REGION_CODES: Final[dict[str, Code]] = {
    r: alsdx(ALSDX_REGION, r, f"{r.capitalize()} region (El Escorial)")
    for r in ("bulbar", "cervical", "thoracic", "lumbosacral", "respiratory", "generalized", "unknown")
}
EXAM_REGION_CODES: Final[dict[str, Code]] = {r: REGION_CODES[r] for r in REGION_SITES}

# --- conditions --------------------------------------------------------------------------------
ALS: Final = Code(SNOMED, "86044005", "Amyotrophic lateral sclerosis", "SNOMED CT; issue 8; HL7 IG value sets")
_ICD10CM_SRC = "ICD-10-CM FY2025 (CDC/CMS), category G12.2 Motor neuron disease (G12.20-G12.29, in effect since FY2016)"
_ICD11_SRC = "WHO ICD-11 MMS 2024-01, 8B60 Motor neuron disease"
_DO_XREF = "Human Disease Ontology cross-references (DiseaseOntology/HumanDiseaseOntology DOreports/allXREFinDO.tsv)"
MND_CONDITIONS: Final[dict[str, tuple[Code, ...]]] = {
    # The diagnosis a problem-list entry names, by kind (als, pls, pbp, mnd = motor neuron disease, unspecified).
    "als": (
        ALS,
        Code(ICD10CM, "G12.21", "Amyotrophic lateral sclerosis", _ICD10CM_SRC),
        Code(ICD11, "8B60.0", "Amyotrophic lateral sclerosis", _ICD11_SRC),
    ),
    "pls": (
        Code(ICD10CM, "G12.23", "Primary lateral sclerosis", _ICD10CM_SRC),
        Code(SNOMED, "81211007", "Primary lateral sclerosis", "SNOMED CT (VisualDx diagnosis 55493 cross-reference)"),
    ),
    "pbp": (
        Code(ICD10CM, "G12.22", "Progressive bulbar palsy", _ICD10CM_SRC),
        Code(SNOMED, "54304004", "Progressive bulbar palsy", f"SNOMED CT US 2025-09-01 ({_DO_XREF}, DOID:681)"),
    ),
    "mnd": (
        Code(SNOMED, "37340000", "Motor neuron disease (disorder)", f"{_IPS_PROBLEMS}; {_DO_XREF}, DOID:231"),
        Code(ICD10, "G12.2", "Motor neuron disease", "WHO ICD-10 2019, chapter VI"),
        Code(ICD10GM, "G12.2", "Motoneuron-Krankheit", "ICD-10-GM 2025 (BfArM)"),
        Code(ICD10CM, "G12.20", "Motor neuron disease, unspecified", _ICD10CM_SRC),
        Code(ICD10CM, "G12.29", "Other motor neuron disease", _ICD10CM_SRC),
        Code(ICD11, "8B60", "Motor neuron disease", _ICD11_SRC),
    ),
}
"""Every kind is read as a motor neuron disease to assess (PLS and PBP are on the MND
spectrum; alsdx reports PLS criteria separately)."""
MND_CODES: Final = tuple(code for codes in MND_CONDITIONS.values() for code in codes)

# --- measures ----------------------------------------------------------------------------------
ALSFRS_PANEL: Final = Code(LOINC, "82954-9", "ALSFRS-R panel", "LOINC (issue 8)")
ALSFRS_TOTAL: Final = Code(LOINC, "82953-1", "ALSFRS-R total score", "LOINC (issue 8)")
ALSFRS_ITEMS: Final[dict[str, Code]] = {
    name: alsdx(ALSDX_ALSFRS_ITEM, name, f"ALSFRS-R item {i}: {name.replace('_', ' ')}")
    for i, name in enumerate(ITEM_NAMES, start=1)
}
"""LOINC has item codes under panel 82954-9, but none could be verified offline, so items use an
alsdx CodeSystem whose codes are the case-file item names (Cedarbaum 1999 item order)."""
GASTROSTOMY: Final = alsdx(ALSDX_FINDING, "gastrostomy", "Gastrostomy in place (ALSFRS-R item 5b used)")

FVC_PERCENT: Final = Code(LOINC, "19872-1", "FVC measured/predicted", _MII_LUFU)
_LUFU_VS = "LOINC; public lung-function FHIR value sets (MII, TW Core) and HL7 example Observations"
FVC_LITRES: Final = Code(LOINC, "19868-9", "Forced vital capacity [Volume] Respiratory system by Spirometry", _LUFU_VS)
FVC_LITRES_SYNONYMS: Final = (
    Code(LOINC, "19870-5", "Forced vital capacity [Volume] Respiratory system", _LUFU_VS),
    Code(LOINC, "19876-2", "Forced vital capacity [Volume] in Airways by Spirometry", _LUFU_VS),
)
FVC_PREDICTED_LITRES: Final = Code(
    LOINC, "19869-7", "Forced vital capacity [Volume] Respiratory system Predicted", _LUFU_VS
)
"""FVC in litres: the % predicted is read from a 19872-1 component (or a separate 19872-1 Observation of the same
date), else computed from a 19869-7 predicted-volume component; a volume alone is reported (alsdx's rules use %)."""
BODY_WEIGHT: Final = Code(
    LOINC, "29463-7", "Body weight", "HL7 FHIR R4 vital signs profile (bodyweight): LOINC 29463-7, UCUM kg"
)
WEIGHT_UNIT: Final = "kg"
WEIGHT_UNITS: Final[dict[str, float]] = {"kg": 1.0, "g": 0.001, "[lb_av]": 0.45359237}
"""The UCUM units of the R4 core value set ucum-bodyweight (kg, [lb_av], g; a required binding of the R4 bodyweight
profile), read as kg: the avoirdupois pound is 0.45359237 kg exactly (international yard and pound agreement, 1959;
UCUM [lb_av]); HL7's own R4 example body weight (observation-example) is 185 [lb_av]."""
SITTING: Final = Code(SNOMED, "33586001", "Sitting position", "SNOMED CT; R4 observation-bodyPosition examples")
STANDING: Final = Code(SNOMED, "10904000", "Standing position", "SNOMED CT; R4 observation-bodyPosition examples")
SUPINE: Final = Code(SNOMED, "40199007", "Supine body position", "SNOMED CT; HL7 body-position value sets")

LAB_SRC = "LOINC; used with this display in HL7 IG examples and value sets"
LOINC_SRC = "LOINC table extract and EHR/IG LOINC mappings"
LABS: Final[dict[str, tuple[Code, str]]] = {
    # case field -> (code, UCUM unit written on export)
    "ck_u_per_l": (
        Code(LOINC, "2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma", LAB_SRC),
        "U/L",
    ),
    "alt_u_per_l": (
        Code(
            LOINC,
            "1742-6",
            "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
            LAB_SRC,
        ),
        "U/L",
    ),
    "ast_u_per_l": (
        Code(
            LOINC,
            "1920-8",
            "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
            LAB_SRC,
        ),
        "U/L",
    ),
    "anc_10e9_per_l": (
        Code(LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count", LAB_SRC),
        "10*9/L",
    ),
    # Extensions: mimics. Each LOINC code was checked against a LOINC table extract and independent EHR/IG
    # mappings found offline (name, property and unit agree); units are UCUM.
    "tsh_mu_per_l": (
        Code(LOINC, "3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", f"{LOINC_SRC} (TSH, m[IU]/L)"),
        "m[IU]/L",
    ),
    "calcium_mmol_per_l": (
        alsdx(ALSDX_LAB, "adjusted-calcium", "Calcium adjusted for albumin [Moles/volume] in Serum or Plasma"),
        "mmol/L",
    ),
    "b12_pmol_per_l": (
        Code(
            LOINC,
            "14685-2",
            "Cobalamin (Vitamin B12) [Moles/volume] in Serum or Plasma",
            f"{LOINC_SRC} (short name Vit B12 SerPl-sCnc)",
        ),
        "pmol/L",
    ),
    "copper_umol_per_l": (
        Code(
            LOINC,
            "14665-4",
            "Copper [Moles/volume] in Serum or Plasma",
            f"{LOINC_SRC} (short name Copper SerPl-sCnc)",
        ),
        "umol/L",
    ),
    "csf_protein_g_per_l": (
        Code(LOINC, "2880-3", "Protein [Mass/volume] in Cerebral spinal fluid", f"{LOINC_SRC} (CSF total protein)"),
        "g/L",
    ),
}
"""Adjusted calcium is alsdx-coded: the LOINC albumin-corrected calcium in mmol/L could not be verified offline,
and total calcium (LOINC 2000-8) is a different quantity."""
ULN_OF: Final[dict[str, str]] = {"alt_u_per_l": "alt_uln_u_per_l", "ck_u_per_l": "ck_uln_u_per_l"}
"""The panel fields holding an analyte's upper reference limit: FHIR referenceRange.high, Phenopacket
Quantity.referenceRange.high."""
ULN_ONLY: Final[dict[str, Code]] = {
    "alt_uln_u_per_l": alsdx(ALSDX_LAB, "alt-uln", "ALT upper reference limit (no ALT value recorded)"),
    "ck_uln_u_per_l": alsdx(ALSDX_LAB, "ck-uln", "CK upper reference limit (no CK value recorded)"),
}
"""Phenopackets only: a limit recorded without its analyte's value (FHIR writes the analyte's Observation with
dataAbsentReason and the referenceRange instead)."""
LAB_CODES: Final[dict[str, Code]] = {k: v[0] for k, v in LABS.items()}
LAB_SYNONYMS: Final[dict[str, tuple[Code, ...]]] = {
    "anc_10e9_per_l": (Code(LOINC, "26499-4", "Neutrophils [#/volume] in Blood", LAB_SRC),),
    "alt_u_per_l": (
        Code(
            LOINC,
            "1743-4",
            "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma by With P-5'-P",
            f"{LOINC_SRC} (ALT code lists of laboratory mappings, e.g. VA CDW)",
        ),
        Code(
            LOINC,
            "76625-3",
            "Alanine aminotransferase [Enzymatic activity/volume] in Blood",
            f"{LOINC_SRC} (laboratory LOINC mappings, U/L)",
        ),
    ),
}
ANTI_GM1_IGM: Final = alsdx(ALSDX_FINDING, "anti-gm1-igm", "Anti-GM1 ganglioside IgM antibody")
POS_NEG: Final[dict[str, Code]] = {"positive": POSITIVE, "negative": NEGATIVE}
PRESENT_ABSENT: Final[dict[str, Code]] = {"present": PRESENT, "absent": ABSENT}
CATEGORICAL_LABS: Final[dict[str, tuple[Code, dict[str, Code]]]] = {
    # case field -> (code, case value -> value code). SNOMED values go in valueCodeableConcept, HL7
    # interpretation values in Observation.interpretation (the value is a level against a reference, not a result).
    "anti_gm1_igm": (ANTI_GM1_IGM, POS_NEG),
    "csf_oligoclonal_bands": (hpo("HP:6000397", "CSF oligoclonal immunoglobulin G bands"), POS_NEG),
    "paraprotein": (hpo("HP:0031047", "Paraproteinemia"), PRESENT_ABSENT),
    "hiv": (alsdx(ALSDX_LAB, "hiv-serology", "HIV serology"), POS_NEG),
    "htlv1": (alsdx(ALSDX_LAB, "htlv1-serology", "HTLV-1 serology"), POS_NEG),
    "achr_antibodies": (alsdx(ALSDX_LAB, "achr-antibodies", "Acetylcholine receptor antibodies"), POS_NEG),
    "musk_antibodies": (alsdx(ALSDX_LAB, "musk-antibodies", "Muscle-specific kinase (MuSK) antibodies"), POS_NEG),
    "onconeural_antibodies": (alsdx(ALSDX_LAB, "onconeural-antibodies", "Onconeural antibodies"), POS_NEG),
    "hexa_activity": (
        alsdx(ALSDX_LAB, "hexosaminidase-a-activity", "Hexosaminidase A activity"),
        {"low": INTERP_LOW, "normal": INTERP_NORMAL},
    ),
    "blood_lead": (
        Code(LOINC, "5671-3", "Lead [Mass/volume] in Blood", "LOINC; FHIR R4 core examples and IG value sets"),
        {"raised": INTERP_HIGH, "normal": INTERP_NORMAL},
    ),
}
"""Serologies are alsdx-coded because the case field is test-agnostic (LOINC codes each assay separately);
oligoclonal bands and paraprotein use the HPO finding that means the positive result."""
LAB_REPORT: Final = Code(LOINC, "11502-2", "Laboratory report", "LOINC; MII and US Core DiagnosticReport examples")
NOTHING_RECORDED: Final = alsdx(ALSDX_VALUE, "nothing-recorded", "Nothing recorded (a dated entry without values)")
"""Phenopackets only: the value of the measurement standing for a dated lab panel or respiratory entry that
records no value (a Phenopacket has no grouping of measurements; FHIR keeps the empty DiagnosticReport)."""
AR_CAG_REPEATS: Final = alsdx(ALSDX_FINDING, "ar-cag-repeats", "Androgen receptor CAG repeat count")
GENE_VARIANT: Final = alsdx(ALSDX_FINDING, "gene-variant", "Variant in a gene, with its classification")
AGE_AT_ONSET: Final = alsdx(ALSDX_FINDING, "age-at-onset", "Age at symptom onset")
COURSE: Final = alsdx(ALSDX_FINDING, "disease-course", "Course of motor symptoms")
COURSE_VALUES: Final = ("progressive", "not_progressive", "unknown")
ONSET_REGION: Final = alsdx(ALSDX_FINDING, "onset-region", "Region of first motor symptom")
REGION_EXAMINED: Final = alsdx(ALSDX_FINDING, "region-examined", "Region examined for UMN and LMN signs")
"""A region examined with no sign found (bodySite = the region): without it an empty region would read back as not
examined (COMMON.md contract 1). Regions with a sign need no such record."""
NOT_PERFORMED: Final = Code(
    DATA_ABSENT_REASON,
    "not-performed",
    "Not Performed",
    "HL7 FHIR R4 DataAbsentReason code system (terminology.hl7.org)",
)
"""Observation.dataAbsentReason of a criteria set that cannot be assessed (no examination findings recorded)."""
CERVICAL_MRI: Final = alsdx(ALSDX_FINDING, "cervical-spine-mri", "MRI cervical spine result")
BRAIN_MRI: Final = alsdx(ALSDX_FINDING, "brain-mri", "MRI brain result")
LUMBOSACRAL_MRI: Final = alsdx(ALSDX_FINDING, "lumbosacral-spine-mri", "MRI lumbosacral spine result")
IMAGING: Final[dict[str, Code]] = {
    "cervical_spine_mri": CERVICAL_MRI,
    "brain_mri": BRAIN_MRI,
    "lumbosacral_spine_mri": LUMBOSACRAL_MRI,
}
"""Imaging fields; "not_done" is not written. Values are alsdx VALUES codes."""
EMG_MUSCLE: Final = alsdx(ALSDX_FINDING, "emg-muscle", "Needle EMG findings in one muscle")
EMG_COMPONENTS: Final[dict[str, Code]] = {
    "fibrillations_psw": alsdx(ALSDX_FINDING, "fibrillations-psw", "Fibrillation potentials / positive sharp waves"),
    "fasciculation_potentials": alsdx(ALSDX_FINDING, "fasciculation-potentials", "Fasciculation potentials"),
    "chronic_neurogenic": alsdx(ALSDX_FINDING, "chronic-neurogenic-change", "Chronic neurogenic MUP change"),
}
_DICOM_MUSCLES = (
    "SNOMED CT body structure; DICOM PS3.16 CID 6116 'Muscular Anatomy' (version 20170914), as a FHIR ValueSet in "
    "bvdh/dicom-terminology-in-fhir input/fsh/ValueSet-dicom-cid-6116-MuscularAnatomy.fsh"
)
_SCT_BODY_SITES_2024 = (
    "SNOMED CT International 2024-10-01, as expanded by a terminology server in a published FHIR IG value set "
    "(UPM-NTHC/PH-RoadSafetyIG, List of Body Sites)"
)
MUSCLE_SITES: Final[dict[str, Code]] = {
    # EMG muscles (src/alsdx/model/data/muscles.csv names) an EHR may code as a SNOMED CT body site. Only muscles whose
    # concept id and name were confirmed in a published source (named on each) are listed; any other is mapped with
    # the hospital ConceptMap.
    "deltoid": Code(SNOMED, "35259002", "Deltoid muscle", _DICOM_MUSCLES),
    "supraspinatus": Code(SNOMED, "6423006", "Supraspinatus muscle", _DICOM_MUSCLES),
    "infraspinatus": Code(SNOMED, "72573008", "Infraspinatus muscle", _DICOM_MUSCLES),
    "latissimus_dorsi": Code(SNOMED, "15665001", "Latissimus dorsi muscle", _DICOM_MUSCLES),
    "sternocleidomastoid": Code(SNOMED, "22823000", "Sternocleidomastoid muscle", _DICOM_MUSCLES),
    "diaphragm": Code(SNOMED, "5798000", "Diaphragm", _DICOM_MUSCLES),
    "vastus_lateralis": Code(
        SNOMED, "1403006", "Vastus lateralis muscle", "SNOMED CT; HL7 FHIR R4 value set body-site"
    ),
    "abductor_digiti_minimi": Code(
        SNOMED, "115982000", "Structure of abductor digiti minimi muscle of hand", _SCT_BODY_SITES_2024
    ),
    "rectus_femoris": Code(SNOMED, "72226001", "Rectus femoris muscle structure", _SCT_BODY_SITES_2024),
}
MUSCLE_SITES_IMPORT_ONLY: Final[dict[str, Code]] = {
    # Read, never written: an EMG of "the tongue" samples genioglossus, the only tongue muscle in muscles.csv.
    "genioglossus": Code(
        SNOMED,
        "21974007",
        "Tongue",
        "SNOMED CT body structure; DICOM PS3.16 CID 7601 and CID 12042 (bvdh/dicom-terminology-in-fhir)",
    ),
}
"""Not listed (no concept id confirmed in an authoritative public source this session): first dorsal interosseous,
abductor pollicis brevis, extensor digitorum communis, biceps brachii, triceps, tibialis anterior, medial
gastrocnemius, iliopsoas, the paraspinals and the rest of muscles.csv."""
EMG_SIDE: Final = alsdx(ALSDX_FINDING, "side", "Side")
EMG_REGION: Final = alsdx(ALSDX_FINDING, "region", "Region of the muscle")
VARIANT_GENE: Final = alsdx(ALSDX_FINDING, "gene", "Gene symbol (HGNC)")
VARIANT_CLASSIFICATION: Final = alsdx(ALSDX_FINDING, "classification", "Variant classification (ACMG)")
VALUES: Final[dict[str, Code]] = {
    v: alsdx(ALSDX_VALUE, v, v.replace("_", " "))
    for v in (
        # course
        "progressive",
        "not_progressive",
        "unknown",
        # imaging results
        "normal",
        "compressive_myelopathy",
        "other_lesion",
        "abnormal",
        "compressive_lesion",
        # levels (Phenopackets; FHIR uses HL7 interpretation codes)
        "low",
        "raised",
        # tongue movements (seed note)
        "symmetric_movements_only",
        # variant classes
        *VARIANT_CLASSES,
    )
}
EMG_ROOTS: Final = alsdx(ALSDX_FINDING, "roots", "Roots or cranial nerves")
EMG_NERVE: Final = alsdx(ALSDX_FINDING, "nerve", "Peripheral nerve")
SIDES: Final[dict[str, Code]] = {
    "left": Code(SNOMED, "7771000", "Left", "SNOMED CT laterality qualifier (HL7 mCODE laterality value set)"),
    "right": Code(SNOMED, "24028007", "Right", "SNOMED CT laterality qualifier (HL7 mCODE laterality value set)"),
    "midline": alsdx(ALSDX_VALUE, "midline", "Midline"),
}

# --- investigations and respiratory tests ------------------------------------------------------
INVESTIGATIONS: Final[dict[str, Code]] = {
    t: alsdx(ALSDX_INVESTIGATION, t, t.replace("_", " ").capitalize()) for t in INVESTIGATION_TESTS
}
"""Work-up tests without a dedicated case field (the case's investigations[].test), result normal / abnormal."""
RESPIRATORY_PANEL: Final = alsdx(ALSDX_RESPIRATORY, "respiratory-muscle-tests", "Respiratory muscle tests")
RESPIRATORY: Final[dict[str, Code]] = {
    "snip_cm_h2o": alsdx(ALSDX_RESPIRATORY, "snip", "Sniff nasal inspiratory pressure (positive magnitude)"),
    "mip_cm_h2o": alsdx(ALSDX_RESPIRATORY, "mip", "Maximal inspiratory pressure (negative pressure)"),
    "nocturnal_oximetry_abnormal": alsdx(
        ALSDX_RESPIRATORY, "nocturnal-oximetry-abnormal", "Nocturnal oximetry abnormal"
    ),
}
"""One Observation per respiratory entry with these components (SNIP and MIP in UCUM cm[H2O], oximetry boolean).
No LOINC code for SNIP or MIP could be verified offline."""
RESPIRATORY_UNIT: Final = "cm[H2O]"
SVC_PERCENT: Final = alsdx(ALSDX_RESPIRATORY, "svc-percent-predicted", "Slow vital capacity, % predicted")
"""Slow vital capacity as % predicted (case field svc; trial eligibility, issue 19). alsdx's own code: no LOINC code
for SVC % predicted could be verified offline; a hospital maps its code with the ConceptMap (docs/fhir.md)."""

# --- medications -------------------------------------------------------------------------------
MEDICATIONS: Final[dict[str, Code]] = {
    "riluzole": alsdx(ALSDX_MEDICATION, "riluzole", "Riluzole"),
    "edaravone_iv": alsdx(ALSDX_MEDICATION, "edaravone_iv", "Edaravone (intravenous)"),
    "edaravone_oral": alsdx(ALSDX_MEDICATION, "edaravone_oral", "Edaravone (oral suspension)"),
    "tofersen": alsdx(ALSDX_MEDICATION, "tofersen", "Tofersen (intrathecal)"),
    "dextromethorphan_quinidine": alsdx(ALSDX_MEDICATION, "dextromethorphan_quinidine", "Dextromethorphan/quinidine"),
    "other": alsdx(ALSDX_MEDICATION, "other", "Other medication"),
}
"""RxNorm ingredient codes could not be verified offline, and EHRs code products (SCD/SBD), not
ingredients, so a fixed RxNorm list would miss most real orders. Import therefore recognises a
medication by its ingredient or brand name in ``coding.display`` / ``text`` (below), or the alsdx
code; riluzole also by its WHO ATC code."""
RILUZOLE_ATC: Final = Code(ATC, "N07XX02", "riluzole", "WHO ATC index (N07XX02 riluzole)")
MEDICATION_NAMES: Final[dict[str, tuple[str, ...]]] = {
    # Checked in this order: the first whose words all occur wins (edaravone forms before edaravone).
    "dextromethorphan_quinidine": ("dextromethorphan", "quinidine"),
    "riluzole": ("riluzole",),
    "tofersen": ("tofersen",),
    "edaravone_oral": ("edaravone", "oral"),
    "edaravone_iv": ("edaravone",),
}
MEDICATION_BRANDS: Final[dict[str, str]] = {
    "rilutek": "riluzole",
    "tiglutik": "riluzole",
    "teglutik": "riluzole",
    "exservan": "riluzole",
    "radicava ors": "edaravone_oral",
    "radicava": "edaravone_iv",
    "qalsody": "tofersen",
    "nuedexta": "dextromethorphan_quinidine",
}

# --- orders suggested by CDS cards and the care plan ---------------------------------------------
SERVICES: Final[dict[str, Code]] = {
    "emg": alsdx(ALSDX_SERVICE, "emg-ncs", "Needle EMG and nerve conduction studies"),
    "mri_cervical_spine": alsdx(ALSDX_SERVICE, "mri-cervical-spine", "MRI cervical spine"),
    "mri_brain": alsdx(ALSDX_SERVICE, "mri-brain", "MRI brain"),
    "anti_gm1": alsdx(ALSDX_SERVICE, "anti-gm1-igm", "Anti-GM1 ganglioside IgM antibodies"),
    "pft": alsdx(ALSDX_SERVICE, "pulmonary-function-tests", "Pulmonary function tests (FVC upright and supine)"),
    "alt": LABS["alt_u_per_l"][0],
    "anc": LABS["anc_10e9_per_l"][0],
    "ck": LABS["ck_u_per_l"][0],
}

SERVICE_STANDARD_CODES: Final[dict[str, Code]] = {
    # The standard code an EHR can turn into an order, written first; the alsdx code stays as the second coding.
    "mri_cervical_spine": Code(
        LOINC, "24935-9", "MR Cervical spine", "LOINC radiology (Playbook) code, seen in public LOINC table extracts"
    ),
    "mri_brain": Code(
        LOINC,
        "24590-2",
        "MR Brain",
        "LOINC; DICOM PS3.16 CID 646 (code meaning 'Brain MRI') and CID 7000, as FHIR ValueSets in "
        "bvdh/dicom-terminology-in-fhir input/fsh/ValueSet-dicom-cid-646-PreclinicalSmallAnimalImagingProcedure.fsh",
    ),
    "pft": Code(
        SNOMED,
        "127783003",
        "Spirometry (procedure)",
        "SNOMED CT International Edition 2024-07-01, as the MII lung-function IG codes its spirometry Procedure "
        "(medizininformatik-initiative/kerndatensatz-lungenfunktion input/fsh/profiles/Spirometrie/SpriometryProcedure.fsh)",
    ),
}
"""Suggested orders with a verified standard code (FVC upright and supine is measured by spirometry). EMG/NCS and
anti-GM1 IgM keep the alsdx code only: no SNOMED CT procedure or LOINC order code for them could be confirmed in an
HL7/IHE IG, DICOM or a terminology release (docs/fhir.md); the laboratory orders (ALT, ANC, CK) are LOINC already."""

PLAN_MONITORING_SERVICES: Final[dict[str, str]] = {"fvc_not_recent": "pft"}
"""The order behind each ``plan.monitoring[].id`` (a key of ``SERVICES``)."""


def service_concept(service: str, text: str | None = None) -> dict[str, Any]:
    """A suggested order's code: the standard coding first (when there is one), then alsdx's own."""
    own = SERVICES[service]
    codings = [own.coding()]
    standard = SERVICE_STANDARD_CODES.get(service)
    if standard is not None:
        codings.insert(0, standard.coding())
    out: dict[str, Any] = {"coding": codings}
    if text:
        out["text"] = text
    return out


# --- assessment output ---------------------------------------------------------------------------
CRITERIA_SETS: Final[dict[str, Code]] = {
    "el_escorial_1994": alsdx(ALSDX_CRITERIA, "el_escorial_1994", "El Escorial 1994 (Brooks 1994)"),
    "revised_el_escorial": alsdx(ALSDX_CRITERIA, "revised_el_escorial", "Revised El Escorial (Brooks 2000)"),
    "awaji": alsdx(ALSDX_CRITERIA, "awaji", "Awaji-shima (de Carvalho 2008)"),
    "gold_coast": alsdx(ALSDX_CRITERIA, "gold_coast", "Gold Coast (Shefner 2020)"),
    "pls": alsdx(ALSDX_CRITERIA, "pls", "Primary lateral sclerosis (Turner 2020)"),
}


def category_code(criteria_set: str, category: str) -> Code:
    """A criteria category as an alsdx code: ``<set>#<category>`` (identifiers as in docs/ruleset.md)."""
    return alsdx(ALSDX_CRITERIA, f"{criteria_set}#{category}", category.replace("_", " "))


def all_codes() -> list[Code]:
    """Every code this module defines (for the audit list and the tests)."""
    out: list[Code] = []
    for value in globals().values():
        if isinstance(value, Code):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                if isinstance(v, Code):
                    out.append(v)
                elif isinstance(v, tuple):
                    out += [x for x in v if isinstance(x, Code)]
    out += list(MND_CODES)
    out += list(FVC_LITRES_SYNONYMS)
    seen: dict[tuple[str, str], Code] = {}
    for c in out:
        seen.setdefault((c.system, c.code), c)
    return list(seen.values())


_INDEX: dict[tuple[int, int], dict[tuple[str, str], str]] = {}
"""Indexes of the module's constant tables only (keyed by identity; callers never pass temporary dicts)."""


def _index(table: Mapping[str, Code], synonyms: Mapping[str, tuple[Code, ...]] | None) -> dict[tuple[str, str], str]:
    """(system, code) → key, built once per table (the tables are module constants)."""
    key = (id(table), id(synonyms))
    index = _INDEX.get(key)
    if index is None:
        index = {}
        for name, code in reversed(list(table.items())):  # the first key wins, as in a linear scan
            for alt in (code, *(synonyms or {}).get(name, ())):
                systems = HPO_ALIASES if alt.system == HPO else (alt.system,)
                for system in systems:
                    index[(system, alt.code)] = name
        _INDEX[key] = index
    return index


def find(
    codings: Iterable[Mapping[str, Any]],
    table: Mapping[str, Code],
    synonyms: Mapping[str, tuple[Code, ...]] | None = None,
) -> str | None:
    """The key of ``table`` whose code (or an accepted synonym) appears among ``codings``."""
    index = _index(table, synonyms)
    for c in codings:
        hit = index.get((c.get("system") or "", c.get("code") or ""))
        if hit is not None:
            return hit
    return None
