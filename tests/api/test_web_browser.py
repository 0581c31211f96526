"""End to end in Debian's Chromium (Playwright): log in, enter a case through the form, read the categories.

Set ALSDX_SCREENSHOTS=1 to (re)write the screenshots under docs/screenshots/.
"""

from __future__ import annotations

import os
import socket
import sys
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
from alsdx.engine.assess import assess
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
sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))  # form_actions: the reference case entry

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
        "lumbosacral": {"umn": ["babinski"], "lmn": []},  # thoracic left out: not examined
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
    expect(page.locator('select[name="exam.bulbar.examined"]')).to_have_value("yes")  # a ticked sign examines
    expect(page.locator('select[name="exam.thoracic.examined"]')).to_have_value("")
    for i, muscle in enumerate(["tibialis_anterior", "vastus_lateralis"]):
        page.select_option(f'select[name="emg[{i}].muscle"]', muscle)
        expect(page.locator(f'select[name="emg[{i}].side"]')).to_have_value("right")  # the default
        page.select_option(f'select[name="emg[{i}].side"]', "left")
        page.select_option(f'select[name="emg[{i}].findings"]', "fasciculation_potentials+chronic_neurogenic")
    expect(page.locator('input[name="emg[0].nerve"]')).to_have_value("peroneal")  # from the muscle table
    items = " ".join(str(v) for v in TYPED["alsfrs_r"][0]["items"].values())
    page.fill('input[name="alsfrs_r[0].quick"]', items)
    expect(page.locator('select[name="alsfrs_r[0].items.walking"]')).to_have_value("4")
    expect(page.locator("[data-alsfrs] [data-total]")).to_have_text("45")  # all 12 scored
    expect(page.locator('[data-alsfrs] [data-domain-total="fine_motor"]')).to_have_text("10")
    page.fill('input[name="fvc[0].percent_predicted"]', "78")
    expect(page.locator("#age-now")).to_have_text("58")  # onset 2025-06-01 at 58, seen 2026-01-10
    page.click("button.add-row[data-target=emg-rows]")  # the JS adds a fifth, empty EMG row ...
    added = page.locator('select[name="emg[4].muscle"]')
    expect(added).to_have_count(1)
    expect(added).to_be_focused()  # ... and moves the focus into it
    expect(page.locator('select[name="emg[4].side"]')).to_have_value("right")
    page.locator("#symptom_onset").press("Enter")  # Enter in a field never submits the form
    page.wait_for_timeout(300)
    assert page.locator("form.case-form").count() == 1
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
    page.wait_for_load_state("networkidle")  # the course plots
    _shot(page, "04-assessment", tmp_path)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()  # the button works under the page's CSP
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    _shot(page, "05-assessment-print", tmp_path)
    page.emulate_media(media="screen")

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


def _login(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill("dr.ana")
    page.get_by_label("Password").fill("password-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()


def _reference_visit(page: Page, base: str, reference: str) -> str:
    """Enter issue 17's reference case through the form (benchmarks/form_actions.py); the visit page's URL."""
    from form_actions import enter_reference_case

    page.goto(f"{base}/patients")
    page.get_by_label("Reference (hospital number)").fill(reference)
    page.get_by_role("button", name="Create and enter first visit").click()
    enter_reference_case(page)
    expect(page.locator('article[data-set="awaji"]')).to_be_visible()
    return page.url


def _pages(page: Page, base: str) -> dict[str, str]:
    """Every page kind: log-in, patients, patient, visit, blank form and follow-up form."""
    visit = _reference_visit(page, base, f"A11Y-{time.monotonic_ns()}")
    patient = visit.split("/visits/")[0]
    page.goto(f"{base}/patients")
    page.get_by_label("Reference (hospital number)").fill(f"BLANK-{time.monotonic_ns()}")
    page.get_by_role("button", name="Create and enter first visit").click()
    return {
        "patients": f"{base}/patients",
        "patient": patient,
        "visit": visit,
        "blank form": page.url,
        "follow-up form": f"{patient}/visits/new",
        "form with errors": "",
    }


def test_the_reference_case_entered_in_the_form_gives_the_cli_assessment(
    server: tuple[str, Any], browser: Browser
) -> None:
    """Issue 17: entered in about half the actions of the old form, and the same assessment as `alsdx assess`."""
    from form_actions import enter_reference_case, reference_case

    base, app = server
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    _login(page, base)
    page.get_by_label("Reference (hospital number)").fill("REF-17")
    page.get_by_role("button", name="Create and enter first visit").click()
    actions = enter_reference_case(page)
    assert actions <= 30
    expected = assess(case_from_dict(reference_case("REF-17")))
    for key in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast"):
        card = page.locator(f'article[data-set="{key}"] .category')
        expect(card).to_have_attribute("data-category", getattr(expected.criteria, key).category)
    with app.state.sessions.begin() as s:
        clinic = accounts.find_user(s, "dr.ana").clinic_id  # type: ignore[union-attr]
        (row,), _ = registry.list_patients(s, clinic, "REF-17")
        stored = registry.latest_version(s, row.patient)
        assert stored is not None
        assert stored.case == case_from_dict(reference_case("REF-17")).model_dump(mode="json")
    # the riluzole ALT above ULN makes the checks monthly; the flags sit on the category line
    expect(page.locator(".plan")).to_contain_text("monthly (ALT above ULN on")
    expect(page.locator('article[data-set="awaji"] .flags')).to_contain_text("exclusion pending")
    page.close()


def test_no_page_scrolls_sideways_on_a_phone_and_rows_stack(server: tuple[str, Any], browser: Browser) -> None:
    base, _ = server
    desk = browser.new_page(viewport={"width": 1360, "height": 900})
    _login(desk, base)
    urls = _pages(desk, base)
    cookies = desk.context.cookies()
    desk.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{base}/login")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "log-in"
    context.add_cookies(cookies)  # type: ignore[arg-type]
    for name, url in urls.items():
        if not url:
            continue
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
    page.goto(urls["blank form"])
    first, second = (page.locator('select[name="emg[0].muscle"]'), page.locator('select[name="emg[0].findings"]'))
    assert first.bounding_box()["y"] < second.bounding_box()["y"]  # type: ignore[index]  # an EMG row stacks
    page.goto(urls["visit"])
    cards = page.locator("article.criterion")
    assert cards.nth(0).bounding_box()["y"] < cards.nth(1).bounding_box()["y"]  # type: ignore[index]
    if os.environ.get("ALSDX_SCREENSHOTS") == "1":
        page.screenshot(path=str(SHOTS / "08-visit-phone.png"), full_page=True)
    context.close()


def test_axe_finds_no_critical_or_serious_violation_on_any_page(server: tuple[str, Any], browser: Browser) -> None:
    """axe-core (bundled by axe-playwright-python, run offline in Debian's Chromium) on every page kind."""
    from axe_playwright_python.sync_playwright import Axe

    base, _ = server
    axe = Axe()
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(f"{base}/login")
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        violations = axe.run(page).response["violations"]
        bad = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("critical", "serious")
        ]
        if bad:
            found[name] = bad

    check("log-in")
    _login(page, base)
    urls = _pages(page, base)
    for name, url in urls.items():
        if url:
            page.goto(url)
            check(name)
            if name == "follow-up form" and os.environ.get("ALSDX_SCREENSHOTS") == "1":
                page.screenshot(path=str(SHOTS / "09-follow-up-form-copied.png"), full_page=False)
    # the form shown again with errors: every error linked to its field
    page.goto(urls["blank form"])
    page.fill("#symptom_onset", "2030-01-01")
    page.fill('input[name="alsfrs_r[0].quick"]', "3 3")
    page.get_by_role("button", name="Save visit and assess").click()
    expect(page.locator("#errors")).to_be_focused()
    expect(page.locator("#symptom_onset")).to_have_attribute("aria-describedby", "err-symptom_onset")
    check("form with errors")
    page.close()
    assert found == {}


def test_a_typical_visit_prints_on_at_most_two_a4_pages(
    server: tuple[str, Any], browser: Browser, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    base, _ = server
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    _login(page, base)
    _reference_visit(page, base, "PRINT-1")
    page.wait_for_load_state("networkidle")  # the course plots are part of the print
    page.emulate_media(media="print")
    header = page.locator(".patient-line")
    for part in ("PRINT-1", "years", "male", "onset", "visit", "ruleset"):
        expect(header).to_contain_text(part)
    pdf = tmp_path / "visit.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    pages = len(PdfReader(str(pdf)).pages)
    print(f"reference visit printed on {pages} A4 page(s)")
    assert pages <= 2
    page.close()
