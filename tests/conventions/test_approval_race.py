"""Two teachers give the pedagogical approval of one submitted convention at the same instant,
while the student has no tutor yet for the year: the approving teacher becomes the tutor
(``tutoring.take_on``), and the database holds one open tutor per student and year. One
approval stands, by the teacher who became the tutor; the other teacher is told, never a 500.
"""

from app.conventions.models import Convention
from app.extensions import db
from app.tutoring.models import TutorAssignment
from tests.conftest import browser_for, page
from tests.races import at_once, on_postgres, widened

DONE = "Accord pédagogique enregistré."
TAKEN = "a déjà un·e tuteur·rice pour"          # tutoring/services.py, _save_assignments
MEANWHILE = "a reçu entre-temps un tuteur ou une tutrice"  # the sequential double submit
STALE = "Quelqu’un d’autre a modifié"            # the convention's version, app/errors.py


def _open_tutors(student_id: int) -> list[TutorAssignment]:
    db.session.expire_all()
    return db.session.query(TutorAssignment).filter_by(student_id=student_id,
                                                       ended_at=None).all()


@on_postgres
def test_two_teachers_approving_at_the_same_instant_give_one_tutor(app, convention, make):
    c = convention(approve=False)   # submitted, the student without a tutor
    student_id, cid, version = c.internship.student_id, c.id, c.version_id
    assert c.status == "submitted" and c.approved_by_id is None
    assert _open_tutors(student_id) == []
    teachers = []
    for name in ("Arnaud", "Bertin"):
        b = browser_for(app, make.user("teacher", last_name=name))
        b.token  # noqa: B018 - the CSRF token, read before the race
        teachers.append(b)
    db.session.commit()

    with widened(db.engine, "conventions", "tutor_assignments"):
        responses = at_once(*[
            (lambda b=b: b.post(f"/conventions/{cid}/action/approve", {"version": version}))
            for b in teachers])

    # no 500: both answers lead back to the convention, where each teacher reads the outcome
    assert [r.status_code for r in responses] == [303, 303]
    after = [b.get(r.headers["Location"]) for b, r in zip(teachers, responses, strict=True)]
    bodies = [page(r) for r in after]
    won = [n for n, body in enumerate(bodies) if DONE in body]
    assert len(won) == 1, bodies
    winner, loser = teachers[won[0]].user, teachers[1 - won[0]].user
    assert after[won[0]].status_code == 200
    lost = bodies[1 - won[0]]
    # a clear French message: the student has their tutor now (or the convention changed).
    # The convention is then no longer the loser's to open: they read it on their home page.
    assert after[1 - won[0]].status_code == 200
    assert any(words in lost for words in (TAKEN, MEANWHILE, STALE)), lost

    tutors = _open_tutors(student_id)
    assert [a.teacher_id for a in tutors] == [winner.id]
    c = db.session.get(Convention, cid)
    assert c.status == "submitted"
    assert c.approved_by_id == winner.id and c.approved_at is not None
    assert c.academic_tutor_id == winner.id
    notes = [e for e in c.events if e.comment == "Accord pédagogique sur le sujet"]
    assert [e.actor_id for e in notes] == [winner.id]
    assert loser.id not in {e.actor_id for e in c.events}
