"""Mobility grants: the secretariat lists a year's programmes with their monthly amounts per
group of countries; a student abroad applies once from their internship; the secretariat
grants an amount paid in parts that add up to it to the cent (or refuses, saying why),
records each payment and exports the list; the student follows each grant's state."""
import re
from datetime import date
from decimal import Decimal

import pytest

from app.grants import services
from app.grants.models import GrantApplication, GrantPayment, GrantProgramme
from app.notifications.models import Notification
from app.rules import grants as rules
from tests.conftest import text

D = Decimal


def test_the_amount_of_a_stay_counts_whole_months_and_thirtieths():
    assert rules.stay_length(date(2027, 4, 8), date(2027, 7, 7)) == (3, 0)
    assert rules.stay_length(date(2027, 4, 8), date(2027, 6, 30)) == (2, 23)
    assert rules.stay_length(date(2027, 1, 31), date(2027, 2, 27)) == (0, 28)
    assert rules.stay_length(date(2027, 1, 31), date(2027, 2, 28)) == (1, 0)
    # 2 months × 540 + 23/30 × 540
    assert rules.amount(D("540"), date(2027, 4, 8), date(2027, 6, 30)) == D("1494.00")
    assert rules.amount(D("540"), date(2027, 4, 8), date(2027, 9, 30), max_months=3) == \
        D("1620.00")
    assert rules.amount(D("333.33"), date(2027, 4, 8), date(2027, 4, 8)) == D("11.11")


@pytest.mark.parametrize("total", ["1494.00", "1531.33", "0.01", "99999.99", "100.05"])
@pytest.mark.parametrize("percent", [0, 33, 70, 100])
def test_the_two_parts_always_make_the_amount_to_the_cent(total, percent):
    first, rest = rules.split(D(total), percent)
    assert first + rest == D(total) and first >= 0 and rest >= 0
    assert rules.parts_add_up(D(total), [first, rest])
    assert not rules.parts_add_up(D(total), [first, rest + D("0.01")])


def test_a_country_takes_its_group_else_the_group_of_every_country():
    rates = [rules.Rate("Groupe 1", rules.parse_countries("Danemark, Irlande ; Norvège"),
                        D("600")), rules.Rate("Autres", rules.parse_countries("*"), D("450"))]
    assert rules.rate_for("irlande", rates).group == "Groupe 1"
    assert rules.rate_for("Espagne", rates).group == "Autres"
    assert rules.rate_for("Espagne", rates[:1]) is None


@pytest.fixture
def year(db):
    from app.years import services as years

    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026))


@pytest.fixture
def abroad(make, db, year):
    """Inès Garcia's internship in Spain, 8 April – 30 June 2027."""
    from app.internships import services as internships

    student = make.user("student", first_name="Inès", last_name="Garcia")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(name="Arxiu de Barcelona", city="Barcelone", country="Espagne").id,
        subject="Numérisation", start_date=date(2027, 4, 8), end_date=date(2027, 6, 30),
        country="Espagne"))
    return i


@pytest.fixture
def erasmus(year, db):
    return services.save_programme(year, services.ProgrammeData(
        name="Erasmus+ stage 2027", funder="erasmus", deadline=date(2027, 2, 15),
        first_part_percent=70, max_months=None, description="Contrat de mobilité à signer.",
        rates=[services.RateData("Groupe 1", "Danemark, Irlande", "600"),
               services.RateData("Groupe 2", "Espagne, Italie", "540,00")]))


def test_the_secretariat_lists_a_programme_and_a_bad_amount_is_kept_with_its_message(
        as_role, year, db):
    s = as_role("secretariat")
    form = s.get("/bourses/programmes/nouveau?year=2026")
    assert form.status_code == 200 and "Tous pays" in text(form)
    data = {"name": "Bourse région Occitanie", "funder": "region",
            "deadline": "2027-03-01", "first_part_percent": "80",
            "rates-0-group": "Tous pays", "rates-0-countries": "",
            "rates-0-monthly": "trois cents"}
    resp = s.post("/bourses/programmes/nouveau?year=2026", data)
    assert resp.status_code == 200
    body = text(resp)
    assert "un montant en euros, par exemple 540 ou 540,50" in body
    assert 'value="Bourse région Occitanie"' in body and 'value="trois cents"' in body
    assert db.session.query(GrantProgramme).count() == 0
    resp = s.post("/bourses/programmes/nouveau?year=2026",
                  dict(data, **{"rates-0-monthly": "300"}), follow_redirects=True)
    assert "Programme « Bourse région Occitanie » ajouté pour 2026-2027" in text(resp)
    [p] = db.session.query(GrantProgramme).all()
    assert [(r.group_name, r.countries, r.monthly_amount) for r in p.rates] == [
        ("Tous pays", "*", D("300.00"))]
    # the same name twice in a year: the message next to the name
    again = s.post("/bourses/programmes/nouveau?year=2026", dict(data, **{
        "rates-0-monthly": "300"}))
    assert "Un programme de ce nom existe déjà cette année." in text(again)


def test_a_student_abroad_sees_the_amount_for_their_dates_and_applies_once(
        app, abroad, erasmus, db, make):
    from tests.conftest import Browser, login

    secretary = make.user("secretariat")
    c = app.test_client()
    login(c, abroad.student)
    b = Browser(c, abroad.student)
    if True:  # before the deadline (15 February 2027)
        page = text(b.get("/bourses/"))
        assert "Erasmus+ stage 2027" in page and "Groupe 2" in page
        assert "1\u202f494,00\u00a0€" in page or "1 494,00 €" in page.replace("\u202f", " ") \
            .replace("\u00a0", " ")
        resp = b.post(f"/bourses/programmes/{erasmus.id}/demander",
                      {"motivation": "Logement à Barcelone : 650 € par mois."},
                      follow_redirects=True)
        assert "Demande envoyée" in text(resp) and "Demandée" in text(resp)
        # a second click: one application, the reason said
        again = b.post(f"/bourses/programmes/{erasmus.id}/demander", {"motivation": ""})
        assert "Vous avez déjà demandé « Erasmus+ stage 2027 » pour ce stage." in text(again)
    [a] = db.session.query(GrantApplication).all()
    assert a.requested_amount == D("1494.00") and a.status == "submitted"
    [note] = db.session.query(Notification).filter_by(user_id=secretary.id).all()
    assert note.link == f"/bourses/demandes/{a.id}" and "Inès Garcia" in note.message
    # after the deadline, no more applications
    late = services.offers_for(abroad, date(2027, 2, 16))
    assert [o.open for o in late] == [False]
    with pytest.raises(services.DomainError, match="La date limite de « Erasmus"):
        services.apply(abroad.student, abroad, erasmus, "", date(2027, 2, 16))


def test_the_secretariat_grants_in_parts_that_must_add_up_and_records_a_payment(
        app, abroad, erasmus, as_role, db):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    s = as_role("secretariat")
    page = text(s.get(f"/bourses/demandes/{a.id}"))
    # prefilled: 70 % before departure, the rest after the report
    assert 'value="1494,00"' in page and 'value="1045,80"' in page and 'value="448,20"' in page
    form = {"decision": "grant", "amount": "1494,00", "version": str(a.version_id),
            "payments-0-what": "Avant le départ", "payments-0-due_on": "2027-03-25",
            "payments-0-amount": "1045,80",
            "payments-1-what": "Après le rapport", "payments-1-due_on": "2027-07-30",
            "payments-1-amount": "448,19"}
    resp = s.post(f"/bourses/demandes/{a.id}/decision", form)
    body = text(resp)
    assert "Les versements font 1" in body and "ils doivent faire le montant accordé" in body
    assert 'value="448,19"' in body  # what was typed is kept
    db.session.refresh(a)
    assert a.status == "submitted" and a.payments == []
    resp = s.post(f"/bourses/demandes/{a.id}/decision",
                  dict(form, **{"payments-1-amount": "448,20"}), follow_redirects=True)
    assert "Décision enregistrée" in text(resp)
    db.session.refresh(a)
    assert a.status == "granted" and a.amount == D("1494.00")
    assert [(p.label, p.amount) for p in a.payments] == [
        ("Avant le départ", D("1045.80")), ("Après le rapport", D("448.20"))]
    [told] = db.session.query(Notification).filter_by(user_id=abroad.student_id).all()
    assert "accordée : 1" in told.message
    # a payment recorded; the student reads it
    first = a.payments[0]
    future = s.post(f"/bourses/versements/{first.id}", {"paid_on": "2099-03-26"},
                    follow_redirects=True)
    assert "Un versement s’enregistre une fois fait" in text(future)
    s.post(f"/bourses/versements/{first.id}", {"paid_on": "2026-12-01"})
    assert db.session.get(GrantPayment, first.id).paid_on == date(2026, 12, 1)
    from tests.conftest import Browser, login

    c = app.test_client()
    login(c, abroad.student)
    mine = text(Browser(c, abroad.student).get(f"/bourses/demandes/{a.id}"))
    assert "Accordée" in mine and "le 1er décembre 2026" in mine and "Enregistrer" not in mine
    # decided once: a second decision is refused
    again = s.post(f"/bourses/demandes/{a.id}/decision", dict(form, decision="refuse",
                                                              comment="Non"))
    assert "Quelqu’un d’autre a modifié cette demande" in text(again) or \
        "déjà accordée" in text(again)


def test_a_refusal_says_why_and_the_export_lists_the_year(app, abroad, erasmus, as_role, db):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    s = as_role("secretariat")
    resp = s.post(f"/bourses/demandes/{a.id}/decision",
                  {"decision": "refuse", "version": str(a.version_id), "comment": ""})
    assert "Dites pourquoi : l’étudiant·e le lira." in text(resp)
    s.post(f"/bourses/demandes/{a.id}/decision",
           {"decision": "refuse", "version": str(a.version_id),
            "comment": "Dossier incomplet : contrat de mobilité manquant."})
    db.session.refresh(a)
    assert a.status == "refused"
    csv = s.get("/bourses/export.csv?year=2026").get_data(as_text=True)
    assert "Erasmus+ stage 2027;Garcia;Inès" in csv and "Refusée" in csv
    assert "1494,00" in csv
    listing = text(s.get("/bourses/?year=2026&status=refused"))
    assert "Inès Garcia" in listing and "1 demande" in listing


def test_who_may_see_a_grant(app, abroad, erasmus, as_role, make):
    a = services.apply(abroad.student, abroad, erasmus, "", date(2027, 1, 10))
    assert as_role("student").get(f"/bourses/demandes/{a.id}").status_code == 404
    assert as_role("teacher").get(f"/bourses/demandes/{a.id}").status_code == 404
    assert as_role("teacher").get("/bourses/").status_code == 403
    assert as_role("admin").get(f"/bourses/demandes/{a.id}").status_code == 200


def test_an_internship_in_france_gets_no_mobility_grant(make, year, erasmus, as_role):
    from app.errors import DomainError
    from app.internships import services as internships

    b = as_role("student")
    i, _ = internships.create_internship(b.user, internships.InternshipData(
        host_id=make.host().id, subject="Archives", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30)))
    assert "réservées aux stages à l’étranger" in text(b.get("/bourses/"))
    with pytest.raises(DomainError, match="réservées aux stages à l’étranger"):
        services.apply(b.user, i, erasmus, "", date(2027, 1, 10))
    assert re.search("Demander cette bourse", text(b.get("/bourses/"))) is None
