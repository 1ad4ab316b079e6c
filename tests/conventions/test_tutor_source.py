"""One record of who tutors whom: the convention names the student's tutor of the year as
tutoring records it, whichever page names or changes them."""
from app.extensions import db
from app.tutoring import services as tutoring
from tests.conftest import login, text
from tests.conventions.test_lifecycle import page


def student_browser(student):
    from flask import current_app

    from tests.conftest import Browser

    client = current_app.test_client()
    login(client, student)
    return Browser(client, student)


def test_the_tutor_named_on_the_convention_is_the_tutor_on_the_board(convention, as_role, make):
    c = convention(approve=False)
    student, year = c.internship.student, c.internship.academic_year
    first = make.user("teacher", first_name="Inès", last_name="Première")
    s = as_role("secretariat")
    resp = s.post(f"/conventions/{c.id}/action/tutor",
                  {"academic_tutor_id": first.id, "version": c.version_id},
                  follow_redirects=True)
    assert "Enseignant·e référent·e désigné·e." in text(resp)
    assert tutoring.tutor_of(student, year) == first
    assert [a.teacher_id for a in tutoring.history(student, year)] == [first.id]
    # the coordinator changes the tutor on the board: the convention names the new one
    coordinator = as_role("teacher")
    coordinator.user.is_coordinator = True
    db.session.commit()
    second = make.user("teacher", first_name="Noé", last_name="Second")
    coordinator.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": second.id})
    assert f'<option value="{second.id}" selected>Second Noé</option>' in text(
        s.get(f"/conventions/{c.id}"))
    assert "Enseignant·e référent·e : Noé Second" in page(
        student_browser(student).get(f"/conventions/{c.id}"))
    # naming the tutor there again is refused as the board refuses it, next to the field
    db.session.refresh(c)
    resp = s.post(f"/conventions/{c.id}/action/tutor",
                  {"academic_tutor_id": second.id, "version": c.version_id},
                  follow_redirects=True)
    assert "est déjà le tuteur ou la tutrice" in text(resp)
    assert len(tutoring.history(student, year)) == 2


def test_the_approving_teacher_becomes_the_tutor_and_the_terms_follow_a_change(
        convention, as_role, make):
    c = convention(approve=False)
    student, year = c.internship.student, c.internship.academic_year
    teacher = as_role("teacher", first_name="Léa", last_name="Approuve")
    resp = teacher.post(f"/conventions/{c.id}/action/approve", {"version": c.version_id},
                        follow_redirects=True)
    assert "Accord pédagogique enregistré." in text(resp)
    assert tutoring.tutor_of(student, year) == teacher.user
    mine = text(teacher.get(f"/tutorat/mes-tutores?year={year.start_year}"))
    assert student.last_name in mine
    # validated, not yet signed: a new tutor follows into what the convention states
    desk = as_role("secretariat")
    db.session.refresh(c)
    resp = desk.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                     follow_redirects=True)
    assert "Convention validée." in text(resp)
    db.session.refresh(c)
    assert c.terms["academic_tutor_name"] == "Léa Approuve"
    coordinator = as_role("teacher")
    coordinator.user.is_coordinator = True
    db.session.commit()
    other = make.user("teacher", first_name="Paul", last_name="Relais")
    coordinator.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": other.id})
    db.session.refresh(c)
    assert c.terms["academic_tutor_name"] == "Paul Relais"
    assert c.approved_by_id is None        # the new tutor gives their own approval

