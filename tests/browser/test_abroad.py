"""The preparation checklist of an internship abroad in chromium: filled in place with the
focus kept, and readable by the student, the tutor and the secretariat at desktop and phone
width."""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.test_focus import active, assert_clean

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS")   # a folder: the pages are saved there to be looked at


def _internship_in_spain(make, db):
    from app.abroad import services as abroad
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2026, programme_hours=1800))
    student = make.user("student", first_name="Lucía")
    host = make.host(name="Arxiu Municipal de Barcelona", city="Barcelona", country="Espagne",
                     headcount=40)
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=host.id, subject="Numérisation des registres paroissiaux",
        start_date=date(2027, 4, 8), end_date=date(2027, 7, 28), country="Espagne",
        host_tutor_name="Marta Puig", agreed_amount=Decimal(600), agreed_unit="month"))
    tutor = make.user("teacher")
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    abroad.save_advice("Espagne", "vigilance", "Catalogne : manifestations possibles.")
    from app.feedback import services as feedback

    tip = abroad.propose_tip(student, internship, {
        "kind": "housing", "city": "Barcelona",
        "body": "Chercher une colocation dans Gràcia dès février : les prix montent ensuite."})
    feedback.moderate(tutor, "conseil", tip.id, True, None)
    return internship, student, tutor


def test_the_student_fills_an_item_and_keeps_the_focus(new_page, make, log_in, db):
    internship, student, _ = _internship_in_spain(make, db)
    page = new_page()
    log_in(page, student)
    page.goto(f"/etranger/stage/{internship.id}")
    expect(page.locator("#checklist")).to_contain_text("0 éléments sur 6")
    page.fill("#ariane_on", "2026-11-02")
    page.locator("#save-ariane").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#checklist")).to_contain_text("1 éléments sur 6")
    expect(page.locator("#item-ariane")).to_have_class("ok")
    assert active(page)["id"] == "save-ariane"
    # a return before the departure: the error next to its field, the typed dates kept
    page.fill("#departure_on", "2027-04-06")
    page.fill("#return_on", "2027-04-01")
    page.locator("#save-travel").click()
    expect(page.locator("#return_on-error")).to_contain_text("Le retour suit le départ")
    expect(page.locator("#departure_on")).to_have_value("2027-04-06")
    assert_clean(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_every_role_reads_the_checklist(new_page, make, log_in, db, width):
    internship, student, tutor = _internship_in_spain(make, db)
    for who in (student, tutor, make.user("secretariat")):
        page = new_page(viewport={"width": width, "height": 900})
        log_in(page, who)
        for path in (f"/etranger/stage/{internship.id}", "/", "/etranger/guides",
                     "/etranger/guides/Espagne", f"/organismes/{internship.host_id}"):
            page.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            if SHOTS:
                name = f"{who.role}-{width}{path.replace('/', '-')}.png"
                page.screenshot(path=os.path.join(SHOTS, name), full_page=True)
        expect(page.locator("body")).to_be_visible()
        assert_clean(page)
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, make.user("secretariat"))
    for path in ("/etranger/pays", "/etranger/obligatoire"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"desk-{width}{path.replace('/', '-')}.png"),
                            full_page=True)
    assert_clean(page)
