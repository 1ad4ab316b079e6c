"""The demo department: what a newcomer sees after ``flask --app wsgi seed-demo``."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from app.accounts.models import User
from app.applications.models import STATUSES as APPLICATION_STATUSES
from app.applications.models import Application
from app.conventions.models import Amendment, Convention
from app.conventions.workflow import STATUSES as CONVENTION_STATUSES
from app.defenses.models import Defense, DefenseSession
from app.demo import DEMO_PASSWORD
from app.evaluations.models import Evaluation
from app.feedback.models import Debrief, Feedback, GoodPractice
from app.grants.models import GrantApplication
from app.internships.models import Internship
from app.rules.years import academic_start_year
from app.tutoring.models import TutorAssignment
from app.years.models import AcademicYear
from tests.conftest import Browser, login, text

COUNTED = (User, Internship, Convention, Amendment, Application, Evaluation, Defense,
           DefenseSession, Feedback, GoodPractice, Debrief, TutorAssignment, AcademicYear,
           GrantApplication)


def _counts(db):
    return {m.__name__: db.session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in COUNTED}


def _as(app, email):
    user = User.query.filter_by(email=email).one()
    client = app.test_client()
    login(client, user, DEMO_PASSWORD)
    return Browser(client, user)


def test_the_demo_shows_a_whole_year(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    today = datetime.now().date()
    running = academic_start_year(today)
    years = {y.start_year: y for y in AcademicYear.query.all()}
    assert {running - 1, running} <= set(years)
    assert all(years[y].programme_hours for y in (running - 1, running))

    # the running year: conventions in every state but the rupture, applications in every one
    this_year = (select(Convention.status).join(Convention.internship)
                 .where(Internship.academic_year_id == years[running].id))
    statuses = set(db.session.execute(this_year).scalars())
    assert statuses == set(CONVENTION_STATUSES) - {"ended_early"}
    assert Amendment.query.count() >= 1
    cancelled = Convention.query.filter_by(status="cancelled").one().internship
    again = Internship.query.filter(Internship.student_id == cancelled.student_id,
                                    Internship.id != cancelled.id,
                                    Internship.academic_year_id == years[running].id).one()
    assert again.status == "planned"
    assert {a.status for a in Application.query.all()} == set(APPLICATION_STATUSES)
    assert Application.query.first().cv is not None
    draft = Defense.query.join(Defense.session).filter(
        DefenseSession.academic_year_id == years[running].id).all()
    assert draft and not any(d.published for d in draft)
    assert all(d.starts_at.year == running + 1 and d.starts_at.month == 9 for d in draft)

    # the previous year: signed, defended in September, evaluated, told
    past = Internship.query.filter_by(academic_year_id=years[running - 1].id).all()
    assert len(past) >= 10
    assert all(i.convention.status == "signed" and i.end_date < today for i in past)
    defenses = [i.defense for i in past]
    assert all(d is not None and d.published and d.starts_at.date() < today for d in defenses)
    evaluations = Evaluation.query.filter(Evaluation.internship_id.in_([i.id for i in past]))
    assert evaluations.count() == 3 * len(past)
    assert all(e.submitted_at is not None for e in evaluations)
    assert any(i.gratification_paid is not None for i in past)
    assert Feedback.query.filter_by(status="published").count() >= 3
    assert GoodPractice.query.filter_by(status="published").count() >= 2
    assert Debrief.query.filter_by(shared_with_tutor=True).count() == 1
    first_step = min(c.created_at for c in Convention.query.join(Convention.internship)
                     .filter(Internship.academic_year_id == years[running - 1].id))
    assert first_step.year == running   # the history reads as it happened, not today

    # the demo student has a convention in progress; the demo teacher has tutees
    student = _as(app, "etudiant@demo-iut.fr")
    home = text(student.get("/"))
    assert "Convention en cours" in home and "Ma convention" in home
    teacher = _as(app, "enseignant@demo-iut.fr")
    home = text(teacher.get("/"))
    assert "Mes tutoré·es" in home and "Léa Martin" in home
    assert "Accords pédagogiques à donner" in home
    secretariat = _as(app, "secretariat@demo-iut.fr")
    assert secretariat.get("/conventions/").status_code == 200

    # a student leaves abroad: an Erasmus+ grant given in two parts, a regional one waiting,
    # her budget month by month
    grants = {a.status: a for a in GrantApplication.query.all()}
    assert set(grants) == {"granted", "submitted"}
    granted = grants["granted"]
    assert len(granted.payments) == 2
    assert sum(p.amount for p in granted.payments) == granted.amount
    assert granted.internship.is_abroad
    leaving = _as(app, granted.internship.student.email)
    assert "Accordée" in text(leaving.get("/bourses/"))
    assert "Chambre en colocation" in text(leaving.get(f"/budget/{granted.internship_id}"))
    assert "Demandée" in text(secretariat.get(f"/bourses/?year={running}"))

    # a second run adds nothing
    counts = _counts(db)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts(db) == counts


@pytest.mark.parametrize("moment, applying", [("2027-06-30T10:00", True),
                                              ("2027-08-31T20:00", False)])
def test_the_demo_seeds_on_any_day_of_the_year(app, db, moment, applying):
    """Late in the year the running year's offers are all past their deadline: the demo's
    applications go to the offers open when they were sent, and fewer students apply."""
    when = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    with time_machine.travel(when, tick=False):
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        running = academic_start_year(when.date())
        year = AcademicYear.query.filter_by(start_year=running).one()
        assert Convention.query.filter_by(academic_year_id=year.id).count() >= 10
        assert (Application.query.count() > 0) is applying  # none open in July: none sent
