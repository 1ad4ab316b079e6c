from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import text


@pytest.fixture
def year_data(make, db):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2026))

    def add(n, domain="archives", country="France", agreed="700", host=None):
        out = []
        for _ in range(n):
            h = host or make.host(city="Genève" if country != "France" else "Lyon",
                                  country=country)
            offer = make.offer(host=h, domain=domain)
            i, _ = internships.create_internship(make.user("student"), internships.InternshipData(
                host_id=h.id, subject="S", start_date=date(2027, 4, 8),
                end_date=date(2027, 6, 30), offer_id=offer.id, country=country,
                agreed_amount=Decimal(agreed), agreed_unit="month"))
            out.append(i)
        return out

    return year, add


def test_staff_only(as_role, client):
    assert as_role("student").get("/statistiques/").status_code == 403
    assert client.get("/statistiques/").status_code == 302


def test_figures_and_charts(as_role, year_data):
    year, add = year_data
    add(2, domain="archives")
    add(1, domain="data", agreed="500")
    add(1, domain="documentation", country="Suisse")
    b = as_role("secretariat")
    page = text(b.get("/statistiques/?year=2026"))
    assert "4 stages en 2026-2027" in page
    assert "<svg" in page and "Archives" in page and "Suisse" in page
    assert "3 stage(s) où elle est due ; 1 sous le minimum légal. 1 stage(s) à l’étranger" in page
    frag = text(b.get("/statistiques/?year=2026", htmx=True))
    assert frag.lstrip().startswith('<div id="figures">')
    csv = text(b.get("/statistiques/export.csv?year=2026"))
    assert "Stages par domaine;Archives;2" in csv


def test_objectives_from_evaluations(as_role, year_data, db):
    from app.evaluations.models import Evaluation
    from app.internships.models import Objective

    year, add = year_data
    (i,) = add(1)
    o = Objective(internship_id=i.id, position=0, statement="Décrire 40 boîtes")
    db.session.add(o)
    db.session.flush()
    from app.accounts.models import utcnow
    db.session.add(Evaluation(internship_id=i.id, kind="host_tutor", ratings={str(o.id): "partly"},
                              answers={}, submitted_at=utcnow()))
    db.session.commit()
    page = text(as_role("teacher").get("/statistiques/?year=2026"))
    assert "Objectifs atteints par promotion" in page and "Partiellement atteint : 100 %" in page


def test_constant_queries(as_role, year_data, count_queries):
    year, add = year_data
    add(3)
    b = as_role("secretariat")
    with count_queries() as few:
        b.get("/statistiques/?year=2026")
    add(12)
    with count_queries() as many:
        b.get("/statistiques/?year=2026")
    assert len(few) == len(many)


def test_gratification_totals_agree_with_each_internships_own_computation(year_data, db):
    """The figures compute each distinct set of terms once: absences, agreed amounts and
    recorded payments still count for each internship as on its own page."""
    from app.figures.services import compute
    from app.internships import services as internships
    from app.internships.attestation import expected_total as paid_total

    year, add = year_data
    same = add(4)  # the last two share every term: one group of two
    internships.add_absence(same[0], date(2027, 5, 3), date(2027, 5, 7), "Maladie")
    same[1].gratification_paid = Decimal("2000.00")
    low = add(1, agreed="300")
    db.session.commit()
    today = date(2027, 9, 1)
    f = compute(year, today, {})
    records = same + low
    assert f.due == 5 and f.below_minimum == 1
    assert f.legal_total == sum(internships.gratification_of(i, today).total for i in records)
    assert f.agreed_total == sum(paid_total(i, today) for i in records)
    assert f.legal_total < 5 * internships.gratification_of(same[1], today).total  # the absence
