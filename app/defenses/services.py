"""Defences: sessions, the proposed schedule, moves with conflict checks, publication and the
calendar feeds."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app import events, links
from app.accounts.models import User, utcnow
from app.defenses.models import Defense, DefenseSession, Unavailability
from app.errors import DomainError
from app.extensions import db
from app.internships.models import CLOSED, Internship
from app.rules import scheduling as rules
from app.rules.formatting import fr_date, room_text
from app.rules.years import YearWork, first_defense_day
from app.versioning import check_version, commit_versioned
from app.years.models import AcademicYear


def _manager(actor: User) -> None:
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat organise les soutenances."))


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
        raise DomainError(ngettext(
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


def _convocation(d: Defense) -> str:
    return (f"Soutenance de {d.internship.student.full_name} le "
            f"{d.starts_at:%d/%m/%Y à %H:%M}, {room_text(d.session.room)}.")


def _target_session(defense: Defense, session_id: int | None,
                    starts_at: datetime | None) -> DefenseSession:
    """The defence day of ``session_id``, of the defence's year, of which ``starts_at`` is a
    slot."""
    session = db.session.get(DefenseSession, session_id or 0)
    if session is None or session.academic_year_id != defense.session.academic_year_id:
        raise DomainError(_("Choisissez une journée de soutenance."), "session_id")
    if starts_at is None or starts_at not in session.slots():
        raise DomainError(_("Choisissez un créneau de la journée du %(day)s en %(room)s.",
                          day=f"{session.day:%d/%m/%Y}", room=room_text(session.room)), "starts_at")
    return session


def _check_after_internship(internship: Internship, starts_at: datetime) -> None:
    """Not before the internship's end plus the year's gap."""
    earliest = first_day_for(internship)
    if starts_at.date() < earliest:
        raise DomainError(_("Déplacement impossible : le stage de %(student)s se termine le "
                            "%(end_date)s ; première date possible : le %(earliest)s.",
                          student=internship.student.full_name,
                          end_date=fr_date(internship.end_date), earliest=fr_date(earliest)),
                          "starts_at")


def _second_member(second_id: int | None) -> User:
    second = db.session.get(User, second_id or 0)
    if second is None or second.role != "teacher":
        raise DomainError(_("Choisissez le second membre du jury."), "second_teacher_id")
    return second


def _check_no_conflict(defense: Defense, session: DefenseSession, starts_at: datetime,
                       tutor_id: int, second_id: int) -> None:
    """The jury is free at the slot, and the room too (the other defences of the year and
    the teachers' unavailabilities)."""
    slot = rules.Slot(starts_at, session.slot_minutes, session.room, session.id)
    others = [d for d in defenses(session.academic_year) if d.id != defense.id]
    reason = rules.conflict(slot, tutor_id, second_id, _placed(others), _unavailable())
    if reason:
        raise DomainError(_("Déplacement impossible : %(reason)s.", reason=reason))


def _tell_moved(defense: Defense, former: list[User | None], day_changed: bool) -> None:
    """A published defence changed: the student and the jury (the former members too) are
    told, and the host tutor if its day or time changed; its calendar event takes the next
    SEQUENCE."""
    from app.notifications.services import notify

    internship = defense.internship
    defense.sequence = (defense.sequence or 0) + 1
    defense.changed_at = utcnow()
    db.session.flush()
    db.session.refresh(defense, ["tutor", "second_teacher"])
    people = [internship.student, defense.tutor, defense.second_teacher]
    people += [u for u in former if u is not None and u.id not in {p.id for p in people}]
    notify(people, f"Soutenance déplacée — {_convocation(defense)}",
           links.path("defenses.mine"),
           email_subject="Soutenance de stage : nouvelle convocation")
    if internship.host_tutor_email and day_changed:
        from app.notifications import mail

        mail.queue(internship.host_tutor_email,
                   "Soutenance de votre stagiaire : nouvelle date",
                   f"Bonjour,\n\nLa soutenance de {internship.student.full_name} est "
                   f"déplacée au {defense.starts_at:%d/%m/%Y à %H:%M} "
                   f"({room_text(defense.session.room)}). "
                   "Vous êtes toujours invité·e à y assister.\n\n"
                   "— Le secrétariat du département\n")


def move(actor: User, defense: Defense, session_id: int | None, starts_at: datetime | None,
         second_id: int | None, version: int | None) -> Defense:
    """Move a defence; a conflict, or a day before the internship's end plus the year's gap,
    is refused with its reason. The jury takes the student's current tutor. A published
    defence that changes tells the student and the jury (the old members too) and its
    calendar event takes the next SEQUENCE, in the same commit."""
    from app.tutoring.services import current_assignment

    _manager(actor)
    check_version(defense, version, _("cette soutenance"))
    session = _target_session(defense, session_id, starts_at)
    internship = defense.internship
    _check_after_internship(internship, starts_at)
    second = _second_member(second_id)
    current = current_assignment(internship.student, session.academic_year)
    tutor_id = current.teacher_id if current is not None else defense.tutor_id
    _check_no_conflict(defense, session, starts_at, tutor_id, second.id)
    before = (defense.session_id, defense.starts_at, defense.tutor_id, defense.second_teacher_id)
    former = [defense.tutor, defense.second_teacher]
    defense.session_id, defense.starts_at, defense.second_teacher_id = session.id, starts_at, \
        second.id
    defense.tutor_id = tutor_id
    defense.session = session
    changed = before != (session.id, starts_at, tutor_id, second.id)
    defense.jury_outdated = False
    if defense.published and changed:
        _tell_moved(defense, former, before[:2] != (session.id, starts_at))
    commit_versioned(_("cette soutenance"))
    return defense


def publish(actor: User, year: AcademicYear) -> int:
    from app.notifications.services import notify

    _manager(actor)
    todo = [d for d in defenses(year) if not d.published]
    for d in todo:
        d.published = True
        d.changed_at = utcnow()
        people = [d.internship.student, d.tutor, d.second_teacher]
        notify(people, _convocation(d), links.path("defenses.mine"),
               email_subject="Soutenance de stage : convocation")
        if d.internship.host_tutor_email:
            from app.notifications import mail

            mail.queue(d.internship.host_tutor_email, "Soutenance de votre stagiaire",
                       f"Bonjour,\n\n{d.internship.student.full_name} présentera son stage le "
                       f"{d.starts_at:%d/%m/%Y à %H:%M} ({room_text(d.session.room)}). Vous êtes "
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


@events.tutor_changed.connect
def tutor_changed(student: User, *, year: AcademicYear, teacher: User, former: User | None,
                  **_unused) -> None:
    """The student's tutor of ``year`` is now ``teacher`` instead of ``former``: a proposed
    defence takes them in its jury (the former tutor becomes the second member if ``teacher``
    was it); a published one is flagged for the secretariat, whose next move sets the jury and
    tells everyone. The caller commits."""
    if former is None:
        return
    defense = db.session.execute(
        select(Defense).join(Defense.internship)
        .where(Internship.student_id == student.id, Internship.academic_year_id == year.id)
    ).scalars().first()
    if defense is None or defense.tutor_id == teacher.id:
        return
    if defense.published:
        defense.jury_outdated = True
        return
    if defense.second_teacher_id == teacher.id and former is not None:
        defense.second_teacher_id = former.id
    defense.tutor_id = teacher.id


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
    now = utcnow().replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Intranet des stages//soutenances//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Soutenances de stage")
    cal.add("x-wr-timezone", "Europe/Paris")
    for d in mine(user):
        event = Event()
        event.add("uid", f"soutenance-{d.id}@intranet-stages")
        stamp = d.changed_at.replace(microsecond=0) if d.changed_at else now
        if stamp.tzinfo is None:  # SQLite gives back naive UTC
            stamp = stamp.replace(tzinfo=UTC)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", d.sequence or 0)
        event.add("summary", f"Soutenance — {d.internship.student.full_name}")
        event.add("dtstart", d.starts_at.replace(tzinfo=paris))
        event.add("dtend", d.ends_at.replace(tzinfo=paris))
        event.add("location", d.session.room)
        event.add("description", f"Stage : {d.internship.host.name}. Jury : "
                                 f"{d.tutor.full_name}, {d.second_teacher.full_name}.")
        cal.add_component(event)
    cal.add_missing_timezones()  # the VTIMEZONE of Europe/Paris that TZID refers to
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


