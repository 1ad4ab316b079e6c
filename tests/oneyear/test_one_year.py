"""« Un an après »: twelve months after an internship ended, its former student and host tutor
are asked once what it changed; with consent the answer waits for moderation as a good
practice linked to the host, and the statistics count the internships that led to one."""
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.feedback.models import GoodPractice
from app.notifications.models import Notification
from app.oneyear import services
from app.oneyear.models import OneYearSurvey
from app.rules.oneyear import ended_between, is_due, one_year_after
from tests.conftest import text
from tests.races import at_once, on_postgres, widened


def _on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 7,
                                        tzinfo=ZoneInfo("Europe/Paris")), tick=False)


@pytest.fixture
def year(db):
    from app.years import services as years

    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2025))


@pytest.fixture
def internship(make, db, year):
    """Inès Martin’s internship at the Archives du Rhône, April–June 2026, convention signed."""
    def _make(end=date(2026, 6, 30), signed=True, status=None, host_tutor=True, name="Martin"):
        from app.internships import services as internships

        student = make.user("student", first_name="Inès", last_name=name)
        i, _ = internships.create_internship(student, internships.InternshipData(
            host_id=make.host(name=f"Archives du Rhône {name}").id, subject="Inventaire",
            start_date=date(2026, 4, 8), end_date=end,
            host_tutor_name="Jeanne Roy" if host_tutor else None,
            host_tutor_email=f"jeanne.roy.{name.lower()}@example.org" if host_tutor else None,
            agreed_amount=Decimal("4.50"), agreed_unit="hour", objectives=["Décrire"]))
        i.convention_signed_on = date(2026, 3, 20) if signed else None
        if status:
            i.status = status
        db.session.commit()
        return i

    return _make


def _run(app):
    result = app.test_cli_runner().invoke(args=["send-one-year-surveys"])
    assert result.exit_code == 0, result.output
    return result.output


def _link(smtp, to: str) -> str:
    body = smtp.to(to)[-1]["body"]
    return re.search(r"http://[^\s]+/un-an-apres/[^\s]+", body).group(0).split("localhost", 1)[1]


def _csrf(page) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)


def test_the_anniversary_and_the_range_of_end_dates_agree():
    assert one_year_after(date(2026, 6, 30)) == date(2027, 6, 30)
    assert one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)
    ends = [date(2023, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    for today in (date(2025, 2, 28), date(2025, 3, 1), date(2025, 4, 29), date(2025, 4, 30),
                  date(2024, 2, 29), date(2024, 12, 31), date(2025, 1, 1), date(2026, 3, 1)):
        first, last = ended_between(today)
        assert {e for e in ends if is_due(e, today)} == {e for e in ends if first <= e <= last}


def test_the_questionnaire_leaves_once_on_the_anniversary(app, internship, smtp, db):
    mine = internship()
    internship(name="Annule", status="cancelled")
    internship(name="Sansconvention", signed=False)

    with _on(date(2027, 6, 29)):
        assert "0 questionnaire « un an après » envoyé." in _run(app)
    with _on(date(2027, 6, 30)):
        assert "2 questionnaires « un an après » envoyés." in _run(app)
        # run twice the same day: sent once
        assert "0 questionnaire « un an après » envoyé." in _run(app)
    with _on(date(2027, 7, 20)):
        assert "0 questionnaire « un an après » envoyé." in _run(app)
    assert not is_due(mine.end_date, date(2027, 8, 30))  # 61 days after: too late to ask

    assert {(s.internship_id, s.respondent) for s in db.session.query(OneYearSurvey)} == {
        (mine.id, "student"), (mine.id, "host_tutor")}
    [student_mail] = smtp.to(mine.student.email)
    assert student_mail["subject"] == "Un an après votre stage : ce qu’il a changé"
    assert "du 8 avril 2026 au 30 juin 2026" in student_mail["body"]
    [host_mail] = smtp.to("jeanne.roy.martin@example.org")
    assert host_mail["subject"] == "Un an après le stage d’Inès Martin"
    assert "Bonjour Jeanne Roy" in host_mail["body"] and "/un-an-apres/" in host_mail["body"]


def test_a_second_sender_skips_what_was_sent(app, internship, db, monkeypatch):
    """Another worker sent it between the read and the write: the unique (internship,
    respondent) makes this one skip it, and the other respondent is still asked."""
    i = internship()
    real = services._recipients

    def meanwhile(internship):
        db.session.add(OneYearSurvey(internship_id=internship.id, respondent="student",
                                     email="x@example.org", token_nonce="n"))
        db.session.commit()
        return real(internship)

    monkeypatch.setattr(services, "_recipients", meanwhile)
    assert services.send_due(date(2027, 6, 30)) == 1
    assert db.session.query(OneYearSurvey).filter_by(internship_id=i.id).count() == 2


def test_the_host_tutor_answers_and_consents_a_pending_good_practice_appears(
        app, internship, smtp, client, make, db, as_role):
    i = internship()
    secretary = make.user("secretariat")
    with _on(date(2027, 6, 30)):
        _run(app)
        path = _link(smtp, "jeanne.roy.martin@example.org")
        page = client.get(path)
        assert page.status_code == 200
        assert "Stage d’Inès Martin, Archives du Rhône Martin" in text(page)
        token = _csrf(page)

        # the main question is required: the form comes back, what was typed kept
        resp = client.post(path, data={"csrf_token": token, "changed": "  ",
                                       "inspired": "Un tableau de bord", "consent": "y"})
        assert resp.status_code == 200
        body = text(resp)
        assert "<title>Erreur :" in body and "Ce champ est obligatoire." in body
        assert "Un tableau de bord</textarea>" in body
        assert db.session.query(GoodPractice).count() == 0

        resp = client.post(path, data={
            "csrf_token": token, "changed": "Les versements sont décrits dès leur arrivée.",
            "inspired": "Un tableau de bord des fonds", "consent": "y"})
        assert resp.status_code == 200 and "Merci" in text(resp)
        assert "relit avant de la publier" in text(resp)

        # once only
        again = client.get(path)
        assert again.status_code == 410 and "déjà été envoyé" in text(again)

    [practice] = db.session.query(GoodPractice).all()
    assert practice.status == "pending" and practice.host_id == i.host_id
    assert "Les versements sont décrits" in practice.description
    assert "Innovation ou progrès inspiré : Un tableau de bord" in practice.description
    assert "Jeanne Roy" in practice.context
    [notice] = db.session.query(Notification).filter_by(user_id=secretary.id).all()
    assert "un an après" in notice.message and notice.link == "/retours/moderation"
    moderation = as_role("secretariat").get("/retours/moderation")
    assert "Un an après un stage : Archives du Rhône Martin" in text(moderation)


def test_without_consent_the_answer_is_only_counted(app, internship, smtp, client, db,
                                                     as_role):
    i = internship()
    with _on(date(2027, 6, 30)):
        _run(app)
        path = _link(smtp, i.student.email)
        token = _csrf(client.get(path))
        resp = client.post(path, data={"csrf_token": token, "changed": "Rien de durable."})
        assert resp.status_code == 200 and "relit" not in text(resp)
    assert db.session.query(GoodPractice).count() == 0
    survey = db.session.query(OneYearSurvey).filter_by(respondent="student").one()
    assert survey.answered_at is not None and survey.consent is False


def test_a_wrong_or_altered_link_is_refused(app, internship, smtp, client):
    internship()
    with _on(date(2027, 6, 30)):
        _run(app)
        path = _link(smtp, "jeanne.roy.martin@example.org")
    resp = client.get(path[:-3] + "abc")
    assert resp.status_code == 410 and "pas valide" in text(resp)
    with _on(date(2027, 10, 15)):  # 107 days later: past ONE_YEAR_LINK_DAYS (90)
        resp = client.get(path)
    assert resp.status_code == 410 and "expiré" in text(resp)


def test_the_statistics_count_the_internships_that_led_to_a_good_practice(
        app, internship, smtp, client, db, as_role, year):
    i = internship()
    with _on(date(2027, 6, 30)):
        _run(app)
        for address in (i.student.email, "jeanne.roy.martin@example.org"):
            path = _link(smtp, address)
            token = _csrf(client.get(path))
            client.post(path, data={"csrf_token": token, "changed": "Une méthode",
                                    "consent": "y"})
    practices = db.session.query(GoodPractice).all()
    assert len(practices) == 2
    boss = as_role("secretariat")
    boss.post(f"/retours/moderation/pratique/{practices[0].id}", {"decision": "publish"})
    page = text(boss.get(f"/statistiques/?year={year.start_year}"))
    assert "Un an après" in page
    assert re.search(r"Stages interrogés</dt><dd>1</dd>.*Avec au moins une réponse</dt><dd>1"
                     r"</dd>.*bonne pratique publiée</dt><dd>1</dd>", page, re.DOTALL)
    csv = boss.get(f"/statistiques/export.csv?year={year.start_year}").get_data(as_text=True)
    assert "Un an après;stages ayant conduit à une bonne pratique publiée;1" in csv


@on_postgres
def test_the_same_link_sent_twice_at_once_is_recorded_once(app, internship, smtp, db):
    from tests.conftest import Browser

    internship()
    with _on(date(2027, 6, 30)):
        _run(app)
        path = _link(smtp, "jeanne.roy.martin@example.org")

        def send():
            c = app.test_client()
            token = _csrf(c.get(path))
            return lambda: Browser(c).client.post(path, data={
                "csrf_token": token, "changed": "Une méthode", "consent": "y"}).status_code

        first, second = send(), send()
        with widened(db.engine, "one_year_surveys"):
            codes = at_once(first, second)
    assert sorted(codes) == [200, 409]
    assert db.session.query(GoodPractice).count() == 1
