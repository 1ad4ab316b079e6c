"""Who may read and change an internship, and finding internships (one, a student's, a year's,
the secretariat's student picker)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import User
from app.extensions import db
from app.internships.models import CLOSED, Internship
from app.search import matching
from app.years.models import AcademicYear


def terms_locked(user: User, internship: Internship) -> str | None:
    """Why ``user`` can no longer change what the internship's convention states, or None.

    The student changes the terms until the convention is submitted, the secretariat until
    it is validated; afterwards only an avenant changes them (RULES.md §3)."""
    if internship.status in CLOSED:
        return _("Ce stage est « %(status)s ».", status=internship.status_label.lower())
    convention = getattr(internship, "convention", None)
    if convention is None or convention.status == "draft":
        return None
    if convention.status in ("validated", "out_for_signature", "signed", "ended_early"):
        return _("La convention est validée : ses termes (dates, horaires, tuteur, gratification, "
                 "activités…) ne changent plus que par un avenant, que le secrétariat établit.")
    if user.is_manager:
        return None
    if convention.status == "changes_requested":
        return None
    return _("La convention est soumise au secrétariat : ses termes ne se modifient plus. "
             "Demandez au secrétariat de vous la renvoyer pour correction.")


def can_view(user: User, internship: Internship) -> bool:
    """The internship's page and attestation: its student, the secretariat, the coordinator,
    and the teachers concerned by it this year (its current tutor, its jury): ``app.access``."""
    from app.access import can_read_private

    return can_read_private(user, internship.student_id, internship.academic_year_id)


def can_edit(user: User, internship: Internship) -> bool:
    """May ``user`` record on the internship (absences, its terms while not locked)?"""
    if internship.status == "cancelled":
        return False
    if user.is_manager:
        return True
    return internship.student_id == user.id and internship.status == "planned"


def can_record_absences(user: User, internship: Internship) -> bool:
    """May ``user`` record the internship's absences? As ``can_edit``, and the student also
    while the internship is in progress, when absences happen (their home page asks them to)."""
    return can_edit(user, internship) or (
        internship.student_id == user.id and internship.status == "in_progress")


def can_edit_terms(user: User, internship: Internship) -> bool:
    return can_edit(user, internship) and terms_locked(user, internship) is None


def get(internship_id: int) -> Internship | None:
    return db.session.execute(
        select(Internship).options(selectinload(Internship.absences),
                                   selectinload(Internship.objectives))
        .where(Internship.id == internship_id)).scalar_one_or_none()


def of_student(student: User) -> list[Internship]:
    return list(db.session.execute(
        select(Internship).where(Internship.student_id == student.id)
        .order_by(Internship.start_date.desc())).scalars())



def internships_query(year: AcademicYear | None = None, q: str | None = None):
    stmt = (select(Internship).join(Internship.student).join(Internship.host)
            .options(contains_eager(Internship.student), contains_eager(Internship.host)))
    if year is not None:
        stmt = stmt.where(Internship.academic_year_id == year.id)
    clause = matching(q, Internship.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt.order_by(User.last_name, User.first_name, Internship.start_date)


def student_choices(*selected: int | None, q: str | None = None) -> list[tuple[int, str]]:
    """BUT3 students of the project track (no apprentice) for the secretariat's picker, by
    name: the ``selected`` ones first, then the first of the list, or those found by ``q``."""
    from app.pickers import picker_rows, student_label

    stmt = (select(User.id, User.last_name, User.first_name, User.group_name)
            .where(User.role == "student", User.cohort == "BUT3", User.track == "initial",
                   User.active.is_(True))
            .order_by(User.last_name, User.first_name, User.id))
    return picker_rows(stmt, User.id, student_label, list(selected),
                       matching(q, User.search_text))
