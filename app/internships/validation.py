"""Internships: what makes a record valid — the department's window (from April 8, 12 to 16
weeks), the legal limits (hours per host and year, weekly hours), overlaps and the host —
each problem named after its form field (``InternshipInvalid`` carries them all)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import Host
from app.internships.models import (
    AGREED_UNITS,
    CLOSED,
    Internship,
)
from app.offers.models import Offer
from app.rules.calendar import ZONES, Schedule, length_in_weeks, presence_days
from app.rules.formatting import duration_text, fr_date
from app.years import services as years
from app.years.models import AcademicYear

MAX_HOURS_PER_HOST_YEAR = Decimal(924)  # 6 months, L124-5
WEEKLY_HOURS_WARNING = Decimal(35)
WEEKLY_HOURS_MAX = Decimal(48)


class InternshipInvalid(DomainError):
    """Several problems at once, each tied to its field."""

    def __init__(self, problems: list[DomainError]):
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class InternshipData:
    host_id: int | None
    subject: str
    start_date: date | None
    end_date: date | None
    work_days: frozenset[int] = frozenset(range(5))
    weekly_hours: Decimal | None = Decimal(35)
    holidays_worked: bool = False
    zone: str = "metropole"
    country: str = "France"
    offer_id: int | None = None
    domain: str | None = None
    missions: str | None = None
    skills: str | None = None
    objectives: list[str] = field(default_factory=list)
    host_tutor_name: str | None = None
    host_tutor_position: str | None = None
    host_tutor_email: str | None = None
    host_tutor_phone: str | None = None
    agreed_amount: Decimal | None = None
    agreed_unit: str = "month"


def weeks_text(start: date, end: date) -> str:
    return duration_text(start, end)


def check_student(student: User) -> None:
    if student.role != "student":
        raise DomainError(_("Seuls les étudiants ont un stage."), "student_id")
    if student.track == "apprentice":
        raise DomainError(_("Un alternant ne fait pas de stage : son contrat d’apprentissage en "
                            "tient lieu."), "student_id")
    if student.cohort != "BUT3":
        raise DomainError(_("Le stage de 12 à 16 semaines concerne les étudiants de BUT3."),
                            "student_id")


def validate(student: User, data: InternshipData, internship_id: int | None = None
             ) -> tuple[AcademicYear | None, list[str]]:
    """Every check of the department and the law; returns the year and the warnings.

    Raises InternshipInvalid with one problem per field that is wrong.
    """
    warnings: list[str] = []
    check_student(student)
    host, problems = _host_and_offer_problems(data)
    problems += _terms_problems(data)
    problems += _weekly_hours_problems(data.weekly_hours, warnings)
    year, period_problems = _period_problems(student, data, host, internship_id)
    problems += period_problems
    if problems:
        raise InternshipInvalid(problems)
    return year, warnings


def _host_and_offer_problems(data: InternshipData) -> tuple[Host | None, list[DomainError]]:
    """The subject, the host (returned, None when unknown) and the offer."""
    problems: list[DomainError] = []
    if not (data.subject or "").strip():
        problems.append(DomainError(_("Le sujet du stage est obligatoire."), "subject"))
    host = db.session.get(Host, data.host_id) if data.host_id else None
    if host is None:
        problems.append(DomainError(_("Choisissez l’organisme d’accueil dans l’annuaire."),
                                      "host_id"))
    if data.offer_id and db.session.get(Offer, data.offer_id) is None:
        problems.append(DomainError(_("Cette offre n’existe plus."), "offer_id"))
    return host, problems


def _terms_problems(data: InternshipData) -> list[DomainError]:
    """The holidays' zone, the gratification and the days worked."""
    problems: list[DomainError] = []
    if data.zone not in ZONES:
        problems.append(DomainError(_("Zone de jours fériés inconnue."), "zone"))
    if data.agreed_unit not in AGREED_UNITS:
        problems.append(DomainError(_("Unité de gratification inconnue."), "agreed_unit"))
    if data.agreed_amount is not None and data.agreed_amount < 0:
        problems.append(DomainError(_("La gratification ne peut pas être négative."),
                                      "agreed_amount"))
    if not data.work_days:
        problems.append(DomainError(_("Cochez au moins un jour travaillé."), "work_days"))
    return problems


def _weekly_hours_problems(hours: Decimal | None, warnings: list[str]) -> list[DomainError]:
    """The weekly hours: required, at most 48; above 35 a warning goes to ``warnings``."""
    if hours is None or hours <= 0:
        return [DomainError(_("Indiquez la durée hebdomadaire."), "weekly_hours")]
    if hours > WEEKLY_HOURS_MAX:
        return [DomainError(
            _("%(hours)s heures par semaine : la durée maximale de présence est de 48 heures.",
            hours=hours),
            "weekly_hours")]
    if hours > WEEKLY_HOURS_WARNING:
        warnings.append(f"{hours} heures par semaine : au-delà de 35 heures, vérifiez que "
                        "l’organisme applique bien sa durée légale du travail au stagiaire.")
    return []


def _period_problems(student: User, data: InternshipData, host: Host | None,
                     internship_id: int | None
                     ) -> tuple[AcademicYear | None, list[DomainError]]:
    """The dates, and the academic year they fall in (created when it does not exist yet)
    with what the internship must respect in it."""
    problems: list[DomainError] = []
    year = None
    start, end = data.start_date, data.end_date
    if start is None:
        problems.append(DomainError(_("Indiquez la date de début."), "start_date"))
    if end is None:
        problems.append(DomainError(_("Indiquez la date de fin."), "end_date"))
    if start and end:
        year = _year_of(start)
        problems += _in_year_problems(student, data, host, year, internship_id)
    return year, problems


def _year_of(start: date) -> AcademicYear:
    year = db.session.execute(select(AcademicYear).where(
        AcademicYear.start_year == years.academic_start_year(start))).scalar_one_or_none()
    if year is None:
        year = years.create_year(years.YearData(
            start_year=years.academic_start_year(start)))
    return year


def _in_year_problems(student: User, data: InternshipData, host: Host | None,
                      year: AcademicYear, internship_id: int | None) -> list[DomainError]:
    """The year's window and length, one internship a year, no overlap, the host's 924
    hours."""
    start, end = data.start_date, data.end_date
    if end < start:
        return [DomainError(_("La date de fin précède la date de début."), "end_date")]
    problems: list[DomainError] = []
    if start < year.earliest_start:
        problems.append(DomainError(
            _("Le stage ne peut pas commencer avant le %(earliest_start)s (année "
              "%(year)s).", earliest_start=fr_date(year.earliest_start), year=year.label),
              "start_date"))
    weeks = length_in_weeks(start, end)
    if weeks < year.min_weeks or weeks > year.max_weeks:
        problems.append(DomainError(
            _("Le stage dure %(length)s : il doit durer de %(min_weeks)s à %(max_weeks)s "
              "semaines.",
            length=weeks_text(start, end), min_weeks=year.min_weeks,
            max_weeks=year.max_weeks), "end_date"))
    problems.extend(_same_year(student, year, internship_id))
    problems.extend(_overlaps(student, start, end, internship_id))
    hours = data.weekly_hours
    if (host is not None and hours and 0 < hours <= WEEKLY_HOURS_MAX and data.work_days
            and data.zone in ZONES):  # the hours need the zone's calendar
        problems.extend(_host_hours(student, host, year, data, internship_id))
    return problems


def _others(student: User, internship_id: int | None):
    stmt = select(Internship).where(Internship.student_id == student.id,
                                    Internship.status != "cancelled")
    if internship_id:
        stmt = stmt.where(Internship.id != internship_id)
    return list(db.session.execute(stmt.options(selectinload(Internship.absences))).scalars())


def _overlaps(student, start, end, internship_id) -> list[DomainError]:
    found = []
    for other in _others(student, internship_id):
        if other.start_date <= end and start <= other.end_date:
            found.append(DomainError(
                _("Ces dates chevauchent un autre stage (%(host)s, du %(start_date)s au "
                  "%(end_date)s).",
                host=other.host.name, start_date=fr_date(other.start_date),
                end_date=fr_date(other.end_date)), "start_date"))
    return found


def _same_year(student, year, internship_id) -> list[DomainError]:
    """One active internship per student and year (the database holds it too)."""
    for other in _others(student, internship_id):
        if other.academic_year_id == year.id and other.status not in CLOSED:
            return [DomainError(_("%(student)s a déjà un stage pour l’année %(year)s (%(host)s).",
                                student=student.full_name, year=year.label, host=other.host.name),
                                "student_id")]
    return []


def hours_of(start, end, work_days, weekly_hours, zone, holidays_worked, absences=()) -> Decimal:
    schedule = Schedule(frozenset(work_days), Decimal(weekly_hours))
    days = presence_days(start, end, schedule, zone=zone, holidays_worked=holidays_worked,
                         absences=absences)
    return schedule.hours_per_day * len(days)


def _host_hours(student, host, year, data, internship_id) -> list[DomainError]:
    total = hours_of(data.start_date, data.end_date, data.work_days, data.weekly_hours, data.zone,
                   data.holidays_worked)
    for other in _others(student, internship_id):
        if other.host_id == host.id and other.academic_year_id == year.id:
            total += hours_of(other.start_date, other.end_date, other.schedule.days,
                            other.weekly_hours, other.zone, other.holidays_worked,
                            other.absence_periods)
    if total > MAX_HOURS_PER_HOST_YEAR:
        return [DomainError(
            _("%(total)s heures de présence dans un même organisme (%(host)s) sur l’année "
              "%(year)s : un stage ne peut pas dépasser 924 heures (6 mois) par organisme et par "
              "année.", total=f"{total.normalize():f}", host=host.name, year=year.label),
              "end_date")]
    return []


def domain_of(data: InternshipData) -> str | None:
    """The internship's domain: as chosen on the form, else its offer's."""
    from app.offers.models import Offer
    from app.offers.services import domains

    if data.domain:
        if data.domain not in domains():
            raise DomainError(_("Choisissez un domaine de la liste."), "domain")
        return data.domain
    offer = db.session.get(Offer, data.offer_id) if data.offer_id else None
    return offer.domain if offer else None
