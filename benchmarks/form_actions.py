"""Count the actions a clinician needs to enter issue 17's reference case through the web form.

An action is one click, one choice in a select, one tick, or one typed value (a keystroke group / fill);
the log-in and creating the patient are not counted (the same for every form). The reference case:

    61-year-old man, right-hand onset 14 months ago, progressive; tongue fasciculations and atrophy, brisk
    jaw jerk; cervical hyperreflexia, Hoffmann, weakness, atrophy, fasciculations; lumbosacral Babinski,
    hyperreflexia, fasciculations; EMG FDI (fibrillations, PSW, chronic neurogenic), biceps (fasciculation
    potentials, chronic neurogenic), tibialis anterior (deep peroneal; fibrillations, chronic neurogenic),
    vastus lateralis (chronic neurogenic, fasciculation potentials); NCS normal; ALSFRS-R
    3,3,3,2,3,3,4,3,3,4,4,4; FVC 72 % upright; riluzole since 3 months, ALT 60 with ULN 40.

Run (Debian's Chromium; prints the count of today's form, and of the form before issue 17 when
``--legacy-src`` points at an older checkout's ``src``):

    .venv/bin/python benchmarks/form_actions.py [--legacy-src /path/to/old/src]

``tests/api/test_web_browser.py`` enters the case with :func:`enter_reference_case` and checks that the
page gives the same assessment as ``alsdx assess`` for the same case document (:data:`REFERENCE_CASE`).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TODAY = date.today()
ONSET = (TODAY - timedelta(days=426)).isoformat()  # 14 months ago
RILUZOLE_START = (TODAY - timedelta(days=91)).isoformat()  # 3 months ago
EXAM = {
    "bulbar": {"umn": ["jaw_jerk"], "lmn": ["atrophy", "fasciculations"]},
    "cervical": {"umn": ["hyperreflexia", "hoffmann"], "lmn": ["weakness", "atrophy", "fasciculations"]},
    "lumbosacral": {"umn": ["hyperreflexia", "babinski"], "lmn": ["fasciculations"]},
}
EMG = [
    ("first_dorsal_interosseous", ("fibrillations_psw", "chronic_neurogenic")),
    ("biceps_brachii", ("fasciculation_potentials", "chronic_neurogenic")),
    ("tibialis_anterior", ("fibrillations_psw", "chronic_neurogenic")),
    ("vastus_lateralis", ("chronic_neurogenic", "fasciculation_potentials")),
]
ALSFRS = (3, 3, 3, 2, 3, 3, 4, 3, 3, 4, 4, 4)
ITEMS = (
    "speech", "salivation", "swallowing", "handwriting", "cutting_food", "dressing_hygiene",
    "turning_in_bed", "walking", "climbing_stairs", "dyspnea", "orthopnea", "respiratory_insufficiency",
)  # fmt: skip


def reference_case(case_id: str) -> dict[str, Any]:
    """The reference case as the case document the form must produce."""
    today = TODAY.isoformat()
    return {
        "id": case_id,
        "sex": "male",
        "age_at_onset": 60,
        "symptom_onset": ONSET,
        "assessment_date": today,
        "onset_region": "cervical",
        "course": "progressive",
        "normal_motor_function_before_onset": True,
        "exam": {**EXAM, "tongue_fasciculations": "present"},
        "emg": [{"muscle": m, "side": "right", **{f: f in flags for f in ITEMS_EMG}} for m, flags in EMG],
        "ncs": {"motor_conduction_block": False, "sensory_abnormal": False, "slowed_conduction_demyelinating": False},
        "alsfrs_r": [{"date": today, "gastrostomy": False, "items": dict(zip(ITEMS, ALSFRS, strict=True))}],
        "fvc": [{"date": today, "percent_predicted": 72, "position": "upright"}],
        "medications": [{"name": "riluzole", "start_date": RILUZOLE_START}],
        "labs": [{"date": today, "alt_u_per_l": 60, "alt_uln_u_per_l": 40}],
    }


ITEMS_EMG = ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")


class Counted:
    """A Playwright page whose user actions are counted."""

    def __init__(self, page: Any) -> None:
        self.page, self.actions = page, 0

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.actions += 1

    def select(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.actions += 1

    def check(self, selector: str) -> None:
        self.page.check(selector)
        self.actions += 1

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.actions += 1


def enter_reference_case(page: Any) -> int:
    """Enter the reference case on an open (blank) case form of today's alsdx and save; returns the actions."""
    c = Counted(page)
    c.select("#sex", "male")
    c.fill("#age_at_onset", "60")
    c.fill("#symptom_onset", ONSET)
    c.select("#onset_region", "cervical")
    c.select('select[name="exam.tongue"]', "fasciculations_and_wasting")  # the bulbar LMN signs follow
    for region, signs in EXAM.items():
        for kind in ("umn", "lmn"):
            for code in signs[kind]:
                if (region, kind) != ("bulbar", "lmn"):
                    c.check(f'input[name="exam.{region}.{kind}"][value="{code}"]')
    for i, (muscle, flags) in enumerate(EMG):
        if page.locator(f'select[name="emg[{i}].muscle"]').count() == 0:
            c.click("button.add-row[data-target=emg-rows]")
        c.select(f'select[name="emg[{i}].muscle"]', muscle)  # side: right by default; nerve from the table
        c.select(f'select[name="emg[{i}].findings"]', "+".join(f for f in ITEMS_EMG if f in flags))
    c.click("button.ncs-normal")
    c.fill('input[name="alsfrs_r[0].quick"]', " ".join(map(str, ALSFRS)))  # date: the assessment date
    c.fill('input[name="fvc[0].percent_predicted"]', "72")  # upright by default
    c.select('select[name="medications[0].name"]', "riluzole")
    c.fill('input[name="medications[0].start_date"]', RILUZOLE_START)
    c.fill('input[name="labs[0].alt_u_per_l"]', "60")
    c.fill('input[name="labs[0].alt_uln_u_per_l"]', "40")
    c.click("button[type=submit].primary")
    return c.actions


def enter_reference_case_legacy(page: Any) -> int:
    """The same case on the form as it was before issue 17 (no defaults, no quick entry, two tongue inputs)."""
    c = Counted(page)
    today = TODAY.isoformat()
    c.select("#sex", "male")
    c.fill("#age_at_onset", "60")
    c.fill("#symptom_onset", ONSET)
    c.select("#onset_region", "cervical")
    for region, signs in EXAM.items():
        for kind in ("umn", "lmn"):
            for code in signs[kind]:
                c.check(f'input[name="exam.{region}.{kind}"][value="{code}"]')
    c.select('select[name="exam.tongue_fasciculations"]', "present")
    for i, (muscle, flags) in enumerate(EMG):
        if page.locator(f'select[name="emg[{i}].muscle"]').count() == 0:
            c.click("button.add-row[data-target=emg-rows]")
        c.select(f'select[name="emg[{i}].muscle"]', muscle)
        c.select(f'select[name="emg[{i}].side"]', "right")
        for flag in flags:
            c.check(f'input[name="emg[{i}].{flag}"]')
    for name in ("motor_conduction_block", "sensory_abnormal", "slowed_conduction_demyelinating"):
        c.select(f'select[name="ncs.{name}"]', "no")
    c.fill('input[name="alsfrs_r[0].date"]', today)
    for item, score in zip(ITEMS, ALSFRS, strict=True):
        c.select(f'select[name="alsfrs_r[0].items.{item}"]', str(score))
    c.fill('input[name="fvc[0].date"]', today)
    c.fill('input[name="fvc[0].percent_predicted"]', "72")
    c.select('select[name="fvc[0].position"]', "upright")
    c.select('select[name="medications[0].name"]', "riluzole")
    c.fill('input[name="medications[0].start_date"]', RILUZOLE_START)
    c.fill('input[name="labs[0].date"]', today)
    c.fill('input[name="labs[0].alt_u_per_l"]', "60")
    c.fill('input[name="labs[0].alt_uln_u_per_l"]', "40")
    c.click("button[type=submit].primary")
    return c.actions


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """An alsdx app on SQLite in a thread, with one clinician (dr.bench / password-123)."""
    import uvicorn

    from alsdx.api import Settings, create_app
    from alsdx.store import accounts

    app = create_app(Settings(database_url=f"sqlite:///{folder / 'bench.db'}"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "dr.bench", "password-123", "clinician", "Bench clinic")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def open_blank_form(page: Any, base: str, reference: str) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="name"]', "dr.bench")
    page.fill('input[name="password"]', "password-123")
    page.click("button[type=submit]")
    page.fill('input[name="reference"]', reference)
    page.click("form.grid-form button[type=submit]")
    page.wait_for_selector("form.case-form")


def measure(legacy: bool) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        open_blank_form(page, base, "REF-1")
        actions = (enter_reference_case_legacy if legacy else enter_reference_case)(page)
        page.wait_for_selector("article[data-set=awaji]")
        categories = {
            key: page.locator(f'article[data-set="{key}"] .category').get_attribute("data-category")
            for key in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
        }
        browser.close()
    return {"form": "before issue 17" if legacy else "today", "actions": actions, "categories": categories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--legacy-src", type=Path, help="src folder of a checkout before issue 17")
    parser.add_argument("--legacy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.legacy:
        print(json.dumps(measure(legacy=True)))
        return
    rows = [measure(legacy=False)]
    if args.legacy_src:
        env = {**os.environ, "PYTHONPATH": str(args.legacy_src)}
        out = subprocess.run(
            [sys.executable, __file__, "--legacy"], env=env, capture_output=True, text=True, check=True
        )
        rows.insert(0, json.loads(out.stdout.strip().splitlines()[-1]))
    for row in rows:
        print(f"{row['form']:>16}: {row['actions']:3d} actions  categories {row['categories']}")
    if len(rows) == 2:
        print(f"ratio today / before: {rows[1]['actions'] / rows[0]['actions']:.2f}")


if __name__ == "__main__":
    main()
