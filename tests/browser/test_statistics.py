"""The year's statistics on a phone and a desktop: every chart is a captioned table whose rows
show their label and their figure, inside the screen at 390 px, in text a person can read.

``SCREENSHOTS_DIR=/tmp/shots`` saves the page at 390 px and 1280 px."""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.test_small_screens import overflow

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOTS_DIR")
HOSTS = ["Archives départementales et métropolitaines du Rhône — site Lacassagne",
         "Bibliothèque municipale de Lyon", "Médiathèque Jean-Macé", "Musée des Confluences",
         "Université Lumière Lyon 2 — service commun de la documentation",
         "Archives municipales de Villeurbanne", "Institut national de l’audiovisuel",
         "Centre hospitalier Saint-Joseph Saint-Luc", "Banque de France — archives",
         "Bibliothèque cantonale et universitaire de Lausanne", "Cinémathèque de Grenoble",
         "Archives nationales du monde du travail", "Médiathèque de Roubaix",
         "Musée Gadagne", "Opéra de Lyon — service des archives", "Ville de Vénissieux"]


def _year_of_statistics(make, db):
    from app.accounts.models import utcnow
    from app.evaluations.models import Evaluation
    from app.internships import services as internships
    from app.internships.models import Objective
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026))
    ratings = ["reached", "reached", "partly", "not", "reached"]
    n = 0
    for k, name in enumerate(HOSTS):
        country = "Suisse" if "Lausanne" in name else "France"
        host = make.host(name=name, country=country,
                         city="Lausanne" if country == "Suisse" else "Lyon")
        for _ in range(max(1, 5 - k // 2)):
            offer = make.offer(host=host, domain=("archives", "documentation", "data")[n % 3])
            student = make.user("student")
            i, _ = internships.create_internship(student, internships.InternshipData(
                host_id=host.id, subject="S", start_date=date(2027, 4, 8),
                end_date=date(2027, 6, 30), offer_id=offer.id, country=country,
                agreed_amount=Decimal("700") if n % 5 else Decimal("500"), agreed_unit="month"))
            objectives = [Objective(internship_id=i.id, position=p, statement=f"Objectif {p}")
                          for p in range(3)]
            db.session.add_all(objectives)
            db.session.flush()
            db.session.add(Evaluation(
                internship_id=i.id, kind="host_tutor", answers={}, submitted_at=utcnow(),
                ratings={str(o.id): ratings[(n + p) % len(ratings)]
                         for p, o in enumerate(objectives)}))
            n += 1
    db.session.commit()


@pytest.mark.parametrize("width", [390, 1280])
def test_statistics_are_readable_on_a_phone_and_a_desktop(width, new_page, make, log_in, db):
    _year_of_statistics(make, db)
    page = new_page(viewport={"width": width, "height": 844 if width == 390 else 900})
    log_in(page, make.user("secretariat"))
    page.goto("/statistiques/?year=2026")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"statistiques-{width}.png"), full_page=True)
    assert overflow(page) is None, overflow(page)
    tables = page.locator("table.chart")
    assert tables.count() == 6  # no applications: « Candidatures par stage » has no data
    assert page.get_by_role("table", name="Organismes qui accueillent le plus de stages : "
                                           "les 10 premiers sur 16").is_visible()
    # every chart, its labels and its figures are inside the window, at a readable size
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        'table.chart th, table.chart .value, table.chart li')).map(e => {
          const r = e.getBoundingClientRect();
          return [r.left, r.right, parseFloat(getComputedStyle(e).fontSize)]; })""")
    assert sizes and all(left >= 0 and right <= width + 0.5 for left, right, _ in sizes)
    assert min(size for _, _, size in sizes) >= 12
    bars = page.evaluate("""() => Array.from(document.querySelectorAll('table.chart svg.bar'))
        .map(e => e.getBoundingClientRect().width)""")
    assert min(bars) > 40  # a bar has room to show its length
    assert page.problems.errors == [] and page.problems.csp_violations() == []
