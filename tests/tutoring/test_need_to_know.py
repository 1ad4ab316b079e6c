"""Need to know in tutoring: a tutor reads their tutee's records while they tutor them, not a
day longer; the others offer to tutor from the department's list."""
from app.extensions import db
from app.internships.models import Internship
from app.tutoring import services
from tests.conftest import text
from tests.tutoring.test_tutoring import coord, interns, year  # noqa: F401  (fixtures)


def test_a_replaced_tutor_loses_access_on_the_next_request(as_role, coord, interns,  # noqa: F811
                                                           year):  # noqa: F811
    student = interns(1)[0]
    internship = db.session.query(Internship).filter_by(student_id=student.id).one()
    first = as_role("teacher", last_name="Premier")
    second = as_role("teacher", last_name="Second")
    pages = (f"/stages/{internship.id}", f"/tutorat/suivi/{student.id}")
    assert [first.get(p).status_code for p in pages] == [404, 404]
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": first.user.id})
    assert [first.get(p).status_code for p in pages] == [200, 200]
    # replaced today: the same session, on its very next request, finds nothing
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": second.user.id})
    assert services.tutor_of(student, year).id == second.user.id
    assert [first.get(p).status_code for p in pages] == [404, 404]
    assert [second.get(p).status_code for p in pages] == [200, 200]
    # the new tutor reads the log, and who tutored the student before
    assert "Premier" in text(second.get(f"/tutorat/suivi/{student.id}"))


def test_a_teacher_offers_to_tutor_from_the_cohort_list(as_role, coord, interns,  # noqa: F811
                                                        year):  # noqa: F811
    waiting, tutored = interns(2)
    internship = db.session.query(Internship).filter_by(student_id=waiting.id).one()
    coord.post("/tutorat/affecter", {"student_id": tutored.id,
                                     "teacher_id": as_role("teacher").user.id})
    teacher = as_role("teacher", last_name="Volontaire")
    page = text(teacher.get("/stages/suivi"))
    # the list is the department's: every student, no way into a record not theirs
    assert waiting.last_name in page and tutored.last_name in page
    assert f"/stages/{internship.id}" not in page
    assert page.count("Me proposer comme tuteur·rice de") == 1
    assert f"/tutorat/volontaire/{waiting.id}" in page
    resp = teacher.post(f"/tutorat/volontaire/{waiting.id}", {"back": "/stages/suivi?"},
                        follow_redirects=True)
    assert "la coordination confirmera" in text(resp)
    # the button has done its work: it says so instead of offering a second time
    page = text(teacher.get("/stages/suivi"))
    assert "Vous vous êtes proposé·e" in page and "Me proposer comme tuteur·rice de" not in page
    assert f'name="pair" value="{waiting.id}:{teacher.user.id}"' in text(coord.get("/tutorat/"))
    # offering is not tutoring: the internship stays closed until the coordinator confirms
    assert teacher.get(f"/stages/{internship.id}").status_code == 404
    coord.post("/tutorat/affecter", {"pair": f"{waiting.id}:{teacher.user.id}"})
    assert teacher.get(f"/stages/{internship.id}").status_code == 200
    page = text(teacher.get("/stages/suivi"))
    assert f"/stages/{internship.id}" in page and "Me proposer" not in page
