"""Defences, the entry point the pages and the other domains import: what is left of a
year's defences (``year_work``) and, from the modules that hold them,

- ``planning``: the days, what is left to schedule, the proposed schedule, the forms' choices;
- ``convocations``: moving a defence with its checks, publishing, the jury following a change
  of tutor (the ``events.tutor_changed`` listener, connected once this module is imported);
- ``feeds``: each one's published defences and their calendar feed;
- ``unavailabilities``: the teachers' unavailabilities."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, or_, select

from app.defenses.convocations import move, publish, tutor_changed
from app.defenses.feeds import calendar_token, ical, mine, renew_calendar_token, user_for_token
from app.defenses.models import Defense, DefenseSession
from app.defenses.planning import (
    Proposal,
    add_session,
    defenses,
    delete_session,
    first_day_for,
    parse_slot,
    propose,
    sessions,
    slot_choices,
    teachers,
    to_schedule,
    to_schedule_counts,
)
from app.defenses.unavailabilities import (
    add_unavailability,
    delete_unavailability,
    unavailabilities,
)
from app.extensions import db
from app.internships.models import CLOSED, Internship
from app.rules.years import YearWork
from app.years.models import AcademicYear

__all__ = ["Proposal", "add_session", "add_unavailability", "calendar_token", "defenses",
           "delete_session", "delete_unavailability", "first_day_for", "ical", "mine", "move",
           "parse_slot", "propose", "publish", "renew_calendar_token", "sessions",
           "slot_choices", "teachers", "to_schedule", "to_schedule_counts", "tutor_changed",
           "unavailabilities", "user_for_token", "year_work"]


def year_work(year: AcademicYear, today: date) -> YearWork:
    """What is left of ``year``'s defences and evaluations: the pages of defences, of
    evaluations and the statistics open on a year until its last defence is held and its
    evaluations are closed."""
    from app.evaluations.models import Evaluation

    active = (Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED))
    last_end = db.session.execute(select(func.max(Internship.end_date)).where(*active)
                                  ).scalar_one()
    last_defense = db.session.execute(
        select(func.max(Defense.starts_at)).join(Defense.session)
        .where(DefenseSession.academic_year_id == year.id)).scalar_one()
    undefended = db.session.execute(select(func.count(Internship.id)).where(
        *active, ~exists().where(Defense.internship_id == Internship.id))).scalar_one()
    unanswered = db.session.execute(
        select(func.count(Evaluation.id)).join(Evaluation.internship)
        .where(*active, Evaluation.submitted_at.is_(None))).scalar_one()
    # not opened yet: the host's and the student's once the internship is over, the
    # defence's once its published day has come (``evaluations.services.open_evaluations``)
    held = exists().where(Defense.internship_id == Internship.id, Defense.published.is_(True),
                          Defense.starts_at < datetime.combine(today + timedelta(days=1),
                                                               time.min))
    unopened = db.session.execute(select(func.count(Internship.id)).where(
        *active, Internship.end_date < today,
        or_(~exists().where(Evaluation.internship_id == Internship.id),
            and_(held, ~exists().where(Evaluation.internship_id == Internship.id,
                                       Evaluation.kind == "academic_tutor"))))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end,
                    last_defense=last_defense.date() if last_defense else None,
                    undefended=undefended, open_evaluations=unanswered + unopened)
