"""Tutoring, my tutees and the log: who tutors whom, the tutor's follow-up log, the history of
a student's tutors and the teacher's list of tutees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import access
from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.internships.models import Internship
from app.tutoring.board import current_assignment
from app.tutoring.models import FOLLOW_UP_KINDS, FollowUp, TutorAssignment
from app.years.models import AcademicYear

NO_CONTACT_WARNING = timedelta(weeks=4)


def tutor_of(student: User, year: AcademicYear) -> User | None:
    a = current_assignment(student, year)
    return a.teacher if a else None


def can_read_log(user: User, student: User, year: AcademicYear) -> bool:
    """The follow-up log of ``year``: its current tutor (not a former one), its defence jury,
    the coordinator and the secretariat (``app.access``)."""
    return student.is_student and access.can_read_private(user, student.id, year.id)


def tutored_years(student: User) -> set[int]:
    """The ids of the academic years in which ``student`` had a tutor."""
    return set(db.session.execute(select(TutorAssignment.academic_year_id).where(
        TutorAssignment.student_id == student.id)).scalars())


def add_follow_up(teacher: User, student: User, year: AcademicYear, kind: str,
                  happened_on: date | None, note: str | None, today: date) -> FollowUp:
    current = current_assignment(student, year)
    if current is None or current.teacher_id != teacher.id:
        raise DomainError(_("Seul·e le tuteur ou la tutrice de cet·te étudiant·e tient son suivi."))
    if kind not in FOLLOW_UP_KINDS:
        raise DomainError(_("Type d’échange inconnu."), "kind")
    if happened_on is None:
        raise DomainError(_("Indiquez la date."), "happened_on")
    if happened_on > today:
        raise DomainError(_("La date ne peut pas être dans le futur."), "happened_on")
    entry = FollowUp(student_id=student.id, teacher_id=teacher.id, academic_year_id=year.id,
                     kind=kind, happened_on=happened_on,
                     note=(note or "").strip()[:5000] or None)
    db.session.add(entry)
    db.session.commit()
    return entry


def follow_ups(student: User, year: AcademicYear) -> list[FollowUp]:
    return list(db.session.execute(
        select(FollowUp).options(joinedload(FollowUp.teacher))
        .where(FollowUp.student_id == student.id, FollowUp.academic_year_id == year.id)
        .order_by(FollowUp.happened_on.desc(), FollowUp.id.desc())).scalars())


def history(student: User, year: AcademicYear) -> list[TutorAssignment]:
    return list(db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id == student.id,
               TutorAssignment.academic_year_id == year.id)
        .order_by(TutorAssignment.started_at)).scalars())


@dataclass
class MyTutee:
    student: User
    internship: Internship | None
    last_contact: date | None
    week: tuple[int, int] | None
    convention_label: str
    next_step: str
    no_contact_warning: bool
    silent_weeks: int = 0   # whole weeks without an exchange, when warned


def my_tutees(teacher: User, year: AcademicYear, today: date) -> list[MyTutee]:
    assigned = db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.student))
        .where(TutorAssignment.teacher_id == teacher.id, TutorAssignment.academic_year_id
               == year.id, TutorAssignment.ended_at.is_(None))).scalars().all()
    ids = [a.student_id for a in assigned]
    internships = _internships_of(ids, year) if ids else {}
    last = _last_contacts(ids, year) if ids else {}
    rows = [_my_tutee(a.student, internships.get(a.student_id), last.get(a.student_id), today)
            for a in assigned]
    rows.sort(key=lambda r: (not r.no_contact_warning, r.student.last_name))
    return rows


def _internships_of(ids: list[int], year: AcademicYear) -> dict[int, Internship]:
    return {i.student_id: i for i in db.session.execute(
        select(Internship).options(joinedload(Internship.host), joinedload(Internship.convention))
        .where(Internship.student_id.in_(ids), Internship.academic_year_id == year.id,
               Internship.status != "cancelled")).scalars()}


def _last_contacts(ids: list[int], year: AcademicYear) -> dict[int, date]:
    return dict(db.session.execute(
        select(FollowUp.student_id, func.max(FollowUp.happened_on))
        .where(FollowUp.student_id.in_(ids), FollowUp.academic_year_id == year.id)
        .group_by(FollowUp.student_id)).all())


def _my_tutee(student: User, i: Internship | None, contact: date | None,
              today: date) -> MyTutee:
    """One row of « Mes tutoré·es »: the next step, and a warning when the internship runs
    without an exchange for ``NO_CONTACT_WARNING``."""
    convention = i.convention if i else None
    running = i is not None and i.start_date <= today <= i.end_date
    since = max(i.start_date, contact) if (i and contact) else (i.start_date if i else None)
    warn = running and since is not None and today - since >= NO_CONTACT_WARNING
    return MyTutee(student, i, contact, i.week_of(today) if running else None,
                   convention.status_label if convention else "Pas de convention",
                   _next_step(student, i, today), warn,
                   (today - since).days // 7 if warn else 0)


def _next_step(student: User, i: Internship | None, today: date) -> str:
    from app.rules.formatting import fr_date

    if i is None:
        return "Contrat d’apprentissage" if student.track == "apprentice" else "—"
    convention = i.convention
    if convention is None or convention.status not in ("signed",):
        return f"Convention signée avant le {fr_date(i.start_date)}"
    if today < i.start_date:
        return f"Début le {fr_date(i.start_date)}"
    if i.start_date <= today <= i.end_date:
        return f"Fin le {fr_date(i.end_date)}"
    return "Soutenance"
