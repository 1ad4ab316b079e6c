"""Planning the defences: the days (sessions) and their slots, what is left to schedule,
the proposed schedule, and the choices the planning forms offer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.defenses.models import Defense, DefenseSession, Unavailability
from app.errors import DomainError
from app.extensions import db
from app.internships.models import CLOSED, Internship
from app.plurals import count_text
from app.rules import scheduling as rules
from app.rules.years import first_defense_day
from app.years.models import AcademicYear


def _manager(actor: User) -> None:
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat organise les soutenances."))


def first_day_for(internship: Internship) -> date:
    """The first day ``internship``'s student may defend (its end plus the year's gap)."""
    return first_defense_day(internship.end_date, internship.academic_year.defense_gap_days or 0)


def add_session(actor: User, year: AcademicYear, day: date | None, room: str,
                start: time | None, end: time | None, slot_minutes: int | None
                ) -> DefenseSession:
    _manager(actor)
    if day is None:
        raise DomainError(_("Indiquez le jour."), "day")
    if not (room or "").strip():
        raise DomainError(_("Indiquez la salle."), "room")
    if start is None or end is None or end <= start:
        raise DomainError(_("L’heure de fin doit suivre l’heure de début."), "end_time")
    if not slot_minutes or not 15 <= slot_minutes <= 120:
        raise DomainError(_("Un créneau dure de 15 à 120 minutes."), "slot_minutes")
    clash = db.session.execute(select(DefenseSession).where(
        DefenseSession.day == day, DefenseSession.room == room.strip())).scalars().all()
    for other in clash:
        if rules.overlaps(start, end, other.start_time, other.end_time):
            raise DomainError(_("La salle %(room)s est déjà réservée ce jour-là de %(start_time)s "
                                "à %(end_time)s.",
                              room=room.strip(), start_time=f"{other.start_time:%H:%M}",
                              end_time=f"{other.end_time:%H:%M}"), "room")
    session = DefenseSession(academic_year_id=year.id, day=day, room=room.strip()[:60],
                             start_time=start, end_time=end, slot_minutes=slot_minutes)
    db.session.add(session)
    db.session.commit()
    return session


def delete_session(actor: User, session: DefenseSession) -> int:
    """Delete a defence day; the defences proposed there go back to « à planifier ». A day
    that holds a published defence is kept: move those first. Returns how many defences
    went back."""
    _manager(actor)
    placed = db.session.execute(select(Defense).where(Defense.session_id == session.id)
                                ).scalars().all()
    published = [d for d in placed if d.published]
    if published:
        raise DomainError(count_text(
            "Cette journée compte une soutenance publiée : déplacez-la d’abord vers une autre "
            "journée.", "Cette journée compte %(num)d soutenances publiées : déplacez-les "
            "d’abord vers une autre journée.", len(published)))
    for d in placed:
        db.session.delete(d)
    db.session.delete(session)
    db.session.commit()
    return len(placed)


def sessions(year: AcademicYear) -> list[DefenseSession]:
    return list(db.session.execute(select(DefenseSession).where(
        DefenseSession.academic_year_id == year.id)
        .order_by(DefenseSession.day, DefenseSession.start_time, DefenseSession.room)).scalars())


def defenses(year: AcademicYear) -> list[Defense]:
    return list(db.session.execute(
        select(Defense).join(Defense.session)
        .options(joinedload(Defense.internship).joinedload(Internship.student),
                 joinedload(Defense.internship).joinedload(Internship.host),
                 joinedload(Defense.tutor), joinedload(Defense.second_teacher),
                 joinedload(Defense.session))
        .where(DefenseSession.academic_year_id == year.id)
        .order_by(Defense.starts_at, DefenseSession.room)).unique().scalars())


def _unavailable() -> dict[int, list[tuple[datetime, datetime]]]:
    out: dict[int, list[tuple[datetime, datetime]]] = {}
    for u in db.session.execute(select(Unavailability)).scalars():
        out.setdefault(u.teacher_id, []).append((u.starts_at, u.ends_at))
    return out


def _placed(existing: list[Defense]) -> list[rules.Placed]:
    return [rules.Placed(d.internship_id, rules.Slot(d.starts_at, d.session.slot_minutes,
                                                     d.session.room, d.session_id),
                         d.tutor_id, d.second_teacher_id) for d in existing]


def _all_slots(days: list[DefenseSession]) -> list[rules.Slot]:
    return [rules.Slot(start, s.slot_minutes, s.room, s.id) for s in days for start in s.slots()]


def to_schedule(year: AcademicYear) -> tuple[list[Internship], list[Internship]]:
    """Internships of the year still to schedule, and those lacking an academic tutor."""
    from app.tutoring.services import open_assignments

    scheduled = {d.internship_id for d in defenses(year)}
    tutors = open_assignments(year)
    internships = db.session.execute(
        select(Internship).options(joinedload(Internship.student))
        .where(Internship.academic_year_id == year.id, Internship.status != "cancelled")
    ).scalars().all()
    ready = [i for i in internships if i.id not in scheduled and i.student_id in tutors
             and i.status not in CLOSED]
    missing = [i for i in internships if i.id not in scheduled and i.student_id not in tutors
               and i.status not in CLOSED]
    return ready, missing


def to_schedule_counts(year: AcademicYear) -> tuple[int, int]:
    """How many of ``to_schedule``'s two lists hold, counted by the database: the planning
    page shows only these numbers."""
    from app.tutoring.models import TutorAssignment

    placed = exists().where(Defense.internship_id == Internship.id,
                            Defense.session_id == DefenseSession.id,
                            DefenseSession.academic_year_id == year.id)
    tutored = exists().where(TutorAssignment.student_id == Internship.student_id,
                             TutorAssignment.academic_year_id == year.id,
                             TutorAssignment.ended_at.is_(None))
    counts = dict(db.session.execute(
        select(tutored.label("tutored"), func.count())
        .where(Internship.academic_year_id == year.id, Internship.status != "cancelled",
               ~placed).group_by("tutored")).all())
    return counts.get(True, 0), counts.get(False, 0)  # SQLite answers 1 and 0: the same keys


@dataclass
class Proposal:
    schedule: rules.Schedule
    # students left out because their internship is not over by the last defence day:
    # (internship, the first day they may defend)
    too_early: list[tuple[Internship, date]] = field(default_factory=list)

    @property
    def placed(self) -> list[rules.Placed]:
        return self.schedule.placed


def propose(actor: User, year: AcademicYear) -> Proposal:
    """Schedule every internship not yet placed, each on or after its internship's end plus
    the year's gap; existing defences stay where they are. A student whose internship is not
    over by the last defence day is left out, and named."""
    from app.tutoring.services import open_assignments

    _manager(actor)
    ready, _waiting = to_schedule(year)
    tutors = open_assignments(year)
    teachers = [t.id for t in db.session.execute(select(User).where(
        User.role == "teacher", User.active.is_(True))).scalars()]
    existing = defenses(year)
    days = sessions(year)
    last_day = max((s.day for s in days), default=None)
    candidates, too_early = [], []
    for i in ready:
        earliest = first_defense_day(i.end_date, year.defense_gap_days or 0)
        if last_day is None or earliest > last_day:
            too_early.append((i, earliest))
        else:
            candidates.append(rules.Candidate(i.id, tutors[i.student_id].teacher_id, earliest))
    result = rules.schedule(candidates, _all_slots(days), teachers, _unavailable(),
                            _placed(existing))
    for p in result.placed:
        db.session.add(Defense(internship_id=p.candidate_id, session_id=p.slot.session_id,
                               starts_at=p.slot.starts_at, tutor_id=p.tutor_id,
                               second_teacher_id=p.second_id, published=False))
    db.session.commit()
    too_early.sort(key=lambda pair: (pair[1], pair[0].student.last_name))
    return Proposal(result, too_early)


def slot_choices(year: AcademicYear) -> list[tuple[str, str]]:
    return [(f"{s.id}|{start:%Y-%m-%dT%H:%M}", f"{start:%d/%m %H:%M} — {s.room}")
            for s in sessions(year) for start in s.slots()]


def parse_slot(value: str | None) -> tuple[int | None, datetime | None]:
    try:
        sid, when = (value or "").split("|", 1)
        return int(sid), datetime.strptime(when, "%Y-%m-%dT%H:%M")
    except ValueError:
        return None, None


def teachers() -> list[User]:
    return list(db.session.execute(select(User).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.last_name)).scalars())
