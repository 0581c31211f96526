"""``alsdx fhir``: import a FHIR R4 Bundle as a case, export a case as a Bundle, assess a Bundle.

Exit codes as the main CLI: 0 success, 2 bad input (message on stderr, nothing on stdout).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from alsdx.errors import AlsdxError

fhir_app = typer.Typer(
    help="FHIR R4 in and out (and GA4GH Phenopackets v2).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

AssessmentDate = Annotated[
    str | None,
    typer.Option("--assessment-date", help="ISO date 'today' is for the rules (default: latest date in the bundle)."),
]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror}")
    except ValueError as exc:
        _fail(f"{path}: not JSON: {exc}")


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--assessment-date: {value!r} is not an ISO date (YYYY-MM-DD)")
    return None


def _import(path: Path, assessment_date: str | None) -> Any:
    from alsdx.fhir import local_codes
    from alsdx.fhir.to_case import bundle_to_case

    try:
        codes = local_codes.from_env()  # the hospital's ConceptMap (ALSDX_FHIR_CONCEPT_MAP), checked first
        result = bundle_to_case(_read_json(path), assessment_date=_date(assessment_date), local_codes=codes)
    except AlsdxError as exc:
        _fail(f"{path}: {exc}")
    for item in result.unmapped:
        typer.echo(f"unmapped: {item}", err=True)
    for note in result.assumptions:
        typer.echo(f"assumed: {note}", err=True)
    for note in result.approximate:
        typer.echo(f"approximate: {note}", err=True)
    for missing in result.missing:
        typer.echo(f"missing: {missing.input}: {missing.reason}", err=True)
    return result


def _used_inputs(bundle: Any, result: Any) -> list[str]:
    """References of the bundle's resources the case was read from (for the Provenance); unused ones are left out."""
    unused = {u.resource for u in result.unmapped}
    refs = []
    for i, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        name = f"{resource.get('resourceType')}/{resource['id']}" if isinstance(resource.get("id"), str) else None
        ref = name or str(entry.get("fullUrl") or f"entry[{i}]")
        if ref not in unused and name not in unused:
            refs.append(ref)
    return refs


@fhir_app.command("import")
def import_(
    bundle: Annotated[Path, typer.Argument(help="FHIR R4 Bundle (JSON).")],
    assessment_date: AssessmentDate = None,
) -> None:
    """Print the case read from a FHIR R4 Bundle (JSON); what could not be mapped goes to stderr."""
    result = _import(bundle, assessment_date)
    typer.echo(json.dumps(result.case.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False))


@fhir_app.command("export")
def export(case: Annotated[Path, typer.Argument(help="Case file (JSON or YAML).")]) -> None:
    """Print a FHIR R4 Bundle of the case's findings."""
    from alsdx.fhir.from_case import case_to_bundle
    from alsdx.model.load import load_case

    try:
        loaded = load_case(case)
    except AlsdxError as exc:
        _fail(str(exc))
    typer.echo(json.dumps(case_to_bundle(loaded), indent=2, ensure_ascii=False))


@fhir_app.command("assess")
def assess_bundle(
    bundle: Annotated[Path, typer.Argument(help="FHIR R4 Bundle (JSON).")],
    assessment_date: AssessmentDate = None,
) -> None:
    """Assess the case in a FHIR R4 Bundle and print the assessment as a FHIR R4 Bundle."""
    from alsdx.engine.assess import assess
    from alsdx.fhir.from_assessment import assessment_to_bundle

    result = _import(bundle, assessment_date)
    inputs = _used_inputs(_read_json(bundle), result)
    out = assessment_to_bundle(assess(result.case), patient_reference=f"Patient/{result.case.id}", inputs=inputs)
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


@fhir_app.command("phenopacket")
def phenopacket(case: Annotated[Path, typer.Argument(help="Case file (JSON or YAML).")]) -> None:
    """Print the case as a GA4GH Phenopacket v2 (JSON)."""
    from alsdx.fhir.phenopacket import case_to_phenopacket_json
    from alsdx.model.load import load_case

    try:
        loaded = load_case(case)
    except AlsdxError as exc:
        _fail(str(exc))
    sys.stdout.write(case_to_phenopacket_json(loaded) + "\n")


@fhir_app.command("from-phenopacket")
def from_phenopacket(
    packet: Annotated[Path, typer.Argument(help="GA4GH Phenopacket v2 (JSON).")],
    assessment_date: AssessmentDate = None,
) -> None:
    """Print the case read from a Phenopacket v2; what could not be mapped goes to stderr."""
    from alsdx.fhir.phenopacket import phenopacket_json_to_case

    try:
        text = packet.read_text(encoding="utf-8")
        result = phenopacket_json_to_case(text, assessment_date=_date(assessment_date))
    except OSError as exc:
        _fail(f"{packet}: cannot read: {exc.strerror}")
    except AlsdxError as exc:
        _fail(f"{packet}: {exc}")
    for item in result.unmapped:
        typer.echo(f"unmapped: {item}", err=True)
    typer.echo(json.dumps(result.case.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False))
