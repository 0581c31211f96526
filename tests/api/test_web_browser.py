"""End to end in Debian's Chromium (Playwright): log in, enter a case through the form, read the categories.

Set ALSDX_SCREENSHOTS=1 to (re)write the screenshots under docs/screenshots/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from alsdx.api import Settings, create_app
from alsdx.api.bootstrap import default_demo_dir, load_demo_patients
from alsdx.assess import assess
from alsdx.model.load import case_from_dict
from alsdx.store import accounts, registry

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).parents[2] / "docs" / "screenshots"

# The case the test types in, as the case document it must become.
TYPED: dict[str, Any] = {
    "id": "PW-1",
    "sex": "male",
    "age_at_onset": 58,
    "symptom_onset": "2025-06-01",
    "assessment_date": "2026-01-10",
    "onset_region": "cervical",
    "course": "progressive",
    "normal_motor_function_before_onset": True,
    "other_causes_excluded": False,
    "family_history_als": False,
    "frontotemporal_dementia": False,
    "exam": {
        "bulbar": {"umn": ["jaw_jerk"], "lmn": ["fasciculations"]},
        "cervical": {"umn": ["hoffmann"], "lmn": ["weakness", "atrophy"]},
        "thoracic": {"umn": [], "lmn": []},
        "lumbosacral": {"umn": ["babinski"], "lmn": []},
    },
    "emg": [
        {
            "muscle": "tibialis_anterior",
            "side": "left",
            "fibrillations_psw": False,
            "fasciculation_potentials": True,
            "chronic_neurogenic": True,
        },
        {
            "muscle": "vastus_lateralis",
            "side": "left",
            "fibrillations_psw": False,
            "fasciculation_potentials": True,
            "chronic_neurogenic": True,
        },
    ],
    "alsfrs_r": [
        {
            "date": "2026-01-10",
            "gastrostomy": False,
            "items": {
                "speech": 3,
                "salivation": 4,
                "swallowing": 4,
                "handwriting": 3,
                "cutting_food": 3,
                "dressing_hygiene": 4,
                "turning_in_bed": 4,
                "walking": 4,
                "climbing_stairs": 4,
                "dyspnea": 4,
                "orthopnea": 4,
                "respiratory_insufficiency": 4,
            },
        }
    ],
    "fvc": [{"date": "2026-01-10", "percent_predicted": 78, "position": "upright"}],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    db = tmp_path_factory.mktemp("browser") / "web.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "dr.ana", "password-123", "clinician", "Demo clinic")
    folder = default_demo_dir()
    assert folder is not None
    load_demo_patients(app.state.sessions, folder.glob("*.yaml"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _shot(page: Page, name: str, tmp: Path) -> None:
    page.screenshot(path=str(tmp / f"{name}.png"), full_page=True)
    if os.environ.get("ALSDX_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_enter_a_case_through_the_form_and_see_the_categories(
    server: tuple[str, Any], browser: Browser, tmp_path: Path
) -> None:
    base, app = server
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(f"{base}/patients")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    _shot(page, "01-login", tmp_path)
    page.get_by_label("User name").fill("dr.ana")
    page.get_by_label("Password").fill("password-123")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page.get_by_role("link", name="example-bulbar-onset")).to_be_visible()
    _shot(page, "02-patients", tmp_path)
    page.get_by_label("Reference (hospital number)").fill("PW-1")
    page.get_by_label("Name (optional)").fill("Test Patient")
    page.get_by_role("button", name="Create and enter first visit").click()

    expect(page.get_by_role("heading", name="PW-1")).to_be_visible()
    page.select_option("#sex", "male")
    page.fill("#age_at_onset", "58")
    page.fill("#symptom_onset", "2025-06-01")
    page.fill("#assessment_date", "2026-01-10")
    page.select_option("#onset_region", "cervical")
    page.select_option("#course", "progressive")
    for region, kind, code in [
        ("bulbar", "umn", "jaw_jerk"),
        ("bulbar", "lmn", "fasciculations"),
        ("cervical", "umn", "hoffmann"),
        ("cervical", "lmn", "weakness"),
        ("cervical", "lmn", "atrophy"),
        ("lumbosacral", "umn", "babinski"),
    ]:
        page.check(f'input[name="exam.{region}.{kind}"][value="{code}"]')
    for i, muscle in enumerate(["tibialis_anterior", "vastus_lateralis"]):
        page.select_option(f'select[name="emg[{i}].muscle"]', muscle)
        page.select_option(f'select[name="emg[{i}].side"]', "left")
        page.check(f'input[name="emg[{i}].fasciculation_potentials"]')
        page.check(f'input[name="emg[{i}].chronic_neurogenic"]')
    page.fill('input[name="alsfrs_r[0].date"]', "2026-01-10")
    for item, score in TYPED["alsfrs_r"][0]["items"].items():
        page.select_option(f'select[name="alsfrs_r[0].items.{item}"]', str(score))
    page.fill('input[name="fvc[0].date"]', "2026-01-10")
    page.fill('input[name="fvc[0].percent_predicted"]', "78")
    page.select_option('select[name="fvc[0].position"]', "upright")
    page.click("button.add-row[data-target=emg-rows]")  # the JS adds a fourth, empty EMG row
    expect(page.locator('select[name="emg[3].muscle"]')).to_have_count(1)
    _shot(page, "03-case-form", tmp_path)
    page.get_by_role("button", name="Save visit and assess").click()

    expected = assess(case_from_dict(TYPED))
    for key in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast"):
        card = page.locator(f'article[data-set="{key}"] .category')
        expect(card).to_have_attribute("data-category", getattr(expected.criteria, key).category)
        expect(card).to_have_text(getattr(expected.criteria, key).label)
    # the leg EMG rests on fasciculation potentials: a third region under Awaji, not under revised El Escorial
    assert (expected.criteria.awaji.category, expected.criteria.revised_el_escorial.category) == (
        "definite",
        "probable",
    )
    _shot(page, "04-assessment", tmp_path)
    page.emulate_media(media="print")
    _shot(page, "05-assessment-print", tmp_path)

    with app.state.sessions.begin() as s:
        clinic = accounts.find_user(s, "dr.ana").clinic_id  # type: ignore[union-attr]
        (row,), _ = registry.list_patients(s, clinic, "PW-1")
        stored = registry.latest_version(s, row.patient)
        assert stored is not None
        typed = case_from_dict(TYPED).model_dump(mode="json")
        diff = {k: (v, typed[k]) for k, v in stored.case.items() if v != typed[k]}
        assert diff == {}
    page.close()


def test_demo_patient_page_shows_the_latest_assessment(
    server: tuple[str, Any], browser: Browser, tmp_path: Path
) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill("dr.ana")
    page.get_by_label("Password").fill("password-123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="example-lmn-conduction-block").click()
    expect(page.get_by_role("heading", name="Latest assessment (2026-02-11)")).to_be_visible()
    expect(page.locator('article[data-set="gold_coast"] .category')).to_have_attribute("data-category", "met")
    expect(page.locator(".mimic-banner")).to_contain_text("Multifocal motor neuropathy")  # treatable mimic in view
    _shot(page, "06-patient", tmp_path)
    page.get_by_role("link", name="Patients").click()
    page.get_by_role("link", name="example-bulbar-onset").click()
    plots = page.locator(".plots img")
    expect(plots).to_have_count(2)
    page.wait_for_load_state("networkidle")
    assert all(page.evaluate("img => img.naturalWidth", plots.nth(i).element_handle()) > 0 for i in range(2))
    _shot(page, "07-patient-course-and-plan", tmp_path)
    page.close()
