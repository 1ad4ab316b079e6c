"""Need to know on the convention: its PDFs follow its internship; a teacher asked for the
pedagogical approval while no tutor is named opens it."""
from app.accounts.models import utcnow
from app.conventions import services
from app.extensions import db
from app.tutoring.models import TutorAssignment
from app.tutoring.services import current_assignment
from tests.conftest import login, text
from tests.conventions.test_lifecycle import browser_for


def test_a_teacher_opens_a_convention_awaiting_approval_while_no_tutor_is_named(
        app, convention, as_role, make):
    c = convention(approve=False)
    assert c.status == "submitted" and c.academic_tutor_id is None
    teacher = as_role("teacher", last_name="Approbatrice")
    queue = text(teacher.get("/conventions/"))
    assert f"/conventions/{c.id}\"" in queue
    page = text(teacher.get(f"/conventions/{c.id}"))
    assert "Donner l’accord pédagogique sur le sujet" in page
    assert f"/stages/{c.internship_id}\"" not in page   # the internship is not theirs
    assert teacher.get(f"/stages/{c.internship_id}").status_code == 404
    resp = teacher.post(f"/conventions/{c.id}/action/approve", {"version": c.version_id},
                        follow_redirects=True)
    assert "Accord pédagogique enregistré." in text(resp)
    db.session.refresh(c)
    assert c.academic_tutor_id == teacher.user.id
    # a tutor is named now: another teacher no longer finds it, in the queue or by its id
    late = as_role("teacher")
    assert f"/conventions/{c.id}\"" not in text(late.get("/conventions/"))
    for url in (f"/conventions/{c.id}", f"/conventions/{c.id}/convention.pdf"):
        assert late.get(url).status_code == 404


def test_the_convention_and_its_pdfs_follow_the_tutor(app, convention, as_role, make):
    c = convention(sign=True)
    year = c.internship.academic_year
    tutor = make.user("teacher")
    # the approving teacher became the tutor; the tutor then changed (as an avenant does)
    approving = current_assignment(c.internship.student, year)
    approving.ended_at = utcnow()
    db.session.flush()
    db.session.add(TutorAssignment(student_id=c.internship.student_id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    reader = browser_for(app, tutor)
    outsider = as_role("teacher")
    urls = (f"/conventions/{c.id}", f"/conventions/{c.id}/convention.pdf")
    assert [reader.get(u).status_code for u in urls] == [200, 200]
    assert [outsider.get(u).status_code for u in urls] == [404, 404]
    # the teacher who approved it, not its tutor: a signed convention is no longer theirs
    approver = app.test_client()
    login(approver, services.get(c.id).approved_by)
    assert approver.get(urls[0]).status_code == 404
