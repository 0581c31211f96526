"""A generated narrative (``Resource.text``) for every resource alsdx writes.

FHIR R4 asks that a resource carry a human-readable narrative (invariant dom-6, "A resource should have narrative
for robust management", DomainResource, FHIR R4 §2.4 Narrative). An EHR shows ``text.div`` when it cannot
render the coded content, so the narrative repeats what the codes say: what the resource is about, its value, body
site and date. It is ``generated`` (made entirely from the structured data, R4 narrative-status), plain XHTML in
one ``<div>`` (invariants txt-1 and txt-2: only basic XHTML, and some text in it).
"""

from __future__ import annotations

from html import escape
from typing import Any

XHTML = "http://www.w3.org/1999/xhtml"

_TITLE_ELEMENTS = ("code", "medicationCodeableConcept", "type", "activity")
_DATE_ELEMENTS = ("effectiveDateTime", "onsetDateTime", "authoredOn", "recordedDate", "recorded", "occurrenceDateTime")


def _concept_text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if coding.get("display") or coding.get("code"):
            return str(coding.get("display") or coding["code"])
    return ""


def _value_text(resource: dict[str, Any]) -> str:
    if "valueQuantity" in resource:
        q = resource["valueQuantity"]
        return f"{q.get('value', '')} {q.get('unit') or q.get('code') or ''}".strip()
    if "valueCodeableConcept" in resource:
        return _concept_text(resource["valueCodeableConcept"])
    for key in ("valueInteger", "valueString", "valueBoolean", "valueDateTime"):
        if key in resource:
            value = resource[key]
            return ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return ""


def summary(resource: dict[str, Any]) -> str:
    """One line: type and subject of the resource, value, body site, date and status."""
    kind = resource["resourceType"]
    title = next((t for e in _TITLE_ELEMENTS if (t := _concept_text(resource.get(e)))), "")
    if not title and kind == "Device":
        title = " ".join(str(n.get("name", "")) for n in resource.get("deviceName") or []).strip()
    parts = [f"{kind}: {title}" if title else kind]
    if value := _value_text(resource):
        parts.append(value)
    sites = [t for s in resource.get("bodySite") or [] if (t := _concept_text(s))]
    if sites:
        parts.append(", ".join(sites))
    if date := next((str(resource[d]) for d in _DATE_ELEMENTS if resource.get(d)), ""):
        parts.append(date)
    if resource.get("status"):
        parts.append(f"status {resource['status']}")
    return " — ".join(parts)


def with_narrative(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource with a generated ``text`` (an existing narrative is kept)."""
    if "text" not in resource:
        resource["text"] = {
            "status": "generated",
            "div": f'<div xmlns="{XHTML}"><p>{escape(summary(resource))}</p></div>',
        }
    return resource


def narrate_bundle(bundle: dict[str, Any]) -> dict[str, Any]:
    """Give every entry's resource a narrative (a Bundle itself is not a DomainResource and has none)."""
    for entry in bundle.get("entry") or []:
        if isinstance(entry.get("resource"), dict):
            with_narrative(entry["resource"])
    return bundle
