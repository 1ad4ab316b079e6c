"""The offers list in a real browser: active search, filters, history, and no JavaScript."""
from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DATA_TITLE = "Gestion des données de la recherche"
ARCHIVES_TITLE = "Classement d'archives notariales"
DOC_TITLE = "Veille documentaire pour une médiathèque"
SCAN_TITLE = "Numérisation de registres paroissiaux"
SHOTS = "/tmp/shots"


@pytest.fixture
def catalogue(make):
    """Published offers whose titles, hosts and texts do not overlap between searches."""
    lab = make.host(name="Maison des sciences de l'homme", city="Dijon")
    notary = make.host(name="Étude Martin et associés", city="Rennes")
    library = make.host(name="Médiathèque François-Mitterrand", city="Poitiers")
    make.offer(host=lab, title=DATA_TITLE, domain="data",
               description="Plan de gestion pour les équipes du laboratoire.")
    make.offer(host=notary, title=ARCHIVES_TITLE, domain="archives",
               description="Inventaire de minutes du XIXe siècle.")
    make.offer(host=library, title=DOC_TITLE, domain="documentation",
               description="Produits de veille et newsletter.")
    make.offer(host=notary, title=SCAN_TITLE, domain="archives",
               description="Numérisation et indexation de registres.")
    make.offer(host=lab, title="Offre en brouillon sur les données", domain="data",
               status="draft", description="Pas encore publiée.")


def offer_link(page, title):
    return page.locator("#results").get_by_role("link", name=title, exact=True)


def assert_clean(page):
    """No console error, no uncaught exception, no CSP violation on this page."""
    violations = page.problems.csp_violations()
    assert page.problems.errors == [], "\n".join(page.problems.errors + violations)
    assert violations == []


def test_active_search_updates_list_url_and_history(browser_page, make, catalogue, log_in):
    page = browser_page
    log_in(page, make.user("student"))
    page.goto("/offres/")
    search = page.locator("#offer-q")
    results = page.locator("#results")
    expect(results).to_contain_text("4 offres")
    expect(offer_link(page, ARCHIVES_TITLE)).to_be_visible()
    # An unfiltered list shows no error on its filters, and no field is marked invalid.
    expect(page.locator("#offer-filters .field-error")).to_have_count(0)
    expect(page.locator("#offer-filters [aria-invalid]")).to_have_count(0)

    # Typing searches without a page load; accents and case do not matter.
    search.fill("donnees")
    expect(page).to_have_url(re.compile(r"[?&]q=donnees(&|$)"))
    expect(results).to_contain_text("1 offre")
    expect(offer_link(page, DATA_TITLE)).to_be_visible()
    expect(offer_link(page, ARCHIVES_TITLE)).to_have_count(0)
    expect(offer_link(page, "Offre en brouillon sur les données")).to_have_count(0)
    # The results region is replaced, not nested in itself.
    expect(page.locator("#results")).to_have_count(1)

    os.makedirs(SHOTS, exist_ok=True)
    # caret="initial": Playwright's caret hiding would leave style="" on every input, which
    # htmx later copies with setAttribute (a style-src-attr CSP violation of the test's own).
    page.screenshot(path=f"{SHOTS}/offers_search.png", full_page=True, caret="initial")

    search.fill("ARCHIV")
    expect(page).to_have_url(re.compile(r"[?&]q=ARCHIV(&|$)"))
    expect(results).to_contain_text("2 offres")
    expect(offer_link(page, ARCHIVES_TITLE)).to_be_visible()
    expect(offer_link(page, SCAN_TITLE)).to_be_visible()
    expect(offer_link(page, DATA_TITLE)).to_have_count(0)

    # Back gives the previous search again: URL, list and search box agree.
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]q=donnees(&|$)"))
    expect(offer_link(page, DATA_TITLE)).to_be_visible()
    expect(offer_link(page, ARCHIVES_TITLE)).to_have_count(0)
    expect(page.locator("#offer-q")).to_have_value("donnees")
    expect(page.locator("#results")).to_have_count(1)

    assert_clean(page)


def test_domain_filter_survives_reload(browser_page, make, catalogue, log_in):
    page = browser_page
    log_in(page, make.user("student"))
    page.goto("/offres/")
    expect(page.locator("#results")).to_contain_text("4 offres")

    page.select_option("select[name=domain]", label="Archives")
    expect(page).to_have_url(re.compile(r"[?&]domain=archives(&|$)"))
    expect(page.locator("#results")).to_contain_text("2 offres")
    expect(offer_link(page, ARCHIVES_TITLE)).to_be_visible()
    expect(offer_link(page, SCAN_TITLE)).to_be_visible()
    expect(offer_link(page, DATA_TITLE)).to_have_count(0)
    expect(offer_link(page, DOC_TITLE)).to_have_count(0)

    page.reload()
    expect(page.locator("select[name=domain]")).to_have_value("archives")
    expect(page.locator("#results")).to_contain_text("2 offres")
    expect(offer_link(page, ARCHIVES_TITLE)).to_be_visible()
    expect(offer_link(page, DATA_TITLE)).to_have_count(0)

    assert_clean(page)


def test_search_without_javascript_is_a_plain_get(new_page, make, catalogue, log_in):
    page = new_page(java_script_enabled=False)
    log_in(page, make.user("student"))
    page.goto("/offres/")
    expect(page.locator("#results")).to_contain_text("4 offres")

    page.fill("#offer-q", "donnees")
    with page.expect_navigation():
        page.press("#offer-q", "Enter")
    expect(page).to_have_url(re.compile(r"/offres/\?.*q=donnees"))
    expect(page.locator("#offer-q")).to_have_value("donnees")
    expect(page.locator("#results")).to_contain_text("1 offre")
    expect(offer_link(page, DATA_TITLE)).to_be_visible()
    expect(offer_link(page, ARCHIVES_TITLE)).to_have_count(0)

    page.select_option("select[name=domain]", label="Archives")
    page.fill("#offer-q", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]domain=archives(&|$)"))
    expect(page.locator("#results")).to_contain_text("2 offres")
    expect(offer_link(page, SCAN_TITLE)).to_be_visible()
    expect(offer_link(page, DATA_TITLE)).to_have_count(0)
