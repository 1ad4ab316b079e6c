"""Internships: recording one (created, changed, moved along its workflow, absences), its
gratification, who may read and change it, and starting it. Beside it, re-exported here so
that callers keep using ``services.xxx``:
- ``validation``: the department's window and the legal checks of a record;
- ``presence``: absences, hours of presence, the gratification due and paid;
- ``reading``: who may read and change an internship, finding internships;
- ``cohort``: the BUT3 cohort's follow-up."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

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
    Internship,
    InternshipEvent,
    Objective,
)
from app.internships.presence import (
    add_absence,
    gratification_of,
    is_over,
    presence_hours,
    record_paid,
    remove_absence,
    same_host_year,
    same_host_year_map,
)
from app.internships.reading import (
    can_edit,
    can_edit_terms,
    can_record_absences,
    can_view,
    get,
    internships_query,
    of_student,
    student_choices,
    terms_locked,
)
from app.internships.validation import (
    MAX_HOURS_PER_HOST_YEAR,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_WARNING,
    InternshipData,
    InternshipInvalid,
    check_student,
    domain_of,
    validate,
    weeks_text,
)
from app.offers.models import Offer
from app.rules.calendar import format_days
from app.rules.formatting import fr_date
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
    # presence.py
    "add_absence", "gratification_of", "is_over", "presence_hours", "record_paid", "remove_absence",
    "same_host_year", "same_host_year_map",
    # reading.py
    "can_edit", "can_edit_terms", "can_record_absences", "can_view", "get",
    "internships_query", "of_student", "student_choices", "terms_locked",
]
