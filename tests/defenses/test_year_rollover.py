"""The year changes on 1 September, the work does not: moving the clock from June to
25 September and to the next October, the defences, the tutor's tutees and their logs stay
on the year whose work is open, then move on once it is all held and closed."""
from datetime import UTC, date, datetime

import pytest
import time_machine

from app.defenses.models import Defense
from tests.conftest import Browser, login, text


def _at(day: date):
    return time_machine.travel(datetime.combine(day, datetime.min.time()).replace(
        hour=10, tzinfo=UTC), tick=False)


def _browser(app, user) -> Browser:
    c = app.test_client()  # a new login at each date: sessions do not outlive months
    login(c, user)
    return Browser(c, user)


@pytest.fixture
def cohort(make, db):
    """In March 2027: two interns of 2026-2027 (April–July), both tutored by one teacher."""
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    with _at(date(2027, 3, 1)):
        years.ensure_default_rates()
        year = years.current_year(date.today())
        tutor = make.user("teacher", first_name="Valérie", last_name="Arnaud")
        make.user("teacher", last_name="Second")
        secretary = make.user("secretariat")
        interns = []
        for n, end in enumerate((date(2027, 7, 23), date(2027, 7, 30))):
            student = make.user("student", last_name=f"Soutenant{n}")
            i, _ = internships.create_internship(student, internships.InternshipData(
                host_id=make.host().id, subject="Inventaire", start_date=date(2027, 4, 12),
                end_date=end, host_tutor_email=f"tuteur{n}@example.org"))
            db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                           academic_year_id=year.id))
            interns.append(i)
        db.session.commit()
    return year, interns, tutor, secretary


def test_the_running_year_stays_until_its_work_is_held_and_closed(app, db, cohort, make):
    from app.evaluations import services as evaluations
    from app.evaluations.models import Evaluation

    year, interns, tutor, secretary = cohort
    student = interns[0].student
    with _at(date(2027, 6, 10)):
        s = _browser(app, secretary)
        for day in ("2027-09-06", "2027-09-28"):
            assert s.post("/soutenances/journees", {
                "day": day, "room": "A101", "start_time": "09:00", "end_time": "09:30",
                "slot_minutes": "30", "year": "2026"}).status_code == 303
        s.post("/soutenances/proposer", {"year": "2026"})
        s.post("/soutenances/publier", {"year": "2026"})
        assert {d.starts_at.date() for d in db.session.query(Defense)} == {
            date(2027, 9, 6), date(2027, 9, 28)}
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2026-2027" in page and student.full_name in page

    with _at(date(2027, 9, 25)):
        s = _browser(app, secretary)
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2026-2027" in page and "Pas encore de planning" not in page
        assert student.full_name in page
        assert '<option value="2027"' in page  # the new year is one choice away
        assert "Pas encore de planning" in text(s.get("/soutenances/?year=2027"))
        t = _browser(app, tutor)
        mine = text(t.get("/tutorat/mes-tutores"))
        assert "Mes tutoré·es — 2026-2027" in mine and student.last_name in mine
        log = t.get(f"/tutorat/suivi/{student.id}")
        assert log.status_code == 200 and "2026-2027" in text(log)
        assert t.get(f"/tutorat/suivi/{student.id}?year=2026").status_code == 200
        # the evaluations of the running year are still to come
        assert "2026-2027 (en cours)" in text(s.get("/evaluations/"))

    with _at(date(2027, 10, 5)):
        # everything held (6 and 28 September) and every evaluation answered
        for i in interns:
            evaluations.open_evaluations(db.session.merge(i), date.today())
        for e in db.session.query(Evaluation):
            e.submitted_at = datetime.now(UTC)
        db.session.commit()
        s = _browser(app, secretary)
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2027-2028" in page and "Pas encore de planning" in page
        assert student.full_name in text(s.get("/soutenances/?year=2026"))
        t = _browser(app, tutor)
        assert "Mes tutoré·es — 2027-2028" in text(t.get("/tutorat/mes-tutores"))
        old = text(t.get("/tutorat/mes-tutores?year=2026"))
        assert student.last_name in old
        # last year's tutee stays readable by their tutor of that year
        assert f'href="/tutorat/suivi/{student.id}?year=2026"' in old
        assert t.get(f"/tutorat/suivi/{student.id}?year=2026").status_code == 200
        assert t.get(f"/tutorat/suivi/{student.id}").status_code == 200
        # the second juror sat on the jury: they read it too; a teacher with no part does not
        juror = _browser(app, db.session.query(type(tutor)).filter_by(last_name="Second").one())
        assert juror.get(f"/tutorat/suivi/{student.id}?year=2026").status_code == 200
        other = _browser(app, make.user("teacher", last_name="Autre"))
        assert other.get(f"/tutorat/suivi/{student.id}?year=2026").status_code == 404


def test_a_tutor_keeps_the_year_while_a_defence_is_to_come(app, db, cohort):
    year, interns, tutor, secretary = cohort
    with _at(date(2027, 6, 10)):
        s = _browser(app, secretary)
        s.post("/soutenances/journees", {"day": "2027-10-12", "room": "B2", "start_time": "09:00",
                                         "end_time": "10:00", "slot_minutes": "30"})
        s.post("/soutenances/proposer")
        s.post("/soutenances/publier")  # the defence evaluation opens on a published day
        assert db.session.query(Defense).filter_by(published=True).count() == 2
    with _at(date(2027, 10, 5)):
        t = _browser(app, tutor)
        assert "Mes tutoré·es — 2026-2027" in text(t.get("/tutorat/mes-tutores"))
    with _at(date(2027, 10, 13)):
        from app.evaluations import services as evaluations
        from app.evaluations.models import Evaluation

        for i in interns:
            evaluations.open_evaluations(db.session.merge(i), date.today())
        for e in db.session.query(Evaluation).filter_by(kind="academic_tutor"):
            e.submitted_at = datetime.now(UTC)
        db.session.commit()
        t = _browser(app, tutor)
        assert "Mes tutoré·es — 2027-2028" in text(t.get("/tutorat/mes-tutores"))


def test_every_page_by_year_has_the_selector_and_keeps_the_year(app, db, cohort, as_role):
    from app.years import services as years

    years.create_year(years.YearData(start_year=2025))
    admin = as_role("admin")
    for url in ("/soutenances/", "/tutorat/", "/tutorat/vue-ensemble", "/evaluations/",
                "/statistiques/", "/stages/suivi", "/alternants", "/projets"):
        page = text(admin.get(url + ("&" if "?" in url else "?") + "year=2025"))
        assert 'name="year"' in page, url
        assert '<option value="2025" selected' in page, url
