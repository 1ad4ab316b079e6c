"""A student who shares their debrief tells their tutor, who opens it from the
notification; nobody else is told, and saving it again does not tell again."""
from app.notifications.models import Notification, OutboxMail
from tests.conftest import text
from tests.feedback.test_feedback import _me, ended  # noqa: F401  (fixture)


def _told(db, user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id).all()


def test_sharing_the_debrief_tells_the_tutor_who_opens_it(app, ended, as_role, db):  # noqa: F811
    internship, tutor = ended
    me = _me(app, internship.student)
    url = f"/retours/debrief/{internship.id}"
    me.post(url, {"my_side": "Je n’osais pas demander"})   # private: nobody is told
    assert db.session.query(Notification).count() == 0
    # someone else's debrief: refused, nobody told
    assert as_role("student").post(url, {"my_side": "x", "shared_with_tutor": "y"}) \
        .status_code == 404
    assert db.session.query(Notification).count() == 0

    me.post(url, {"my_side": "Je n’osais pas demander", "shared_with_tutor": "y"})
    [notice] = _told(db, tutor)
    assert notice.link == url
    assert internship.student.full_name in notice.message and "débrief" in notice.message
    [mail] = db.session.query(OutboxMail).filter_by(recipient=tutor.email).all()
    assert url in mail.body
    page = _me(app, tutor).get(notice.link)
    assert page.status_code == 200 and "Je n’osais pas demander" in text(page)
    assert db.session.query(Notification).count() == 1  # the student is not told of it

    # saved again while shared: not told again; unshared then shared again: told again
    me.post(url, {"my_side": "Je n’osais pas demander tôt", "shared_with_tutor": "y"})
    assert len(_told(db, tutor)) == 1
    me.post(url, {"my_side": "Je n’osais pas demander tôt"})
    assert _me(app, tutor).get(url).status_code == 404
    me.post(url, {"my_side": "Je n’osais pas demander tôt", "shared_with_tutor": "y"})
    assert len(_told(db, tutor)) == 2


def test_a_debrief_shared_without_a_tutor_tells_nobody(app, ended, db):  # noqa: F811
    from app.tutoring.models import TutorAssignment

    internship, _ = ended
    db.session.query(TutorAssignment).delete()
    db.session.commit()
    _me(app, internship.student).post(f"/retours/debrief/{internship.id}",
                                      {"my_side": "Seul·e", "shared_with_tutor": "y"})
    assert db.session.query(Notification).count() == 0
