"""The budget planner: the gratification of each month as the internship computes it, the
granted grants' payments in their month, the student's expected costs once or every month;
each month's balance and the running balance; private unless shared with the tutor."""
from datetime import date
from decimal import Decimal

import pytest

from app.budget import services
from app.budget.models import BudgetLine
from app.internships.attestation import expected_total
from app.internships.services import gratification_of
from app.notifications.models import Notification
from app.rules import budget as rules
from app.tutoring.models import TutorAssignment
from tests.conftest import Browser, login, text

D = Decimal


@pytest.fixture
def year(db):
    from app.years import services as years

    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026))


@pytest.fixture
def stay(make, db, year):
    """Inès Garcia in Barcelona, 8 April – 30 June 2027, 700 € a month agreed; a tutor."""
    from app.internships import services as internships

    student = make.user("student", first_name="Inès", last_name="Garcia")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(name="Arxiu de Barcelona", country="Espagne").id,
        subject="Numérisation", start_date=date(2027, 4, 8), end_date=date(2027, 6, 30),
        country="Espagne", agreed_amount=D("700"), agreed_unit="month"))
    tutor = make.user("teacher", last_name="Referente")
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    return i, tutor


def _as(app, user) -> Browser:
    c = app.test_client()
    login(c, user)
    return Browser(c, user)


def test_the_gratification_lines_are_the_internship_computed_months(make, year, db):
    """Paid by the hour in France: each month's line is that month's hours × the rate, the
    months are the computation's, and they add up to what the statistics count."""
    from app.internships import services as internships

    student = make.user("student")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="Archives", start_date=date(2027, 4, 8),
        end_date=date(2027, 7, 23), agreed_amount=D("4.50"), agreed_unit="hour"))
    today = date(2027, 1, 5)
    result = gratification_of(i, today)
    plan = services.view(i, today)
    assert [m for m, _ in plan.gratification] == [line.month for line in result.months]
    assert [v for _, v in plan.gratification] == [
        (D("4.50") * line.hours).quantize(D("0.01")) for line in result.months]
    assert sum(v for _, v in plan.gratification) == expected_total(i, today, result)
    # without an agreed amount in France, the legal minimum of each month where it is due
    i.agreed_amount = None
    db.session.commit()
    plan = services.view(i, today)
    assert [v for _, v in plan.gratification] == [line.amount for line in result.months]


def test_each_month_balances_income_and_costs_and_the_balance_runs():
    grat = [(date(2027, 4, 1), D("700")), (date(2027, 5, 1), D("700")),
            (date(2027, 6, 1), D("700"))]
    costs = [rules.Cost("travel", "Billet d’avion", D("180"), rules.BEFORE),
             rules.Cost("housing", "Chambre", D("650"), rules.EVERY_MONTH),
             rules.Cost("other", "Retour", D("120"), "2027-06")]
    rows = rules.plan(date(2027, 4, 8), grat, [("Erasmus+ — avant", date(2027, 3, 20),
                                                 D("1045.80")),
                                                ("Erasmus+ — après", date(2027, 7, 30),
                                                 D("448.20"))], costs)
    assert [r.month for r in rows] == [date(2027, 3, 1), date(2027, 4, 1), date(2027, 5, 1),
                                       date(2027, 6, 1)]
    assert [r.balance for r in rows] == [D("865.80"), D("50"), D("50"), D("378.20")]
    assert [r.running for r in rows] == [D("865.80"), D("915.80"), D("965.80"), D("1344.00")]
    assert rules.totals(rows) == (D("3594.00"), D("2250"), D("1344.00"))
    assert rules.by_category(costs, 3) == {"travel": D("180"), "housing": D("1950"),
                                           "other": D("120")}


def test_the_student_plans_costs_and_a_bad_amount_comes_back_with_its_message(app, stay, db):
    i, _ = stay
    b = _as(app, i.student)
    page = b.get(f"/budget/{i.id}")
    assert page.status_code == 200
    body = text(page)
    assert "Avant le départ" in body and "Avril 2027" in body and "700,00" in body
    resp = b.post(f"/budget/{i.id}/lignes", {"category": "housing", "label": "Chambre",
                                             "amount": "six cents", "timing": "monthly"},
                  htmx=True)
    assert resp.status_code == 200
    body = text(resp)
    assert "Montant : un nombre d’euros de plus de 0" in body and 'value="six cents"' in body
    assert db.session.query(BudgetLine).count() == 0
    resp = b.post(f"/budget/{i.id}/lignes", {"category": "housing", "label": "Chambre",
                                             "amount": "650", "timing": "monthly"}, htmx=True)
    body = text(resp)
    assert 'id="budget"' in body and "<html" not in body
    # 3 × 700 income, 3 × 650 housing
    assert "Solde à la fin du stage : 150,00" in body.replace("\u202f", " ")
    b.post(f"/budget/{i.id}/lignes", {"category": "travel", "label": "Billet d’avion",
                                      "amount": "180,50", "timing": "before"})
    [_, flight] = db.session.query(BudgetLine).order_by(BudgetLine.id).all()
    assert flight.amount == D("180.50") and flight.timing == "before"
    resp = b.post(f"/budget/{i.id}/lignes/{flight.id}/supprimer", htmx=True)
    assert "Billet d’avion" not in text(resp)
    again = b.post(f"/budget/{i.id}/lignes/{flight.id}/supprimer", htmx=True)
    assert "Cette ligne n’existe plus" in text(again)  # said in the fragment, not lost


def test_granted_payments_count_in_their_month(app, stay, make, db):
    from app.grants import services as grants

    i, _ = stay
    programme = grants.save_programme(i.academic_year, grants.ProgrammeData(
        name="Erasmus+", funder="erasmus", deadline=date(2027, 2, 15), first_part_percent=70,
        max_months=None, description=None, rates=[grants.RateData("Tous pays", "", "540")]))
    a = grants.apply(i.student, i, programme, "", date(2027, 1, 10))
    plan = services.view(i, date(2027, 1, 11))
    assert [g.programme.name for g in plan.pending_grants] == ["Erasmus+"]
    assert plan.income == D("2100.00")  # not counted while not decided
    grants.decide(make.user("secretariat"), a, True, "1494", [
        grants.PaymentData("Avant le départ", date(2027, 3, 25), "1045,80"),
        grants.PaymentData("Après le rapport", date(2027, 7, 30), "448,20")], None,
        a.version_id)
    plan = services.view(i, date(2027, 3, 1))
    assert plan.months[0].income == [("Erasmus+ — Avant le départ", D("1045.80"))]
    assert ("Erasmus+ — Après le rapport", D("448.20")) in plan.months[-1].income
    assert plan.income == D("3594.00")


def test_the_budget_is_private_until_shared_with_the_tutor(app, stay, as_role, db):
    i, tutor = stay
    assert _as(app, tutor).get(f"/budget/{i.id}").status_code == 404
    assert as_role("secretariat").get(f"/budget/{i.id}").status_code == 404
    assert as_role("student").get(f"/budget/{i.id}").status_code == 404
    assert as_role("student").post(f"/budget/{i.id}/lignes", {
        "category": "housing", "amount": "1", "timing": "monthly"}).status_code == 404
    b = _as(app, i.student)
    b.post(f"/budget/{i.id}/partage", {"shared": "y"})
    [note] = db.session.query(Notification).filter_by(user_id=tutor.id).all()
    assert note.link == f"/budget/{i.id}" and "Inès Garcia partage" in note.message
    page = _as(app, tutor).get(f"/budget/{i.id}")
    assert page.status_code == 200 and "Ajouter la dépense" not in text(page)
    assert _as(app, tutor).post(f"/budget/{i.id}/lignes", {
        "category": "housing", "amount": "1", "timing": "monthly"}).status_code == 403
    b.post(f"/budget/{i.id}/partage", {})
    assert _as(app, tutor).get(f"/budget/{i.id}").status_code == 404
