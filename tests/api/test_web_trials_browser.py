"""The patient page's "Clinical trials" panel in Debian's Chromium (Playwright), with the bundled trials and the
demo patients: the panel's content, axe-core, the phone width and print.

Set ALSDX_SCREENSHOTS=1 to (re)write the screenshots under docs/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from test_web_browser import SHOTS, _login, browser, server  # noqa: F401  (the shared module fixtures)

pytestmark = pytest.mark.slow


def _shots(page: Page, name: str, tmp: Path) -> None:
    tmp = Path(os.environ.get("ALSDX_SHOT_DIR", tmp))
    """The panel itself (what this test is about) and the whole page."""
    panel = page.locator("#trials")
    panel.screenshot(path=str(tmp / f"{name}.png"))
    page.screenshot(path=str(tmp / f"{name}-page.png"), full_page=True)
    if os.environ.get("ALSDX_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        panel.screenshot(path=str(SHOTS / f"{name}.png"))


def _open_patient(page: Page, base: str, reference: str) -> None:
    _login(page, base)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Clinical trials")).to_be_visible()


def test_the_trials_panel_shows_each_bundled_trial_and_passes_axe(
    server: tuple[str, Any],  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, _ = server
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    _open_patient(page, base, "example-limb-onset-emg")  # revised El Escorial "possible", no SVC recorded
    healey = page.locator('article[data-trial="healey-als-platform"]')
    expect(healey).to_be_visible()
    expect(healey.locator(".trial-status")).to_have_text(
        "? Undetermined: missing a slow vital capacity (SVC, % predicted)"
    )
    expect(healey.locator(".trial-window")).to_contain_text("If the missing findings allow, eligible until 2027-09-10")
    expect(healey.locator(".trial-window")).to_contain_text("(24 months from onset)")
    manual = healey.locator("details.trial-manual")
    expect(manual.locator("summary")).to_have_text("For the investigator: 6 criteria to check")
    expect(manual.locator("li").first).to_be_hidden()  # open by default only where the recorded data pass
    expect(healey.locator(".trial-source")).to_contain_text("NCT04297683")

    closed = page.locator("details.trials-closed")
    summary = page.locator("details.trials-closed > summary")
    expect(summary).to_have_text("Not eligible on recorded data: 2 trials (MT-1186-A02; PHOENIX)")
    phoenix = closed.locator('article[data-trial="phoenix-amx0035"]')
    expect(phoenix).to_be_hidden()  # collapsed until asked for
    page.emulate_media(media="print")  # as printed: the not-eligible trials as one line, the rest in full
    expect(healey.locator(".trial-window")).to_be_visible()
    expect(summary).to_be_visible()
    expect(phoenix).to_be_hidden()
    _shots(page, "11-trials-panel-print", tmp_path)
    page.emulate_media(media="screen")
    summary.click()
    expect(phoenix).to_be_visible()
    expect(phoenix.locator(".trial-failing")).to_contain_text(
        "Revised El Escorial category: possible — needs probable, definite or definite familial laboratory supported"
    )
    expect(phoenix.locator(".trial-missing")).to_contain_text("a slow vital capacity")

    violations = Axe().run(page).response["violations"]
    assert [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations] == []
    _shots(page, "10-trials-panel", tmp_path)

    page.close()


def test_the_trials_panel_fits_a_phone(server: tuple[str, Any], browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    base, _ = server
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    page = context.new_page()
    _open_patient(page, base, "example-bulbar-onset")
    page.locator("#trials").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator("#trials").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    edaravone = page.locator('article[data-trial="oral-edaravone-mt1186-a02"]')
    expect(edaravone.locator(".trial-status")).to_have_text("✓ May be eligible — investigator to confirm")
    expect(edaravone.locator(".trial-window")).to_have_text("Eligible until 2027-02-01 (24 months from onset)")
    expect(edaravone.locator("details.trial-manual li").first).to_be_visible()
    cards = page.locator("#trials article.trial")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first is not None and second is not None and first["y"] + first["height"] <= second["y"]  # one column
    _shots(page, "12-trials-panel-phone", tmp_path)
    context.close()
