"""Internships: the department's window, the legal checks and the gratification of a record."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import Host
from app.internships.models import (
    AGREED_UNITS,
    CLOSED,
    STATUSES,
    TRANSITIONS,
    Absence,
    Internship,
    InternshipEvent,
    Objective,
)
from app.offers.models import Offer
from app.rules.calendar import ZONES, Schedule, format_days, length_in_weeks, presence_days
from app.rules.formatting import duration_text, fr_date
from app.rules.gratification import Agreement, Result, compute
from app.versioning import check_version, commit_versioned
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
    if host is not None and hours and 0 < hours <= WEEKLY_HOURS_MAX and data.work_days:
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


def _hours(start, end, work_days, weekly_hours, zone, holidays_worked, absences=()) -> Decimal:
    schedule = Schedule(frozenset(work_days), Decimal(weekly_hours))
    days = presence_days(start, end, schedule, zone=zone, holidays_worked=holidays_worked,
                         absences=absences)
    return schedule.hours_per_day * len(days)


def _host_hours(student, host, year, data, internship_id) -> list[DomainError]:
    total = _hours(data.start_date, data.end_date, data.work_days, data.weekly_hours, data.zone,
                   data.holidays_worked)
    for other in _others(student, internship_id):
        if other.host_id == host.id and other.academic_year_id == year.id:
            total += _hours(other.start_date, other.end_date, other.schedule.days,
                            other.weekly_hours, other.zone, other.holidays_worked,
                            other.absence_periods)
    if total > MAX_HOURS_PER_HOST_YEAR:
        return [DomainError(
            _("%(total)s heures de présence dans un même organisme (%(host)s) sur l’année "
              "%(year)s : un stage ne peut pas dépasser 924 heures (6 mois) par organisme et par "
              "année.", total=f"{total.normalize():f}", host=host.name, year=year.label),
              "end_date")]
    return []


def _domain(data: InternshipData) -> str | None:
    """The internship's domain: as chosen on the form, else its offer's."""
    from app.offers.models import Offer
    from app.offers.services import domains

    if data.domain:
        if data.domain not in domains():
            raise DomainError(_("Choisissez un domaine de la liste."), "domain")
        return data.domain
    offer = db.session.get(Offer, data.offer_id) if data.offer_id else None
    return offer.domain if offer else None


def _apply(internship: Internship, data: InternshipData, year: AcademicYear) -> None:
    host = db.session.get(Host, data.host_id)
    internship.academic_year = year
    if internship.id is not None and internship.convention is not None:
        internship.convention.academic_year_id = year.id  # the queue reads the year there
    internship.host = host
    internship.offer_id = data.offer_id or None
    internship.domain = _domain(data)
    internship.subject = data.subject.strip()
    internship.missions = (data.missions or "").strip() or None
    internship.skills = (data.skills or "").strip() or None
    internship.start_date = data.start_date
    internship.end_date = data.end_date
    internship.work_days = format_days(data.work_days)
    internship.weekly_hours = data.weekly_hours
    internship.holidays_worked = bool(data.holidays_worked)
    internship.zone = data.zone
    internship.country = (data.country or "").strip() or host.country
    internship.host_tutor_name = (data.host_tutor_name or "").strip() or None
    internship.host_tutor_position = (data.host_tutor_position or "").strip() or None
    internship.host_tutor_email = (data.host_tutor_email or "").strip().lower() or None
    internship.host_tutor_phone = (data.host_tutor_phone or "").strip() or None
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
    return _hours(internship.start_date, internship.end_date, internship.schedule.days,
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



# ---------------------------------------------------------------- cohort follow-up

STAGES = {
    "searching": "En recherche",
    "applied": "A candidaté",
    "found": "Stage trouvé",
    "convention": "Convention en cours",
    "signed": "Convention signée",
    "in_progress": "En stage",
    "finished": "Terminé",
    "ended_early": "Stage interrompu",
    "defended": "Soutenu",
}


def stage_of(internship: Internship | None, today: date, applied: bool = False) -> str:
    """Where a student stands. Conventions and defences will refine this."""
    if internship is None or internship.status == "cancelled":
        return "applied" if applied else "searching"
    convention = getattr(internship, "convention", None)
    signed = convention is not None and convention.status == "signed"
    defense = getattr(internship, "defense", None)
    if defense is not None and defense.published and defense.starts_at.date() <= today:
        return "defended"
    if internship.status == "ended_early":
        return "ended_early"
    if today > internship.end_date and (signed or internship.status == "finished"):
        return "finished"
    if today < internship.start_date or not signed:
        # No internship starts without a signed convention (RULES.md §3).
        if convention is None or convention.status == "cancelled":
            return "found"
        return "signed" if signed else "convention"
    return "in_progress"


def stage_sql(today: date):
    """``stage_of`` as one SQL ``CASE``, over ``User`` left-joined to the year's internship,
    its convention and its defence (see ``_cohort_select``): the database classifies, counts
    and filters the whole cohort, and only the page shown is loaded."""
    from datetime import datetime, time, timedelta

    from app.applications.models import OPEN, Application
    from app.conventions.models import Convention
    from app.defenses.models import Defense

    applied = exists().where(Application.student_id == User.id,
                             Application.status.in_(OPEN + ("accepted",)))
    convention = func.coalesce(Convention.status, "none")
    signed = convention == "signed"
    day_after = datetime.combine(today + timedelta(days=1), time.min)  # starts_at is local
    return case(
        (and_(Internship.id.is_(None), applied), "applied"),
        (Internship.id.is_(None), "searching"),
        (and_(Defense.published.is_(True), Defense.starts_at < day_after), "defended"),
        (Internship.status == "ended_early", "ended_early"),
        (and_(Internship.end_date < today, or_(signed, Internship.status == "finished")),
         "finished"),
        (convention.in_(("none", "cancelled")), "found"),
        (and_(signed, Internship.start_date > today), "signed"),
        (~signed, "convention"),
        else_="in_progress",
    )


@dataclass
class CohortRow:
    student: User
    internship: Internship | None
    stage: str

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]


WITHOUT_INTERNSHIP = ("searching", "applied", "ended_early")


def _but3(stmt, q: str | None, group: str | None):
    """``stmt`` kept to the active BUT3 students, found by ``q`` and in ``group``."""
    from app.search import matching

    stmt = stmt.where(User.role == "student", User.cohort == "BUT3", User.active.is_(True))
    clause = matching(q, User.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    if group:
        stmt = stmt.where(User.group_name == group)
    return stmt


def _cohort_select(year: AcademicYear, q: str | None, group: str | None, *columns):
    """Active BUT3 students of the project track, each with the year's internship if any."""
    from sqlalchemy.orm import aliased

    from app.conventions.models import Convention
    from app.defenses.models import Defense

    # The year's active internship; one ended early only when no other one followed it.
    other = aliased(Internship)
    followed = exists().where(
        other.student_id == Internship.student_id,
        other.academic_year_id == Internship.academic_year_id, other.id != Internship.id,
        or_(other.status.not_in(CLOSED), and_(other.status == "ended_early",
                                              other.id > Internship.id)))
    stmt = (
        select(*columns)
        .select_from(User)
        .outerjoin(Internship, and_(Internship.student_id == User.id,
                                    Internship.academic_year_id == year.id,
                                    Internship.status != "cancelled",
                                    or_(Internship.status != "ended_early", ~followed)))
        .outerjoin(Convention, Convention.internship_id == Internship.id)
        .outerjoin(Defense, Defense.internship_id == Internship.id)
        .where(User.track != "apprentice")
    )
    return _but3(stmt, q, group)


def cohort_work(year: AcademicYear, today: date):
    """What is left of ``year`` on the cohort follow-up: its internships not over."""
    from app.rules.years import YearWork

    last_end = db.session.execute(select(func.max(Internship.end_date)).where(
        Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end)


def cohort_counts(year: AcademicYear, today: date, *, q: str | None = None,
                  group: str | None = None) -> dict[str, int]:
    """How many students stand at each stage (one GROUP BY, whatever the cohort's size)."""
    stage = stage_sql(today).label("stage")
    inner = _cohort_select(year, q, group, stage).subquery()
    counts = {s: 0 for s in STAGES}
    for code, n in db.session.execute(
            select(inner.c.stage, func.count()).group_by(inner.c.stage)):
        counts[code] = n
    return counts


def cohort_stages(stage: str | None, view: str | None) -> tuple[str, ...]:
    """The stages a listing shows: one stage, those without an internship, or all."""
    shown = tuple(STAGES)
    if view == "sans-stage":
        shown = WITHOUT_INTERNSHIP
    if stage:
        shown = tuple(s for s in shown if s == stage)
    return shown


def cohort_rows(year: AcademicYear, today: date, *, q: str | None = None,
                stage: str | None = None, group: str | None = None, view: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[CohortRow]:
    """The students of the listing, by name; the "sans-stage" view puts first those who have
    not even applied. The page is found on keys alone (student, internship, stage), then only
    its ``limit`` students and internships are loaded."""
    stage_col = stage_sql(today)
    stmt = _cohort_select(year, q, group, User.id, Internship.id, stage_col.label("stage"))
    shown = cohort_stages(stage, view)
    if len(shown) < len(STAGES):
        stmt = stmt.where(stage_col.in_(shown))
    order = [User.last_name, User.first_name, User.id]
    if view == "sans-stage":
        order.insert(0, stage_col != "searching")
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    keys = db.session.execute(stmt).all()
    internship_ids = [k[1] for k in keys if k[1] is not None]
    loaded = db.session.execute(
        select(User, Internship).outerjoin(Internship, and_(Internship.student_id == User.id,
                                                            Internship.id.in_(internship_ids)))
        .options(joinedload(Internship.host))
        .where(User.id.in_([k[0] for k in keys]))).all()
    students = {student.id: student for student, _internship in loaded}
    internships = {i.id: i for _student, i in loaded if i is not None}
    return [CohortRow(students[user_id], internships.get(internship_id), code)
            for user_id, internship_id, code in keys]


def cohort_apprentices(*, q: str | None = None, group: str | None = None,
                       limit: int | None = None) -> tuple[list[User], int]:
    """The BUT3 apprentices, listed apart: no internship, no tutored project. The first
    ``limit`` of them by name (all when None), and how many there are."""
    stmt = _but3(select(User).where(User.track == "apprentice"), q, group)
    shown = list(db.session.execute(
        stmt.order_by(User.last_name, User.first_name, User.id).limit(limit)).scalars())
    if limit is None or len(shown) < limit:
        return shown, len(shown)
    return shown, db.session.execute(
        select(func.count()).select_from(stmt.subquery())).scalar_one()


def groups() -> list[str]:
    return [g for g in db.session.execute(
        select(User.group_name).where(User.role == "student", User.cohort == "BUT3",
                                      User.group_name.is_not(None))
        .distinct().order_by(User.group_name)).scalars()]


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
