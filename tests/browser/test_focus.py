"""Where the keyboard focus lands after an htmx swap, and what the status region says:
the error summary after a failed submit, the results' count after paging, the control just
used after an in-place update, one short line after a search."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def active(page) -> dict:
    """The focused element: its tag, id and text (BODY when the focus was lost)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el ? el.tagName : null, id: el ? el.id : null,
                text: el ? el.textContent.replace(/\\s+/g, ' ').trim() : ''};
    }""")


def assert_clean(page):
    errors = [e for e in page.problems.errors if "sendAbort" not in e]
    violations = page.problems.csp_violations()
    assert errors == [], "\n".join(errors + violations)
    assert violations == []


def test_a_failed_submit_focuses_the_error_summary_that_links_to_each_field(
        browser_page, make, log_in):
    page = browser_page
    log_in(page, make.user("secretariat"))
    page.goto("/offres/nouvelle")
    expect(page).to_have_title(re.compile(r"^Nouvelle offre"))
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    summary = page.locator("#offer-form [data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("tabindex", "-1")
    expect(summary).to_contain_text("Le formulaire contient des erreurs")
    expect(page).to_have_title(re.compile(r"^Erreur : Nouvelle offre"))

    # One link per invalid field, named by its label, leading to that field.
    links = summary.locator("a")
    hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert {"#title", "#host_id", "#description"} <= set(hrefs), hrefs
    for href in hrefs:
        field = page.locator(href)
        expect(field).to_have_count(1)
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(summary.get_by_role("link", name="Intitulé", exact=True)).to_have_attribute(
        "href", "#title")
    summary.get_by_role("link", name="Description", exact=True).click()
    expect(page.locator("#description")).to_be_focused()

    # Corrected and sent again, the title loses its « Erreur : ».
    page.fill("#title", "Inventaire")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#title']")).to_have_count(0)
    assert_clean(page)


def test_a_form_with_errors_without_htmx_also_says_so_in_its_title(new_page, make, log_in):
    page = new_page(java_script_enabled=False)
    log_in(page, make.user("secretariat"))
    page.goto("/offres/nouvelle")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Erreur : Nouvelle offre"))


def test_paging_focuses_the_results_count_and_a_search_keeps_the_focus_in_the_box(
        browser_page, make, log_in):
    host = make.host(name="Archives départementales")
    for n in range(23):
        make.offer(host=host, title=f"Classement du fonds {n:02d}", domain="archives")
    make.offer(host=host, title="Plan de gestion des données", domain="data")
    page = browser_page
    log_in(page, make.user("student"))
    page.goto("/offres/")
    count = page.locator("#results-count")
    expect(count).to_have_text("24 offres trouvées · 1 à 20")
    # The list itself is not a live region: only the status line is.
    assert page.locator("#results").evaluate(
        "el => el.closest('[aria-live]') === null && el.querySelector('[aria-live]') === null")

    page.get_by_role("link", name="Suivante →").focus()
    page.keyboard.press("Enter")
    expect(count).to_have_text("24 offres trouvées · 21 à 24")
    expect(count).to_be_focused()
    expect(count).to_have_attribute("tabindex", "-1")
    # The next Tab goes on in the results, not back to the top of the page.
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["tag"] == "A" and focused["text"].startswith("Classement du fonds"), focused

    # Typing a search: the focus stays in the box; the status says one short line.
    search = page.locator("#offer-q")
    search.focus()
    page.keyboard.type("donnees")
    expect(count).to_have_text("1 offre trouvée")
    expect(search).to_be_focused()
    status = page.locator("#swap-status")
    expect(status).to_have_text("1 offre trouvée")
    expect(status).to_have_attribute("aria-live", "polite")
    assert_clean(page)


def test_ticking_a_mention_keeps_the_focus_on_its_checkbox(new_page, make, log_in, db):
    from app.conventions import services as conventions
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026, programme_hours=1800))
    student = make.user("student")
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(headcount=50).id, subject="Inventaire du fonds Dupont",
        start_date=date(2027, 4, 8), end_date=date(2027, 6, 30), host_tutor_name="Jeanne Roy",
        missions="Inventaire", skills="Description archivistique",
        agreed_amount=Decimal("700"), agreed_unit="month"))
    convention = conventions.create(internship, student)
    convention.leave_conditions = "Deux jours de congé par mois"
    conventions.submit(convention, student, convention.version_id)
    db.session.commit()

    page = new_page()
    log_in(page, make.user("secretariat"))
    page.goto(f"/conventions/{convention.id}")
    box = page.locator("#check-programme-box")
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("#check-programme")).to_have_class(re.compile(r"\bok\b"))
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    # And once more: unticked, still there.
    page.keyboard.press("Space")
    expect(page.locator("#check-programme")).not_to_have_class(re.compile(r"\bok\b"))
    expect(box).to_be_focused()
    assert_clean(page)


def test_the_focus_ring_of_links_and_buttons_is_solid(browser_page, make, log_in):
    page = browser_page
    log_in(page, make.user("secretariat"))
    page.goto("/offres/")
    for locator in (page.get_by_role("link", name="Effacer les filtres"),
                    page.get_by_role("button", name="Filtrer")):
        locator.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        style = locator.evaluate("""el => { const s = getComputedStyle(el);
            return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    color: s.outlineColor}; }""")
        assert style["style"] == "solid" and style["width"] >= 2, style
        # #0172ad: 5.2:1 against white.
        assert style["color"] == "rgb(1, 114, 173)", style


def test_the_notifications_link_is_named_by_its_visible_text_first(browser_page, make, log_in,
                                                                    db):
    from app.notifications import services as notifications

    student = make.user("student")
    for n in range(3):
        notifications.notify([student], f"Message {n}")
    db.session.commit()
    page = browser_page
    log_in(page, student)
    link = page.locator(".nav-bar").get_by_role("link", name="Notifications (3 non lues)",
                                                exact=True)
    expect(link).to_be_visible()
    expect(link).not_to_have_attribute("aria-label", re.compile(".*"))
