"""``alsdx trials``: screen cases against trial files or bundled trials, list the bundled trials, check a trial
file. Exit codes as ``alsdx assess``: 0, 2 when an input was refused (the others are still screened), 1 on an
internal error. Messages are plain text."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from alsdx.errors import AlsdxError

trials_app = typer.Typer(help="Clinical-trial eligibility screening (docs/trials.md).", no_args_is_help=True)


class TrialFormat(str, Enum):
    text = "text"
    json = "json"


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


@trials_app.command("check")
def check(path: Annotated[Path, typer.Argument(help="Trial file (YAML or JSON).", show_default=False)]) -> None:
    """Validate a trial file against the contract (docs/trials.md)."""
    from alsdx.trials.model import load_trial

    try:
        trial = load_trial(path)
    except AlsdxError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    manual = sum(c.manual for c in trial.criteria)
    typer.echo(f"{path}: trial {trial.id} is valid ({len(trial.criteria)} criteria, {manual} manual)")


@trials_app.command("list")
def list_trials() -> None:
    """List the bundled trials (id, title, source)."""
    from alsdx.trials.model import bundled_trials

    for trial in bundled_trials().values():
        typer.echo(f"{trial.id}\t{trial.title}\t{trial.source}")


@trials_app.command("screen")
def screen(
    cases: Annotated[list[Path], typer.Argument(help="Case files (JSON or YAML).", show_default=False)],
    trial: Annotated[list[str], typer.Option("--trial", "-t", help="Trial file or bundled trial id (repeatable).")],
    format: Annotated[TrialFormat, typer.Option("--format", "-f", help="Output format.")] = TrialFormat.text,
) -> None:
    """Screen each case against each trial: pass, fail, unknown or manual per criterion, the status, and the
    window (eligible until / eligible from)."""
    from alsdx.engine.isolation import batch_or_each
    from alsdx.model.load import load_case_files
    from alsdx.trials.model import trial_from_argument
    from alsdx.trials.screen import screen_cases
    from alsdx.trials.text import screening_text

    try:
        trials = [trial_from_argument(t) for t in trial]
    except AlsdxError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    loaded, errors = load_case_files(cases)  # one bad file is reported and the others are still screened
    for message in errors:
        _error(message)
    refused = len(errors)
    results: list[Any] = []
    broken = 0
    for case, result in zip(loaded, batch_or_each(loaded, lambda batch: screen_cases(batch, trials)), strict=True):
        if isinstance(result, Exception):
            _error(
                f"{case.id}: alsdx could not screen this case (internal error: {type(result).__name__}); "
                "the other cases are screened. Please report it with the case file."
            )
            broken += 1
        else:
            results.append(result)
    if format is TrialFormat.json:
        if results or not refused:
            typer.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            typer.echo(screening_text(result, {t.id: t for t in trials}))
    if refused:
        raise typer.Exit(2)
    if broken:
        raise typer.Exit(1)
