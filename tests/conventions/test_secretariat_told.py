"""The secretariat hears of conventions to check and of their changes, but a secretary is
never told of what they did themselves; a refused action tells nobody."""
from datetime import date

import pytest

from app.conventions import services
from app.errors import DomainError
from app.extensions import db
from app.notifications.models import Notification


def _told(user) -> list[str]:
    return [n.message for n in db.session.query(Notification).filter_by(user_id=user.id)
            .order_by(Notification.id)]


def test_a_secretary_is_not_told_of_their_own_actions(make, convention):
    c = convention(submit=False, approve=False, tick=False)
    student = c.internship.student
    acting, other = make.user("secretariat"), make.user("secretariat")
    # submitted for the student by a secretary: the other secretaries check it
    services.submit(c, acting, c.version_id)
    assert _told(acting) == []
    assert len(_told(other)) == 1 and "soumise : à vérifier" in _told(other)[0]

    with pytest.raises(DomainError, match="motif"):
        services.cancel(c, acting, "", c.version_id, today=date(2026, 11, 24))
    db.session.rollback()
    assert _told(acting) == [] and len(_told(other)) == 1 and _told(student) == []

    services.cancel(c, acting, "Stage abandonné par l’organisme", c.version_id,
                    today=date(2026, 11, 24))
    assert _told(acting) == []
    assert len(_told(other)) == 2 and "est annulée" in _told(other)[1]
    assert len(_told(student)) == 1 and "est annulée" in _told(student)[0]


def test_staff_to_notify_leaves_the_actor_out(make):
    from app.notifications.services import staff_to_notify

    a, b = make.user("secretariat"), make.user("secretariat")
    make.user("secretariat", active=False)
    assert [u.id for u in staff_to_notify()] == [a.id, b.id]
    assert [u.id for u in staff_to_notify(a)] == [b.id]
    assert [u.id for u in staff_to_notify(make.user("student"))] == [a.id, b.id]
