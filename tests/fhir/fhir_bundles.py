"""Hand-made FHIR R4 input for the import tests: a searchset Bundle of resources, and the reasons the importer
gave for what it did not use (a uniquely named helper module, not a conftest)."""

from __future__ import annotations

from typing import Any


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The resources as an EHR's searchset Bundle, each with a server URL as its fullUrl."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"fullUrl": f"https://ehr.example.org/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }


def reasons(result: Any) -> dict[str, str]:
    """Unmapped resource -> the importer's reason."""
    return {u.resource: u.reason for u in result.unmapped}
