import re
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
    assert "3 stages où elle est due ; 1 sous le minimum légal. 1 stage à l’étranger" in page
    frag = text(b.get("/statistiques/?year=2026", htmx=True))
    assert frag.lstrip().startswith('<div id="figures">')
    csv = text(b.get("/statistiques/export.csv?year=2026"))
    assert "Stages par domaine;Archives;2" in csv
    # every bar carries its label and its count, in a captioned table
    assert "<caption>Stages par domaine</caption>" in page
    assert '<th scope="row">Archives</th>' in page and '<span class="value">2</span>' in page
    assert '<th scope="row">Suisse</th>' in page
    assert "<caption>Organismes qui accueillent le plus de stages</caption>" in page  # all 4


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
    assert "Objectifs atteints par promotion" in page
    words = re.sub(r"<[^>]+>", "", page)
    assert "Partiellement atteint : 1 (100\u202f%)" in words and "Atteint : 0 (0\u202f%)" in words
    assert "sur 1 objectif évalué" in page and "1 objectif évalué dans 1 stage" in page


def test_constant_queries(as_role, year_data, count_queries):
    year, add = year_data
    add(3)
    b = as_role("secretariat")
    b.get("/statistiques/?year=2026")  # the year's first count inserts its kept row
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


def test_top_hosts_say_how_many_they_are_taken_from(as_role, make, year_data):
    year, add = year_data
    for k in range(16):
        add(1 + (k == 0) * 2, host=make.host(name=f"Organisme {k:02d}"))
    b = as_role("secretariat")
    page = text(b.get("/statistiques/?year=2026"))
    assert ("<caption>Organismes qui accueillent le plus de stages : "
            "les 10 premiers sur 16</caption>") in page
    assert '<th scope="row">Organisme 00</th>' in page and '<span class="value">3</span>' in page
    assert '<th scope="row">Organisme 09</th>' in page
    assert "Organisme 10<" not in page
    assert "18 stages en 2026-2027" in page
    csv = text(b.get("/statistiques/export.csv?year=2026"))
    assert "Organismes (les 10 premiers sur 16);Organisme 00;3" in csv


def test_objective_rates_state_their_base(as_role, year_data, db):
    from app.accounts.models import utcnow
    from app.evaluations.models import Evaluation
    from app.internships.models import Objective

    year, add = year_data
    for i, ratings in zip(add(2, domain="archives") + add(1, domain="data"),
                          (["reached", "reached", "not"], ["reached", "partly"], ["not"]),
                          strict=False):
        objectives = [Objective(internship_id=i.id, position=k, statement=f"Objectif {k}")
                      for k in range(len(ratings))]
        db.session.add_all(objectives)
        db.session.flush()
        db.session.add(Evaluation(internship_id=i.id, kind="host_tutor", answers={},
                                  ratings={str(o.id): r for o, r
                                           in zip(objectives, ratings, strict=False)},
                                  submitted_at=utcnow()))
    db.session.commit()
    page = text(as_role("teacher").get("/statistiques/?year=2026"))
    assert "6 objectifs évalués dans 3 stages" in page
    # by domain: archives 3 reached, 1 partly, 1 not out of 5; data 1 not out of 1
    assert "<caption>Objectifs atteints par domaine</caption>" in page
    words = re.sub(r"<[^>]+>", "", page)
    assert "Atteint : 3 (60\u202f%)" in words and "sur 5 objectifs évalués" in page
    assert "Non atteint : 1 (100\u202f%)" in words and "sur 1 objectif évalué" in page
    assert "sur 6 objectifs évalués" in page  # by cohort: all in one cohort
    csv = text(as_role("secretariat").get("/statistiques/export.csv?year=2026"))
    assert "Objectifs par domaine;Archives — objectifs évalués;5" in csv


def test_csv_amounts_have_a_decimal_comma(as_role, year_data):
    import csv
    import io

    year, add = year_data
    add(2)
    resp = as_role("secretariat").get("/statistiques/export.csv?year=2026")
    rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    assert rows[0] == ["Rubrique", "Élément", "Valeur"]
    values = {(r[0], r[1]): r[2] for r in rows[1:]}
    agreed = values[("Gratification", "convenue ou versée (€)")]
    legal = values[("Gratification", "minimum légal (€)")]
    for amount in (agreed, legal):
        assert "." not in amount and amount.count(",") == 1 and len(amount.split(",")[1]) == 2
        assert Decimal(amount.replace(",", ".")) > 0
    assert values[("Stages", "total")] == "2"


def test_an_internship_declared_without_offer_has_its_own_domain(as_role, year_data, make,
                                                                 db):
    """Before, the domain came only from a linked offer: every declared internship was « non
    précisé ». It is now the internship's own (prefilled from the offer, editable)."""
    from app.errors import DomainError
    from app.internships import services as internships

    year, add = year_data
    [from_offer] = add(1, domain="documentation")
    assert from_offer.domain == "documentation"
    declared, _ = internships.create_internship(make.user("student"), internships.InternshipData(
        host_id=make.host().id, subject="Données ouvertes", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30), domain="data"))
    assert declared.domain == "data"
    with pytest.raises(DomainError, match="Choisissez un domaine de la liste"):
        internships.create_internship(make.user("student"), internships.InternshipData(
            host_id=make.host().id, subject="S", start_date=date(2027, 4, 8),
            end_date=date(2027, 6, 30), domain="astrologie"))
    page = text(as_role("secretariat").get("/statistiques/?year=2026"))
    assert '<th scope="row">Données</th>' in page and "non précisé" not in page
