"""The teachers' unavailabilities, which the schedule and the moves keep clear of."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.defenses.models import Unavailability
from app.errors import DomainError
from app.extensions import db


def add_unavailability(teacher: User, starts_at: datetime | None, ends_at: datetime | None,
                       reason: str | None) -> Unavailability:
    if teacher.role != "teacher":
        raise DomainError(_("Seul·es les enseignant·es déclarent des indisponibilités."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise DomainError(_("La fin doit suivre le début."), "ends_at")
    u = Unavailability(teacher_id=teacher.id, starts_at=starts_at, ends_at=ends_at,
                       reason=(reason or "").strip()[:200] or None)
    db.session.add(u)
    db.session.commit()
    return u


def delete_unavailability(teacher: User, unavailability: Unavailability) -> None:
    if unavailability.teacher_id != teacher.id:
        raise DomainError(_("Cette indisponibilité n’est pas la vôtre."))
    db.session.delete(unavailability)
    db.session.commit()


def unavailabilities(teacher: User) -> list[Unavailability]:
    return list(db.session.execute(select(Unavailability).where(
        Unavailability.teacher_id == teacher.id).order_by(Unavailability.starts_at)).scalars())
