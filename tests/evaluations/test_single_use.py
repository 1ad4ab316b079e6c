"""An evaluation link is answered once: the answers are a conditional update (not yet
answered), so a second answer, at the same instant or later, changes nothing and says so."""
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.accounts.models import utcnow
from app.evaluations import services
from app.evaluations.models import Evaluation
from tests.conftest import Browser, login, text
from tests.races import at_once, on_postgres, widened

SENT = "Cette évaluation a déjà été envoyée"


@pytest.fixture
def ended(app, make, db):
    """An ended internship with one objective, a tutor, and its evaluations open."""
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2025))

    def _make():
        student = make.user("student")
        tutor = make.user("teacher")
        i, _ = internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="Inventaire", start_date=date(2026, 4, 8),
            end_date=date(2026, 6, 30), host_tutor_name="Jeanne Roy",
            host_tutor_email="jeanne.roy@example.org", agreed_amount=Decimal("4.50"),
            agreed_unit="hour", objectives=["Décrire 40 boîtes"]))
        db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                       academic_year_id=year.id))
        db.session.commit()
        services.open_evaluations(i, date(2026, 7, 1))
        evaluations = {e.kind: e for e in db.session.query(Evaluation).filter_by(
            internship_id=i.id)}
        return i, student, tutor, evaluations

    return _make


def _answers(internship, appreciation):
    return {"appreciation": appreciation, "welcome": appreciation,
            f"objective-{internship.objectives[0].id}": "reached"}


def test_an_evaluation_answered_since_it_was_read_is_not_answered_again(ended, db):
    """Read unanswered, answered meanwhile (here in the same transaction, behind the
    session's back): the conditional update finds nothing to answer."""
    internship, *_, evaluations = ended()
    e = evaluations["host_tutor"]
    db.session.execute(update(Evaluation).where(Evaluation.id == e.id)
                       .values(answers={"appreciation": "La première"}, submitted_at=utcnow())
                       .execution_options(synchronize_session=False))
    assert e.submitted_at is None
    with pytest.raises(services.AlreadyAnswered):
        services.submit(e, _answers(internship, "La seconde"), date.today())
    db.session.expire_all()
    assert db.session.get(Evaluation, e.id).answers == {}  # rolled back, the first too


def test_a_link_sent_twice_is_answered_once(ended, client, db):
    internship, *_, evaluations = ended()
    path = f"/evaluations/lien/{services.link_token(evaluations['host_tutor'])}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(client.get(path))).group(1)
    first = client.post(path, data={"csrf_token": token, **_answers(internship, "Très bien")})
    assert "Merci" in text(first)
    again = client.post(path, data={"csrf_token": token, **_answers(internship, "Autre")})
    assert again.status_code == 410 and SENT in text(again)
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluations["host_tutor"].id).answers[
        "appreciation"] == "Très bien"


def test_a_student_sending_twice_is_told_it_is_sent(ended, app, db):
    internship, student, _, evaluations = ended()
    b = Browser(app.test_client(), student)
    login(b.client, student)
    url = f"/evaluations/{evaluations['student_host'].id}"
    b.post(url, _answers(internship, "Bon accueil"))
    again = b.post(url, _answers(internship, "Autre"), follow_redirects=True)
    assert again.status_code == 200 and SENT in text(again)
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluations["student_host"].id).answers[
        "welcome"] == "Bon accueil"


@on_postgres
def test_one_link_answered_twice_at_the_same_instant_is_accepted_once(app, ended, db):
    for _ in range(3):
        internship, *_, evaluations = ended()
        objective = internship.objectives[0].id
        path = f"/evaluations/lien/{services.link_token(evaluations['host_tutor'])}"
        tabs = []
        for appreciation in ("Premier onglet", "Second onglet"):
            c = app.test_client()
            token = re.search(r'name="csrf_token" value="([^"]+)"',
                              text(c.get(path))).group(1)
            form = {"csrf_token": token, "appreciation": appreciation,
                    f"objective-{objective}": "reached"}
            tabs.append(lambda c=c, form=form, path=path: c.post(path, data=form))
        with widened(db.engine, "evaluations"):
            responses = at_once(*tabs)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409], codes
        won = next(i for i, r in enumerate(responses) if r.status_code == 200)
        assert "Merci" in text(responses[won])
        assert SENT in text(responses[1 - won])
        db.session.expire_all()
        answered = db.session.get(Evaluation, evaluations["host_tutor"].id)
        assert answered.answers["appreciation"] == ("Premier onglet", "Second onglet")[won]


@on_postgres
def test_a_student_answering_from_two_tabs_at_once_is_accepted_once(app, ended, db):
    internship, student, _, evaluations = ended()
    url = f"/evaluations/{evaluations['student_host'].id}"
    tabs = []
    for welcome in ("Premier onglet", "Second onglet"):
        b = Browser(app.test_client(), student)
        login(b.client, student)
        _ = b.token  # read before the race
        form = _answers(internship, welcome)
        tabs.append(lambda b=b, form=form: b.post(url, form, follow_redirects=True))
    with widened(db.engine, "evaluations"):
        responses = at_once(*tabs)
    assert [r.status_code for r in responses] == [200, 200]
    bodies = [text(r) for r in responses]
    assert sum("Évaluation envoyée : merci." in body for body in bodies) == 1
    assert sum(SENT in body for body in bodies) == 1
