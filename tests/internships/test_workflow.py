"""The internship's workflow is one table (``TRANSITIONS``): every move it allows is
recorded with its history line, every other one is refused with a message."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError
from app.extensions import db
from app.internships import services
from app.internships.models import STATUSES, TRANSITIONS

ALLOWED = [(src, dst) for src, targets in TRANSITIONS.items() for dst in targets]
REFUSED = [(src, next(s for s in STATUSES if s != src and s not in targets))
           for src, targets in TRANSITIONS.items()]


def _internship(make, status):
    student = make.user("student")
    internship, _ = services.create_internship(student, services.InternshipData(
        host_id=make.host().id, subject="Inventaire", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30), agreed_amount=Decimal("700"), agreed_unit="month"))
    internship.status = status
    db.session.commit()
    return internship


@pytest.mark.parametrize("source, target", ALLOWED)
def test_each_move_the_workflow_allows_is_recorded(make, year_2026, source, target):
    internship = _internship(make, source)
    desk = make.user("secretariat")
    services.move(internship, desk, target, "Raison")
    db.session.commit()
    assert internship.status == target
    last = internship.events[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (source, target, desk.id)


@pytest.mark.parametrize("source, target", REFUSED)
def test_a_move_the_workflow_does_not_allow_is_refused(make, year_2026, source, target):
    internship = _internship(make, source)
    with pytest.raises(DomainError) as refused:
        services.move(internship, make.user("secretariat"), target)
    assert refused.value.message == (
        f"Un stage « {STATUSES[source].lower()} » ne peut pas passer à "
        f"« {STATUSES[target].lower()} ».")
    db.session.rollback()
    assert db.session.get(type(internship), internship.id).status == source
