"""The FHIR searches each hook asks the EHR to prefetch (and alsdx runs itself against ``fhirServer`` when a
prefetch is missing), each filtered by the codes alsdx reads."""

from __future__ import annotations

from urllib.parse import quote

from alsdx.fhir import local_codes, vocab

OBSERVATION_PAGE = 200
"""``_count`` asked of every Observation search; with ``_sort=-date`` the newest come first."""


def _code_filter(codes: list[vocab.Code]) -> str:
    """A FHIR token search value ``system|code,...`` (each part percent-encoded)."""
    seen = dict.fromkeys(f"{quote(c.system, safe=':/')}|{quote(c.code, safe='')}" for c in codes)
    return ",".join(seen)


def _observation_groups(extra: list[vocab.Code]) -> dict[str, str]:
    """Observation searches by what they hold, each filtered by the codes alsdx reads (an EHR's unfiltered
    ``Observation?patient=`` returns every vital sign first: issue 16). Three keys keep each URL short."""
    codes = [c for c in vocab.all_codes() if c.system not in {vocab.ICD10, vocab.ICD10CM, vocab.ICD10GM, vocab.ICD11}]
    standard = {vocab.LOINC}
    clinical = {vocab.HPO, vocab.SNOMED}
    groups = {
        "observations": [c for c in codes if c.system in clinical] + [c for c in extra if c.system not in standard],
        "measurements": [c for c in codes if c.system in standard] + [c for c in extra if c.system in standard],
        "alsdxObservations": [c for c in codes if c.system.startswith(vocab.ALSDX_BASE)],
    }
    tail = f"&_sort=-date&_count={OBSERVATION_PAGE}"
    out = {
        key: f"Observation?patient={{{{context.patientId}}}}&code={_code_filter(found)}{tail}"
        for key, found in groups.items()
        if key != "alsdxObservations"
    }
    # alsdx's own code systems hold only codes alsdx reads: "system|" (any code of the system) keeps the URL short.
    systems = ",".join(sorted({f"{quote(c.system, safe=':/')}|" for c in groups["alsdxObservations"]}))
    out["alsdxObservations"] = f"Observation?patient={{{{context.patientId}}}}&code={systems}{tail}"
    return out


def patient_view_prefetch(local: local_codes.LocalCodes = local_codes.NO_LOCAL_CODES) -> dict[str, str]:
    """The patient-view prefetch templates; a hospital's ConceptMap adds its local codes to the code filters."""
    extra = [vocab.Code(system, code, code, "hospital ConceptMap") for system, code in local.mapping]
    conditions = [*vocab.MND_CODES, *extra]
    return {
        "patient": "Patient/{{context.patientId}}",
        "conditions": f"Condition?patient={{{{context.patientId}}}}&code={_code_filter(conditions)}",
        **_observation_groups(extra),
        "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
        "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
        "familyHistory": "FamilyMemberHistory?patient={{context.patientId}}",
        "questionnaireResponses": "QuestionnaireResponse?patient={{context.patientId}}",
    }


PATIENT_VIEW_PREFETCH = patient_view_prefetch()
PATIENT_VIEW_REQUIRED = frozenset({"patient", "conditions", "observations", "measurements"})
"""Without these the patient-view answer is 412 (they cannot be obtained) rather than cards."""
_ALT_CODES = [vocab.LAB_CODES["alt_u_per_l"], *vocab.LAB_SYNONYMS["alt_u_per_l"]]
ORDER_SELECT_PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "alt": f"Observation?patient={{{{context.patientId}}}}&code={_code_filter(_ALT_CODES)}&_sort=-date&_count=1",
}
ORDER_SELECT_REQUIRED = frozenset({"alt"})
