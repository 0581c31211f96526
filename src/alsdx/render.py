"""Readable terminal output of an assessment (Rich): the criteria side by side, then the region evidence."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from alsdx.assessment import Assessment
from alsdx.care.text import plan_to_text
from alsdx.course_text import course_summary_lines
from alsdx.explain import SET_NAMES
from alsdx.model.vocab import REGIONS

MARK = {True: "[green]yes[/]", False: "[dim]-[/]"}


def render_assessment_text(a: Assessment, console: Console) -> None:
    console.rule(f"[bold]{a.id}[/]  assessed {a.assessment_date}  ruleset {a.ruleset_version}")
    if a.interpretation:
        console.print(f"Alternative readings applied: {', '.join(a.interpretation)}")
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    results = [getattr(a.criteria, name) for name in SET_NAMES]
    for name in SET_NAMES:
        table.add_column(SET_NAMES[name], ratio=1)
    table.add_row("Category", *[f"[bold]{r.label}[/]" for r in results])
    table.add_row("Why", *["\n".join(r.explanation) for r in results])
    table.add_row(
        "Would change it",
        *["\n".join(f"• {n.evidence} → {n.would_give}" for n in r.next_evidence[:4]) or "-" for r in results],
    )
    table.add_row("Flags", *[", ".join(r.flags) or "-" for r in results])
    console.print(table)

    regions = Table(title="Evidence by region", box=box.SIMPLE, title_justify="left")
    for col in ("Region", "UMN", "LMN clinical", "EMG (rEEC)", "EMG (Awaji)", "LMN (Gold Coast)", "Signs / muscles"):
        regions.add_column(col)
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
    if not a.exclusion.complete:
        console.print("[yellow]Exclusion work-up outstanding:[/] " + "; ".join(a.exclusion.outstanding))
    console.print("Disease course:\n" + "\n".join(f"  {line}" for line in course_summary_lines(a.course)),
                  markup=False, highlight=False)
    console.print(plan_to_text(a.plan), markup=False, highlight=False)
    console.print(f"[dim]{a.notice}[/]")
