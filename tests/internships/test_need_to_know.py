"""Need to know on the internship: its jury reads it, other students' stay closed; the
department's list shows no private detail of students the teacher does not follow."""
from datetime import date, datetime, time

from app.defenses.models import Defense, DefenseSession
from app.extensions import db
from app.internships import services
from app.tutoring.models import TutorAssignment
from tests.conftest import text
from tests.internships.test_internships import _internship


def _defense(internship, tutor, second, published=True) -> Defense:
    session = DefenseSession(academic_year_id=internship.academic_year_id,
                             day=date(2027, 7, 5), room="B12", start_time=time(9),
                             end_time=time(12), slot_minutes=30)
    db.session.add(session)
    db.session.flush()
    defense = Defense(internship_id=internship.id, session_id=session.id,
                      starts_at=datetime(2027, 7, 5, 9), tutor_id=tutor.id,
                      second_teacher_id=second.id, published=published)
    db.session.add(defense)
    db.session.commit()
    return defense


def test_a_jury_member_reads_the_internship_but_not_other_students(as_role, make,
                                                                   year_2026):
    defended = _internship(make)
    services.add_absence(defended, date(2027, 5, 3), date(2027, 5, 4), "Maladie")
    other = _internship(make)
    services.add_absence(other, date(2027, 5, 3), date(2027, 5, 4), "Deuil")
    tutor = make.user("teacher")
    db.session.add(TutorAssignment(student_id=defended.student_id, teacher_id=tutor.id,
                                   academic_year_id=year_2026.id))
    jury = as_role("teacher", last_name="Jury")
    defense = _defense(defended, tutor, jury.user, published=False)
    # a draft schedule gives nothing: the jury is the published one
    assert jury.get(f"/stages/{defended.id}").status_code == 404
    defense.published = True
    db.session.commit()
    page = jury.get(f"/stages/{defended.id}")
    assert page.status_code == 200 and "Maladie" in text(page)
    assert jury.get(f"/stages/{other.id}").status_code == 404
    assert jury.get(f"/stages/{other.id}/attestation.pdf").status_code == 404
    # the cohort list: both students, a way into the defended one's record only, no absence
    cohort = text(jury.get("/stages/suivi?year=2026"))
    assert defended.student.last_name in cohort and other.student.last_name in cohort
    assert f"/stages/{defended.id}" in cohort and f"/stages/{other.id}\"" not in cohort
    assert "Maladie" not in cohort and "Deuil" not in cohort
    # taken off the jury, the next request finds nothing
    db.session.delete(defense)
    db.session.commit()
    assert jury.get(f"/stages/{defended.id}").status_code == 404


def test_the_coordinator_and_the_secretariat_read_every_internship(as_role, make, db,
                                                                   year_2026):
    internship = _internship(make)
    coordinator = as_role("teacher")
    coordinator.user.is_coordinator = True
    db.session.commit()
    for reader in (coordinator, as_role("secretariat"), as_role("admin")):
        assert reader.get(f"/stages/{internship.id}").status_code == 200
        assert f"/stages/{internship.id}" in text(reader.get("/stages/suivi?year=2026"))
    assert as_role("teacher").get(f"/stages/{internship.id}").status_code == 404
