"""The coordinator asks for a suggested assignment, applies it, and sees the loads change."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_applies_a_suggestion(new_page, make, log_in, db):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    year = years.current_year(date.today())
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    for n in range(4):
        student = make.user("student", last_name=f"Tutoree{n}")
        internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="Sujet", start_date=start,
            end_date=start + timedelta(weeks=12, days=-1)))
    coordinator = make.user("teacher", last_name="Coordinatrice")
    coordinator.is_coordinator = True
    other = make.user("teacher", last_name="Collegue")
    db.session.commit()

    page = new_page()
    log_in(page, coordinator)
    page.goto("/tutorat/")
    expect(page.locator("#waiting h2")).to_contain_text("Sans tuteur (4)")
    loads = page.locator("#teacher-loads")
    expect(loads.locator(f"#teacher-{other.id}")).to_contain_text("0 / 16")

    # tick one student, choose a teacher under the list, assign: only the board changes
    first = page.locator("#waiting tbody tr").first
    name = first.locator("label").inner_text()
    first.get_by_role("checkbox").check()
    page.locator("#waiting-teacher").select_option(
        label=f"{other.last_name} {other.first_name} (0/16)")
    page.locator("#waiting").get_by_role("button", name="Affecter").click()
    expect(page.locator("#board")).to_contain_text("tutore désormais")
    expect(page.locator("#waiting h2")).to_contain_text("Sans tuteur (3)")
    expect(page.locator("#assigned")).to_contain_text(name)
    expect(page.locator(f"#teacher-{other.id}")).to_contain_text("1 / 16")

    page.get_by_role("button", name="Proposer une répartition").click()
    expect(page.locator("#suggestion-panel")).to_contain_text("Répartition proposée")
    page.get_by_role("button", name="Appliquer cette répartition").click()

    expect(page.locator("#board")).to_contain_text("3 affectations appliquées.")
    expect(page.locator("#waiting h2")).to_contain_text("Sans tuteur (0)")
    expect(page.locator(f"#teacher-{other.id}")).to_contain_text("2 / 16")
    expect(page.locator(f"#teacher-{coordinator.id}")).to_contain_text("2 / 16")
    assert page.url.endswith("/tutorat/")  # no page load: htmx swapped the board
    assert page.problems.errors == []
    assert page.problems.csp_violations() == []
