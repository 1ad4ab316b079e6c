"""Internships: recording one (created, changed, moved along its workflow, absences), its
gratification, who may read and change it, and starting it. Beside it, re-exported here so
that callers keep using ``services.xxx``:
- ``validation``: the department's window and the legal checks of a record;
- ``cohort``: the BUT3 cohort's follow-up."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import Host
from app.internships.cohort import (
    STAGES,
    WITHOUT_INTERNSHIP,
    CohortRow,
    cohort_apprentices,
    cohort_counts,
    cohort_rows,
    cohort_stages,
    cohort_work,
    groups,
    stage_of,
    stage_sql,
)
from app.internships.models import (
    CLOSED,
    STATUSES,
    TRANSITIONS,
    Absence,
    Internship,
    InternshipEvent,
    Objective,
)
from app.internships.validation import (
    MAX_HOURS_PER_HOST_YEAR,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_WARNING,
    InternshipData,
    InternshipInvalid,
    check_student,
    domain_of,
    hours_of,
    validate,
    weeks_text,
)
from app.offers.models import Offer
from app.rules.calendar import format_days
from app.rules.formatting import fr_date
from app.rules.gratification import Agreement, Result, compute
from app.versioning import check_version, commit_versioned
from app.years import services as years
from app.years.models import AcademicYear


def _text(value: str | None) -> str | None:
    """A typed text as stored: trimmed, None when empty."""
    return (value or "").strip() or None


def _apply(internship: Internship, data: InternshipData, year: AcademicYear) -> None:
    host = db.session.get(Host, data.host_id)
    internship.academic_year = year
    if internship.id is not None and internship.convention is not None:
        internship.convention.academic_year_id = year.id  # the queue reads the year there
    internship.host = host
    internship.offer_id = data.offer_id or None
    internship.domain = domain_of(data)
    internship.subject = data.subject.strip()
    internship.missions = _text(data.missions)
    internship.skills = _text(data.skills)
    internship.start_date = data.start_date
    internship.end_date = data.end_date
    internship.work_days = format_days(data.work_days)
    internship.weekly_hours = data.weekly_hours
    internship.holidays_worked = bool(data.holidays_worked)
    internship.zone = data.zone
    internship.country = _text(data.country) or host.country
    internship.host_tutor_name = _text(data.host_tutor_name)
    internship.host_tutor_position = _text(data.host_tutor_position)
    email = _text(data.host_tutor_email)
    internship.host_tutor_email = email.lower() if email else None
    internship.host_tutor_phone = _text(data.host_tutor_phone)
    internship.agreed_amount = data.agreed_amount
    internship.agreed_unit = data.agreed_unit
    statements = [s.strip() for s in data.objectives if s and s.strip()]
    internship.objectives = [Objective(position=i, statement=s)
                             for i, s in enumerate(statements)]


def create_internship(student: User, data: InternshipData, actor: User | None = None
                      ) -> tuple[Internship, list[str]]:
    year, warnings = validate(student, data)
    internship = Internship(student=student, status="planned")
    _apply(internship, data, year)
    internship.events.append(InternshipEvent(actor_id=(actor or student).id, from_status=None,
                                             to_status="planned"))
    db.session.add(internship)
    try:
        db.session.commit()
    except IntegrityError:  # the same internship sent twice at once: the first one stands
        db.session.rollback()
        raise DomainError(_("%(student)s a déjà un stage pour cette année : il vient d’être "
                            "enregistré.", student=student.full_name), "student_id") from None
    return internship, warnings


def terms_locked(user: User, internship: Internship) -> str | None:
    """Why ``user`` can no longer change what the internship's convention states, or None.

    The student changes the terms until the convention is submitted, the secretariat until
    it is validated; afterwards only an avenant changes them (RULES.md §3)."""
    if internship.status in CLOSED:
        return _("Ce stage est « %(status)s ».", status=internship.status_label.lower())
    convention = getattr(internship, "convention", None)
    if convention is None or convention.status == "draft":
        return None
    if convention.status in ("validated", "out_for_signature", "signed", "ended_early"):
        return _("La convention est validée : ses termes (dates, horaires, tuteur, gratification, "
                 "activités…) ne changent plus que par un avenant, que le secrétariat établit.")
    if user.is_manager:
        return None
    if convention.status == "changes_requested":
        return None
    return _("La convention est soumise au secrétariat : ses termes ne se modifient plus. "
             "Demandez au secrétariat de vous la renvoyer pour correction.")


def update_internship(internship: Internship, data: InternshipData, version: int | None,
                      actor: User) -> list[str]:
    check_version(internship, version, _("ce stage"))
    locked = terms_locked(actor, internship)
    if locked:
        raise DomainError(locked)
    year, warnings = validate(internship.student, data, internship.id)
    _apply(internship, data, year)
    try:
        commit_versioned(_("ce stage"))
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("%(student)s a déjà un stage pour cette année.",
                          student=internship.student.full_name), "start_date") from None
    return warnings


def move(internship: Internship, actor: User | None, to_status: str,
         comment: str | None = None) -> None:
    """Change the internship's status with its history line (the caller commits); a move the
    workflow (``TRANSITIONS``) does not allow is refused."""
    if to_status not in TRANSITIONS.get(internship.status, ()):
        raise DomainError(_("Un stage « %(status)s » ne peut pas passer à « %(new_status)s ».",
                            status=internship.status_label.lower(),
                            new_status=STATUSES[to_status].lower()))
    internship.events.append(InternshipEvent(
        actor_id=actor.id if actor else None, from_status=internship.status,
        to_status=to_status, comment=comment))
    internship.status = to_status


def add_absence(internship: Internship, start: date | None, end: date | None,
                reason: str | None) -> Absence:
    if start is None or end is None:
        raise DomainError(_("Indiquez le début et la fin de l’absence."), "start_date")
    if end < start:
        raise DomainError(_("La fin de l’absence précède son début."), "end_date")
    if start < internship.start_date or end > internship.end_date:
        raise DomainError(_("L’absence doit tomber pendant le stage (du %(start_date)s au "
                            "%(end_date)s).",
                          start_date=fr_date(internship.start_date),
                          end_date=fr_date(internship.end_date)), "start_date")
    for other in internship.absences:
        if other.start_date <= end and start <= other.end_date:
            raise DomainError(_("Cette absence chevauche une absence déjà saisie."), "start_date")
    absence = Absence(internship=internship, start_date=start, end_date=end,
                      reason=(reason or "").strip() or None)
    db.session.add(absence)
    db.session.commit()
    return absence


def remove_absence(internship: Internship, absence_id: int) -> None:
    absence = db.session.get(Absence, absence_id)
    if absence is None or absence.internship_id != internship.id:
        raise DomainError(_("Cette absence n’existe plus."))
    db.session.delete(absence)
    db.session.commit()


def presence_hours(internship: Internship) -> Decimal:
    """Hours of presence of a record: its schedule, holidays and absences."""
    return hours_of(internship.start_date, internship.end_date, internship.schedule.days,
                  internship.weekly_hours, internship.zone, internship.holidays_worked,
                  internship.absence_periods)


def same_host_year(internship: Internship) -> list[Internship]:
    """The student's other internships at the same host in the same academic year: their
    presence adds up for the gratification threshold, consecutive or not (L124-6)."""
    return list(db.session.execute(
        select(Internship).options(selectinload(Internship.absences))
        .where(Internship.student_id == internship.student_id,
               Internship.host_id == internship.host_id,
               Internship.academic_year_id == internship.academic_year_id,
               Internship.id != internship.id, Internship.status != "cancelled")
        .order_by(Internship.start_date)).scalars())


def same_host_year_map(rows: list[Internship]) -> dict[int, list[Internship]]:
    """``same_host_year`` for many internships in one query (exports, statistics)."""
    keys = {(i.student_id, i.host_id, i.academic_year_id) for i in rows}
    if not keys:
        return {}
    students = {k[0] for k in keys}
    found: dict[tuple, list[Internship]] = {}
    for other in db.session.execute(
            select(Internship).options(selectinload(Internship.absences))
            .where(Internship.student_id.in_(students), Internship.status != "cancelled")
    ).scalars():
        key = (other.student_id, other.host_id, other.academic_year_id)
        if key in keys:
            found.setdefault(key, []).append(other)
    return {i.id: [o for o in found.get((i.student_id, i.host_id, i.academic_year_id), [])
                   if o.id != i.id] for i in rows}


def gratification_of(internship: Internship, today: date,
                     rates: dict[int, Decimal] | None = None,
                     others: list[Internship] | None = None) -> Result:
    """The computation for a record: rate of the signature date, or today's if unsigned;
    presence at the same host in the same year from other internships counts (L124-6)."""
    rate = years.rate_on(internship.convention_signed_on or today, rates)
    agreed = (Agreement(Decimal(internship.agreed_amount), internship.agreed_unit)
              if internship.agreed_amount is not None else None)
    if others is None:
        others = same_host_year(internship) if internship.id else []
    other_hours = earlier = Decimal(0)
    for other in others:
        hours = presence_hours(other)
        other_hours += hours
        if other.start_date < internship.start_date:
            earlier += hours
    return compute(internship.start_date, internship.end_date, internship.schedule, rate,
                   zone=internship.zone, holidays_worked=internship.holidays_worked,
                   absences=internship.absence_periods, agreed=agreed,
                   other_hours=other_hours, earlier_hours=earlier)


# ---------------------------------------------------------------- access and listing

def can_view(user: User, internship: Internship) -> bool:
    """The internship's page and attestation: its student, the secretariat, the coordinator,
    and the teachers concerned by it this year (its current tutor, its jury): ``app.access``."""
    from app.access import can_read_private

    return can_read_private(user, internship.student_id, internship.academic_year_id)


def can_edit(user: User, internship: Internship) -> bool:
    """May ``user`` record on the internship (absences, its terms while not locked)?"""
    if internship.status == "cancelled":
        return False
    if user.is_manager:
        return True
    return internship.student_id == user.id and internship.status == "planned"


def can_record_absences(user: User, internship: Internship) -> bool:
    """May ``user`` record the internship's absences? As ``can_edit``, and the student also
    while the internship is in progress, when absences happen (their home page asks them to)."""
    return can_edit(user, internship) or (
        internship.student_id == user.id and internship.status == "in_progress")


def can_edit_terms(user: User, internship: Internship) -> bool:
    return can_edit(user, internship) and terms_locked(user, internship) is None


def get(internship_id: int) -> Internship | None:
    return db.session.execute(
        select(Internship).options(selectinload(Internship.absences),
                                   selectinload(Internship.objectives))
        .where(Internship.id == internship_id)).scalar_one_or_none()


def of_student(student: User) -> list[Internship]:
    return list(db.session.execute(
        select(Internship).where(Internship.student_id == student.id)
        .order_by(Internship.start_date.desc())).scalars())



def internships_query(year: AcademicYear | None = None, q: str | None = None):
    from sqlalchemy.orm import contains_eager

    from app.search import matching

    stmt = (select(Internship).join(Internship.student).join(Internship.host)
            .options(contains_eager(Internship.student), contains_eager(Internship.host)))
    if year is not None:
        stmt = stmt.where(Internship.academic_year_id == year.id)
    clause = matching(q, Internship.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt.order_by(User.last_name, User.first_name, Internship.start_date)


def student_choices(*selected: int | None, q: str | None = None) -> list[tuple[int, str]]:
    """BUT3 students of the project track (no apprentice) for the secretariat's picker, by
    name: the ``selected`` ones first, then the first of the list, or those found by ``q``."""
    from app.pickers import picker_rows, student_label
    from app.search import matching

    stmt = (select(User.id, User.last_name, User.first_name, User.group_name)
            .where(User.role == "student", User.cohort == "BUT3", User.track == "initial",
                   User.active.is_(True))
            .order_by(User.last_name, User.first_name, User.id))
    return picker_rows(stmt, User.id, student_label, list(selected),
                       matching(q, User.search_text))


def start_from_offer(student: User, offer: Offer, today: date) -> Internship | None:
    """Start the record of an accepted application: host, offer and the expected dates.

    Returns None when the student cannot have one (apprentice, not BUT3) or already has one
    that year. The student or the secretariat completes it; edits run every check.
    """
    from datetime import timedelta

    try:
        check_student(student)
    except DomainError:
        return None
    start = offer.start_date
    year = years.year_for(start) if start else None
    if year is None:
        year = years.current_year(today)
        start = max(start or year.earliest_start, year.earliest_start)
    if start < year.earliest_start:
        start = year.earliest_start
    weeks = offer.duration_weeks or year.min_weeks
    weeks = min(max(weeks, year.min_weeks), year.max_weeks)
    existing = db.session.execute(select(Internship.id).where(
        Internship.student_id == student.id, Internship.academic_year_id == year.id,
        Internship.status.not_in(CLOSED))).first()
    if existing:
        return None
    internship = Internship(
        student=student, academic_year=year, host_id=offer.host_id, offer_id=offer.id,
        subject=offer.title, missions=offer.missions, start_date=start,
        end_date=start + timedelta(days=weeks * 7 - 1),
        weekly_hours=offer.weekly_hours or Decimal(35), country=offer.country,
        agreed_amount=offer.gratification_monthly, agreed_unit="month", status="planned",
    )
    internship.events.append(InternshipEvent(actor_id=student.id, from_status=None,
                                             to_status="planned",
                                             comment=f"Candidature acceptée : {offer.title}"))
    db.session.add(internship)
    return internship


def end_early(internship: Internship, actor: User, ended_on: date, reason: str) -> None:
    """The internship stops on ``ended_on`` (its convention's rupture): its dates become the
    effective ones, absences after that day go (the caller commits)."""
    for absence in list(internship.absences):
        if absence.start_date > ended_on:
            internship.absences.remove(absence)
        elif absence.end_date > ended_on:
            absence.end_date = ended_on
    internship.end_date = ended_on
    move(internship, actor, "ended_early",
         f"Dernier jour le {fr_date(ended_on)} : {reason.strip()[:300]}")


def mark_started(internship: Internship, actor: User, today: date) -> None:
    """The secretariat records that the intern started: only with a signed convention."""
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat enregistre le début d’un stage."))
    convention = getattr(internship, "convention", None)
    if convention is None or convention.status != "signed":
        raise DomainError(_("Le stage ne peut pas commencer : sa convention n’est pas signée par "
                            "toutes les parties."))
    if internship.status != "planned":
        raise DomainError(_("Ce stage est déjà « %(status)s ».",
                          status=internship.status_label.lower()))
    if today < internship.start_date:
        raise DomainError(_("Le stage commence le %(start_date)s.",
                          start_date=fr_date(internship.start_date)))
    move(internship, actor, "in_progress")
    db.session.commit()


__all__ = [  # what callers read here, wherever it is written
    "CohortRow",
    "InternshipData",
    "InternshipInvalid",
    "MAX_HOURS_PER_HOST_YEAR",
    "STAGES",
    "WEEKLY_HOURS_MAX",
    "WEEKLY_HOURS_WARNING",
    "WITHOUT_INTERNSHIP",
    "check_student",
    "cohort_apprentices",
    "cohort_counts",
    "cohort_rows",
    "cohort_stages",
    "cohort_work",
    "domain_of",
    "groups",
    "stage_of",
    "stage_sql",
    "validate",
    "weeks_text",
]
