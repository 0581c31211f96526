"""Readable terminal output of an assessment (Rich): the criteria side by side, then the region evidence."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from alsdx.assessment import Assessment
from alsdx.care.text import plan_to_text
from alsdx.course_text import course_summary_lines
from alsdx.explain import SET_NAMES
from alsdx.model.vocab import REGIONS

MARK = {True: "[green]yes[/]", False: "[dim]-[/]"}


def render_assessment_text(a: Assessment, console: Console) -> None:
    console.rule(f"[bold]{a.id}[/]")  # alone: a rule cuts a title longer than the line
    console.print(f"assessed {a.assessment_date}, ruleset {a.ruleset_version}", justify="center", highlight=False)
    if a.interpretation:
        console.print(f"Alternative readings applied: {', '.join(a.interpretation)}")
    if a.read_as:  # plain text: what was written may hold brackets
        read = "; ".join(
            f"{r.field} {r.written!r} -> {r.read_as}" + (f" ({r.note})" if r.note else "") for r in a.read_as
        )
        console.print(Text(f"Read as: {read}"), highlight=False)
    if a.approximate:
        console.print(Text(f"Approximate (a date given as a month or year): {'; '.join(a.approximate)}"),
                      highlight=False)
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    results = [getattr(a.criteria, name) for name in SET_NAMES]
    for name in SET_NAMES:
        table.add_column(SET_NAMES[name], ratio=1, overflow="fold")  # never cut a word short: fold it
    table.add_row("Category", *[f"[bold]{r.label}[/]" for r in results])
    table.add_row("Why", *["\n".join(r.explanation) for r in results])
    table.add_row(
        "Would change it",
        *["\n".join(f"• {n.evidence} → {n.would_give}" for n in r.next_evidence[:4]) or "-" for r in results],
    )
    table.add_row("Flags", *[", ".join(r.flags) or "-" for r in results])
    console.print(table)

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
        regions.add_row(
            region, MARK[f.umn], MARK[f.lmn_clinical], MARK[f.lmn_emg_reec], MARK[f.lmn_emg_awaji],
            MARK[f.lmn_gold_coast], detail,
        )
    console.print(regions)
    render_differential(a, console)
    console.print("Disease course:\n" + "\n".join(f"  {line}" for line in course_summary_lines(a.course)),
                  markup=False, highlight=False)
    console.print(plan_to_text(a.plan), markup=False, highlight=False)
    console.print(f"[dim]{a.notice}[/]")


LEVEL_STYLE = {"likely": "[bold red]likely[/]", "consider": "[yellow]consider[/]"}
DIRECTION_TITLE = {
    "raises": "Raises suspicion of ALS",
    "lowers": "Lowers suspicion of ALS",
    "caution": "Caution",
}
STATUS_STYLE = {
    "not_done": "[yellow]not done[/]",
    "done": "done",
    "done_normal": "[green]done, normal[/]",
    "done_abnormal": "[bold red]done, abnormal[/]",
}


def render_differential(a: Assessment, console: Console) -> None:
    """PLS, mimics (beside the criteria, never changing them), supportive features and the exclusion work-up."""
    pls = a.pls
    console.print("[bold]PLS (Turner 2020):[/] " + " ".join(pls.explanation), highlight=False)
    if pls.caveat:
        console.print(f"[yellow]{pls.caveat}[/]", highlight=False)
    if a.mimics:
        mimics = Table(
            title="Mimics to exclude (shown beside the criteria; they never change a category)",
            box=box.SIMPLE, title_justify="left", show_lines=True, expand=True,
        )
        for col, ratio in (("Mimic", 2), ("Red flags", 4), ("Against", 2), ("Work-up", 2)):
            mimics.add_column(col, ratio=ratio, overflow="fold")
        for m in a.mimics:
            mimics.add_row(
                f"[bold]{m.name}[/]\n{LEVEL_STYLE[m.level]}" + (" · [green]treatable[/]" if m.treatable else ""),
                "\n".join(f"• {f.flag}" for f in m.red_flags),
                "\n".join(f"• {f.flag}" for f in m.against) or "-",
                "\n".join(f"• {w}" for w in m.workup),
            )
        console.print(mimics)
    else:
        console.print("Mimics: no red flags raised by the recorded findings.")
    for direction, title in DIRECTION_TITLE.items():
        found = [s for s in a.supportive if s.direction == direction]
        if found:
            console.print(f"[bold]{title}:[/] " + "; ".join(s.feature for s in found), highlight=False)
    workup = Table(title="Exclusion work-up", box=box.SIMPLE, title_justify="left")
    for col in ("Test", "Status", "Required", "Why"):
        workup.add_column(col, overflow="fold")
    for w in a.exclusion.workup:
        workup.add_row(w.test, STATUS_STYLE[w.status], "yes" if w.required else "no", "; ".join(w.reasons))
    console.print(workup)
    if a.exclusion.complete:
        console.print("[green]Exclusion recorded as complete.[/]")
    else:
        console.print("[yellow]Exclusion pending - outstanding:[/] " + "; ".join(a.exclusion.outstanding),
                      highlight=False)
