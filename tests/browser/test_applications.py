"""A student applies with a PDF, the secretariat accepts it inline, the student sees it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PDF

pytestmark = pytest.mark.browser


def test_apply_accept_and_see_it_accepted(new_page, make, log_in, tmp_path, db):
    offer = make.offer(title="Archiviste au service des plans")
    student = make.user("student", first_name="Inès", last_name="Garnier")
    staff = make.user("secretariat")
    cv = tmp_path / "cv-ines.pdf"
    cv.write_bytes(PDF)

    page = new_page()
    log_in(page, student)
    page.goto(f"/offres/{offer.id}")
    page.get_by_role("button", name="Candidater à cette offre").click()
    page.fill("textarea[name=message]", "Les plans anciens me passionnent.")
    page.set_input_files("input[name=cv]", str(cv))
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".flash-success")).to_contain_text("Candidature envoyée")
    expect(page.locator("article")).to_contain_text("Envoyée")

    desk = new_page()
    log_in(desk, staff)
    desk.goto(f"/offres/{offer.id}")
    row = desk.locator("#offer-applications tr", has_text="Garnier")
    expect(row).to_contain_text("Envoyée")
    expect(desk.locator("#application-counts")).to_contain_text("1")
    row.locator("select[name=status]").select_option("accepted")
    row.locator("input[name=comment]").fill("Bienvenue dans l’équipe")
    row.get_by_role("button", name="Appliquer").click()
    # the row and the counters change in place, without a page load
    expect(desk.locator("#offer-applications tr", has_text="Garnier")).to_contain_text(
        "Acceptée")
    accepted_counter = desk.locator("#application-counts .stat", has_text="Acceptée")
    expect(accepted_counter.locator("strong")).to_have_text("1")
    assert desk.url.endswith(f"/offres/{offer.id}")

    page.goto("/candidatures")
    expect(page.locator("table")).to_contain_text("Acceptée")
    expect(page.locator("table")).to_contain_text("Bienvenue dans l’équipe")
    expect(page.locator(".nav-bar .notif-count")).to_have_text("1")
    for p in (page, desk):
        assert p.problems.errors == []
        assert p.problems.csp_violations() == []
