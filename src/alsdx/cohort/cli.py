"""``alsdx cohort``: assess registries (``run``, also the default: ``alsdx cohort IN OUT``), print the flat
layout (``schema``), convert case documents (``flatten``) and make synthetic cohorts (``synth``).

Heavy imports (pyarrow, the kernels, Spark) happen inside the commands so ``alsdx`` starts fast.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from alsdx.extras import missing_extra


class _RunByDefault(TyperGroup):
    """``alsdx cohort IN OUT ...`` means ``alsdx cohort run IN OUT ...`` (a first word that is no subcommand)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    help="Assess whole cohorts with the same kernels as `alsdx assess` (locally or on Spark). "
    "`alsdx cohort IN OUT.parquet` is short for `alsdx cohort run IN OUT.parquet`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Engine(str, Enum):
    local = "local"
    spark = "spark"


class SchemaFormat(str, Enum):
    table = "table"
    json = "json"


def _fail(message: str) -> None:
    """Plain text: brackets in a message are never read as markup."""
    Console(stderr=True).print(Text("error: ", style="bold red") + Text(message), highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _interpretation(names: list[str] | None) -> Any:
    from alsdx.rules.criteria.interpretation import interpretation_from_names

    try:
        return interpretation_from_names(names or [])
    except ValueError as exc:
        _fail(f"--interpretation: {exc}")


def _trials(arguments: list[str] | None) -> Any:
    """``--trial`` files and ids, read and checked before any row is (a bad file: exit 2 naming the criterion)."""
    from alsdx.cohort.batch import check_trials
    from alsdx.trials.model import TrialFileError, trial_from_argument

    try:
        return check_trials([trial_from_argument(a) for a in arguments or []])
    except TrialFileError as exc:
        _fail(str(exc))


@app.command()
def run(
    source: Annotated[
        Path, typer.Argument(help="Parquet file or directory, CSV, or JSONL of case documents.", show_default=False)
    ],
    output: Annotated[Path, typer.Argument(help="Output Parquet file (one row per input row).", show_default=False)],
    engine: Annotated[Engine, typer.Option(help="Where to run the kernels.")] = Engine.local,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Workers (local engine): threads up to 2, processes beyond and for JSONL; default: one per core.",
            show_default=False,
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Rows per kernel batch.")] = 65_536,  # runner.DEFAULT_BATCH (tested)
    interpretation: Annotated[
        list[str] | None,
        typer.Option("--interpretation", "-i", help="Alternative reading (repeatable), as in `alsdx assess`."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    summary_json: Annotated[Path | None, typer.Option(help="Also write the summary as JSON here.")] = None,
    trial: Annotated[
        list[str] | None,
        typer.Option(
            "--trial",
            "-t",
            help="Screen every row against this trial file or bundled trial id (repeatable): adds "
            "trial_<id>_status, _eligible_until, _eligible_from, _failing, _unknown (docs/trials.md).",
        ),
    ] = None,
) -> None:
    """Assess every row; print counts per category and revised El Escorial x Gold Coast.
    Invalid rows are listed with their reason in OUT.invalid.csv (and get empty categories)."""
    from alsdx.errors import AlsdxError

    interp = _interpretation(interpretation)
    trials = _trials(trial)
    console = Console(stderr=True)
    if not source.exists():
        _fail(f"{source}: no such file or directory")
    if batch_size < 1 or (workers is not None and workers < 1):
        _fail("--batch-size and --workers must be at least 1")
    if engine is Engine.spark and (message := missing_extra("spark", needed_by="--engine spark")):
        _fail(message)
    try:
        if engine is Engine.spark:
            from alsdx.cohort.spark import run_spark

            summary = run_spark(source, output, interp, trials=trials)
        else:
            from alsdx.cohort.runner import run_local

            summary = run_local(
                source, output, workers, batch_size, interp, progress=progress, console=console, trials=trials
            )
    except AlsdxError as exc:
        _fail(str(exc))
    summary.render(Console())
    if summary_json:
        summary_json.write_text(json.dumps(summary.as_dict(), indent=2) + "\n", encoding="utf-8")


@app.command()
def schema(
    format: Annotated[SchemaFormat, typer.Option("--format", "-f", help="Output format.")] = SchemaFormat.table,
) -> None:
    """Print the flat cohort layout: one row per patient-visit, generated from the case model."""
    from alsdx.cohort.schema import flat_fields

    if format is SchemaFormat.json:
        docs = [
            {
                "name": f.name,
                "type": str(f.type),
                "source": f.source,
                "allowed": f.allowed_text,
                "required": f.required,
                "null_means": _null_means(f),
            }
            for f in flat_fields()
        ]
        typer.echo(json.dumps(docs, indent=2))
        return
    t = Table(title="alsdx flat cohort layout (one row per patient-visit)", title_justify="left")
    # Long column names fold rather than squeezing the other columns to a letter each in 80 columns (a pipe).
    t.add_column("column", overflow="fold", max_width=30)
    for name in ("type", "from the case file", "allowed", "null means"):
        t.add_column(name, overflow="fold", min_width=8)
    for f in flat_fields():
        t.add_row(
            f.name + (" *" if f.required else ""),
            str(f.type).replace("dictionary<values=string, indices=int8, ordered=0>", "code"),
            f.source,
            f.allowed_text,
            _null_means(f),
        )
    console = Console()
    console.print(t)
    console.print(
        "* required. Codes are dictionary<int8, string> (plain strings accepted). "
        "An optional `invalid_reason` column marks rows rejected upstream."
    )


def _null_means(f: Any) -> str:
    if f.required:
        return "(not allowed)"
    if f.rule == "list":
        return "none"
    return "not given" if f.default is None else f"{f.default!r}".lower().replace("'", "")


@app.command()
def flatten(
    cases: Annotated[Path, typer.Argument(help="JSONL: one case document (JSON) per line.", show_default=False)],
    output: Annotated[Path, typer.Argument(help="Output Parquet in the flat layout.", show_default=False)],
    workers: Annotated[int | None, typer.Option(help="Processes; default: one per core.", show_default=False)] = None,
    batch_size: Annotated[int, typer.Option(help="Documents per batch.")] = 16_384,
) -> None:
    """Convert case documents to the flat layout; documents the case model rejects go to OUT.invalid.csv."""
    from alsdx.cohort.convert import flatten_jsonl

    if not cases.exists():
        _fail(f"{cases}: no such file")
    written, rejected = flatten_jsonl(cases, output, workers, batch_size)
    Console(stderr=True).print(
        f"{written:,} cases written to {output}; {rejected:,} rejected "
        f"(reasons in {output.with_name(output.stem + '.invalid.csv')}).",
        highlight=False,
    )


@app.command()
def synth(
    n: Annotated[int, typer.Argument(help="Number of synthetic patients.", show_default=False)],
    output: Annotated[Path, typer.Argument(help="Output Parquet in the flat layout.", show_default=False)],
    seed: Annotated[int, typer.Option(help="Random seed (same N and seed, same cohort).")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Write a SYNTHETIC cohort (no real patient) with plausible case mix, signs, EMG, labs and ALSFRS-R."""
    from alsdx.cohort.convert import write_synth

    if n < 0:
        _fail("N must be 0 or more")
    write_synth(n, output, seed, progress)
    Console(stderr=True).print(f"{n:,} synthetic patients written to {output} (seed {seed}).", highlight=False)
