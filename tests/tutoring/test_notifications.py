"""Who is told when a tutor is assigned: the student and the teacher, in the assignment's
transaction, once per new assignment; nobody when nothing changed or the action is refused."""
import pytest

from app.errors import DomainError
from app.extensions import db
from app.notifications.models import Notification, OutboxMail
from app.tutoring import services
from app.tutoring.models import TutorAssignment
from tests.tutoring.test_tutoring import coord, interns, year  # noqa: F401  (fixtures)


def _told(user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id) \
        .order_by(Notification.id).all()


def _mails(user) -> list[OutboxMail]:
    return db.session.query(OutboxMail).filter_by(recipient=user.email) \
        .order_by(OutboxMail.id).all()


def test_the_student_and_the_teacher_are_told_of_an_assignment(coord, interns, make,  # noqa: F811
                                                               year):  # noqa: F811
    student = interns(1)[0]
    teacher = make.user("teacher", first_name="Valérie", last_name="Arnaud")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": teacher.id})
    assert services.tutor_of(student, year).id == teacher.id
    [mine] = _told(student)
    assert mine.message == (f"Votre enseignant·e référent·e pour {year.label} est "
                            f"Valérie Arnaud ({teacher.email}).")
    assert mine.link == "/"
    [theirs] = _told(teacher)
    assert student.full_name in theirs.message and year.label in theirs.message
    assert theirs.link == f"/tutorat/mes-tutores?year={year.start_year}"
    assert [m.subject for m in _mails(student)] == [
        f"Votre enseignant·e référent·e pour {year.label}"]
    [mail] = _mails(teacher)
    assert student.full_name in mail.body and "/tutorat/mes-tutores" in mail.body
    assert mail.sent_at is not None  # sent after the commit
    assert _told(coord.user) == [] and _mails(coord.user) == []

    # the same teacher again: refused, nothing changes, nobody is told again
    resp = coord.post("/tutorat/affecter", {"student_id": student.id,
                                            "teacher_id": teacher.id}, htmx=True)
    assert "est déjà le tuteur ou la tutrice" in resp.get_data(as_text=True)
    assert len(_told(student)) == 1 and len(_told(teacher)) == 1
    assert db.session.query(OutboxMail).count() == 2


def test_a_change_of_tutor_tells_the_new_one_and_the_former(coord, interns, make,  # noqa: F811
                                                           year):  # noqa: F811
    student = interns(1)[0]
    first, second = make.user("teacher"), make.user("teacher", last_name="Relais")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": first.id})
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": second.id})
    assert [n.message.split(" est ")[-1] for n in _told(student)] == [
        f"{first.full_name} ({first.email}).", f"{second.full_name} ({second.email})."]
    assert len(_told(second)) == 1 and len(_mails(second)) == 1
    told_first = [n.message for n in _told(first)]
    assert len(told_first) == 2 and told_first[1].startswith(
        f"Vous ne suivez plus {student.full_name}") and "Relais" in told_first[1]


def test_refused_assignments_tell_nobody(coord, as_role, interns, make, year):  # noqa: F811
    students = interns(2)
    teacher = make.user("teacher")
    teacher.tutee_capacity = 1
    db.session.commit()
    # not a coordinator
    as_role("teacher").post("/tutorat/affecter", {"student_id": students[0].id,
                                                  "teacher_id": teacher.id})
    # a selection beyond the teacher's room: all or nothing
    resp = coord.post("/tutorat/affecter", {"student_id": [s.id for s in students],
                                            "teacher_id": teacher.id}, htmx=True)
    assert "il reste 1 place pour les 2 étudiant·es coché·es" in resp.get_data(as_text=True)
    # a plan stopped by its second student: the first one is not told either
    from app.models import User

    actor = db.session.get(User, coord.user.id)
    with pytest.raises(DomainError, match="a déjà 1 tutoré·es sur 1 possibles"):
        services.apply_assignment(actor, year, {s.id: teacher.id for s in students})
    assert db.session.query(TutorAssignment).count() == 0
    assert db.session.query(Notification).count() == 0
    assert db.session.query(OutboxMail).count() == 0


def test_a_plan_tells_each_student_and_mails_each_teacher_once(coord, interns, make,  # noqa: F811
                                                               year):  # noqa: F811
    from app.models import User

    students = interns(3)
    teacher = make.user("teacher")
    actor = db.session.get(User, coord.user.id)
    assert services.apply_assignment(actor, year, {s.id: teacher.id for s in students}) == 3
    for s in students:
        assert len(_told(s)) == 1 and len(_mails(s)) == 1
    assert len(_told(teacher)) == 3  # one notification per new assignment
    [mail] = _mails(teacher)          # one email listing them
    assert mail.subject == f"Tutorat {year.label} : 3 étudiant·es à suivre"
    assert all(s.full_name in mail.body for s in students)


def test_a_coordinator_who_takes_a_tutee_is_not_told_of_it(coord, interns, year):  # noqa: F811
    student = interns(1)[0]
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": coord.user.id})
    assert services.tutor_of(student, year).id == coord.user.id
    assert len(_told(student)) == 1
    assert _told(coord.user) == [] and _mails(coord.user) == []
