"""The ``alsdx`` command line (Typer). Exit codes: 0 success, 2 bad input (message on stderr, nothing on stdout)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from alsdx.errors import AlsdxError

app = typer.Typer(
    help="alsdx - ALS clinical decision support (criteria, mimics, course, care plan). "
    "It supports a clinician's decision; it does not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """alsdx - ALS clinical decision support. It supports a clinician's decision; it does not diagnose."""


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def fail(message: str) -> None:
    """Print a clear error on stderr and exit 2 (bad input)."""
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def assess(
    cases: Annotated[list[Path], typer.Argument(help="Case files (JSON or YAML).", show_default=False)],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    interpretation: Annotated[
        list[str] | None,
        typer.Option(
            "--interpretation",
            "-i",
            help="Alternative reading to apply (repeatable): "
            "weakness-counts-as-lmn, definite-count-reading, probable-any-region.",
        ),
    ] = None,
) -> None:
    """Classify each case under El Escorial 1994, revised El Escorial, Awaji and Gold Coast."""
    from alsdx.assess import assess_many
    from alsdx.model.load import load_case
    from alsdx.render import render_assessment_text
    from alsdx.rules.criteria.interpretation import interpretation_from_names

    try:
        interp = interpretation_from_names(interpretation or [])
    except ValueError as exc:
        fail(f"--interpretation: {exc}")
    try:
        loaded = [load_case(p) for p in cases]
    except AlsdxError as exc:
        fail(str(exc))
    results = assess_many(loaded, interp)
    if format is OutputFormat.json:
        docs = [r.model_dump(mode="json") for r in results]
        typer.echo(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
        return
    console = Console()
    for result in results:
        render_assessment_text(result, console)


@app.command()
def plan(
    case: Annotated[Path, typer.Argument(help="Case file (JSON or YAML).", show_default=False)],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Also write the plan's calendar (iCalendar) to this file.", show_default=False),
    ] = None,
) -> None:
    """Dated care plan: referrals, medication calendars and lab alerts, symptomatic care, follow-up."""
    from alsdx.assess import assess as assess_case
    from alsdx.care.ics import to_ics
    from alsdx.care.text import plan_to_text
    from alsdx.model.load import load_case

    try:
        result = assess_case(load_case(case))
    except AlsdxError as exc:
        fail(str(exc))
    care = result.plan
    if ics is not None:
        try:
            ics.write_bytes(to_ics(care))
        except OSError as exc:
            fail(f"--ics: cannot write {ics}: {exc.strerror}")
        Console(stderr=True).print(f"calendar written to {ics}", highlight=False, markup=False)
    if format is OutputFormat.json:
        doc = {"id": result.id, "ruleset_version": result.ruleset_version, "plan": care.model_dump(mode="json")}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{result.id}: {plan_to_text(care)}")


@app.command()
def course(
    case: Annotated[Path, typer.Argument(help="Case file (JSON or YAML).", show_default=False)],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Write the ALSFRS-R and FVC plots (PNG and SVG) into this directory.", show_default=False
        ),
    ] = None,
    prorate_missing: Annotated[
        bool,
        typer.Option(
            "--prorate-missing",
            help="Prorate one unanswered ALSFRS-R item per visit "
            "(mean of the answered items x 12); without it a missing item is an error.",
        ),
    ] = False,
) -> None:
    """Disease course: ALSFRS-R, progression rate, King's and MiToS stages, FVC triggers, ENCALS prognosis."""
    from alsdx.assess import assess as assess_case
    from alsdx.course_text import course_to_text
    from alsdx.model.load import load_case

    try:
        loaded = load_case(case, allow_missing_alsfrs_items=prorate_missing)
        result = assess_case(loaded, prorate_missing=prorate_missing)
    except AlsdxError as exc:
        fail(str(exc))
    if plot is not None:
        try:
            from alsdx.report.plots import plot_course
        except ImportError:
            fail("--plot needs matplotlib: pip install 'alsdx[plots]'")
        try:
            written = plot_course(loaded, result.course, plot)
        except OSError as exc:
            fail(f"--plot: cannot write into {plot}: {exc.strerror}")
        for path in written:
            Console(stderr=True).print(f"plot written to {path}", highlight=False, markup=False)
    if format is OutputFormat.json:
        doc = {
            "id": result.id,
            "ruleset_version": result.ruleset_version,
            "course": result.course.model_dump(mode="json"),
        }
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    typer.echo(course_to_text(result.id, result.course))


def _add_subcommands() -> None:
    from alsdx.fhir.cli import fhir_app

    app.add_typer(fhir_app, name="fhir")


_add_subcommands()


if __name__ == "__main__":  # pragma: no cover
    app()
