"""The clinician web pages: login, CSRF, isolation, and the case form's round trip (SQLite)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from html_forms import form_fields, set_field
from service_helpers import EXAMPLE_NAMES, example

from alsdx.api import Settings, caseform, create_app
from alsdx.engine.assess import assess
from alsdx.engine.results import Assessment
from alsdx.model.load import case_from_dict
from alsdx.store import accounts, registry


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/web.db"))
    with app.state.sessions.begin() as s:
        accounts.create_user(s, "ana", "password-123", "clinician", "North")
        accounts.create_user(s, "bob", "password-123", "clinician", "South")
    with TestClient(app) as c:
        yield c


def login(c: TestClient, name: str = "ana", password: str = "password-123") -> str:
    page = c.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    r = c.post(
        "/login",
        data={"name": name, "password": password, "login_csrf": token, "next": "/patients"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(c.get("/patients").text)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


def new_patient(c: TestClient, csrf: str, reference: str = "P1") -> str:
    r = c.post("/patients", data={"csrf": csrf, "reference": reference, "display_name": "Ada"}, follow_redirects=False)
    assert r.status_code == 303
    return r.headers["location"].split("/")[2]


def test_pages_need_a_login(web: TestClient) -> None:
    r = web.get("/patients", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/patients")


def test_session_cookie_is_httponly_and_samesite_lax(web: TestClient) -> None:
    page = web.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    r = web.post(
        "/login", data={"name": "ana", "password": "password-123", "login_csrf": token}, follow_redirects=False
    )
    cookie = r.headers["set-cookie"].split(", alsdx_login_csrf")[0]
    assert "alsdx_session=alsdx_" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback; https requests get Secure


def test_login_needs_the_csrf_cookie_and_the_right_password(web: TestClient) -> None:
    r = web.post(
        "/login", data={"name": "ana", "password": "password-123", "login_csrf": "forged"}, follow_redirects=False
    )
    assert r.status_code == 303 and "alsdx_session" not in r.headers.get("set-cookie", "")
    page = web.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    r = web.post("/login", data={"name": "ana", "password": "wrong-password", "login_csrf": token})
    assert r.status_code == 401 and "wrong password" in r.text


def test_forms_without_the_csrf_token_change_nothing(web: TestClient) -> None:
    login(web)
    r = web.post("/patients", data={"csrf": "forged", "reference": "P9"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert "P9" not in web.get("/patients").text


def test_logout_ends_the_session(web: TestClient) -> None:
    csrf = login(web)
    cookie = web.cookies.get("alsdx_session")
    assert web.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    web.cookies.set("alsdx_session", cookie or "")
    assert web.get("/patients", follow_redirects=False).status_code == 303


def test_other_clinics_patient_pages_are_not_found(web: TestClient) -> None:
    pid = new_patient(web, login(web))
    web.cookies.clear()
    login(web, "bob")
    assert web.get(f"/patients/{pid}").status_code == 404
    assert web.get(f"/patients/{pid}/visits/new").status_code == 404
    assert "P1" not in web.get("/patients").text


def test_search_filters_the_list(web: TestClient) -> None:
    csrf = login(web)
    new_patient(web, csrf, "ALPHA-1")
    new_patient(web, csrf, "BETA-2")
    page = web.get("/patients", params={"q": "alp"}).text
    assert "ALPHA-1" in page and "BETA-2" not in page


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_form_round_trip_gives_the_same_case_and_assessment(web: TestClient, name: str) -> None:
    """Pre-filled edit form, submitted unchanged, stores exactly the same case (version 2)."""
    csrf = login(web)
    pid = new_patient(web, csrf)
    doc = example(name)
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        patient = registry.get_patient(s, registry.get_patient(s, 1, pid).clinic_id, pid)  # type: ignore[union-attr]
        vid = registry.add_visit(s, patient, doc, None).visit_id  # type: ignore[arg-type]
    form = form_fields(web.get(f"/patients/{pid}/visits/{vid}/edit").text)
    r = web.post(f"/patients/{pid}/visits/{vid}/edit", data=_multi(form), follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        visit = registry.get_visit(s, registry.get_patient(s, 1, pid), vid)  # type: ignore[arg-type]
        stored = registry.get_version(s, visit)  # type: ignore[arg-type]
        assert stored is not None and stored.version == 2
        assert _signs_as_sets(stored.case) == _signs_as_sets(doc)  # checkbox order is the form's
        assert _unordered(assess(case_from_dict(stored.case))) == _unordered(assess(case_from_dict(doc)))
    page = web.get(f"/patients/{pid}/visits/{vid}").text
    expected = assess(case_from_dict(doc))
    for key in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast"):
        category = getattr(expected.criteria, key).category
        assert f'data-set="{key}"' in page
        assert re.search(rf'data-set="{key}">\s*<h3>[^<]*</h3>\s*<p class="category" data-category="{category}"', page)


def test_new_visit_from_a_filled_in_form(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf, "NEW-1")
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    for name, value in [
        ("symptom_onset", "2025-06-01"),
        ("assessment_date", "2026-01-10"),
        ("age_at_onset", "58"),
        ("course", "progressive"),
        ("emg[0].muscle", "first_dorsal_interosseous"),
        ("emg[0].side", "left"),
        ("emg[0].findings", "fibrillations_psw+chronic_neurogenic"),
        ("fvc[0].date", "2026-01-10"),
        ("fvc[0].percent_predicted", "78"),
        ("fvc[0].position", "upright"),
    ]:
        fields = set_field(fields, name, value)
    fields += [
        ("exam.cervical.umn", "hoffmann"),
        ("exam.cervical.lmn", "atrophy"),
        ("exam.bulbar.umn", "jaw_jerk"),
        ("exam.bulbar.lmn", "fasciculations"),
        ("exam.lumbosacral.umn", "babinski"),
    ]
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields), follow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    page = web.get(r.headers["location"]).text
    assert 'data-category="probable"' in page and "NEW-1" in page


def test_invalid_form_shows_every_error_at_once_in_plain_words_beside_its_field(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf)
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    fields = set_field(set_field(fields, "symptom_onset", "2026-05-01"), "assessment_date", "2026-01-10")
    fields = set_field(set_field(fields, "fvc[0].date", "2026-01-10"), "fvc[0].percent_predicted", "abc")
    fields = set_field(fields, "alsfrs_r[0].items.speech", "3")  # 11 items left unscored
    fields = set_field(fields, "emg[0].muscle", "tibialis_anterior")
    fields = set_field(fields, "emg[0].nerve", "ulnar")  # contradicts the muscle table
    fields += [("exam.cervical.umn", "hoffmann")]
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields))
    assert r.status_code == 422
    page = r.text
    # all layers at once: row fields, a row's own check, and the whole-case date check
    for field_id, words in [
        ("fvc[0].percent_predicted", "&#39;abc&#39; is not accepted: write a number."),
        ("alsfrs_r[0].quick", "Score all 12 items; not scored: 2. Salivation"),
        ("emg[0].nerve", "Nerve &#39;ulnar&#39; contradicts the muscle table"),
        ("symptom_onset", "The first motor symptom cannot be after the assessment date."),
    ]:
        assert f'<a href="#{field_id}">' in page, field_id  # the summary links to the field
        assert f'<span class="field-error" id="err-{field_id}">{words}' in page, field_id
        assert re.search(rf'id="{re.escape(field_id)}"[^>]*aria-invalid="true" aria-describedby="err-', page), field_id
    assert "--prorate-missing" not in page and "ISO 8601" not in page and "<code>" not in page
    assert 'value="abc"' in page and 'value="2026-05-01"' in page  # what was typed is kept
    assert 'value="hoffmann" checked' in page  # so is a ticked sign


def test_an_empty_examination_is_saved_only_when_confirmed_and_then_as_not_examined(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf, "EMPTY-1")
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    fields = set_field(set_field(fields, "symptom_onset", "2025-06-01"), "assessment_date", "2026-01-10")
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields))
    assert r.status_code == 422 and "No region is marked examined" in r.text
    assert 'name="confirm.not_examined"' in r.text
    again = [*form_fields(r.text), ("confirm.not_examined", "yes")]
    r = web.post(f"/patients/{pid}/visits", data=_multi(again), follow_redirects=False)
    assert r.status_code == 303
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        stored = registry.latest_version(s, registry.get_patient(s, 1, pid))  # type: ignore[arg-type]
        expected = case_from_dict(
            {"id": "EMPTY-1", "symptom_onset": "2025-06-01", "assessment_date": "2026-01-10", "course": "progressive"}
        )  # no region given = not examined (contract 1)
        assert stored is not None and stored.case["exam"] == expected.model_dump(mode="json")["exam"]


def test_a_region_marked_examined_without_signs_is_examined_and_others_are_left_out(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf, "REG-1")
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    fields = set_field(set_field(fields, "symptom_onset", "2025-06-01"), "assessment_date", "2026-01-10")
    fields = set_field(fields, "exam.bulbar.examined", "yes")
    fields += [("exam.cervical.lmn", "atrophy")]
    doc = caseform.case_from_form(_multi(fields))
    assert doc["exam"]["bulbar"] == {"umn": [], "lmn": []} and doc["exam"]["cervical"]["lmn"] == ["atrophy"]
    assert "thoracic" not in doc["exam"] and "lumbosacral" not in doc["exam"]
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields), follow_redirects=False)
    assert r.status_code == 303


def test_a_follow_up_marks_copied_findings_until_they_are_confirmed(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf, "FU-1")
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        registry.add_visit(s, registry.get_patient(s, 1, pid), example("limb-onset-emg"), None)  # type: ignore[arg-type]
    page = web.get(f"/patients/{pid}/visits/new").text
    assert "copied from the visit of 2026-03-02" in page
    assert 'name="exam.cervical.examined"' in page and '<option value="copied" selected>' in page
    assert page.count('name="emg[') and 'value="yes"><span class="flag copied-flag">copied</span>' in page
    fields = form_fields(page)
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields))
    assert r.status_code == 422 and "are not confirmed for this visit" in r.text
    assert "No region is marked examined" not in r.text  # the copied regions are the question
    # confirmed: the copied findings become this visit's
    r = web.post(
        f"/patients/{pid}/visits",
        data=_multi([*form_fields(r.text), ("confirm.copied", "yes")]),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:3000]
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        stored = registry.latest_version(s, registry.get_patient(s, 1, pid))  # type: ignore[arg-type]
        before = case_from_dict(example("limb-onset-emg")).model_dump(mode="json")
        assert stored is not None and _signs_as_sets(stored.case)["exam"] == _signs_as_sets(before)["exam"]
        assert [m["muscle"] for m in stored.case["emg"]] == [m["muscle"] for m in before["emg"]]


def test_the_tongue_is_entered_once(web: TestClient) -> None:
    doc = caseform.case_from_form({"exam.tongue": ["fasciculations_and_wasting"]})
    assert doc["exam"]["tongue_fasciculations"] == "present"
    assert doc["exam"]["bulbar"] == {"umn": [], "lmn": ["fasciculations", "atrophy"]}
    doc = caseform.case_from_form({"exam.tongue": ["symmetric_movements_only"]})
    assert doc["exam"]["tongue_fasciculations"] == "symmetric_movements_only" and "bulbar" not in doc["exam"]
    doc = caseform.case_from_form({"exam.tongue_fasciculations": ["present"]})
    assert doc["exam"]["tongue_fasciculations"] == "present"
    assert doc["exam"]["bulbar"] == {"umn": [], "lmn": ["fasciculations"]}  # the bulbar LMN sign follows
    both = caseform.case_from_form({"exam.tongue_fasciculations": ["present"], "exam.bulbar.lmn": ["fasciculations"]})
    assert both["exam"]["bulbar"]["lmn"] == ["fasciculations"]
    absent = caseform.case_from_form({"exam.tongue_fasciculations": ["absent"]})
    assert "bulbar" not in absent["exam"]


def test_quick_alsfrs_entry_dated_rows_and_defaults() -> None:
    form = {
        "assessment_date": ["2026-01-10"],
        "alsfrs_r[0].quick": ["3 3 3 2 3 3 4 3 3 4 4 4"],
        "fvc[0].percent_predicted": ["72"],
        "fvc[0].position": ["upright"],
        "fvc[1].position": ["upright"],  # a blank row keeps only its default: not a measurement
        "labs[0].alt_u_per_l": ["60"],
        "labs[0].alt_uln_u_per_l": ["40"],
    }
    doc = caseform.case_from_form(form)
    (alsfrs,) = doc["alsfrs_r"]
    assert alsfrs["date"] == "2026-01-10" and sum(alsfrs["items"].values()) == 39
    assert caseform.alsfrs_total(alsfrs["items"]) == {
        "bulbar": 9,
        "fine_motor": 8,
        "gross_motor": 10,
        "respiratory": 12,
        "total": 39,
        "scored": 12,
        "complete": True,
    }
    assert doc["fvc"] == [{"date": "2026-01-10", "position": "upright", "percent_predicted": 72}]
    assert doc["labs"] == [{"date": "2026-01-10", "alt_u_per_l": 60, "alt_uln_u_per_l": 40}]
    assert caseform.form_errors({"alsfrs_r[0].quick": ["3 3 3"]})[0].path == "alsfrs_r[0].quick"
    assert caseform.quick_scores("333233433444") == [3, 3, 3, 2, 3, 3, 4, 3, 3, 4, 4, 4]
    assert caseform.quick_scores("3 3 3 5 3 3 4 3 3 4 4 4") is None


def test_age_at_this_visit_from_birth_date_or_age_at_onset() -> None:
    assert caseform.age_at_assessment({"assessment_date": "2026-01-10", "birth_date": "1965-01-11"}) == 60
    assert caseform.age_at_assessment({"assessment_date": "2026-01-10", "birth_date": "1965-01-10"}) == 61
    assert (
        caseform.age_at_assessment({"assessment_date": "2026-01-10", "age_at_onset": 60, "symptom_onset": "2024-11-10"})
        == 61
    )
    assert caseform.age_at_assessment({"assessment_date": "2026-01-10"}) is None


def _signs_as_sets(doc: dict) -> dict:
    exam = {
        k: ({"umn": set(v["umn"]), "lmn": set(v["lmn"])} if isinstance(v, dict) and "umn" in v else v)
        for k, v in doc["exam"].items()
    }
    exam["bulbar_symptoms"] = set(exam["bulbar_symptoms"])
    return {**doc, "exam": exam}


def _unordered(a: Assessment) -> dict:
    """The assessment with the regions' echoed sign lists as sets (they follow the input's order)."""
    out = a.model_dump(mode="json")
    for region in out["regions"].values():
        for key in ("umn_signs", "lmn_signs"):
            region[key] = set(region[key])
    return out


def _multi(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in fields:
        out.setdefault(k, []).append(v)
    return out


def test_visit_page_shows_course_plots_and_plan_calendar(web: TestClient) -> None:
    csrf = login(web)
    pid = new_patient(web, csrf)
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        patient = registry.get_patient(s, 1, pid)
        vid = registry.add_visit(s, patient, example("bulbar-onset"), None).visit_id  # type: ignore[arg-type]
    page = web.get(f"/patients/{pid}/visits/{vid}").text
    assert "36/48" in page and "King&#39;s stage" in page and "Care plan" in page
    for kind in ("alsfrs-r", "fvc"):
        url = f"/patients/{pid}/visits/{vid}/plots/{kind}.svg?version=1"
        assert url in page
        svg = web.get(url)
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in svg.content
    ics = web.get(f"/patients/{pid}/visits/{vid}/plan.ics?version=1")
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    assert web.get(f"/patients/{pid}/visits/{vid}/plots/other.svg").status_code == 404


def test_a_blank_form_submits_the_model_defaults(web: TestClient) -> None:
    """Fields the clinician leaves alone must come back as the contract's defaults (e.g. imaging not_done)."""
    csrf = login(web)
    pid = new_patient(web, csrf, "BLANK-1")
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    fields = set_field(set_field(fields, "symptom_onset", "2025-06-01"), "assessment_date", "2026-01-10")
    fields += [("confirm.not_examined", "yes")]
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields), follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        stored = registry.latest_version(s, registry.get_patient(s, 1, pid))  # type: ignore[arg-type]
        expected = case_from_dict(
            {"id": "BLANK-1", "symptom_onset": "2025-06-01", "assessment_date": "2026-01-10", "course": "progressive"}
        )
        assert stored is not None and stored.case == expected.model_dump(mode="json")


def test_an_impossible_date_and_a_missing_choice_are_asked_for_in_form_words(web: TestClient) -> None:
    """The case model words each error once (model/load.py); the form says it as a form does."""
    csrf = login(web)
    pid = new_patient(web, csrf)
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    fields = set_field(set_field(fields, "symptom_onset", "2025-13-01"), "course", "")
    page = web.post(f"/patients/{pid}/visits", data=_multi(fields)).text
    assert '<span class="field-error" id="err-symptom_onset">Enter a date as year-month-day (got' in page
    assert '<span class="field-error" id="err-course">Required: please fill this in.' in page
    assert "empty cell" not in page and "YYYY-MM-DD" not in page


def test_slow_vital_capacity_entered_on_the_form_is_stored_and_a_blank_date_is_the_assessment_date(
    web: TestClient,
) -> None:
    """SVC % predicted (issue 19's svc_percent fact) has its own rows, like FVC; a fraction is refused, not misread."""
    csrf = login(web)
    pid = new_patient(web, csrf, "SVC-1")
    fields = form_fields(web.get(f"/patients/{pid}/visits/new").text)
    for name, value in [
        ("symptom_onset", "2025-06-01"),
        ("assessment_date", "2026-01-10"),
        ("age_at_onset", "58"),
        ("course", "progressive"),
        ("svc[0].percent_predicted", "0.71"),
    ]:
        fields = set_field(fields, name, value)
    fields += [("exam.cervical.umn", "hoffmann")]
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields))
    assert r.status_code == 422 and 'id="err-svc[0].percent_predicted"' in r.text
    fields = set_field(fields, "svc[0].percent_predicted", "71")
    r = web.post(f"/patients/{pid}/visits", data=_multi(fields), follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    with web.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        patient = registry.get_patient(s, 1, pid)
        versions, _ = registry.list_visits(s, patient)  # type: ignore[arg-type]
        stored = versions[0]
        assert stored.case["svc"] == [{"date": "2026-01-10", "percent_predicted": 71.0}]
