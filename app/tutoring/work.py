"""Tutoring, which year is still open: what is left of a year's tutoring, for the year
selectors' default."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select

from app.accounts.models import User
from app.extensions import db
from app.internships.models import Internship
from app.tutoring.models import TutorAssignment
from app.years.models import AcademicYear


def tutor_work(teacher: User | None, year: AcademicYear, today: date):
    """What is left of ``year``'s tutoring for ``teacher`` (everyone's with None): their
    tutees' internships not over, defences not held or not yet set, defences held but not
    yet evaluated by the tutor. A tutor keeps the year on « Mes tutoré·es » and the logs
    while any of it is open."""
    from app.defenses.models import Defense
    from app.evaluations.models import Evaluation
    from app.internships.models import CLOSED
    from app.rules.years import YearWork

    tutored = select(TutorAssignment.student_id).where(
        TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
    if teacher is not None:
        tutored = tutored.where(TutorAssignment.teacher_id == teacher.id)
    active = (Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED),
              Internship.student_id.in_(tutored))
    last_end, last_defense, undefended = db.session.execute(
        select(func.max(Internship.end_date), func.max(Defense.starts_at),
               func.count(Internship.id).filter(Defense.id.is_(None)))
        .outerjoin(Defense, Defense.internship_id == Internship.id).where(*active)).one()
    unevaluated = db.session.execute(select(func.count(Internship.id)).where(
        *active, Internship.end_date < today,
        ~exists().where(Evaluation.internship_id == Internship.id,
                        Evaluation.kind == "academic_tutor",
                        Evaluation.submitted_at.is_not(None)))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end,
                    last_defense=last_defense.date() if last_defense else None,
                    undefended=undefended or 0, open_evaluations=unevaluated)


def board_work(year: AcademicYear, today: date):
    """What is left on ``year``'s board: internships not over whose student has no tutor."""
    from app.internships.models import CLOSED
    from app.rules.years import YearWork

    last_end = db.session.execute(select(func.max(Internship.end_date)).where(
        Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED),
        ~exists().where(TutorAssignment.student_id == Internship.student_id,
                        TutorAssignment.academic_year_id == year.id,
                        TutorAssignment.ended_at.is_(None)))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end)
