"""The year selector on the pages that work by year: it works without scrolling sideways at
phone and desktop widths, and choosing a year puts it in the address."""
from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = ("/soutenances/", "/tutorat/mes-tutores", "/tutorat/", "/evaluations/",
         "/statistiques/", "/stages/suivi", "/alternants", "/projets")


@pytest.fixture
def people(make, db):
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.current_year(date.today())
    years.create_year(years.YearData(start_year=year.start_year - 1))
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    tutor = make.user("teacher", first_name="Valérie", last_name="Arnaud")
    tutor.is_coordinator = True
    student = make.user("student", last_name="Annuelle")
    internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="Inventaire", start_date=start,
        end_date=start + timedelta(weeks=12, days=-1)))
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    return year, tutor, student, make.user("admin")


def _no_sideways_scroll(page):
    """The year selector, its notice and the page's heading stay within the screen. (The
    navigation bar and the statistics' charts are the layout's and the charts' own.)"""
    return page.evaluate("""[...document.querySelectorAll('main h1, .year-selector, '
            + '.year-selector *, .year-notice, label:has(> select[name=year])')]
        .every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)""")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_year_selector_fits_and_keeps_the_year(new_page, log_in, people, width):
    year, tutor, student, admin = people
    shots = os.environ.get("SCREENSHOTS_DIR")
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, admin)
    for url in PAGES:
        if url == "/tutorat/mes-tutores":
            continue  # teachers only, below
        page.goto(url)
        expect(page.locator("select[name=year]")).to_be_visible()
        assert _no_sideways_scroll(page), url
        if shots:
            page.screenshot(path=f"{shots}/{url.strip('/').replace('/', '-') or 'home'}"
                                 f"-{width}.png", full_page=True)
    page.goto("/soutenances/")
    page.locator("select[name=year]").select_option(str(year.start_year - 1))
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(f"**/soutenances/?year={year.start_year - 1}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{year.start_year - 1}-{year.start_year}")
    expect(page.get_by_text("Revenir à")).to_be_visible()
    assert _no_sideways_scroll(page)
    if shots:
        page.screenshot(path=f"{shots}/soutenances-previous-{width}.png", full_page=True)

    teacher = new_page()
    teacher.set_viewport_size({"width": width, "height": 900})
    log_in(teacher, tutor)
    teacher.goto("/tutorat/mes-tutores")
    expect(teacher.locator("select[name=year]")).to_be_visible()
    teacher.get_by_role("link", name=f"{student.last_name} {student.first_name}").click()
    assert f"year={year.start_year}" in teacher.url
    expect(teacher.get_by_role("heading", level=1)).to_contain_text(student.full_name)
    assert _no_sideways_scroll(teacher)
    if shots:
        teacher.screenshot(path=f"{shots}/tutorat-suivi-{width}.png", full_page=True)
    assert not page.problems.errors and not teacher.problems.errors
