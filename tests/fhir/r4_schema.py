"""The official HL7 FHIR R4 JSON schema, as a validator (a uniquely named helper module, not a conftest).

tests/data/fhir.r4.schema.json.xz is ``fhir.schema.json`` of the FHIR R4 specification build (draft-06,
``"id": "http://hl7.org/fhir/json-schema/4.0"``, 680 definitions), xz-compressed, bytes unchanged. Copied from
the public repository PlasmaFHIROrg/TypeScript-FHIR, path ``fhir.schema.json``, commit
299cff9103f9f7e8c4240ebef65a1e5c9c97a9c7 (2021-03-03); HL7 publishes it as https://hl7.org/fhir/R4/fhir.schema.json.zip.
Nothing is downloaded at test time. jsonschema (a library nobody on the team wrote) does the checking.
"""

from __future__ import annotations

import json
import lzma
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "fhir.r4.schema.json.xz"


@cache
def schema() -> dict[str, Any]:
    with lzma.open(SCHEMA_PATH) as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


@cache
def _validator(resource_type: str) -> Draft6Validator:
    s = schema()
    if resource_type not in s["definitions"]:
        raise AssertionError(f"{resource_type} is not an R4 resource type")
    return Draft6Validator({"$ref": f"#/definitions/{resource_type}", "definitions": s["definitions"]})


def schema_errors(resource: dict[str, Any], where: str = "") -> list[str]:
    """Every error the R4 schema finds in ``resource``, as 'path: message'. A Bundle's entries are checked against
    their own resource definitions (what the schema's ResourceList ``oneOf`` picks by ``resourceType``), which gives
    the same errors without trying every other resource type in turn."""
    if resource.get("resourceType") == "Bundle" and isinstance(resource.get("entry"), list):
        shell = {**resource, "entry": [{k: v for k, v in e.items() if k != "resource"} for e in resource["entry"]]}
        errors = _errors(shell, where)
        for i, e in enumerate(resource["entry"]):
            if "resource" in e:
                errors += schema_errors(e["resource"], f"{where}entry/{i}/resource/")
        return errors
    return _errors(resource, where)


def _errors(resource: dict[str, Any], where: str) -> list[str]:
    validator = _validator(str(resource.get("resourceType")))
    return [
        f"{where}{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
        for e in validator.iter_errors(resource)
    ]
