"""Defences: sessions, the proposed schedule, moves with conflict checks, publication and the
calendar feeds."""
from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.defenses.models import Defense, DefenseSession, Unavailability
from app.errors import DomainError, StaleEdit
from app.extensions import db
from app.internships.models import Internship
from app.rules import scheduling as rules
from app.years.models import AcademicYear

MANAGERS = ("secretariat", "admin")


def _manager(actor: User) -> None:
    if actor.role not in MANAGERS:
        raise DomainError("Seul le secrétariat organise les soutenances.")


def add_session(actor: User, year: AcademicYear, day: date | None, room: str,
                start: time | None, end: time | None, slot_minutes: int | None
                ) -> DefenseSession:
    _manager(actor)
    if day is None:
        raise DomainError("Indiquez le jour.", "day")
    if not (room or "").strip():
        raise DomainError("Indiquez la salle.", "room")
    if start is None or end is None or end <= start:
        raise DomainError("L’heure de fin doit suivre l’heure de début.", "end_time")
    if not slot_minutes or not 15 <= slot_minutes <= 120:
        raise DomainError("Un créneau dure de 15 à 120 minutes.", "slot_minutes")
    clash = db.session.execute(select(DefenseSession).where(
        DefenseSession.day == day, DefenseSession.room == room.strip())).scalars().all()
    for other in clash:
        if rules.overlaps(start, end, other.start_time, other.end_time):
            raise DomainError(f"La salle {room.strip()} est déjà réservée ce jour-là de "
                              f"{other.start_time:%H:%M} à {other.end_time:%H:%M}.", "room")
    session = DefenseSession(academic_year_id=year.id, day=day, room=room.strip()[:60],
                             start_time=start, end_time=end, slot_minutes=slot_minutes)
    db.session.add(session)
    db.session.commit()
    return session


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


def _all_slots(year: AcademicYear) -> list[rules.Slot]:
    return [rules.Slot(start, s.slot_minutes, s.room, s.id)
            for s in sessions(year) for start in s.slots()]


def to_schedule(year: AcademicYear) -> tuple[list[Internship], list[Internship]]:
    """Internships of the year still to schedule, and those lacking an academic tutor."""
    from app.tutoring.services import open_assignments

    scheduled = {d.internship_id for d in defenses(year)}
    tutors = open_assignments(year)
    internships = db.session.execute(
        select(Internship).options(joinedload(Internship.student))
        .where(Internship.academic_year_id == year.id, Internship.status != "cancelled")
    ).scalars().all()
    ready = [i for i in internships if i.id not in scheduled and i.student_id in tutors]
    missing = [i for i in internships if i.id not in scheduled and i.student_id not in tutors]
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


def propose(actor: User, year: AcademicYear) -> rules.Schedule:
    """Schedule every internship not yet placed; existing defences stay where they are."""
    from app.tutoring.services import open_assignments

    _manager(actor)
    ready, _ = to_schedule(year)
    tutors = open_assignments(year)
    teachers = [t.id for t in db.session.execute(select(User).where(
        User.role == "teacher", User.active.is_(True))).scalars()]
    existing = defenses(year)
    result = rules.schedule([rules.Candidate(i.id, tutors[i.student_id].teacher_id)
                             for i in ready], _all_slots(year), teachers, _unavailable(),
                            _placed(existing))
    for p in result.placed:
        db.session.add(Defense(internship_id=p.candidate_id, session_id=p.slot.session_id,
                               starts_at=p.slot.starts_at, tutor_id=p.tutor_id,
                               second_teacher_id=p.second_id, published=False))
    db.session.commit()
    return result


def move(actor: User, defense: Defense, session_id: int | None, starts_at: datetime | None,
         second_id: int | None, version: int | None) -> Defense:
    """Move a defence; a conflict is refused with its reason."""
    _manager(actor)
    if version != defense.version_id:
        raise StaleEdit("cette soutenance")
    session = db.session.get(DefenseSession, session_id or 0)
    if session is None or session.academic_year_id != defense.session.academic_year_id:
        raise DomainError("Choisissez une journée de soutenance.", "session_id")
    if starts_at is None or starts_at not in session.slots():
        raise DomainError(f"Choisissez un créneau de la journée du {session.day:%d/%m/%Y} en "
                          f"salle {session.room}.", "starts_at")
    second = db.session.get(User, second_id or 0)
    if second is None or second.role != "teacher":
        raise DomainError("Choisissez le second membre du jury.", "second_teacher_id")
    slot = rules.Slot(starts_at, session.slot_minutes, session.room, session.id)
    others = [d for d in defenses(session.academic_year) if d.id != defense.id]
    reason = rules.conflict(slot, defense.tutor_id, second.id, _placed(others), _unavailable())
    if reason:
        raise DomainError(f"Déplacement impossible : {reason}.")
    defense.session_id, defense.starts_at, defense.second_teacher_id = session.id, starts_at, \
        second.id
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit("cette soutenance")
    return defense


def publish(actor: User, year: AcademicYear) -> int:
    from app.notifications.services import notify

    _manager(actor)
    todo = [d for d in defenses(year) if not d.published]
    for d in todo:
        d.published = True
        people = [d.internship.student, d.tutor, d.second_teacher]
        notify(people, f"Soutenance de {d.internship.student.full_name} le "
                       f"{d.starts_at:%d/%m/%Y à %H:%M}, salle {d.session.room}.",
               None, email_subject="Soutenance de stage : convocation")
        if d.internship.host_tutor_email:
            from app.notifications import mail

            mail.queue(d.internship.host_tutor_email, "Soutenance de votre stagiaire",
                       f"Bonjour,\n\n{d.internship.student.full_name} présentera son stage le "
                       f"{d.starts_at:%d/%m/%Y à %H:%M} (salle {d.session.room}). Vous êtes "
                       "invité·e à y assister.\n\n— Le secrétariat du département\n")
    db.session.commit()
    return len(todo)


def mine(user: User) -> list[Defense]:
    stmt = (select(Defense).join(Defense.internship)
            .options(joinedload(Defense.internship).joinedload(Internship.student),
                     joinedload(Defense.internship).joinedload(Internship.host),
                     joinedload(Defense.session), joinedload(Defense.tutor),
                     joinedload(Defense.second_teacher))
            .where(Defense.published.is_(True)).order_by(Defense.starts_at))
    if user.is_student:
        stmt = stmt.where(Internship.student_id == user.id)
    else:
        stmt = stmt.where((Defense.tutor_id == user.id) | (Defense.second_teacher_id == user.id))
    return list(db.session.execute(stmt).unique().scalars())


def add_unavailability(teacher: User, starts_at: datetime | None, ends_at: datetime | None,
                       reason: str | None) -> Unavailability:
    if teacher.role != "teacher":
        raise DomainError("Seul·es les enseignant·es déclarent des indisponibilités.")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise DomainError("La fin doit suivre le début.", "ends_at")
    u = Unavailability(teacher_id=teacher.id, starts_at=starts_at, ends_at=ends_at,
                       reason=(reason or "").strip()[:200] or None)
    db.session.add(u)
    db.session.commit()
    return u


def unavailabilities(teacher: User) -> list[Unavailability]:
    return list(db.session.execute(select(Unavailability).where(
        Unavailability.teacher_id == teacher.id).order_by(Unavailability.starts_at)).scalars())


def calendar_token(user: User) -> str:
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
        db.session.commit()
    return user.calendar_token


def renew_calendar_token(user: User) -> str:
    """A new private address for ``user``'s calendar; the old one is no longer found."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()
    return user.calendar_token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(select(User).where(User.calendar_token == token,
                                                 User.active.is_(True))).scalar_one_or_none()


def ical(user: User) -> bytes:
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    paris = ZoneInfo("Europe/Paris")
    cal = Calendar()
    cal.add("prodid", "-//Intranet des stages//soutenances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Soutenances de stage")
    for d in mine(user):
        event = Event()
        event.add("uid", f"soutenance-{d.id}@intranet-stages")
        event.add("summary", f"Soutenance — {d.internship.student.full_name}")
        event.add("dtstart", d.starts_at.replace(tzinfo=paris))
        event.add("dtend", d.ends_at.replace(tzinfo=paris))
        event.add("location", d.session.room)
        event.add("description", f"Stage chez {d.internship.host.name}. Jury : "
                                 f"{d.tutor.full_name}, {d.second_teacher.full_name}.")
        cal.add_component(event)
    return cal.to_ical()


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


