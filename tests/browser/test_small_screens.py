"""Every page of every role reflows at 320 CSS px (WCAG 1.4.10): no horizontal scroll, and the
navigation, collapsed into a « Menu » that works without JavaScript, still reaches
« Se déconnecter ». Printing drops the navigation, the buttons and the management forms.

``SCREENSHOTS_DIR=/tmp/shots`` also saves each page at 390 px and 1280 px, and the printed
pages as PDF (``pdftoppm -png -r 50`` shows them), to look at.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PDF

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
SHOTS = os.environ.get("SCREENSHOTS_DIR")


@dataclass
class Department:
    student: object
    teacher: object
    secretariat: object
    admin: object
    offer: object
    application: object
    internship: object
    convention: object
    host: object


def build_department(make, db) -> Department:
    """A small department with something on every page: a long-named host and offer, an
    application, an internship with its submitted convention and tutor, published defences."""
    return _build(make, db)


def _build(make, db) -> Department:
    from app.applications import services as applications
    from app.conventions import services as conventions
    from app.defenses import services as defenses
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    today = date.today()
    years.ensure_default_rates()
    year = years.current_year(today)
    start = max(year.earliest_start, today + timedelta(days=1))
    end = start + timedelta(weeks=14, days=-1)
    secretariat = make.user("secretariat", first_name="Marie-Bernadette",
                            last_name="Delacroix-Montgolfier")
    admin = make.user("admin", first_name="Administratrice")
    teacher = make.user("teacher", first_name="Jean-Christophe", last_name="Vanderplancke")
    teacher.is_coordinator = True
    make.user("teacher", last_name="Assesseure")
    host = make.host(name="Archives départementales et métropolitaines du Rhône — site "
                          "Lacassagne", city="Lyon", website="https://archives.example.org/"
                                                            "service-des-publics/stages")
    offer = make.offer(host=host, author=secretariat,
                       title="Numérisation, description et valorisation des fonds "
                             "iconographiques contemporains",
                       description="Au sein du service des fonds privés, vous participerez "
                                   "au traitement du fonds photographique Dupont-Lemaire.",
                       missions="— Inventorier\n— Numériser\n— Décrire selon ISAD(G)",
                       contact_name="Jeanne Roy",
                       contact_email="jeanne.roy-de-la-fontaine@archives.example.org")
    student = make.user("student", first_name="Inès", last_name="Garnier-Bellecombe")
    application = applications.apply(student, offer, "Madame, Monsieur, votre offre…", PDF,
                                     "cv.pdf", today)
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=host.id, offer_id=offer.id, subject="Inventaire et numérisation du fonds "
        "photographique Dupont-Lemaire", start_date=start, end_date=end,
        missions="Inventaire et reconditionnement", skills="Description archivistique",
        objectives=["Décrire 30 boîtes selon ISAD(G)", "Présenter un bilan chiffré"],
        host_tutor_name="Jeanne Roy", host_tutor_email="jeanne.roy@archives.example.org",
        agreed_amount=Decimal("700"), agreed_unit="month"))
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=teacher.id,
                                   academic_year_id=year.id))
    for n in range(3):
        other = make.user("student", last_name=f"Stagiaire{n}")
        internships.create_internship(other, internships.InternshipData(
            host_id=make.host().id, subject="Refonte de la veille documentaire",
            start_date=start, end_date=end))
    make.user("student", last_name="Sansstage")
    make.user("student", last_name="Alternante", track="apprentice")
    db.session.commit()
    convention = conventions.create(internship, student)
    conventions.submit(convention, student, convention.version_id)
    day = defenses.first_day_for(internship) + timedelta(days=3)
    defenses.add_session(secretariat, year, day, "A101 (bâtiment des Humanités)", time(9),
                         time(12), 30)
    defenses.propose(secretariat, year)
    defenses.publish(secretariat, year)
    db.session.commit()
    return Department(student, teacher, secretariat, admin, offer, application, internship,
                      convention, host)


def detail_pages(role: str, d: Department) -> list[str]:
    """Key pages that are not in the navigation, by role."""
    common = [f"/offres/{d.offer.id}", "/simulateur", "/mot-de-passe",
              f"/organismes/{d.host.id}"]
    student = [f"/candidatures/{d.application.id}", f"/stages/{d.internship.id}",
               f"/conventions/{d.convention.id}", "/soutenances/mes-soutenances"]
    staff = [f"/candidatures/{d.application.id}", f"/stages/{d.internship.id}",
             f"/conventions/{d.convention.id}", "/stages/suivi", "/conventions/",
             "/soutenances/", "/statistiques/", f"/etudiants/{d.student.id}",
             f"/tutorat/suivi/{d.student.id}"]
    managers = ["/offres/nouvelle", f"/offres/{d.offer.id}/modifier", "/organismes/nouveau",
                "/stages/nouveau", "/annees/nouvelle"]
    return common + {
        "student": student + ["/stages/nouveau"],
        "teacher": staff + ["/tutorat/", "/tutorat/preferences", "/soutenances/mes-soutenances"],
        "secretariat": staff + managers + ["/tutorat/vue-ensemble"],
        "admin": staff + managers + ["/tutorat/", "/admin/utilisateurs/nouveau",
                                     "/admin/import"],
    }[role]


def nav_pages(page) -> list[str]:
    """Every page the header links to (both the desktop bar and the phone menu)."""
    hrefs = page.eval_on_selector_all(
        "header a[href]", "els => els.map(a => a.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/") and not h.startswith("/static")]


def overflow(page) -> str | None:
    """None when the page is no wider than the window; else the width and what sticks out."""
    return page.evaluate("""() => {
      const width = window.innerWidth;
      if (document.documentElement.scrollWidth <= width) return null;
      const clips = (s) => ['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX);
      const wide = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right <= width + 0.5 || r.width === 0) continue;
        // Clipped by a scrolling ancestor? (An absolute box only by one at or above the
        // positioned ancestor it is placed in.)
        let placed = getComputedStyle(el).position !== 'absolute', clipped = false;
        for (let p = el.parentElement; p && !clipped; p = p.parentElement) {
          const s = getComputedStyle(p);
          placed = placed || s.position !== 'static';
          clipped = placed && clips(s);
        }
        if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (typeof el.className === 'string' && el.className.trim() ? '.' +
            el.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(r.right) + ')');
      }
      return document.documentElement.scrollWidth + 'px: ' + wide.slice(0, 6).join(', ');
    }""")


def _shot(page, role: str, path: str) -> None:
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
        page.screenshot(path=str(folder / f"{role}-{name}-{width}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def logout_reachable(page) -> None:
    """« Se déconnecter » is reached through the « Menu » button, inside the screen."""
    menu = page.locator("header summary", has_text="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("header .nav-bar")).to_be_hidden()
    menu.click()
    logout = page.get_by_role("button", name="Se déconnecter")
    expect(logout).to_be_visible()
    logout.scroll_into_view_if_needed()
    box = logout.bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"menu-open-{viewport['width']}.png"))
    menu.click()
    expect(logout).to_be_hidden()


@pytest.mark.parametrize("role", ["student", "teacher", "secretariat", "admin"])
def test_every_page_fits_320_px(role, new_page, make, log_in, db):
    d = build_department(make, db)
    page = new_page(viewport=PHONE)
    log_in(page, getattr(d, role))
    pages = ["/"] + nav_pages(page) + detail_pages(role, d)
    wide = {}
    for path in dict.fromkeys(pages):
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        problem = overflow(page)
        if problem:
            wide[path] = problem
        if SHOTS:
            _shot(page, role, path)
    assert wide == {}
    page.goto(f"/offres/{d.offer.id}")
    logout_reachable(page)
    assert page.problems.errors == []
    assert page.problems.csp_violations() == []


def test_pages_before_login_fit_320_px(new_page):
    page = new_page(viewport=PHONE)
    for path in ("/connexion", "/simulateur"):
        page.goto(path)
        assert overflow(page) is None, path
    assert page.problems.errors == []


def test_the_menu_works_without_javascript_and_logs_out(new_page, make, log_in, db):
    student = make.user("student", first_name="Inès")
    page = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(page, student)
    logout_reachable(page)
    page.locator("header summary", has_text="Menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: "/connexion" in url)


def test_escape_closes_the_menu_and_desktop_keeps_its_bar(new_page, make, log_in, db):
    teacher = make.user("teacher")
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, teacher)
    menu = page.locator("header summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".nav-menu")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.locator(".nav-menu")).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.locator("header summary", has_text="Menu").click()
    page.locator("main").dispatch_event("click")  # a click elsewhere closes it
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_hidden()
    expect(page.locator("header .nav-bar").get_by_role("link", name="Conventions")).to_be_visible()
    account = page.locator("header .dropdown summary")
    account.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    assert page.problems.errors == []
    assert page.problems.csp_violations() == []


def _hidden_in_print(page, selectors: list[str]) -> dict[str, str]:
    """The selectors of ``selectors`` that match a displayed element when printing."""
    page.emulate_media(media="print")
    shown = {}
    for selector in selectors:
        for el in page.locator(selector).all():
            if el.is_visible():
                shown[selector] = el.evaluate("e => e.outerHTML.slice(0, 120)")
                break
    return shown


def _pdf(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(Path(SHOTS) / f"{name}.pdf"), format="A4")


def test_print_drops_navigation_buttons_and_management_forms(new_page, make, log_in, db):
    d = build_department(make, db)
    page = new_page()
    log_in(page, d.secretariat)
    chrome = ["header nav", ".site-footer", "nav.breadcrumb", "main button",
              "main [role=button]", "main select", "main textarea"]

    page.goto(f"/offres/{d.offer.id}")
    expect(page.locator("#status-panel")).to_be_visible()
    assert _hidden_in_print(page, chrome + ["#status-panel", ".status-form"]) == {}
    expect(page.locator("h1")).to_contain_text("Numérisation")
    expect(page.locator(".facts")).to_be_visible()
    expect(page.locator("#offer-applications table")).to_be_visible()
    _pdf(page, "print-offer")

    page.emulate_media(media="screen")
    page.goto(f"/conventions/{d.convention.id}")
    expect(page.locator(".action-form").first).to_be_visible()
    assert _hidden_in_print(page, chrome + [".action-form", "#convention-form",
                                            ".checklist form", ".action-details"]) == {}
    expect(page.locator("#mentions .facts").first).to_be_visible()
    expect(page.locator("#checklist .checklist").first).to_be_visible()
    _pdf(page, "print-convention")

    page.emulate_media(media="screen")
    page.goto(f"/organismes/{d.host.id}")
    page.emulate_media(media="print")
    link = page.locator("main .facts a[href^=http]")
    assert link.evaluate("a => getComputedStyle(a, '::after').content") == "none"

    page.emulate_media(media="screen")
    page.goto("/stages/suivi")
    assert _hidden_in_print(page, chrome + ["#cohort-filters", ".pagination"]) == {}
    expect(page.locator("#cohort-results table").first).to_be_visible()
    _pdf(page, "print-cohort")

    page.emulate_media(media="screen")
    page.goto("/conventions/")
    assert _hidden_in_print(page, chrome + ["main input"]) == {}
    expect(page.locator("#results table")).to_be_visible()   # in the bulk form, kept

    page.emulate_media(media="screen")
    student = new_page()
    log_in(student, d.student)
    student.goto(f"/stages/{d.internship.id}")
    assert _hidden_in_print(student, chrome + ["main form"]) == {}
    expect(student.locator("h1")).to_be_visible()
    _pdf(student, "print-internship")
