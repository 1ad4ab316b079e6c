"""A defence once placed: moving it (with its checks and its jury), publishing the
convocations, and the jury following a change of tutor (``events.tutor_changed``)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import events, links
from app.accounts.models import User, utcnow
from app.defenses.models import Defense, DefenseSession
from app.defenses.planning import _manager, _placed, _unavailable, defenses, first_day_for
from app.errors import DomainError
from app.extensions import db
from app.internships.models import Internship
from app.rules import scheduling as rules
from app.rules.formatting import fr_date, room_text
from app.versioning import check_version, commit_versioned
from app.years.models import AcademicYear


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
