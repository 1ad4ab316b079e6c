"""Each home page shows what waits for that person (issue: a whole year, item 3)."""
from datetime import date

from app.extensions import db
from app.tutoring.models import TutorAssignment
from tests.conftest import browser_for, text


def plain(resp) -> str:
    return text(resp).replace("\u202f", " ").replace("\u00a0", " ")


def test_the_student_sees_their_next_step(app, convention, make):
    c = convention(submit=False, approve=False, tick=False, student=make.user(
        "student", cohort="BUT3"))
    student = browser_for(app, c.internship.student)
    assert "Prochaine étape : Compléter et soumettre votre convention" in plain(student.get("/"))
    c.status, c.comment = "changes_requested", "Précisez les avantages."
    db.session.commit()
    page = plain(student.get("/"))
    assert "Prochaine étape : Corriger votre convention" in page
    assert "Précisez les avantages." in page
    c.status = "signed"
    db.session.commit()
    assert "Votre stage commence le 8 avril 2027" in plain(student.get("/"))


def test_the_secretariat_sees_conventions_oldest_first_and_students_without_internship(
        app, convention, make, as_role, year_2026):
    first = convention()
    second = convention()
    first.submitted_at, second.submitted_at = (date(2026, 11, 2), date(2026, 11, 20))
    make.user("student", cohort="BUT3")     # no internship
    db.session.commit()
    page = plain(as_role("secretariat").get("/"))
    assert "Les plus anciennes à vérifier" in page
    names = [first.internship.student.full_name, second.internship.student.full_name]
    assert page.index(names[0]) < page.index(names[1])
    assert "<strong>2</strong><span>À vérifier</span>" in page
    assert "sans stage" in page


def test_the_tutor_sees_tutees_and_approvals_waiting(app, convention, make, year_2026):
    teacher = make.user("teacher")
    c = convention(approve=False)
    db.session.add(TutorAssignment(student_id=c.internship.student_id, teacher_id=teacher.id,
                                   academic_year_id=year_2026.id))
    db.session.commit()
    page = plain(browser_for(app, teacher).get("/"))
    assert "Mes tutoré·es" in page and c.internship.student.full_name in page
    assert "Accords pédagogiques à donner" in page
    assert f"/conventions/{c.id}" in page
    # once approved, nothing waits any more
    c.approved_by_id = teacher.id
    db.session.commit()
    assert "Accords pédagogiques à donner" not in plain(browser_for(app, teacher).get("/"))


def test_the_queue_works_by_year_and_names_what_waits_in_another(
        app, convention, make, as_role, year_2026):
    from app.years import services as years

    years.create_year(years.YearData(start_year=2025, programme_hours=1800))
    late = convention(start_date=date(2026, 4, 13), end_date=date(2026, 7, 10))
    current = convention()
    assert late.internship.academic_year.start_year == 2025
    desk = as_role("secretariat")
    page = plain(desk.get("/conventions/"))
    assert current.internship.student.last_name in page
    assert late.internship.student.last_name not in page
    assert 'name="year"' in page and "Conventions 2026-2027" in page
    # the convention of the other year is not hidden: the queue says where it waits
    assert "1 convention à vérifier en 2025-2026" in page
    assert "/conventions/?status=submitted&amp;year=2025" in page
    other = plain(desk.get("/conventions/?status=submitted&year=2025"))
    assert late.internship.student.last_name in other
    assert current.internship.student.last_name not in other
    # the home page counts the same year as the queue its counters open
    home = text(desk.get("/"))
    assert "/conventions/?status=submitted&amp;year=2026" in home
