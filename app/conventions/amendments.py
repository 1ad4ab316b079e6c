"""Avenants: the only way a validated convention's terms change (RULES.md §3). Each is
numbered in its convention, says why, records each changed term before and after, changes the
records the same way, and runs again only the checks its change touches."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User, utcnow
from app.conventions import services, transitions, workflow
from app.conventions import terms as terms_
from app.conventions.checks import problems
from app.conventions.models import Amendment, Convention
from app.errors import DomainError, StaleEdit
from app.extensions import db
from app.internships import services as internships
from app.notifications.services import notify
from app.rules.calendar import parse_days
from app.rules.formatting import de

# Where each amendable term lives: the internship record, or the convention's own mentions
# (the academic tutor lives in tutoring: ``amend`` changes the assignment).
ON_INTERNSHIP = ("start_date", "end_date", "work_days", "weekly_hours", "holidays_worked",
                 "host_tutor_name", "host_tutor_position", "host_tutor_email",
                 "host_tutor_phone", "agreed_amount", "agreed_unit", "subject", "missions",
                 "skills")
ON_CONVENTION = ("special_hours", "payment_terms", "supervision", "leave_conditions",
                 "benefits", "social_protection")


def _proposed(kind: str, values: dict) -> dict:
    """What the form asks to change: the fields of this kind that were filled."""
    wanted = {}
    for key in terms_.AMENDABLE[kind]:
        value = values.get(key)
        if value is None or value == "" or (key == "academic_tutor_id" and not value):
            continue
        if key == "host_tutor_email":
            value = value.strip().lower()
        wanted[key] = value
    return wanted


def _nothing_changes(kind: str, values: dict, current: dict) -> str:
    """Why an avenant changing nothing is refused: what was filled may be of another kind."""
    typed = {k: v for k, v in values.items() if k != "agreed_unit"}  # a select has a value
    others = [k for k in terms_.AMENDABLE if k not in (kind, "academic_tutor")
              and terms_.diff(current, _proposed(k, typed))]
    if others:
        return _("Ce que vous avez rempli ne relève pas de « %(kind)s » mais de « %(other)s » : "
                 "choisissez cet objet, ou remplissez ce qui change.",
                 kind=terms_.AMENDMENT_KINDS[kind], other=terms_.AMENDMENT_KINDS[others[0]])
    return _("L’avenant ne change rien : remplissez ce qui change.")


def _teacher(teacher_id) -> User:
    teacher = db.session.get(User, teacher_id or 0)
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError(_("Choisissez le nouvel enseignant·e référent·e."), "academic_tutor_id")
    return teacher


def _check_records(convention: Convention, kind: str, changes: dict) -> None:
    """The department's and the law's checks of an internship record, for dates and hours."""
    if kind not in ("dates", "schedule"):
        return
    i = convention.internship
    data = internships.InternshipData(
        host_id=i.host_id, subject=i.subject, start_date=i.start_date, end_date=i.end_date,
        work_days=i.schedule.days, weekly_hours=Decimal(i.weekly_hours),
        holidays_worked=i.holidays_worked, zone=i.zone, country=i.country, offer_id=i.offer_id,
        missions=i.missions, skills=i.skills, objectives=[o.statement for o in i.objectives],
        host_tutor_name=i.host_tutor_name, agreed_amount=i.agreed_amount,
        agreed_unit=i.agreed_unit)
    for key, (_before, after) in changes.items():
        if key in ("start_date", "end_date"):
            setattr(data, key, date.fromisoformat(after))
        elif key == "weekly_hours":
            data.weekly_hours = Decimal(after)
        elif key == "work_days":
            data.work_days = parse_days(after)
        elif key == "holidays_worked":
            data.holidays_worked = bool(after)
    internships.validate(i.student, data, i.id)


def _apply(convention: Convention, changes: dict) -> None:
    i = convention.internship
    for key, (_before, after) in changes.items():
        if key in ("start_date", "end_date"):
            value = date.fromisoformat(after)
        elif key in ("weekly_hours", "agreed_amount"):
            value = Decimal(after)
        else:
            value = after
        if key in ON_INTERNSHIP:
            setattr(i, key, value)
        elif key in ON_CONVENTION:
            setattr(convention, key, value)


def amend(convention: Convention, actor: User, kind: str, reason: str | None, values: dict,
          version: int | None, today: date) -> Amendment:
    """Change a signed convention's terms by avenant n° N."""
    transitions.check_stale(convention, version)
    workflow.require("amend", actor, convention)
    if kind not in terms_.AMENDABLE:
        raise DomainError(_("Choisissez l’objet de l’avenant."), "kind")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l’avenant."), "reason")
    proposed = _proposed(kind, values)
    teacher = None
    if kind == "academic_tutor" and "academic_tutor_id" in proposed:
        teacher = _teacher(proposed["academic_tutor_id"])
        proposed["academic_tutor_name"] = teacher.full_name
    current = services.terms_of(convention)
    changes = terms_.diff(current, proposed)
    if not changes:
        raise DomainError(_nothing_changes(kind, values, current), "kind")
    _check_records(convention, kind, changes)
    _apply(convention, changes)
    failing = problems(convention, today, only=terms_.RECHECKED[kind])
    if failing:
        db.session.rollback()
        raise DomainError(_("Avenant refusé : %(problems)s", problems=" ; ".join(failing)),
                          "kind")
    if teacher is not None:
        from app.tutoring.services import assign

        i = convention.internship
        assign(actor, i.student, teacher, i.academic_year, f"Avenant : {reason[:200]}",
               commit=False, amendment=True)
    number = (db.session.execute(select(func.max(Amendment.number)).where(
        Amendment.convention_id == convention.id)).scalar() or 0) + 1
    amendment = Amendment(convention=convention, number=number, kind=kind,
                          reason=reason[:2000], changes=changes, actor_id=actor.id)
    db.session.add(amendment)
    what = terms_.AMENDMENT_KINDS[kind].lower()
    transitions.note(convention, actor, f"Avenant n° {number} ({what}) : {reason[:300]}")
    convention.updated_at = amendment.created_at = utcnow()
    student = convention.internship.student
    notify(transitions.concerned(convention, actor),
           f"Avenant n° {number} à la convention {de(student.full_name)} : "
           + " ; ".join(str(line) for line in terms_.change_lines(changes)) + ".",
           transitions.link_to(convention), email_subject=f"Avenant n° {number} à la convention")
    transitions.tell_host_tutor(
        convention, f"Avenant n° {number} à la convention de stage",
        f"La convention de stage {de(student.full_name)} est modifiée par l’avenant "
        f"n° {number} ({reason[:300]}) :\n"
        + "\n".join(f"- {line}" for line in terms_.change_lines(changes))
        + "\n\nLe secrétariat vous l’adresse pour signature.")
    try:
        transitions.commit()
    except IntegrityError:   # another avenant took this number at the same instant
        db.session.rollback()
        raise StaleEdit(_("cette convention")) from None
    return amendment
