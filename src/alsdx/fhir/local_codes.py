"""A hospital's own codes, mapped to codes alsdx reads by a FHIR R4 ``ConceptMap`` (docs/fhir.md, "Local codes").

EHRs code findings, laboratory tests and body sites with local codes (or SNOMED CT concepts alsdx does not list).
Rather than guessing, alsdx reads a ConceptMap the hospital writes: each ``group`` maps codes of one ``source``
system to one ``target`` system, and each ``element.target`` must be ``equivalent`` or ``equal`` to a code alsdx
reads (``vocab.all_codes()``, a region code or a muscle of the muscle table). The file is named by the setting
``ALSDX_FHIR_CONCEPT_MAP`` and checked when the service or CLI starts: a bad entry stops start-up with an error naming
it (``group[0].element[3] (code 'X'): ...``) rather than being skipped while patients are assessed.

Mapping adds the target coding beside the local one in every ``coding`` list of a resource (the local coding is kept,
so what alsdx reports still names the hospital's code).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fhir.resources.R4B.conceptmap import ConceptMap
from pydantic import ValidationError

from alsdx.errors import AlsdxError
from alsdx.fhir import vocab
from alsdx.model.muscles import muscle_table

ENV_VAR = "ALSDX_FHIR_CONCEPT_MAP"
ACCEPTED_EQUIVALENCE = frozenset({"equivalent", "equal"})
"""Only exact mappings: a ``wider``/``narrower`` local code would change what a finding means."""


class ConceptMapError(AlsdxError, ValueError):
    """The hospital's ConceptMap cannot be used; the message names the entry and the reason."""


def _targets() -> dict[tuple[str, str], str]:
    """Every (system, code) a mapping may point at, with its display."""
    out: dict[tuple[str, str], str] = {}
    for code in vocab.all_codes():
        out[(code.system, code.code)] = code.display
    for name in muscle_table():
        out[(vocab.ALSDX_MUSCLE, name)] = name.replace("_", " ")
    return out


@dataclass(frozen=True)
class LocalCodes:
    """(local system, local code) → the alsdx-read codings it stands for."""

    mapping: Mapping[tuple[str, str], tuple[dict[str, str], ...]]
    source: str = ""

    def __len__(self) -> int:
        return len(self.mapping)

    def apply(self, resource: Any) -> Any:
        """A copy of ``resource`` (JSON) with the mapped codings added to each coding list that has a local code;
        the resource itself when nothing maps (no copy)."""
        if not self.mapping:
            return resource
        changed, out = self._walk(resource, 0)
        return out if changed else resource

    def _walk(self, node: Any, depth: int) -> tuple[bool, Any]:
        if depth > 64:  # deeper resources are refused by the importer anyway
            return False, node
        if isinstance(node, list):
            results = [self._walk(x, depth + 1) for x in node]
            if any(c for c, _ in results):
                return True, [x for _, x in results]
            return False, node
        if not isinstance(node, Mapping):
            return False, node
        changed = False
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "coding" and isinstance(value, list):
                added = [
                    target
                    for c in value
                    if isinstance(c, Mapping) and isinstance(c.get("system"), str) and isinstance(c.get("code"), str)
                    for target in self.mapping.get((c["system"], c["code"]), ())
                ]
                if added:
                    value = [*value, *(t for t in added if t not in value)]
                    changed = True
                out[key] = value
                continue
            sub_changed, sub = self._walk(value, depth + 1)
            changed |= sub_changed
            out[key] = sub
        return changed, (out if changed else node)


NO_LOCAL_CODES = LocalCodes({})


def parse_concept_map(data: Any, source: str = "ConceptMap") -> LocalCodes:
    """Check a ConceptMap (JSON) and return its mappings; :class:`ConceptMapError` names the first bad entry."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "ConceptMap":
        raise ConceptMapError(f"{source}: expected a FHIR R4 ConceptMap (resourceType 'ConceptMap')")
    try:
        ConceptMap.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise ConceptMapError(f"{source}: not a valid R4 ConceptMap: {loc}: {err['msg']}") from None
    targets = _targets()
    mapping: dict[tuple[str, str], list[dict[str, str]]] = {}
    for g, group in enumerate(data.get("group") or []):
        where_group = f"{source} group[{g}]"
        src_system, tgt_system = group.get("source"), group.get("target")
        if not src_system:
            raise ConceptMapError(f"{where_group}: 'source' (the hospital's code system URI) is required")
        if not tgt_system:
            raise ConceptMapError(f"{where_group}: 'target' (the system of the codes alsdx reads) is required")
        for e, element in enumerate(group.get("element") or []):
            local = element.get("code")
            where = f"{where_group}.element[{e}] (code {local!r})"
            if not local:
                raise ConceptMapError(f"{where}: 'code' (the local code) is required")
            entries = element.get("target") or []
            if not entries:
                raise ConceptMapError(f"{where}: no target; remove the element or map it to a code alsdx reads")
            for t, target in enumerate(entries):
                at = f"{where}.target[{t}]"
                equivalence = target.get("equivalence")
                if equivalence not in ACCEPTED_EQUIVALENCE:
                    raise ConceptMapError(
                        f"{at}: equivalence {equivalence!r} is not accepted; alsdx uses only "
                        f"{sorted(ACCEPTED_EQUIVALENCE)} mappings (a wider or narrower code changes the finding)"
                    )
                key = (tgt_system, target.get("code"))
                if key not in targets:
                    raise ConceptMapError(
                        f"{at}: {tgt_system}|{target.get('code')} is not a code alsdx reads "
                        "(see docs/fhir.md 'Codes' and src/alsdx/fhir/vocab.py)"
                    )
                coding = {"system": key[0], "code": str(key[1]), "display": targets[key]}
                mapping.setdefault((str(src_system), str(local)), []).append(coding)
    return LocalCodes({k: tuple(v) for k, v in mapping.items()}, source)


def load_concept_map(path: str | Path) -> LocalCodes:
    """Read and check the ConceptMap file at ``path``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConceptMapError(f"{ENV_VAR}={path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise ConceptMapError(f"{ENV_VAR}={path}: not JSON ({exc})") from None
    return parse_concept_map(data, source=str(path))


def from_env(env: Mapping[str, str] | None = None) -> LocalCodes:
    """The ConceptMap named by ``ALSDX_FHIR_CONCEPT_MAP``, or no local codes when it is unset."""
    env = os.environ if env is None else env
    path = env.get(ENV_VAR, "").strip()
    return load_concept_map(path) if path else NO_LOCAL_CODES
