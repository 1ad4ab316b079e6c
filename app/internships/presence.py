"""What an internship's presence is and what it pays: its absences, its hours of presence, the
gratification they give (with the presence at the same host in the same year, L124-6), and
the gratification paid as the host reports it after the end (the attestation states it)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.internships.models import Absence, Internship, InternshipEvent
from app.internships.validation import hours_of
from app.rules.formatting import fr_date, money_text
from app.rules.gratification import Agreement, Result, compute
from app.versioning import check_version, commit_versioned
from app.years import services as years

PAID_MAX = Decimal("100000")


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


def is_over(internship: Internship, today: date) -> bool:
    """Over under a signed convention: its attestation is prepared, its payment recorded."""
    convention = getattr(internship, "convention", None)
    return (convention is not None and convention.status in ("signed", "ended_early")
            and internship.end_date < today)


def record_paid(internship: Internship, actor: User, amount: Decimal | None,
                version: int | None, today: date) -> None:
    """The gratification the host paid in all, once the internship is over under a signed
    convention: the attestation states it (never an estimate). A history line keeps who
    recorded which amount."""
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat enregistre la gratification versée."))
    check_version(internship, version, _("ce stage"))
    if not is_over(internship, today):
        raise DomainError(_("La gratification versée s’enregistre une fois le stage terminé, "
                            "sous une convention signée."))
    if amount is None or not amount.is_finite() or not 0 <= amount <= PAID_MAX:
        raise DomainError(_("Indiquez la gratification totale versée, en euros."), "amount")
    amount = amount.quantize(Decimal("0.01"))
    before = internship.gratification_paid
    if before is not None and Decimal(before) == amount:
        return
    internship.gratification_paid = amount
    comment = (_("Gratification versée : %(amount)s", amount=money_text(amount))
               if before is None else
               _("Gratification versée : %(amount)s (au lieu de %(before)s)",
                 amount=money_text(amount), before=money_text(before)))
    internship.events.append(InternshipEvent(actor_id=actor.id, from_status=internship.status,
                                             to_status=internship.status, comment=comment))
    commit_versioned(_("ce stage"))
