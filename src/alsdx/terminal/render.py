"""Readable terminal output of an assessment (Rich).

``render_assessment_text`` prints a summary that fits one screen (about 40 lines at 80 columns): the four
categories with their flags, what would change each, likely mimics, alerts, the exclusion status, what was
not examined and the next due dates. ``details=True`` (``alsdx assess --details``) adds the reasons, the
evidence by region, PLS, mimics, supportive features, the exclusion work-up, the course and the care plan.
Everything is printed as wrapped lines at the full width (one narrow column per criteria set split long
words mid-word and ran to hundreds of lines); only the evidence table keeps columns, of short words.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from alsdx.care.text import plan_to_text
from alsdx.engine.category_line import category_flags, category_text
from alsdx.engine.explain.criteria import SET_NAMES
from alsdx.engine.results import Assessment
from alsdx.model.vocab import REGIONS
from alsdx.terminal.course_text import course_summary_lines

MARK = {True: "[green]yes[/]", False: "[dim]-[/]"}
NOT_EXAMINED = "[yellow]n/e[/]"
"""A clinical column of a region not examined: not known, which "-" (examined, none found) would misstate."""
SUMMARY_NEXT_EVIDENCE = 1
"""Additions shown per set in the summary: the first (smallest); all of them in the details."""
SUMMARY_ALERT_CHARS = 240


def render_assessment_text(a: Assessment, console: Console, details: bool = False) -> None:
    doc = a.model_dump(mode="json")
    render_summary(a, doc, console)
    if details:
        render_details(a, doc, console)
    else:
        console.print(
            "[dim]Reasons, evidence by region, mimics, work-up, course and care plan: alsdx assess --details[/]"
        )


def _wrapped(console: Console, text: str, pad: str, first: str = "") -> None:
    """One paragraph wrapped at spaces, with ``first`` before its first line and ``pad`` before the others
    (a word longer than the whole line is the only one ever folded)."""
    width = max(20, console.width - max(len(pad), len(first)))
    for k, part in enumerate(Text(text).wrap(console, width, overflow="fold")):
        part.rstrip()
        console.print(Text(first if k == 0 else pad) + part, highlight=False, soft_wrap=True)


def render_summary(a: Assessment, doc: dict[str, Any], console: Console) -> None:
    console.rule(f"[bold]{escape(a.id)}[/]")
    _wrapped(
        console, f"assessed {a.assessment_date}, ruleset {a.ruleset_version} (supports a clinician's decision)", ""
    )
    if a.interpretation:
        _wrapped(console, f"Alternative readings applied: {', '.join(a.interpretation)}", "")
    if a.read_as:  # what was written may hold brackets: _wrapped prints plain text
        read = "; ".join(
            f"{r.field} {r.written!r} -> {r.read_as}" + (f" ({r.note})" if r.note else "") for r in a.read_as
        )
        _wrapped(console, f"Read as: {read}", "")
    if a.approximate:
        _wrapped(console, f"Approximate (a date given as a month or year): {'; '.join(a.approximate)}", "")
    width = max(len(n) for n in SET_NAMES.values()) + 2
    for name, title in SET_NAMES.items():
        flags = category_flags(doc, name)
        text = category_text(doc, name) + (f"  [{'; '.join(flags)}]" if flags else "")
        _wrapped(console, text, " " * (width + 2), first=f"  {title.ljust(width)}")
    changes = [(n, e) for n in SET_NAMES for e in getattr(a.criteria, n).next_evidence[:SUMMARY_NEXT_EVIDENCE]]
    if changes:
        console.print("Would change it:", style="bold", highlight=False)
        for name, e in changes:
            more = len(getattr(a.criteria, name).next_evidence) - SUMMARY_NEXT_EVIDENCE
            tail = f" (+{more} more)" if more > 0 else ""
            _wrapped(
                console,
                f"{SET_NAMES[name]}: {e.evidence} → {e.would_give.replace('_', ' ')}{tail}",
                "    ",
                first="  - ",
            )
    likely = [m for m in a.mimics if m.level == "likely"]
    consider = [m for m in a.mimics if m.level == "consider"]
    if a.mimics:
        parts = [f"likely {m.name}" + (" (treatable)" if m.treatable else "") for m in likely]
        parts += [f"consider {m.name}" + (" (treatable)" if m.treatable else "") for m in consider]
        _wrapped(console, "Mimics: " + "; ".join(parts), "    ")
    else:
        _wrapped(console, "Mimics: no red flags raised by the recorded findings.", "    ")
    for al in a.plan.alerts:
        message = (
            al.message
            if len(al.message) <= SUMMARY_ALERT_CHARS
            else al.message[:SUMMARY_ALERT_CHARS].rsplit(" ", 1)[0] + " ..."
        )
        _wrapped(console, f"Alert ({al.severity}): {message}", "    ")
    if a.exclusion.complete:
        _wrapped(console, "Exclusion of other causes: recorded as complete.", "    ")
    else:
        _wrapped(
            console,
            f"Exclusion of other causes pending: {len(a.exclusion.outstanding)} item"
            f"{'s' if len(a.exclusion.outstanding) != 1 else ''} outstanding.",
            "    ",
        )
    completeness = doc.get("completeness") or {}
    if completeness.get("regions_not_examined"):
        _wrapped(console, "Not examined: " + ", ".join(completeness["regions_not_examined"]), "    ")
    if completeness.get("emg_regions_not_studied"):
        _wrapped(console, "EMG not studied: " + ", ".join(completeness["emg_regions_not_studied"]), "    ")
    _wrapped(console, "Course: " + course_summary_lines(a.course)[0], "    ")
    if a.plan.next_due:
        console.print("Next due:", style="bold", highlight=False)
        for d in a.plan.next_due[:4]:
            _wrapped(console, f"{d.date}  {d.item}", " " * 14, first="  ")


def render_details(a: Assessment, doc: dict[str, Any], console: Console) -> None:
    console.rule("details")
    for name, title in SET_NAMES.items():
        r = getattr(a.criteria, name)
        flags = category_flags(doc, name)
        console.print(
            f"[bold]{escape(title)}: {escape(category_text(doc, name))}[/]"
            + (f" [yellow]\\[{escape('; '.join(flags))}][/]" if flags else ""),
            highlight=False,
        )
        for s in r.explanation:
            _wrapped(console, s, "    ", first="  - ")
        if r.next_evidence:
            console.print("  Would change it:", highlight=False)
            for n in r.next_evidence:
                _wrapped(console, f"{n.evidence} → {n.would_give.replace('_', ' ')}", "      ", first="    • ")
        _wrapped(console, f"Source: {r.source}", "    ", first="  ")

    regions = Table(title="Evidence by region", box=box.SIMPLE, title_justify="left", expand=True)
    regions.add_column("Region", no_wrap=True, min_width=len("lumbosacral"))
    for col in ("UMN", "LMN\nclinical", "EMG\n(rEEC)", "EMG\n(Awaji)", "LMN (Gold\nCoast)"):
        regions.add_column(col, no_wrap=True)
    regions.add_column("Signs / muscles", ratio=1, overflow="fold")  # the rest of the width
    for region in REGIONS:
        f = getattr(a.regions, region)
        detail = "; ".join(
            part
            for part in (
                ", ".join(f.umn_signs),
                ", ".join(f.lmn_signs),
                ("EMG: " + ", ".join(f.emg_muscles_awaji)) if f.emg_muscles_awaji else "",
            )
            if part
        )
        clinical = (MARK[f.umn], MARK[f.lmn_clinical]) if f.examined else (NOT_EXAMINED, NOT_EXAMINED)
        if not f.examined:  # unknown is not absent: never "-" as if examined and found normal
            detail = "; ".join(p for p in ("[yellow]not examined[/]", escape(detail)) if p)
        regions.add_row(
            region,
            *clinical,
            MARK[f.lmn_emg_reec],
            MARK[f.lmn_emg_awaji],
            MARK[f.lmn_gold_coast],
            detail if not f.examined else escape(detail),
        )
    console.print(regions)
    render_differential(a, console)
    console.print("Disease course:", style="bold")
    for line in course_summary_lines(a.course):
        _wrapped(console, line, "    ", first="  ")
    for line in plan_to_text(a.plan).splitlines():
        stripped = line.lstrip(" ")
        lead = line[: len(line) - len(stripped)]
        _wrapped(console, stripped, lead + "    ", first=lead)
    _wrapped(console, a.notice, "")


LEVEL_TEXT = {"likely": "likely", "consider": "consider"}
DIRECTION_TITLE = {
    "raises": "Raises suspicion of ALS",
    "lowers": "Lowers suspicion of ALS",
    "caution": "Caution",
}
STATUS_TEXT = {
    "not_done": "not done",
    "done": "done",
    "done_normal": "done, normal",
    "done_abnormal": "done, abnormal",
}


def render_differential(a: Assessment, console: Console) -> None:
    """PLS, mimics (beside the criteria, never changing them), supportive features and the exclusion work-up."""
    pls = a.pls
    _wrapped(console, "PLS (Turner 2020): " + " ".join(pls.explanation), "    ")
    if pls.caveat:
        _wrapped(console, pls.caveat, "    ")
    if a.mimics:
        console.print("Mimics to exclude (shown beside the criteria; they never change a category):", style="bold")
        for m in a.mimics:
            _wrapped(
                console, f"{m.name} ({LEVEL_TEXT[m.level]}{', treatable' if m.treatable else ''})", "    ", first="  "
            )
            for f in m.red_flags:
                _wrapped(console, f"red flag: {f.flag}", "      ", first="    - ")
            for f in m.against:
                _wrapped(console, f"against: {f.flag}", "      ", first="    - ")
            for step in m.workup:
                _wrapped(console, f"work-up: {step}", "      ", first="    - ")
    else:
        _wrapped(console, "Mimics: no red flags raised by the recorded findings.", "    ")
    for direction, title in DIRECTION_TITLE.items():
        found = [s for s in a.supportive if s.direction == direction]
        if found:
            _wrapped(console, f"{title}: " + "; ".join(s.feature for s in found), "    ")
    console.print("Exclusion work-up:", style="bold")
    for w in a.exclusion.workup:
        required = ", required" if w.required else ""
        _wrapped(
            console, f"{w.test}: {STATUS_TEXT[w.status]}{required} ({'; '.join(w.reasons)})", "      ", first="  - "
        )
    if a.exclusion.complete:
        _wrapped(console, "Exclusion recorded as complete.", "    ")
    else:
        _wrapped(console, "Exclusion pending - outstanding: " + "; ".join(a.exclusion.outstanding), "    ")
