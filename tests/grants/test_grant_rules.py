"""The mobility grants' rules (app/grants/services.py) beyond the main path: what makes a
programme valid, editing it, who may apply and when, withdrawing, and every refusal of a
decision or a payment, each with the words the user reads."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError
from app.extensions import db
from app.grants import services
from app.grants.models import GrantApplication, GrantProgramme
from tests.conftest import browser_for, page, text

D = Decimal






@pytest.fixture
def year(db):
    from app.years import services as years

    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026))


@pytest.fixture
def abroad(make, year):
    from app.internships import services as internships

    student = make.user("student", first_name="Inès", last_name="Garcia")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(name="Arxiu de Barcelona", city="Barcelone", country="Espagne").id,
        subject="Numérisation", start_date=date(2027, 4, 8), end_date=date(2027, 6, 30),
        country="Espagne"))
    return i


def _data(**changes):
    data = dict(name="Erasmus+ stage 2027", funder="erasmus", deadline=date(2027, 2, 15),
                first_part_percent=70, max_months=None, description=None,
                rates=[services.RateData("Groupe 2", "Espagne, Italie", "540")])
    data.update(changes)
    return services.ProgrammeData(**data)


@pytest.fixture
def erasmus(year):
    return services.save_programme(year, _data())


@pytest.mark.parametrize("changes, field, message", [
    ({"name": "  "}, "name", "Nommez le programme."),
    ({"name": "x" * 161}, "name", "Nom : 160 caractères au plus."),
    ({"funder": "banque"}, "funder", "Choisissez le financeur."),
    ({"deadline": None}, "deadline", "Indiquez la date limite de candidature."),
    ({"first_part_percent": None}, "first_part_percent",
     "La première part est un pourcentage de 0 à 100."),
    ({"first_part_percent": 101}, "first_part_percent",
     "La première part est un pourcentage de 0 à 100."),
    ({"max_months": 13}, "max_months", "La durée financée va de 1 à 12 mois."),
    ({"rates": []}, "rates-0-monthly", "Indiquez au moins un montant mensuel"),
    ({"rates": [services.RateData("", "", "")]}, "rates-0-monthly",
     "Indiquez au moins un montant mensuel"),
    ({"rates": [services.RateData("Tous pays", "*", "0")]}, "rates-0-monthly",
     "Montant mensuel, ligne 1 : plus de 0 €."),
    ({"rates": [services.RateData("Tous pays", "*", "-5")]}, "rates-0-monthly",
     "Montant mensuel, ligne 1 : un montant entre 0 et 99 999,99 €."),
    ({"rates": [services.RateData("Tous pays", "*", "")] * 2}, "rates-0-monthly",
     "Montant mensuel, ligne 1 : indiquez un montant."),
    ({"rates": [services.RateData("", "Espagne", "540")]}, "rates-0-group",
     "Groupe de pays, ligne 1 : un nom de 80 caractères au plus."),
])
def test_what_makes_a_programme(year, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.save_programme(year, _data(**changes))
    assert err.value.field == field and message in err.value.message
    assert db.session.query(GrantProgramme).count() == 0


def test_the_secretariat_edits_a_programme_and_a_stale_form_is_refused(as_role, erasmus):
    alice, bob = as_role("secretariat"), as_role("secretariat")
    form = alice.get(f"/bourses/programmes/{erasmus.id}/modifier")
    assert 'value="540,00"' in text(form) and 'value="Erasmus+ stage 2027"' in text(form)
    data = {"name": "Erasmus+ stage 2027 (révisé)", "funder": "erasmus",
            "deadline": "2027-03-01", "first_part_percent": "60",
            "rates-0-group": "Groupe 2", "rates-0-countries": "Espagne, Italie",
            "rates-0-monthly": "560", "version": str(erasmus.version_id)}
    resp = alice.post(f"/bourses/programmes/{erasmus.id}/modifier", data,
                      follow_redirects=True)
    assert "Programme « Erasmus+ stage 2027 (révisé) » mis à jour." in page(resp)
    resp = bob.post(f"/bourses/programmes/{erasmus.id}/modifier",
                    dict(data, name="Autre nom"))
    assert "Quelqu’un d’autre a modifié ce programme" in page(resp)
    db.session.expire_all()
    p = db.session.get(GrantProgramme, erasmus.id)
    assert (p.name, p.first_part_percent, p.rates[0].monthly_amount) == (
        "Erasmus+ stage 2027 (révisé)", 60, D("560.00"))
    assert as_role("student").get(f"/bourses/programmes/{erasmus.id}/modifier") \
        .status_code == 403
    assert alice.get("/bourses/programmes/999999/modifier").status_code == 404


# ---------------------------------------------------------------- applying

def test_who_may_apply_and_to_what(make, year, abroad, erasmus):
    today = date(2027, 1, 10)
    with pytest.raises(DomainError, match="Ce stage n’est pas le vôtre."):
        services.apply(make.user("student"), abroad, erasmus, "", today)
    nordic = services.save_programme(year, _data(name="Nordique", rates=[
        services.RateData("Nord", "Danemark, Norvège", "600")]))
    with pytest.raises(DomainError, match=r"« Nordique » ne finance pas de stage dans ce pays "
                                          r"\(Espagne\)."):
        services.apply(abroad.student, abroad, nordic, "", today)
    from app.years import services as years

    later = services.save_programme(years.create_year(years.YearData(start_year=2027)),
                                    _data(name="L’an prochain"))
    with pytest.raises(DomainError, match="n’est pas celui de l’année de votre stage"):
        services.apply(abroad.student, abroad, later, "", today)
    with pytest.raises(DomainError, match="3000 caractères au plus"):
        services.apply(abroad.student, abroad, erasmus, "x" * 3001, today)
    abroad.status = "cancelled"
    db.session.commit()
    with pytest.raises(DomainError, match="annulé ou interrompu"):
        services.apply(abroad.student, abroad, erasmus, "", today)
    assert db.session.query(GrantApplication).count() == 0
    assert services.latest_internship(abroad.student) is None


def test_a_student_without_an_internship_of_that_year_finds_no_form(as_role, erasmus):
    b = as_role("student")
    assert b.get(f"/bourses/programmes/{erasmus.id}/demander").status_code == 404
    assert b.get("/bourses/programmes/999999/demander").status_code == 404


def test_the_student_withdraws_a_pending_request_once(app, as_role, abroad, erasmus):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    me = browser_for(app, abroad.student)
    resp = me.post(f"/bourses/demandes/{a.id}/retirer", follow_redirects=True)
    assert "Demande retirée." in page(resp) and "Retirée" in page(resp)
    resp = me.post(f"/bourses/demandes/{a.id}/retirer", follow_redirects=True)
    assert "Cette demande est retirée : elle ne se retire plus." in page(resp)
    assert as_role("student").post(f"/bourses/demandes/{a.id}/retirer").status_code == 404
    with pytest.raises(DomainError, match="Cette demande n’est pas la vôtre."):
        services.withdraw(as_role("student").user, a)
    db.session.expire_all()
    assert db.session.get(GrantApplication, a.id).status == "withdrawn"


# ---------------------------------------------------------------- deciding and paying

def _pay(label, amount, due=date(2027, 3, 25)):
    return services.PaymentData(label, due, amount)


def test_every_refusal_of_a_decision(make, abroad, erasmus):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    desk = make.user("secretariat")
    v = a.version_id
    cases = [
        (make.user("teacher"), True, "100", [_pay("x", "100")], v,
         "Les bourses sont décidées par le secrétariat."),
        (desk, True, "100", [_pay("x", "100")], v - 1, "Quelqu’un d’autre a modifié"),
        (desk, True, "", [_pay("x", "100")], v, "Montant accordé : indiquez un montant."),
        (desk, True, "0", [_pay("x", "0")], v,
         "Montant accordé : plus de 0 € (sinon, refusez la demande)."),
        (desk, True, "100", [_pay("Avant le départ", "")], v,
         "Versement 1 : indiquez son montant."),
        (desk, True, "100", [_pay("", "")], v, "Indiquez au moins un versement."),
        (desk, True, "100", [_pay("", "cent")], v,
         "Versement 1 : un montant en euros, par exemple 540 ou 540,50."),
    ]
    for actor, granted, amount, parts, version, message in cases:
        with pytest.raises(DomainError) as err:
            services.decide(actor, a, granted, amount, parts, None, version)
        assert message in err.value.message
        db.session.rollback()
    # an unnamed part takes its number; decided once only
    services.decide(desk, a, True, "100", [_pay("", "60"), _pay("", ""), _pay("Solde", "40")],
                    None, a.version_id)
    assert [(p.label, p.amount) for p in a.payments] == [("Versement 1", D("60.00")),
                                                         ("Solde", D("40.00"))]
    with pytest.raises(DomainError, match="Cette demande est déjà accordée."):
        services.decide(desk, a, False, None, [], "Non", a.version_id)


def test_a_whole_grant_before_departure_is_one_payment(year, abroad):
    whole = services.save_programme(year, _data(name="Région", funder="region",
                                                first_part_percent=100))
    a = services.apply(abroad.student, abroad, whole, "", date(2027, 1, 10))
    [part] = services.default_payments(a)
    assert (part.label, part.due_on, part.amount) == ("Avant le départ", date(2027, 3, 25),
                                                      a.requested_amount)


def test_only_the_secretariat_records_a_payment(as_role, make, abroad, erasmus):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    desk = as_role("secretariat")
    services.decide(desk.user, a, True, "100", [_pay("Tout", "100")], None, a.version_id)
    payment = a.payments[0]
    with pytest.raises(DomainError, match="Les versements sont enregistrés par le secrétariat"):
        services.record_paid(make.user("teacher"), payment, date(2027, 1, 5), date(2027, 1, 10))
    resp = desk.post(f"/bourses/versements/{payment.id}", {"paid_on": "pas une date"},
                     follow_redirects=True)
    assert "Date de versement invalide." in page(resp)
    desk.post(f"/bourses/versements/{payment.id}", {"paid_on": "2026-12-01"})
    resp = desk.post(f"/bourses/versements/{payment.id}", {"paid_on": ""},
                     follow_redirects=True)
    assert "Versement remis à verser." in page(resp)
    db.session.expire_all()
    assert db.session.get(type(payment), payment.id).paid_on is None
    assert desk.post("/bourses/versements/999999", {"paid_on": ""}).status_code == 404
