"""The convention's academic tutor is tutoring's open assignment of the year: the secretariat
names one from the convention's page, and a change of tutor reaches a convention not yet
signed (its validated terms, a new approval). After signature, a change is an avenant."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import events
from app.accounts.models import User
from app.conventions import workflow
from app.conventions.models import Convention
from app.conventions.transitions import check_stale, commit
from app.errors import DomainError
from app.extensions import db
from app.tutoring import services as tutoring


def set_academic_tutor(convention: Convention, actor: User, teacher_id: int | None,
                       version: int | None) -> None:
    check_stale(convention, version)
    if convention.status in ("signed", "ended_early") and \
            actor.is_manager:
        raise DomainError(_("Après signature, le changement de tuteur passe par un avenant."))
    workflow.require("tutor", actor, convention)
    teacher = db.session.get(User, teacher_id or 0)
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError(_("Choisissez un·e enseignant·e."), "academic_tutor_id")
    i = convention.internship
    try:
        tutoring.assign(actor, i.student, teacher, i.academic_year,
                        _("Désigné·e depuis la convention"), commit=False, authorized=True)
    except DomainError as err:
        raise DomainError(err.message, "academic_tutor_id") from None
    commit()


@events.tutor_changed.connect
def follow_the_tutor(student: User, *, teacher: User, convention: Convention | None,
                     **_unused) -> None:
    """A convention not yet signed names the student's new tutor: validated, its terms follow;
    an approval given by another teacher is asked again of the new tutor. A signed
    convention changes its tutor only by an avenant (which writes its terms itself)."""
    if convention is None or convention.status in ("signed", "ended_early", "cancelled"):
        return
    if convention.terms is not None:
        convention.terms = {**convention.terms, "academic_tutor_id": teacher.id,
                            "academic_tutor_name": teacher.full_name}
    if convention.approved_by_id and convention.approved_by_id != teacher.id:
        convention.approved_by_id = None
        convention.approved_at = None


def teacher_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(User.id, User.last_name, User.first_name).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.last_name)).all()
    return [(r.id, f"{r.last_name} {r.first_name}") for r in rows]
