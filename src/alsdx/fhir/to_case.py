"""FHIR R4 resources → :class:`~alsdx.model.case.Case`, with a list of what could not be mapped.

Each resource alsdx reads is parsed with fhir.resources' R4B model (R4 has no pydantic-v2 model;
docs/fhir.md), then the codes alsdx relies on are checked against :mod:`alsdx.fhir.vocab`; resources it
cannot use are told by type and code from their JSON and reported unvalidated (``_Reader._unused``,
the decision in docs/fhir.md). Nothing is dropped
silently: every resource that contributes nothing, and every value alsdx cannot read, is listed in
``ImportResult.unmapped`` with its id and the reason; every default alsdx had to assume is listed in
``ImportResult.assumptions``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, get_args

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from alsdx.errors import CaseValidationError, FieldError
from alsdx.fhir import vocab
from alsdx.fhir.errors import FhirInputError, NoMndCondition, NoOnsetDate
from alsdx.fhir.local_codes import NO_LOCAL_CODES, LocalCodes
from alsdx.model import vocabulary
from alsdx.model.case import Case, Imaging
from alsdx.model.load import case_from_dict, deeper_than
from alsdx.model.vocab import REGIONS, UMN_SIGN_ONLY_IN, UMN_SIGNS, VARIANT_CLASSES

USABLE_OBSERVATION_STATUS = frozenset({"final", "amended", "corrected", "preliminary"})
USABLE_REPORT_STATUS = frozenset({"final", "amended", "corrected", "appended", "preliminary", "partial"})

MAX_RESOURCE_DEPTH = 64
"""Deeper resources (extensions of extensions ...) are refused before model validation, which
recursed past Python's limit at 300 levels (found by tests/reliability/test_fuzz_fhir_mapper.py)."""

MAX_BUNDLE_NESTING = 8
"""CDS Hooks prefetch nests one searchset Bundle per key; deeper nesting is refused (fuzzing found that
5,000 nested Bundles exhausted the recursion limit)."""


NOT_MND = "condition is not ALS/MND (SNOMED CT, ICD-10, ICD-10-CM, ICD-10-GM or ICD-11 code in vocab.MND_CONDITIONS)"
NOT_REFERENCED_MEDICATION = "Medication not referred to by any MedicationRequest or MedicationStatement alsdx read"

ITEM_TYPES = frozenset(
    {
        "Observation",
        "Condition",
        "MedicationStatement",
        "MedicationRequest",
        "FamilyMemberHistory",
        "QuestionnaireResponse",
        "DiagnosticReport",
    }
)
"""Resource types read into the case (besides Patient and the Medications they refer to)."""
READ_TYPES = ITEM_TYPES | {"Patient", "Medication", "OperationOutcome"}
"""Resource types that are validated; every other type is reported as not used (an OperationOutcome is
validated and then ignored: servers add them to searchsets)."""


def load_models() -> None:
    """Import the R4B model classes of the resource types alsdx reads (fhir.resources imports each on first
    use; a server does it at start-up, alsdx.api.startup)."""
    for rtype in sorted(READ_TYPES):
        get_fhir_model_class(rtype)


@dataclass(frozen=True)
class Unmapped:
    resource: str
    """``ResourceType/id`` (or the entry's fullUrl, or its position) of the resource."""
    reason: str

    def __str__(self) -> str:
        return f"{self.resource}: {self.reason}"


@dataclass(frozen=True)
class MissingInput:
    """An input the rules need that the coded record did not give (same shape as the assessment's)."""

    input: str
    reason: str


@dataclass
class ImportResult:
    case: Case
    unmapped: list[Unmapped] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    regions_examined: list[str] = field(default_factory=list)
    """Regions with at least one coded examination finding (present or absent); the case holds ``exam.<region>``
    only for these: a region with no coded finding was not examined as far as the record says."""
    approximate: list[str] = field(default_factory=list)
    """Dates alsdx completed by convention (onset given as a year, a month or an age): results that depend on them
    are approximate."""
    missing: list[MissingInput] = field(default_factory=list)


def bundle_to_case(
    bundle: Mapping[str, Any],
    *,
    assessment_date: date | None = None,
    case_id: str | None = None,
    local_codes: LocalCodes = NO_LOCAL_CODES,
) -> ImportResult:
    """Read a FHIR R4 Bundle (any type) into a case. ``assessment_date`` defaults to the latest clinical
    date in the bundle; resources dated after it are reported, not used."""
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        got = bundle.get("resourceType") if isinstance(bundle, Mapping) else type(bundle).__name__
        raise FhirInputError(f"(document): expected a FHIR Bundle, got {got!r}")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise FhirInputError("entry: must be a list of bundle entries")
    resources = []
    for i, e in enumerate(entries):
        if not isinstance(e, Mapping) or not isinstance(e.get("resource"), Mapping):
            resources.append((f"entry[{i}]", e))
            continue
        resources.append((str(e.get("fullUrl") or f"entry[{i}]"), e["resource"]))
    return resources_to_case(resources, assessment_date=assessment_date, case_id=case_id, local_codes=local_codes)


def resources_to_case(
    resources: Iterable[tuple[str, Any]],
    *,
    assessment_date: date | None = None,
    case_id: str | None = None,
    local_codes: LocalCodes = NO_LOCAL_CODES,
) -> ImportResult:
    """Core of the import: ``(fullUrl or label, resource JSON)`` pairs, e.g. a Bundle's entries or CDS
    Hooks prefetch results flattened. With an ``assessment_date``, Observations and Conditions alsdx cannot
    use are recognised by their codes and reported without R4B validation (docs/fhir.md); without one,
    every such resource is validated, because its date may set the assessment date. ``local_codes`` (the hospital's
    ConceptMap, :mod:`alsdx.fhir.local_codes`) adds the alsdx codes its local codes stand for."""
    reader = _Reader(screen_codes=assessment_date is not None, local_codes=local_codes)
    for label, raw in resources:
        reader.parse(label, raw)
    return reader.build(assessment_date, case_id)


# --- helpers over R4B model objects ---------------------------------------------------------------


def _written_muscle(site: Any) -> list[str]:
    """An EMG body site given only in words (``text`` or a coding's display, e.g. "FDI", "tib ant"): read with the one
    clinical vocabulary (alsdx.model.vocabulary), and only when it names a muscle of the table (never a guess)."""
    if site is None:
        return []
    for written in [site.text, *(c.display for c in site.coding or [])]:
        if not written:
            continue
        try:
            if vocabulary.muscle(written).in_table:
                return [written]
        except vocabulary.VocabularyError:
            continue
    return []


def _codings(concept: Any) -> list[dict[str, Any]]:
    if concept is None:
        return []
    return [{"system": c.system, "code": c.code, "display": c.display} for c in (concept.coding or [])]


_KNOWN_CODES: frozenset[tuple[str, str]] = frozenset(
    (system, c.code)
    for c in vocab.all_codes()
    for system in (vocab.HPO_ALIASES if c.system == vocab.HPO else (c.system,))
)
"""Every (system, code) alsdx defines. Each Observation reader starts from Observation.code, so an
Observation none of whose codings is here is read by none of them."""


def _raw_codings(concept: Any, *, required: bool) -> list[Mapping[str, Any]] | None:
    """The codings of a CodeableConcept in JSON, when they are well formed enough to compare (strings or
    absent); None otherwise, so that R4B validation reports the fault."""
    if concept is None:
        return None if required else []
    if not isinstance(concept, Mapping):
        return None
    codings = concept.get("coding", [])
    if not isinstance(codings, list):
        return None
    for c in codings:
        if not isinstance(c, Mapping) or not all(isinstance(c.get(k), str | None) for k in ("system", "code")):
            return None
    return codings


def _code_not_used(codings: list[Any]) -> str:
    shown = ", ".join(f"{c.get('system')}|{c.get('code')}" for c in codings) or "no coding"
    return f"observation code not used by alsdx ({shown})"


_RAW_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _raw_date(value: Any) -> date | None:
    """The calendar date of a raw FHIR date/dateTime string with a full date (as written, like ``_as_date``)."""
    m = _RAW_FULL_DATE.match(value) if isinstance(value, str) else None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        return None


def _as_date(value: Any) -> date | None:
    """FHIR date/dateTime → calendar date; partial dates ('2025', '2025-03') are not precise enough."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _presence(obs: Any, *, bare_is_present: bool = True) -> bool | None:
    """Present/absent from valueBoolean, a present/absent/positive/negative value, or interpretation. A finding
    asserted with no value at all is present (``bare_is_present``); a laboratory result without one is not read."""
    if obs.valueBoolean is not None:
        return bool(obs.valueBoolean)
    codings = _codings(obs.valueCodeableConcept)
    if any(c.matches(x) for c in (vocab.PRESENT, vocab.POSITIVE) for x in codings):
        return True
    if any(c.matches(x) for c in (vocab.ABSENT, vocab.NEGATIVE) for x in codings):
        return False
    for interp in obs.interpretation or []:
        codes = {c["code"] for c in _codings(interp) if c["system"] == vocab.OBS_INTERPRETATION}
        if codes & vocab.INTERP_POSITIVE:
            return True
        if codes & vocab.INTERP_NEGATIVE:
            return False
    no_value = all(
        v is None
        for v in (
            obs.valueCodeableConcept,
            obs.dataAbsentReason,
            obs.valueQuantity,
            obs.valueString,
            obs.valueInteger,
        )
    )
    if no_value and not obs.interpretation and bare_is_present:
        return True  # an asserted finding with no value is a finding that is present
    return None


_U_PER_L = {"U/L", "[IU]/L", "IU/L", "U/l", "IU/l"}
_PER_NL = {"10*9/L", "10^9/L", "10*3/uL", "10^3/uL", "x10E3/uL", "K/uL", "10*3/mm3", "G/L"}
_PER_UL = {"/uL", "1/uL", "/mm3", "{cells}/uL", "cells/uL"}


_KAT = {"ukat/L", "µkat/L", "ukat/l"}
_ENZYME = {**dict.fromkeys(_U_PER_L, 1.0), **dict.fromkeys(_KAT, 60.0)}
_UNITS: dict[str, dict[str, float]] = {
    # case field -> accepted unit -> factor to the case's unit (same dimension only; a mass unit for a molar
    # field is reported, never converted with an assumed molar mass).
    "ck_u_per_l": _ENZYME,
    "alt_u_per_l": _ENZYME,
    "ast_u_per_l": _ENZYME,
    "anc_10e9_per_l": {**dict.fromkeys(_PER_NL, 1.0), **dict.fromkeys(_PER_UL, 0.001)},
    "tsh_mu_per_l": dict.fromkeys(("m[IU]/L", "mIU/L", "mU/L", "u[IU]/mL", "uIU/mL", "µIU/mL", "uU/mL"), 1.0),
    "calcium_mmol_per_l": dict.fromkeys(("mmol/L", "mmol/l"), 1.0),
    "b12_pmol_per_l": dict.fromkeys(("pmol/L", "pmol/l"), 1.0),
    "copper_umol_per_l": dict.fromkeys(("umol/L", "µmol/L", "umol/l"), 1.0),
    "csf_protein_g_per_l": {"g/L": 1.0, "g/l": 1.0, "mg/dL": 0.01, "mg/dl": 0.01, "mg/L": 0.001},
}


def convert_lab(field_name: str, value: Decimal, unit: str | None) -> float | None:
    """Lab value in the case's unit, or None when the unit is not one we can convert. The case's own unit
    gives the value unchanged (a round trip is exact)."""
    factor = _UNITS[field_name].get(unit or "")
    if factor is None:
        return None
    return float(value) if factor == 1.0 else float(value) * factor


class _Reader:
    """Collects what each resource says, then assembles one case."""

    def __init__(self, *, screen_codes: bool = False, local_codes: LocalCodes = NO_LOCAL_CODES) -> None:
        self.screen_codes = screen_codes
        self.local_codes = local_codes
        self.unmapped: list[Unmapped] = []
        self.assumptions: list[str] = []
        self.patients: list[tuple[str, Any]] = []
        self.items: list[tuple[str, str, Any, str]] = []  # (name, resourceType, model, label)
        self.medications: dict[str, Any] = {}  # Medication resources by reference key
        self.medication_names: list[tuple[str, Any]] = []  # each Medication resource once, by name
        self.listed_by: dict[str, tuple[str, date | None]] = {}  # result/member reference -> (grouper, its date)

    # -- parsing ---------------------------------------------------------------------------------
    def parse(self, label: str, raw: Any, depth: int = 0) -> None:
        if not isinstance(raw, Mapping):
            self.unmapped.append(Unmapped(label, "not a FHIR resource (JSON object expected)"))
            return
        rtype = raw.get("resourceType")
        if rtype == "Bundle":  # a searchset from prefetch: flatten
            entries = raw.get("entry") or []
            if not isinstance(entries, list):
                self.unmapped.append(Unmapped(label, "Bundle.entry is not a list"))
                return
            if depth >= MAX_BUNDLE_NESTING:
                self.unmapped.append(Unmapped(label, f"Bundle nested more than {MAX_BUNDLE_NESTING} levels deep"))
                return
            for i, e in enumerate(entries):
                if not isinstance(e, Mapping):
                    self.unmapped.append(Unmapped(f"{label}.entry[{i}]", "not a bundle entry (JSON object expected)"))
                    continue
                search = e.get("search")
                if isinstance(search, Mapping) and search.get("mode") == "outcome":
                    continue
                self.parse(str(e.get("fullUrl") or f"{label}.entry[{i}]"), e.get("resource"), depth + 1)
            return
        if not isinstance(rtype, str):
            self.unmapped.append(Unmapped(label, "resource without resourceType"))
            return
        raw = self.local_codes.apply(raw)
        name = f"{rtype}/{raw['id']}" if isinstance(raw.get("id"), str) else label
        self._note_members(name, rtype, raw)  # before screening: an unused panel still dates its members
        unused = self._unused(rtype, raw)  # reads the type and the codes only: before the depth walk
        if unused is not None:
            self.unmapped.append(Unmapped(name, unused))
            return
        if deeper_than(raw, MAX_RESOURCE_DEPTH):
            self.unmapped.append(Unmapped(name, f"nested more than {MAX_RESOURCE_DEPTH} levels deep"))
            return
        try:
            model = get_fhir_model_class(rtype).model_validate(raw)
        except ValueError as exc:
            reason = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.unmapped.append(Unmapped(name, f"not a valid R4 {rtype}: {reason}"))
            return
        if rtype == "Patient":
            self.patients.append((label, model))
        elif rtype == "Medication":
            self.medications[f"Medication/{getattr(model, 'id', None)}"] = model
            self.medications[label] = model
            self.medication_names.append((name, model))
        elif rtype in ITEM_TYPES:
            self.items.append((name, rtype, model, label))

    def _note_members(self, name: str, rtype: str, raw: Mapping[str, Any]) -> None:
        """Remember which report (``DiagnosticReport.result``) or panel (``Observation.hasMember``) lists a result,
        with the lister's date. R4: the report's ``effective[x]`` is "the clinically relevant time" of its results,
        and HL7's own laboratory example (diagnosticreport-example-ghp) dates only the report and its panels."""
        refs = raw.get("result" if rtype == "DiagnosticReport" else "hasMember")
        if rtype not in {"DiagnosticReport", "Observation"} or not isinstance(refs, list):
            return
        if raw.get("status") == "entered-in-error":
            return
        period = raw.get("effectivePeriod")
        when = (
            _raw_date(raw.get("effectiveDateTime"))
            or _raw_date(period.get("start") if isinstance(period, Mapping) else None)
            or _raw_date(raw.get("issued"))
        )
        for ref in refs:
            target = ref.get("reference") if isinstance(ref, Mapping) else None
            if isinstance(target, str):
                self.listed_by.setdefault(target, (name, when))

    def date_of_lister(self, *refs: str | None) -> tuple[str, date] | None:
        """The report or panel that lists a result without a date of its own, and its date (followed up through
        panels without a date, e.g. report → panel → result)."""
        for ref in refs:
            seen: set[str] = set()
            while ref is not None and ref in self.listed_by and ref not in seen:
                seen.add(ref)
                lister, when = self.listed_by[ref]
                if when is not None:
                    return lister, when
                ref = lister
        return None

    def _unused(self, rtype: str, raw: Mapping[str, Any]) -> str | None:
        """Why alsdx cannot use a resource, told from its JSON before R4B validation (~30 µs per element,
        most of an import's time); None when it may be used, or when its code is malformed (validation
        then names the field). Only what no reader could use is screened: a resource type alsdx does not
        read, and (``screen_codes``) an Observation or Condition without any code alsdx knows."""
        if rtype not in READ_TYPES:
            try:
                get_fhir_model_class(rtype)
            except ValueError:
                return None  # not an R4 resource type: validation reports it
            return f"resource type {rtype} is not used by alsdx"
        if not self.screen_codes or rtype not in {"Observation", "Condition"}:
            return None
        codings = _raw_codings(raw.get("code"), required=rtype == "Observation")
        if codings is None:
            return None
        if rtype == "Condition":
            return None if any(code.matches(c) for code in vocab.MND_CODES for c in codings) else NOT_MND
        if any((c.get("system") or "", c.get("code") or "") in _KNOWN_CODES for c in codings):
            return None
        return _code_not_used(codings)

    # -- assembly --------------------------------------------------------------------------------
    def build(self, assessment_date: date | None, case_id: str | None) -> ImportResult:
        patient_label, patient = self._patient()
        own_refs = {patient_label}
        if patient is not None and patient.id:
            own_refs |= {f"Patient/{patient.id}", patient.id}
        items = [item for item in self.items if self._belongs(*item[:3], own_refs)]
        if assessment_date is None:
            dates = [d for _, _, m, _ in items for d in _dates(m) if d is not None]
            if not dates:
                raise FhirInputError("assessment_date: no dated resource in the bundle; give the date explicitly")
            assessment_date = max(dates)
            self.assumptions.append(f"assessment_date {assessment_date} is the latest clinical date in the bundle")
        c = _CaseBuilder(assessment_date, self.unmapped, self.assumptions, self.medications)
        c.date_of_lister = self.date_of_lister
        c.birth = _as_date(patient.birthDate) if patient is not None else None
        # Laboratory reports first: they group their results into panels (docs/fhir.md).
        for name, rtype, model, label in sorted(items, key=lambda item: item[1] != "DiagnosticReport"):
            late = [d for d in _dates(model) if d is not None and d > assessment_date]
            if late:
                self.unmapped.append(Unmapped(name, f"dated {max(late)}, after the assessment date {assessment_date}"))
                continue
            c.labels[name] = label
            getattr(c, f"read_{rtype}")(name, model)
        for name, med in self.medication_names:  # a Medication only explains a record that refers to it
            if not any(used is med for used in c.medications_read):
                self.unmapped.append(Unmapped(name, NOT_REFERENCED_MEDICATION))
        doc = c.document(patient, case_id)
        try:
            case = case_from_dict(doc, source="FHIR bundle")
        except CaseValidationError as exc:
            raise FhirInputError(str(exc)) from None
        return ImportResult(
            case,
            self.unmapped,
            self.assumptions,
            regions_examined=[r for r in REGIONS if r in c.regions_seen],
            approximate=c.approximate,
            missing=c.missing(),
        )

    def _patient(self) -> tuple[str, Any]:
        if not self.patients:
            self.assumptions.append("no Patient resource: sex unknown, no birth date")
            return "", None
        for label, extra in self.patients[1:]:
            self.unmapped.append(
                Unmapped(
                    f"Patient/{extra.id}" if extra.id else label,
                    "a second Patient; alsdx reads one patient per bundle",
                )
            )
        return self.patients[0]

    def _belongs(self, name: str, rtype: str, model: Any, own_refs: set[str]) -> bool:
        ref = getattr(model, "patient" if rtype == "FamilyMemberHistory" else "subject", None)
        if ref is None or ref.reference is None or ref.reference in own_refs or not own_refs - {""}:
            return True
        self.unmapped.append(Unmapped(name, f"refers to another patient ({ref.reference})"))
        return False


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])


def _dates(model: Any) -> list[date | None]:
    """The clinical dates of a resource (effective, onset, authored, period start/end)."""
    fields = type(model).model_fields  # asking a pydantic model for an element it lacks raises inside: slow
    out: list[date | None] = []
    for attr in ("effectiveDateTime", "onsetDateTime", "authored", "authoredOn", "dateAsserted"):
        if attr in fields:
            out.append(_as_date(getattr(model, attr)))
    period = model.effectivePeriod if "effectivePeriod" in fields else None
    if period is not None:
        out += [_as_date(period.start), _as_date(period.end)]
    return out


class _CaseBuilder:
    def __init__(
        self, today: date, unmapped: list[Unmapped], assumptions: list[str], medications: dict[str, Any]
    ) -> None:
        self.today = today
        self.unmapped = unmapped
        self.assumptions = assumptions
        self.med_resources = medications
        self.medications_read: list[Any] = []  # Medication resources a medication record referred to
        self.labels: dict[str, str] = {}  # resource name -> its fullUrl (or position)
        self.signs: dict[tuple[str, str], tuple[date, bool]] = {}
        self.findings: dict[str, tuple[date, bool]] = {}
        self.symptoms: dict[str, tuple[date, bool]] = {}
        self.tongue: tuple[date, str] | None = None
        self.onset: list[date] = []
        self.birth: date | None = None
        self.mnd_conditions: list[str] = []  # names of ALS/MND conditions read (with or without onset)
        self.approximate: list[str] = []
        self.regions_seen: set[str] = set()
        self.fvc_litres_only: list[tuple[str, date]] = []
        self.diagnosis: list[tuple[str, date]] = []
        self.onset_region: str | None = None
        self.condition_region: str | None = None
        self.course: str | None = None
        self.age_at_onset: float | None = None
        self.emg: list[dict[str, Any]] = []
        self.labs: dict[tuple[str, Any], dict[str, Any]] = defaultdict(dict)  # panel key -> values
        self.panel_dates: dict[tuple[str, Any], date] = {}
        self.report_of: dict[str, tuple[str, Any]] = {}  # result reference -> its report's panel key
        self.reports_with_results: dict[tuple[str, Any], str] = {}
        self.variants: list[dict[str, str]] = []
        self.ar_cag: int | None = None
        self.imaging: dict[str, str] = {}
        self.alsfrs: list[tuple[str, dict[str, Any]]] = []  # (resource type, visit)
        self.alsfrs_totals: list[tuple[str, date, int]] = []
        self.fvc: list[dict[str, Any]] = []
        self.svc: list[dict[str, Any]] = []
        self.respiratory: list[dict[str, Any]] = []
        self.weight: list[dict[str, Any]] = []
        self.investigations: list[dict[str, Any]] = []
        self.meds: list[tuple[str, dict[str, Any]]] = []  # (resource type, medication)
        self.date_of_lister: Callable[..., tuple[str, date] | None] = lambda *refs: None
        self.family_history = False
        self.family_history_hsp = False

    def skip(self, name: str, reason: str) -> None:
        self.unmapped.append(Unmapped(name, reason))

    # -- Condition / FamilyMemberHistory -----------------------------------------------------------
    def read_Condition(self, name: str, cond: Any) -> None:
        codings = _codings(cond.code)
        if not any(code.matches(c) for code in vocab.MND_CODES for c in codings):
            self.skip(name, NOT_MND)
            return
        status = {c["code"] for c in _codings(cond.verificationStatus)}
        if status & {"refuted", "entered-in-error"}:
            self.skip(name, f"ALS condition with verification status {sorted(status)}")
            return
        self.mnd_conditions.append(name)
        onset = _as_date(cond.onsetDateTime) or _as_date(cond.onsetPeriod.start if cond.onsetPeriod else None)
        if onset is None:
            onset = self._approximate_onset(name, cond)
        if onset is not None:
            self.onset.append(onset)
        regions = {r for site in cond.bodySite or [] if (r := _region(site)) is not None}
        if len(regions) == 1:
            self.condition_region = regions.pop()
        for ext in cond.extension or []:
            if ext.url == vocab.ASSERTED_DATE_EXT:
                asserted = _as_date(ext.valueDateTime)
                if asserted is None:
                    self.skip(name, "diagnosis date (condition-assertedDate) is not a full date")
                else:
                    self.diagnosis.append((name, asserted))

    def _approximate_onset(self, name: str, cond: Any) -> date | None:
        """An onset recorded as a year, a month or an age, completed by the registries' convention (a month → the
        15th, a year → 1 July, an age → half a year after that birthday); reported as approximate."""
        raw = _partial_date_text(cond)
        if raw is not None:
            completed = complete_partial_date(raw)
            if completed is not None:
                how = "the 15th" if len(raw) == 7 else "1 July"
                self.approximate.append(f"symptom_onset {completed} is approximate: recorded as {raw!r}, {how} used")
                return completed
        age = cond.onsetAge
        if age is not None and age.value is not None and (age.code or age.unit) in {"a", "yr", "years", "year"}:
            if self.birth is None:
                self.skip(name, "onset given as an age but the Patient has no birth date; no onset date")
                return None
            years = float(age.value)
            completed = _add_years(self.birth, years + 0.5)
            self.approximate.append(
                f"symptom_onset {completed} is approximate: recorded as age {years:g} years, mid-year of that age used"
            )
            return completed
        given = "onsetString" if cond.onsetString else "onsetAge in another unit" if age is not None else "no onset"
        self.skip(name, f"ALS/MND condition without an onset date ({given}); record onsetDateTime (a year is enough)")
        return None

    def read_FamilyMemberHistory(self, name: str, fmh: Any) -> None:
        if fmh.status == "entered-in-error":
            self.skip(name, "status entered-in-error")
            return
        conds = [c for cond in fmh.condition or [] for c in _codings(cond.code)]
        als = any(code.matches(c) for code in vocab.MND_CODES for c in conds)
        hsp = any(vocab.SPASTIC_PARAPLEGIA.matches(c) for c in conds)
        self.family_history |= als
        self.family_history_hsp |= hsp
        if not (als or hsp):
            self.skip(name, "family history without ALS/MND or spastic paraplegia (HP:0001258)")

    # -- medications -----------------------------------------------------------------------------
    def _medication_name(self, concept: Any, reference: Any) -> str | None:
        if concept is None and reference is not None:
            med = self.med_resources.get(reference.reference or "")
            concept = med.code if med is not None else None
            if med is not None:
                self.medications_read.append(med)
        return medication_of(concept)

    def _add_med(self, name: str, rtype: str, med: str | None, start: date | None, stop: date | None) -> None:
        if med is None:
            self.skip(
                name,
                "medication is not one alsdx tracks (riluzole, edaravone, tofersen, dextromethorphan/quinidine)",
            )
            return
        if start is None:
            self.skip(name, f"{med} without a start date")
            return
        entry = {
            "name": med,
            "start_date": start.isoformat(),
            "stop_date": stop.isoformat() if stop else None,
        }
        for other_type, other in self.meds:
            if other == entry and other_type != rtype:  # the same treatment as ordered and as taken
                self.skip(name, f"same {med} course as a {other_type} already read")
                return
        self.meds.append((rtype, entry))

    def read_MedicationStatement(self, name: str, ms: Any) -> None:
        if ms.status in {"entered-in-error", "not-taken", "intended"}:
            self.skip(name, f"status {ms.status}")
            return
        period = ms.effectivePeriod
        start = _as_date(period.start) if period else _as_date(ms.effectiveDateTime)
        stop = _as_date(period.end) if period else None
        med = self._medication_name(ms.medicationCodeableConcept, ms.medicationReference)
        self._add_med(name, "MedicationStatement", med, start, stop)

    def read_MedicationRequest(self, name: str, mr: Any) -> None:
        if mr.status in {"entered-in-error", "cancelled", "draft"}:
            self.skip(name, f"status {mr.status}")
            return
        start, stop = _as_date(mr.authoredOn), None
        for dosage in mr.dosageInstruction or []:
            bounds = dosage.timing.repeat.boundsPeriod if dosage.timing and dosage.timing.repeat else None
            if bounds is not None:
                start = _as_date(bounds.start) or start
                stop = _as_date(bounds.end)
        if mr.status in {"stopped", "completed"} and stop is None:
            self.assumptions.append(f"{name}: status {mr.status} without an end date; treated as still taken")
        med = self._medication_name(mr.medicationCodeableConcept, mr.medicationReference)
        self._add_med(name, "MedicationRequest", med, start, stop)

    # -- QuestionnaireResponse (ALSFRS-R) ------------------------------------------------------------
    def read_QuestionnaireResponse(self, name: str, qr: Any) -> None:
        when = _as_date(qr.authored)
        if qr.status not in {"completed", "amended"} or when is None:
            self.skip(name, f"questionnaire response status {qr.status} or no authored date")
            return
        answers: dict[str, Any] = {}
        for item in qr.item or []:
            if item.answer:
                answers[item.linkId] = item.answer[0]
        items = {}
        for key in vocab.ALSFRS_ITEMS:
            ans = answers.get(key)
            score = None if ans is None else ans.valueInteger
            if score is None and ans is not None and ans.valueCoding is not None and ans.valueCoding.code:
                score = int(ans.valueCoding.code) if ans.valueCoding.code.isdigit() else None
            if score is None:
                self.skip(name, f"not an ALSFRS-R response alsdx can read: item {key!r} missing or not 0-4")
                return
            items[key] = score
        gastro = answers.get("gastrostomy")
        if gastro is None or gastro.valueBoolean is None:
            self.skip(name, "ALSFRS-R response without the 'gastrostomy' item (5a or 5b cannot be told)")
            return
        self._add_visit(
            name,
            "QuestionnaireResponse",
            {"date": when.isoformat(), "gastrostomy": bool(gastro.valueBoolean), "items": items},
        )

    def _add_visit(self, name: str, rtype: str, visit: dict[str, Any]) -> None:
        """Visits keep the bundle's order; a visit on the date of one read from another resource type (a
        questionnaire response and its observation panel) is the same visit: the first is kept, the second
        reported."""
        for other_type, other in self.alsfrs:
            if other["date"] == visit["date"] and other_type != rtype:
                same = "the same as" if other == visit else "differs from"
                self.skip(name, f"ALSFRS-R of {visit['date']} {same} the {other_type} already read; first kept")
                return
        self.alsfrs.append((rtype, visit))

    # -- DiagnosticReport (laboratory panels) -------------------------------------------------------
    def read_DiagnosticReport(self, name: str, report: Any) -> None:
        lab = any(
            c["system"] == vocab.DIAGNOSTIC_SERVICE and c["code"] == "LAB"
            for cat in report.category or []
            for c in _codings(cat)
        ) or any(vocab.LAB_REPORT.matches(c) for c in _codings(report.code))
        if not lab:
            self.skip(name, "not a laboratory report (category LAB or LOINC 11502-2); its results are read alone")
            return
        if report.status not in USABLE_REPORT_STATUS:
            self.skip(name, f"report status {report.status!r}; its results are read alone")
            return
        when = (
            _as_date(report.effectiveDateTime)
            or _as_date(report.effectivePeriod.start if report.effectivePeriod else None)
            or _as_date(report.issued)
        )
        if when is None:
            self.skip(name, "laboratory report without a full effective date; its results are read alone")
            return
        key = ("report", name)
        self.labs[key] = {}
        self.panel_dates[key] = when
        for ref in report.result or []:
            if ref.reference:
                self.report_of[ref.reference] = key
        if report.result:
            self.reports_with_results[key] = name

    def _panel(self, name: str, obs: Any, when: date) -> tuple[str, Any]:
        """The panel of a laboratory result: its report's, else one panel per date."""
        for ref in (name, self.labels.get(name), f"Observation/{obs.id}" if obs.id else None):
            if ref and ref in self.report_of:
                return self.report_of[ref]
        key = ("date", when)
        self.panel_dates.setdefault(key, when)
        return key

    # -- Observation ------------------------------------------------------------------------------
    def read_Observation(self, name: str, obs: Any) -> None:
        if obs.status not in USABLE_OBSERVATION_STATUS:
            self.skip(name, f"observation status {obs.status!r} is not a usable result")
            return
        when = (
            _as_date(obs.effectiveDateTime)
            or _as_date(obs.effectivePeriod.start if obs.effectivePeriod else None)
            or _as_date(obs.issued)
        )
        codings = _codings(obs.code)
        lister = self._lister(name, obs) if when is None else None
        if lister is not None and lister[1] > self.today:
            self.skip(name, f"dated {lister[1]} by {lister[0]}, after the assessment date {self.today}")
            return
        when = when or (lister[1] if lister else None)
        if when is None:
            self.skip(name, "observation without a full effective date")
            return
        for reader in (
            self._region_examined,
            self._sign,
            self._finding,
            self._symptom,
            self._tongue,
            self._emg,
            self._lab,
            self._measure,
            self._history,
        ):
            if reader(name, obs, codings, when):
                return
        self.skip(name, _code_not_used(codings))

    def _lister(self, name: str, obs: Any) -> tuple[str, date] | None:
        """The report or panel whose date a result without its own date takes (said once per lister)."""
        found = self.date_of_lister(name, self.labels.get(name), f"Observation/{obs.id}" if obs.id else None)
        if found is not None and found[1] <= self.today:
            note = (
                "results without an effective date of their own are dated by the report or panel listing them: "
                f"{found[0]} ({found[1]})"
            )
            if note not in self.assumptions:
                self.assumptions.append(note)
        return found

    def _region_examined(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        if not any(vocab.REGION_EXAMINED.matches(c) for c in codings):
            return False
        region = _region(obs.bodySite)
        if region is None:
            self.skip(name, "region-examined record without a body site naming the region")
        elif obs.valueBoolean is False:
            self.skip(name, f"{region} recorded as not examined; the region is left out of the examination")
        else:
            self.regions_seen.add(region)
        return True

    def _sign(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        sign = vocab.find(codings, vocab.SIGNS, vocab.SIGN_SYNONYMS)
        if sign is None:
            return False
        region = _region(obs.bodySite)
        if region is None:
            self.skip(name, f"sign {sign!r} without a body site naming its region")
            return True
        if sign in UMN_SIGN_ONLY_IN and UMN_SIGN_ONLY_IN[sign] != region:
            self.skip(name, f"sign {sign!r} cannot be in the {region} region")
            return True
        if sign in UMN_SIGNS and sign == "pseudobulbar_affect" and region != "bulbar":
            self.skip(name, "pseudobulbar affect is a bulbar sign")
            return True
        present = _presence(obs)
        if present is None:
            self.skip(name, f"sign {sign!r} without a present/absent value")
            return True
        _latest(self.signs, (region, sign), when, present)
        self.regions_seen.add(region)
        return True

    def _finding(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        path = vocab.find(codings, vocab.FINDINGS, vocab.FINDING_SYNONYMS)
        if path is None:
            half = vocab.find(codings, _PRESENT_ONLY_FIRST, _PRESENT_ONLY_REST)
            if half is None:
                return False
            if _presence(obs):
                _latest(self.findings, half, when, True)
            else:
                self.skip(name, f"only its presence sets {half} (one half of the field); absent or unread, not used")
            return True
        present = _presence(obs)
        if present is None:
            self.skip(name, f"{path} without a present/absent value")
            return True
        _latest(self.findings, path, when, present)
        return True

    def _symptom(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        symptom = vocab.find(codings, vocab.BULBAR_SYMPTOMS, vocab.BULBAR_SYMPTOM_SYNONYMS)
        if symptom is None:
            return False
        present = _presence(obs)
        if present is None:
            self.skip(name, f"bulbar symptom {symptom!r} without a present/absent value")
        else:
            _latest(self.symptoms, symptom, when, present)
        return True

    def _tongue(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        if not any(vocab.TONGUE_FASCICULATIONS.matches(c) for c in codings):
            return False
        symmetric = vocab.VALUES["symmetric_movements_only"]
        present = _presence(obs)
        if any(symmetric.matches(c) for c in _codings(obs.valueCodeableConcept)):
            value = "symmetric_movements_only"
        elif present is None:
            self.skip(name, "tongue fasciculations without a present/absent value")
            return True
        else:
            value = "present" if present else "absent"
        if self.tongue is None or self.tongue[0] <= when:
            self.tongue = (when, value)
        return True

    def _emg(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        if not any(vocab.EMG_MUSCLE.matches(c) for c in codings):
            return False
        sites = _codings(obs.bodySite)
        muscles = [c["code"] for c in sites if c["system"] == vocab.ALSDX_MUSCLE]
        standard = vocab.find(sites, vocab.MUSCLE_SITES) or vocab.find(sites, vocab.MUSCLE_SITES_IMPORT_ONLY)
        if not muscles and standard is not None:
            muscles = [standard]
        if not muscles:
            muscles = _written_muscle(obs.bodySite)
        if not muscles:
            self.skip(name, "EMG observation without a muscle alsdx reads in bodySite (alsdx muscle or SNOMED CT code)")
            return True
        entry: dict[str, Any] = {"muscle": muscles[0]}
        for comp in obs.component or []:
            cc = _codings(comp.code)
            if any(vocab.EMG_SIDE.matches(c) for c in cc):
                side = vocab.find(_codings(comp.valueCodeableConcept), vocab.SIDES)
                if side:
                    entry["side"] = side
            elif any(vocab.EMG_REGION.matches(c) for c in cc):
                entry["region"] = _region(comp.valueCodeableConcept)
            elif any(vocab.EMG_ROOTS.matches(c) for c in cc) and comp.valueString:
                entry["roots"] = [r.strip() for r in comp.valueString.split(",") if r.strip()]
            elif any(vocab.EMG_NERVE.matches(c) for c in cc) and comp.valueString:
                entry["nerve"] = comp.valueString
            else:
                key = vocab.find(cc, vocab.EMG_COMPONENTS)
                if key is not None and comp.valueBoolean is not None:
                    entry[key] = bool(comp.valueBoolean)
        if "side" not in entry:
            self.skip(name, "EMG observation without a side (left, right, midline)")
            return True
        self.emg.append(entry)
        return True

    def _lab(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        lab = vocab.find(codings, vocab.LAB_CODES, vocab.LAB_SYNONYMS)
        if lab is not None:
            self._numeric_lab(name, obs, lab, when)
            return True
        field = vocab.find(codings, _CATEGORICAL_CODES)
        if field is None:
            return False
        value = self._categorical(obs, vocab.CATEGORICAL_LABS[field][1])
        if value is None:
            allowed = " / ".join(vocab.CATEGORICAL_LABS[field][1])
            self.skip(name, f"{field} without a {allowed} value")
        else:
            self._lab_value(name, self._panel(name, obs, when), field, value)
        return True

    def _numeric_lab(self, name: str, obs: Any, lab: str, when: date) -> None:
        q = obs.valueQuantity
        uln_field = vocab.ULN_OF.get(lab)
        limits = [rr.high for rr in obs.referenceRange or [] if rr.high is not None and rr.high.value is not None]
        unit = (q.code or q.unit) if q is not None else None
        value = None
        if q is not None and q.value is not None:
            value = convert_lab(lab, q.value, unit)
            if value is None:
                self.skip(name, f"{lab}: unit {unit!r} is not one alsdx converts")
                return
        elif not (uln_field and limits and obs.dataAbsentReason is not None):  # a limit alone is read
            self.skip(name, f"{lab} without a numeric value")
            return
        panel = self._panel(name, obs, when)
        if value is not None:
            self._lab_value(name, panel, lab, value)
        if uln_field:
            for high in limits:
                uln = convert_lab(lab, high.value, high.code or high.unit or unit)
                if uln is not None and uln > 0:
                    self._lab_value(name, panel, uln_field, uln)

    @staticmethod
    def _categorical(obs: Any, values: dict[str, Any]) -> str | None:
        """A categorical result: positive/negative and present/absent from the value (or interpretation);
        levels (low/normal/raised) from the interpretation, or alsdx value codes."""
        keys = list(values)
        if all(code.system != vocab.OBS_INTERPRETATION for code in values.values()):
            present = _presence(obs, bare_is_present=False)
            return None if present is None else keys[0 if present else 1]
        level = vocab.find(_codings(obs.valueCodeableConcept), vocab.VALUES)
        if level in keys:
            return level
        for interp in obs.interpretation or []:
            codes = {c["code"] for c in _codings(interp) if c["system"] == vocab.OBS_INTERPRETATION}
            for key in keys:
                if codes & vocab.INTERP_LEVELS[key]:
                    return key
        return None

    def _lab_value(self, name: str, panel: tuple[str, Any], key: str, value: Any) -> None:
        values = self.labs[panel]
        if key in values and values[key] != value:
            when = self.panel_dates[panel]
            self.skip(name, f"second {key} on {when} ({value}) differs from the first ({values[key]}); first kept")
            return
        values[key] = value

    def _measure(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        if any(vocab.FVC_PERCENT.matches(c) for c in codings):
            q = obs.valueQuantity
            if q is None or q.value is None or (q.code or q.unit or "%") != "%":
                self.skip(name, "FVC % predicted without a value in %")
                return True
            self._add_fvc(name, obs, when, float(q.value))
            return True
        if any(vocab.SVC_PERCENT.matches(c) for c in codings):
            q = obs.valueQuantity
            if q is None or q.value is None or (q.code or q.unit or "%") != "%":
                self.skip(name, "SVC % predicted without a value in %")
            else:
                self.svc.append({"date": when.isoformat(), "percent_predicted": float(q.value)})
            return True
        if any(code.matches(c) for code in (vocab.FVC_LITRES, *vocab.FVC_LITRES_SYNONYMS) for c in codings):
            self._fvc_litres(name, obs, when)
            return True
        if any(vocab.ALSFRS_PANEL.matches(c) for c in codings):
            items: dict[str, int] = {}
            gastro = None
            for comp in obs.component or []:
                cc = _codings(comp.code)
                key = vocab.find(cc, vocab.ALSFRS_ITEMS)
                if key is not None and comp.valueInteger is not None:
                    items[key] = int(comp.valueInteger)
                elif any(vocab.GASTROSTOMY.matches(c) for c in cc) and comp.valueBoolean is not None:
                    gastro = bool(comp.valueBoolean)
            missing = [k for k in vocab.ALSFRS_ITEMS if k not in items]
            if missing or gastro is None:
                what = f"items {missing}" if missing else "the gastrostomy component"
                self.skip(name, f"ALSFRS-R panel without {what}")
                return True
            self._add_visit(name, "Observation", {"date": when.isoformat(), "gastrostomy": gastro, "items": items})
            return True
        if any(vocab.ALSFRS_TOTAL.matches(c) for c in codings):
            total = _integer_score(obs)
            if total is None:
                self.skip(name, "ALSFRS-R total is neither an integer nor a whole-number quantity (0-48)")
            else:
                self.alsfrs_totals.append((name, when, total))
            return True
        if any(vocab.RESPIRATORY_PANEL.matches(c) for c in codings):
            self._respiratory(name, obs, when)
            return True
        if any(vocab.BODY_WEIGHT.matches(c) for c in codings):
            q = obs.valueQuantity
            unit = (q.code or q.unit) if q is not None else None
            factor = vocab.WEIGHT_UNITS.get(unit or "")
            if q is None or q.value is None or factor is None:
                units = ", ".join(vocab.WEIGHT_UNITS)
                self.skip(
                    name, f"body weight without a value in a UCUM mass unit alsdx converts ({units}); got {unit!r}"
                )
            else:
                self.weight.append(
                    {
                        "date": when.isoformat(),
                        "weight_kg": float(q.value) * factor if factor != 1.0 else float(q.value),
                    }
                )
            return True
        return False

    def _add_fvc(self, name: str, obs: Any, when: date, percent: float) -> None:
        position = "upright"
        for ext in obs.extension or []:
            if ext.url == vocab.BODY_POSITION_EXT:
                if any(vocab.SUPINE.matches(c) for c in _codings(ext.valueCodeableConcept)):
                    position = "supine"
                break
        else:
            self.assumptions.append(f"{name}: FVC without a body position, read as upright")
        self.fvc.append({"date": when.isoformat(), "percent_predicted": percent, "position": position})

    def _fvc_litres(self, name: str, obs: Any, when: date) -> None:
        """FVC as a volume (LOINC 19868-9): % predicted from a 19872-1 component, else from a predicted-volume
        component (19869-7); otherwise a separate 19872-1 Observation of that date must give it."""
        percent = predicted = None
        for comp in obs.component or []:
            cc = _codings(comp.code)
            q = comp.valueQuantity
            if q is None or q.value is None:
                continue
            if any(vocab.FVC_PERCENT.matches(c) for c in cc) and (q.code or q.unit or "%") == "%":
                percent = float(q.value)
            elif any(vocab.FVC_PREDICTED_LITRES.matches(c) for c in cc) and (q.code or q.unit) in {"L", "l"}:
                predicted = float(q.value)
        measured = obs.valueQuantity
        litres = measured is not None and measured.value is not None and (measured.code or measured.unit) in {"L", "l"}
        if percent is None and predicted and litres:
            percent = round(float(measured.value) / predicted * 100, 1)
        if percent is None:
            self.fvc_litres_only.append((name, when))
        else:
            self._add_fvc(name, obs, when, percent)

    def _respiratory(self, name: str, obs: Any, when: date) -> None:
        entry: dict[str, Any] = {"date": when.isoformat()}
        for comp in obs.component or []:
            field = vocab.find(_codings(comp.code), vocab.RESPIRATORY)
            if field is None:
                shown = ", ".join(f"{c['system']}|{c['code']}" for c in _codings(comp.code)) or "no coding"
                self.skip(name, f"respiratory component not used by alsdx ({shown})")
            elif field == "nocturnal_oximetry_abnormal":
                if comp.valueBoolean is None:
                    self.skip(name, f"{field} without a boolean value")
                else:
                    entry[field] = bool(comp.valueBoolean)
            else:
                q = comp.valueQuantity
                if q is None or q.value is None or (q.code or q.unit) not in {vocab.RESPIRATORY_UNIT, "cmH2O"}:
                    self.skip(name, f"{field} without a value in cm[H2O]")
                else:
                    entry[field] = float(q.value)
        self.respiratory.append(entry)

    def _history(self, name: str, obs: Any, codings: list[dict[str, Any]], when: date) -> bool:
        value = vocab.find(_codings(obs.valueCodeableConcept), vocab.VALUES)
        if any(vocab.COURSE.matches(c) for c in codings):
            if value in vocab.COURSE_VALUES:
                self.course = value
            else:
                self.skip(name, "course value is not progressive, not_progressive or unknown")
            return True
        if any(vocab.ONSET_REGION.matches(c) for c in codings):
            region = vocab.find(_codings(obs.valueCodeableConcept), vocab.REGION_CODES)
            if region is None:
                self.skip(name, "onset region value is not an alsdx region code")
            else:
                self.onset_region = region
            return True
        if any(vocab.AGE_AT_ONSET.matches(c) for c in codings):
            q = obs.valueQuantity
            if q is None or q.value is None or (q.code or q.unit) not in {"a", "yr", "years", None}:
                self.skip(name, "age at onset without a value in years")
            else:
                self.age_at_onset = float(q.value)
            return True
        for key, code in vocab.IMAGING.items():
            if any(code.matches(c) for c in codings):
                allowed = set(get_args(Imaging.model_fields[key].annotation)) - {"not_done"}
                if value is not None and value in allowed:
                    self.imaging[key] = value
                else:
                    self.skip(name, f"{key} value must be one of {sorted(allowed)}")
                return True
        test = vocab.find(codings, vocab.INVESTIGATIONS)
        if test is not None:
            result = value if value in {"normal", "abnormal"} else _normal_or_abnormal(obs)
            if result is None:
                self.skip(name, f"investigation {test} without a normal / abnormal result")
            else:
                self.investigations.append({"test": test, "date": when.isoformat(), "result": result})
            return True
        if any(vocab.GENE_VARIANT.matches(c) for c in codings):
            gene = cls = None
            for comp in obs.component or []:
                cc = _codings(comp.code)
                if any(vocab.VARIANT_GENE.matches(c) for c in cc):
                    gene = comp.valueString
                elif any(vocab.VARIANT_CLASSIFICATION.matches(c) for c in cc):
                    cls = vocab.find(_codings(comp.valueCodeableConcept), vocab.VALUES)
            if gene and cls in VARIANT_CLASSES:
                self.variants.append({"gene": gene, "classification": cls})
            else:
                self.skip(name, "variant without a gene symbol and an alsdx classification")
            return True
        if any(vocab.AR_CAG_REPEATS.matches(c) for c in codings):
            if obs.valueInteger is None:
                self.skip(name, "AR CAG repeat count without an integer value")
            else:
                self.ar_cag = int(obs.valueInteger)
            return True
        return False

    # -- the case document -------------------------------------------------------------------------
    def document(self, patient: Any, case_id: str | None) -> dict[str, Any]:
        if not self.onset:
            if self.mnd_conditions:
                raise NoOnsetDate(
                    "symptom_onset: the ALS/MND condition on record has no onset date the criteria can use "
                    f"({', '.join(self.mnd_conditions)}); record Condition.onsetDateTime (a year or a month is enough)"
                )
            raise NoMndCondition(
                "symptom_onset: the bundle has no ALS/MND Condition (SNOMED CT, ICD-10, ICD-10-CM, ICD-10-GM or ICD-11)"
            )
        doc: dict[str, Any] = {
            "id": _case_id(case_id, patient),
            "sex": patient.gender
            if patient is not None and patient.gender in {"male", "female", "other"}
            else "unknown",
            "symptom_onset": min(self.onset).isoformat(),
            "assessment_date": self.today.isoformat(),
            "onset_region": self.onset_region or self.condition_region or "unknown",
        }
        diagnosis = self._diagnosis_date(min(self.onset))
        if diagnosis is not None:
            doc["diagnosis_date"] = diagnosis.isoformat()
        birth = _as_date(patient.birthDate) if patient is not None else None
        if birth is not None:
            doc["birth_date"] = birth.isoformat()
        if self.age_at_onset is not None:
            doc["age_at_onset"] = self.age_at_onset
        if self.course is None:
            self.assumptions.append("no course observation: course 'unknown' (progression not documented)")
        doc["course"] = self.course or "unknown"
        # Only regions with a coded finding: an omitted region is "not examined" (COMMON.md contract 1).
        exam: dict[str, Any] = {r: {"umn": [], "lmn": []} for r in REGIONS if r in self.regions_seen}
        for (region, sign), (_, present) in self.signs.items():
            if present:
                exam[region]["umn" if sign in UMN_SIGNS else "lmn"].append(sign)
        exam["bulbar_symptoms"] = [s for s, (_, present) in self.symptoms.items() if present]
        exam["weakness"] = {}
        if self.tongue is not None:
            exam["tongue_fasciculations"] = self.tongue[1]
        ncs: dict[str, bool] = {}
        history: dict[str, bool] = {"family_history_spastic_paraplegia": self.family_history_hsp}
        genetics: dict[str, Any] = {"variants": self.variants}
        for path, (_, present) in self.findings.items():
            parts = path.split(".")
            if parts[0] == "exam" and len(parts) == 3:
                exam["weakness"][parts[2]] = present
            elif parts[0] == "exam":
                exam[parts[1]] = present
            elif parts[0] == "ncs":
                ncs[parts[1]] = present
            elif parts[0] == "genetics":
                genetics[parts[1]] = present
            elif parts[0] == "history":
                history[parts[1]] = present
            else:
                doc[path] = present
        doc["exam"] = exam
        doc["history"] = history
        if ncs:
            doc["ncs"] = ncs
        if self.ar_cag is not None:
            genetics["ar_cag_repeats"] = self.ar_cag
        doc["genetics"] = genetics
        doc["imaging"] = self.imaging
        doc["family_history_als"] = self.family_history
        doc["emg"] = self.emg
        doc["labs"] = self._lab_panels()
        self._check_totals()
        # Lists keep the bundle's order (alsdx's rules read dates, not positions).
        doc["alsfrs_r"] = [visit for _, visit in self.alsfrs]
        fvc_dates = {m["date"] for m in self.fvc}
        for name, when in self.fvc_litres_only:
            if when.isoformat() not in fvc_dates:
                self.skip(
                    name,
                    "FVC in litres without % predicted (no 19872-1 or predicted-volume component, and "
                    "no FVC % predicted Observation that day): alsdx's rules use % predicted",
                )
        doc["fvc"] = self.fvc
        doc["svc"] = self.svc
        doc["respiratory"] = self.respiratory
        doc["weight"] = self.weight
        doc["investigations"] = self.investigations
        doc["medications"] = [med for _, med in self.meds]
        return doc

    def missing(self) -> list[MissingInput]:
        """Inputs the criteria need that the coded record did not give."""
        out = []
        if not self.regions_seen and not self.emg:
            out.append(
                MissingInput(
                    "examination findings",
                    "no coded examination findings (UMN/LMN signs with a body site) and no coded EMG were found",
                )
            )
        return out

    def _lab_panels(self) -> list[dict[str, Any]]:
        panels = []
        for key, values in self.labs.items():
            if not values and key in self.reports_with_results:
                self.skip(self.reports_with_results[key], "none of its results is a laboratory value alsdx uses")
                continue
            panels.append({"date": self.panel_dates[key].isoformat(), **values})
        return panels

    def _diagnosis_date(self, onset: date) -> date | None:
        """The earliest date an ALS condition was first asserted, when it lies between onset and today."""
        usable = []
        for name, when in self.diagnosis:
            if when < onset:
                self.skip(name, f"diagnosis date {when} is before the symptom onset {onset}; not used")
            elif when > self.today:
                self.skip(name, f"diagnosis date {when} is after the assessment date {self.today}; not used")
            else:
                usable.append(when)
        return min(usable, default=None)

    def _check_totals(self) -> None:
        for name, when, total in self.alsfrs_totals:
            visits = [v for _, v in self.alsfrs if v["date"] == when.isoformat()]
            if not visits:
                self.skip(name, "ALSFRS-R total without its 12 items: alsdx needs the items")
            elif all(sum(v["items"].values()) != total for v in visits):
                self.skip(name, f"ALSFRS-R total {total} differs from the sum of the items; items used")


def medication_of(concept: Any) -> str | None:
    """The case medication name of an R4B CodeableConcept: alsdx code, riluzole's ATC code, or the
    ingredient/brand name in its text or displays (vocab.MEDICATIONS explains why not RxNorm)."""
    if concept is None:
        return None
    codings = _codings(concept)
    key = vocab.find(codings, vocab.MEDICATIONS)
    if key is not None:
        return key
    if any(vocab.RILUZOLE_ATC.matches(c) for c in codings):
        return "riluzole"
    text = " ".join([concept.text or ""] + [c["display"] or "" for c in codings]).lower()
    for brand, med_name in vocab.MEDICATION_BRANDS.items():
        if brand in text:
            return med_name
    for med_name, words in vocab.MEDICATION_NAMES.items():
        if all(w in text for w in words):
            return med_name
    return None


def lab_panels(resources: Iterable[tuple[str, Any]], today: date) -> tuple[list[dict[str, Any]], list[Unmapped]]:
    """Only the laboratory values of some resources (dated panels as in the case file), for checks that
    need labs without a whole case (CDS Hooks order-select)."""
    reader = _Reader()
    for label, raw in resources:
        reader.parse(label, raw)
    builder = _CaseBuilder(today, reader.unmapped, [], reader.medications)
    builder.date_of_lister = reader.date_of_lister
    for name, rtype, model, label in reader.items:
        if rtype == "Observation":
            builder.labels[name] = label
            builder.read_Observation(name, model)
    panels = [{"date": builder.panel_dates[key], **values} for key, values in builder.labs.items()]
    return sorted(panels, key=lambda p: p["date"]), reader.unmapped


# Module constants: vocab.find caches its index per table object, so it is never given a temporary dict.
_PRESENT_ONLY_FIRST: dict[str, vocab.Code] = {k: v[0] for k, v in vocab.FINDING_PRESENT_ONLY.items()}
_PRESENT_ONLY_REST: dict[str, tuple[vocab.Code, ...]] = {k: v[1:] for k, v in vocab.FINDING_PRESENT_ONLY.items()}
_CATEGORICAL_CODES: dict[str, vocab.Code] = {k: code for k, (code, _) in vocab.CATEGORICAL_LABS.items()}


def _normal_or_abnormal(obs: Any) -> str | None:
    """normal / abnormal from an HL7 interpretation (N; A, AA, H, HH, L, LL)."""
    for interp in obs.interpretation or []:
        codes = {c["code"] for c in _codings(interp) if c["system"] == vocab.OBS_INTERPRETATION}
        if "N" in codes:
            return "normal"
        if codes & {"A", "AA", "H", "HH", "L", "LL"}:
            return "abnormal"
    return None


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


def complete_partial_date(text: str) -> date | None:
    """A year (``2023``) or a month (``2023-05``) as a date by the registries' convention: 1 July for a year, the
    15th for a month (the middle of the interval, so the error is at most half of it)."""
    m = _PARTIAL_DATE.match(text.strip())
    if m is None:
        return None
    year, month = int(m.group(1)), m.group(2)
    return date(year, int(month), 15) if month else date(year, 7, 1)


def _partial_date_text(cond: Any) -> str | None:
    """The onset as written when it is a partial date: onsetDateTime as a year or month (kept as text by R4B), or
    an onsetString holding one."""
    for value in (cond.onsetDateTime, cond.onsetString):
        if isinstance(value, str) and _PARTIAL_DATE.match(value.strip()):
            return value.strip()
    return None


def _add_years(start: date, years: float) -> date:
    from datetime import timedelta

    return start + timedelta(days=round(years * 365.25))


def _integer_score(obs: Any) -> int | None:
    """An integer score from valueInteger or a whole-number valueQuantity (unit empty, ``1`` or an annotation)."""
    if obs.valueInteger is not None:
        return int(obs.valueInteger)
    q = obs.valueQuantity
    if q is None or q.value is None or q.value != q.value.to_integral_value():
        return None
    unit = q.code or q.unit
    if unit not in (None, "1", "{score}", "{points}", "score", "points"):
        return None
    return int(q.value)


def _latest(store: dict[Any, tuple[date, bool]], key: Any, when: date, present: bool) -> None:
    """Keep the most recent statement about a finding (a later 'absent' replaces an earlier 'present')."""
    if key not in store or store[key][0] <= when:
        store[key] = (when, present)


def _region(concept: Any) -> str | None:
    codings = _codings(concept)
    return vocab.find(codings, vocab.EXAM_REGION_CODES) or vocab.find(
        codings, vocab.REGION_SITES, vocab.REGION_SITE_SYNONYMS
    )


def _case_id(case_id: str | None, patient: Any) -> str:
    """The id given, else the alsdx case id in Patient.identifier (exact), else the Patient's id."""
    own = [i.value for i in (patient.identifier or []) if i.system == vocab.CASE_ID_SYSTEM] if patient else []
    raw = case_id or (own[0] if own else None) or (patient.id if patient is not None and patient.id else None)
    raw = raw or "fhir-import"
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", raw)[:64]
    if not cleaned:
        raise CaseValidationError([FieldError("id", "cannot derive a case id from the Patient")])
    return cleaned
