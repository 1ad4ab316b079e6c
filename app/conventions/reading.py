"""Reading conventions: who may view or edit one (as its internship, plus the teacher asked for
the pedagogical approval), loading one with what its page shows, its avenants, and its terms
(as validated plus avenants, or as the records say before validation). Re-exported by
``app.conventions.services``."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.conventions import terms as terms_
from app.conventions import workflow
from app.conventions.models import Amendment, Convention, ConventionEvent
from app.extensions import db
from app.internships.models import Internship
from app.rules.schedule import local_date
from app.tutoring.models import TutorAssignment


def can_view(user: User, convention: Convention) -> bool:
    """The convention, its PDFs (as printed, as signed, avenants): as its internship
    (``app.access``), plus one case: a teacher asked for the pedagogical approval of a
    convention that names no academic tutor yet (``workflow``: any teacher while none is
    named), or that names them, opens it while the approval is open (submitted, corrections
    requested). It carries no absence: its terms, not the internship's follow-up."""
    from app.access import can_read_private

    i = convention.internship
    return (can_read_private(user, i.student_id, i.academic_year_id)
            or awaits_approval_of(user, convention))


def awaits_approval_of(user: User, convention: Convention) -> bool:
    """Whether ``user`` is a teacher who may give ``convention`` its pedagogical approval now
    (no query: the lists ask it of every row)."""
    return user.role == "teacher" and workflow.allows("approve", user, convention)


def can_edit(user: User, convention: Convention) -> bool:
    return workflow.allows("edit", user, convention)


def get(convention_id: int) -> Convention | None:
    return db.session.execute(
        select(Convention)
        .options(joinedload(Convention.internship).joinedload(Internship.host),
                 joinedload(Convention.internship).joinedload(Internship.student),
                 joinedload(Convention.internship).joinedload(Internship.academic_year),
                 joinedload(Convention.internship).joinedload(Internship.tutor_assignment)
                 .joinedload(TutorAssignment.teacher), joinedload(Convention.approved_by),
                 selectinload(Convention.events).joinedload(ConventionEvent.actor),
                 selectinload(Convention.amendments))
        .where(Convention.id == convention_id)).unique().scalar_one_or_none()


def of_internship(internship: Internship) -> Convention | None:
    return db.session.execute(
        select(Convention).where(Convention.internship_id == internship.id)).scalar_one_or_none()


def amendment(convention: Convention, number: int) -> Amendment | None:
    """Avenant n° ``number`` of ``convention``."""
    return next((a for a in convention.amendments if a.number == number), None)


def live_terms(convention: Convention) -> terms_.Terms:
    i = convention.internship
    return terms_.snapshot(i, convention, current_app.config["PROGRAMME_TITLE"],
                           i.academic_year.programme_hours)


def terms_of(convention: Convention) -> terms_.Terms:
    """What the convention states: the terms as validated plus its avenants, in order;
    before validation, what the records say now."""
    if convention.terms is None:
        return live_terms(convention)
    return terms_.effective(convention.terms, convention.amendments, live_terms(convention))


def validated_on(convention: Convention) -> date | None:
    """The day (in the department's time) the convention was last validated, from its
    history."""
    moments = [e.created_at for e in convention.events if e.to_status == "validated"
               and e.from_status != "validated"]
    return local_date(max(moments)) if moments else None
