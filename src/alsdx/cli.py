"""The ``alsdx`` command line (Typer). Exit codes: 0 success, 2 bad input (message on stderr, nothing on stdout
for the input that was refused), 1 an internal error. Messages are printed as plain text: brackets in a
message (a YAML excerpt, a list of roots) are never read as markup."""

from __future__ import annotations

import json
import sys
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

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


def say_error(message: str) -> None:
    """Print an error on stderr as plain text (only the "error:" label is styled)."""
    Console(stderr=True).print(Text("error: ", style="bold red") + Text(message), highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """Print a clear error on stderr and exit 2 (bad input)."""
    say_error(message)
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
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="Text output: after the one-screen summary, the reasons, evidence by region, mimics, "
            "work-up, course and care plan.",
        ),
    ] = False,
) -> None:
    """Classify each case under El Escorial 1994, revised El Escorial, Awaji and Gold Coast.

    Text output is a one-screen summary per case (categories with their flags, what would change them,
    mimics, alerts, next due dates); --details adds the rest. JSON output always holds everything."""
    from alsdx.model.load import load_case_files
    from alsdx.rules.criteria.interpretation import interpretation_from_names
    from alsdx.terminal.render import render_assessment_text

    try:
        interp = interpretation_from_names(interpretation or [])
    except ValueError as exc:
        fail(f"--interpretation: {exc}")
    loaded, errors = load_case_files(cases)  # one bad file is reported and the others are still assessed
    for message in errors:
        say_error(message)
    refused = len(errors)
    results, broken = _assess_each(loaded, interp)
    if results and format is OutputFormat.json:
        docs = [r.model_dump(mode="json") for r in results]
        typer.echo(json.dumps(docs[0] if len(cases) == 1 else docs, indent=2, ensure_ascii=False))
    elif results:
        console = Console()
        for result in results:
            render_assessment_text(result, console, details=details)
    if refused:
        raise typer.Exit(2)
    if broken:
        raise typer.Exit(1)


def _assess_each(cases: list[Any], interp: Any) -> tuple[list[Any], int]:
    """The cases as one batch, each alone only if the batch fails (``engine.isolation``): a case alsdx cannot
    assess is reported by its id and the others are still printed. Returns (assessments, cases that failed)."""
    from alsdx.engine.assess import assess_many
    from alsdx.engine.isolation import batch_or_each

    results, broken = [], 0
    for case, result in zip(cases, batch_or_each(cases, lambda batch: assess_many(batch, interp)), strict=True):
        if isinstance(result, Exception):
            say_error(
                f"{case.id}: alsdx could not assess this case (internal error: {type(result).__name__}); "
                "the other cases are assessed. Please report it with the case file."
            )
            broken += 1
        else:
            results.append(result)
    return results, broken


user_app = typer.Typer(help="Manage user accounts of the clinic service.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API bearer tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _sessions():  # type: ignore[no-untyped-def]
    from alsdx.store import open_store

    return open_store()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Load the example cases as demo patients when the registry is empty.")
    ] = True,
    demo_cases: Annotated[
        Path | None,
        typer.Option(help="Folder of case files for the demo patients (default: examples/cases)."),
    ] = None,
    header_timeout: Annotated[
        float, typer.Option(help="Seconds a client has to send a request's headers.", min=0.5)
    ] = 10.0,
    body_timeout: Annotated[
        float | None, typer.Option(help="Seconds a client has to send a request body [ALSDX_BODY_TIMEOUT or 30].")
    ] = None,
    keep_alive_timeout: Annotated[float, typer.Option(help="Seconds an idle connection stays open.", min=1)] = 5.0,
    max_connections: Annotated[
        int, typer.Option(help="Connections and requests in flight before new requests get 503.", min=1)
    ] = 256,
    max_connections_per_client: Annotated[
        int, typer.Option(help="Open connections per client address (0: no cap; 0 behind a proxy).", min=0)
    ] = 32,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(help="Address of a reverse proxy whose X-Forwarded-For/-Proto to believe (repeatable)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes [the number of cores].", min=1, show_default=False)
    ] = None,
) -> None:
    """Start the web page and REST API (database: ALSDX_DATABASE_URL or SQLite in the user data folder)."""
    import dataclasses
    import logging
    import os

    from alsdx.api import Settings, create_app
    from alsdx.api.bootstrap import ADMIN_NAME, default_demo_dir, ensure_admin, load_demo_patients
    from alsdx.api.server import LOG_FORMAT, AnnouncingSupervisor, ServerLimits, server_config, worker_config
    from alsdx.api.startup import AnnouncingServer
    from alsdx.store import open_store
    from alsdx.store.engine import in_memory

    settings = Settings.from_env()
    if body_timeout is not None:
        settings = dataclasses.replace(settings, body_timeout=body_timeout)
    sessions = open_store(settings.database_url)

    def first_start_and_banner() -> None:
        # Called once the server listens: a start-up that fails creates no admin, so its password is never
        # printed for an account nobody can reach, and the next successful start creates and prints it.
        password = ensure_admin(sessions)
        if password is not None:
            typer.echo(f"Created user '{ADMIN_NAME}' (role admin) with password: {password}")
            typer.echo(f"This password is shown once. Set a new one with: alsdx user password {ADMIN_NAME}")
            folder = demo_cases or default_demo_dir()
            if demo and folder is not None:
                n = load_demo_patients(sessions, folder.glob("*.y*ml"))
                typer.echo(f"Loaded {n} demo patients from {folder}.")
        typer.echo(f"alsdx is serving on http://{host}:{port}/ (API: /v1, OpenAPI: /openapi.json)")

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    limits = ServerLimits(header_timeout, keep_alive_timeout, max_connections, max_connections_per_client)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and in_memory(settings.database_url):
        say_error("an in-memory database cannot be shared by worker processes: serving with one worker")
        workers = 1
    if workers == 1:
        config = server_config(create_app(settings), host=host, port=port, limits=limits, trusted_proxies=trusted_proxy)
        AnnouncingServer(config, on_started=first_start_and_banner).run()
        return
    # Each worker builds its app from the environment (the key file and the schema exist by now: made above).
    if body_timeout is not None:
        os.environ["ALSDX_BODY_TIMEOUT"] = str(body_timeout)
    config = worker_config(host=host, port=port, limits=limits, workers=workers, trusted_proxies=trusted_proxy)
    supervisor = AnnouncingSupervisor(config, [config.bind_socket()], on_started=first_start_and_banner)
    raise typer.Exit(supervisor.serve())


class Role(StrEnum):
    clinician = "clinician"
    admin = "admin"


PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")]


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[Role, typer.Option(help="clinician: own clinic's patients; admin: also users and tokens.")],
    clinic: Annotated[str, typer.Option(help="Clinic the user belongs to (created if new).")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user account."""
    from alsdx.store import accounts

    password = _read_password(password_stdin)
    try:
        with _sessions().begin() as s:
            accounts.create_user(s, name, password, role.value, clinic)
    except accounts.AccountError as exc:
        fail(str(exc))
    typer.echo(f"Created user {name!r} ({role.value}, clinic {clinic!r}).")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password; every web session and API token of the user is revoked."""
    from alsdx.store import accounts

    password = _read_password(password_stdin)
    try:
        with _sessions().begin() as s:
            accounts.set_password(s, name, password)
    except accounts.AccountError as exc:
        fail(str(exc))
    typer.echo(f"Password of {name!r} changed.")


@user_app.command("deactivate")
def user_deactivate(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Cut a user off: no more log-ins, and every web session and API token revoked at once."""
    from alsdx.store import accounts, audit

    with _sessions().begin() as s:
        user = accounts.find_user(s, name)
        if user is None:
            fail(f"NAME: no user named {name!r}")
        assert user is not None
        revoked = accounts.deactivate(s, user)
        audit.record(s, "user.deactivate", user_id=None, actor="(command line)", target=str(user.id))
    typer.echo(f"Deactivated {name!r}; {revoked} session(s) and token(s) revoked.")


@user_app.command("unlock")
def user_unlock(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Clear a user's log-in throttle (failed attempts from every address)."""
    from alsdx.store import accounts, throttle
    from alsdx.store.keys import secret_key

    with _sessions().begin() as s:
        if accounts.find_user(s, name) is None:
            fail(f"NAME: no user named {name!r}")
        throttle.unlock(s, secret_key(), name)
    typer.echo(f"Log-in throttle of {name!r} cleared.")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    days: Annotated[float, typer.Option(help="Lifetime in days.")] = 90.0,
    label: Annotated[str, typer.Option(help="A note to recognise the token by.")] = "",
) -> None:
    """Issue a bearer token; the token is printed alone on the last line, and only this once."""
    from datetime import timedelta

    from alsdx.store import accounts

    if not 0 < days <= 3650:
        fail("--days: give a lifetime between 0 and 3650 days")
    with _sessions().begin() as s:
        user = accounts.find_user(s, name)
        if user is None:
            fail(f"NAME: no user named {name!r}")
        assert user is not None
        secret, row = accounts.issue_token(s, user, label=label, lifetime=timedelta(days=days))
        expires = row.expires_at.date().isoformat()
    typer.echo(f"Token for {name!r}, expires {expires} (use: Authorization: Bearer <token>):")
    typer.echo(secret)


DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL (default: ALSDX_DATABASE_URL or the SQLite default)."),
]


@app.command()
def backup(
    out: Annotated[Path, typer.Argument(help="Backup file to write (an OUT.manifest.json is written beside it).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Back up the registry (SQLite: online backup; PostgreSQL: pg_dump) and verify the copy."""
    from alsdx.store import backup as store_backup
    from alsdx.store.engine import database_url as default_url

    try:
        manifest = store_backup.backup(database_url or default_url(), out)
    except store_backup.BackupError as exc:
        fail(str(exc))
    rows = ", ".join(f"{t} {n}" for t, n in manifest.tables.items() if t != "alembic_version")
    typer.echo(f"Backed up ({manifest.kind}, schema {manifest.revision}) to {out}: {rows}")


@app.command()
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by 'alsdx backup'.")],
    database_url: DatabaseUrl = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite a database that holds data.")] = False,
) -> None:
    """Restore a backup into the registry database and verify every table's row count."""
    from alsdx.store import backup as store_backup
    from alsdx.store.engine import database_url as default_url

    try:
        manifest = store_backup.restore(database_url or default_url(), backup_file, replace=replace)
    except store_backup.BackupError as exc:
        fail(str(exc))
    typer.echo(f"Restored {backup_file} ({manifest.kind}, schema {manifest.revision}); row counts verified.")


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
    from alsdx.care.ics import to_ics
    from alsdx.care.text import plan_to_text
    from alsdx.engine.assess import assess as assess_case
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
    from alsdx.engine.assess import assess as assess_case
    from alsdx.model.load import load_case
    from alsdx.terminal.course_text import course_to_text

    try:
        loaded = load_case(case, allow_missing_alsfrs_items=prorate_missing)
        result = assess_case(loaded, prorate_missing=prorate_missing)
    except AlsdxError as exc:
        fail(str(exc))
    if plot is not None:
        from alsdx.extras import missing_extra

        if message := missing_extra("plots", needed_by="--plot"):
            fail(message)
        from alsdx.report.plots import plot_course

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
    from alsdx.cohort.cli import app as cohort_app
    from alsdx.fhir.cli import fhir_app
    from alsdx.trials.cli import trials_app

    app.add_typer(cohort_app, name="cohort")
    app.add_typer(fhir_app, name="fhir")
    app.add_typer(trials_app, name="trials")


_add_subcommands()


if __name__ == "__main__":  # pragma: no cover
    app()
