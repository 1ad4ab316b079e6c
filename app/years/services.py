"""Academic years and gratification rates: the settings the secretariat edits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from app.rules.gratification import rate_for
from app.rules.years import academic_start_year
from app.versioning import check_version, commit_versioned
from app.years.models import NATIONAL_TUTEE_CEILING, AcademicYear, GratificationRate

DEFAULT_RATES = {2024: Decimal("4.35"), 2025: Decimal("4.35"), 2026: Decimal("4.50")}


def label_for(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


@dataclass
class YearData:
    start_year: int
    earliest_start: date | None = None
    min_weeks: int = 12
    max_weeks: int = 16
    tutee_limit: int = 16
    programme_hours: int | None = None
    defense_gap_days: int = 0


def _check(data: YearData, year_id: int | None = None) -> None:
    if not 2000 <= data.start_year <= 2100:
        raise DomainError(_("Année invalide."), "start_year")
    if data.earliest_start is None:
        data.earliest_start = date(data.start_year + 1, 4, 8)
    if not date(data.start_year, 9, 1) <= data.earliest_start <= date(data.start_year + 1, 8, 31):
        raise DomainError(
            _("Le début au plus tôt doit tomber dans l’année %(year)s (1er septembre "
              "%(first)s – 31 août %(last)s).", year=label_for(data.start_year),
              first=data.start_year, last=data.start_year + 1),
            "earliest_start")
    if not 1 <= data.min_weeks <= data.max_weeks:
        raise DomainError(_("La durée minimale doit être positive et ne pas dépasser la maximale."),
                            "min_weeks")
    if data.max_weeks > 26:
        raise DomainError(_("Un stage ne peut pas dépasser 6 mois (26 semaines)."), "max_weeks")
    if data.programme_hours is not None and not 1 <= data.programme_hours <= 3000:
        raise DomainError(_("Indiquez le volume horaire annuel de la formation, en heures (entre "
                            "1 et 3 000)."), "programme_hours")
    if data.defense_gap_days is None:
        data.defense_gap_days = 0
    if not 0 <= data.defense_gap_days <= 120:
        raise DomainError(_("Le délai entre la fin du stage et la soutenance va de 0 à 120 "
                            "jours."), "defense_gap_days")
    if not 1 <= data.tutee_limit <= NATIONAL_TUTEE_CEILING:
        raise DomainError(_("Le plafond national est de %(ceiling)s tutorés par enseignant.",
                            ceiling=NATIONAL_TUTEE_CEILING), "tutee_limit")
    stmt = select(AcademicYear.id).where(AcademicYear.start_year == data.start_year)
    if year_id:
        stmt = stmt.where(AcademicYear.id != year_id)
    if db.session.execute(stmt).first():
        raise DomainError(_("L’année %(start_year)s existe déjà.",
                          start_year=label_for(data.start_year)), "start_year")


def _apply(year: AcademicYear, data: YearData) -> None:
    year.start_year = data.start_year
    year.label = label_for(data.start_year)
    year.earliest_start = data.earliest_start
    year.min_weeks = data.min_weeks
    year.max_weeks = data.max_weeks
    year.tutee_limit = data.tutee_limit
    year.programme_hours = data.programme_hours
    year.defense_gap_days = data.defense_gap_days


def create_year(data: YearData) -> AcademicYear:
    _check(data)
    year = AcademicYear()
    _apply(year, data)
    db.session.add(year)
    db.session.commit()
    return year


def update_year(year: AcademicYear, data: YearData, version: int | None) -> AcademicYear:
    check_version(year, version, _("cette année universitaire"))
    _check(data, year.id)
    _apply(year, data)
    commit_versioned(_("cette année universitaire"))
    return year


def all_years() -> list[AcademicYear]:
    return list(db.session.execute(
        select(AcademicYear).order_by(AcademicYear.start_year.desc())).scalars())


def year_for(day: date) -> AcademicYear | None:
    return db.session.execute(
        select(AcademicYear).where(AcademicYear.start_year == academic_start_year(day))
    ).scalar_one_or_none()


def current_year(today: date) -> AcademicYear:
    """This academic year, created with the department's defaults the first time it is asked."""
    year = year_for(today)
    if year is None:
        year = create_year(YearData(start_year=academic_start_year(today)))
    return year


# ---------------------------------------------------------------- gratification rates

def rates() -> dict[int, Decimal]:
    rows = db.session.execute(select(GratificationRate.year, GratificationRate.hourly_rate))
    table = {year: rate for year, rate in rows}
    return table or dict(DEFAULT_RATES)


def rate_on(day: date, table: dict[int, Decimal] | None = None) -> Decimal:
    """The legal hourly minimum on ``day``; pass ``table`` (``rates()``) when computing many."""
    rate = rate_for(day, table if table is not None else rates())
    if rate is None:
        raise DomainError(_("Aucun taux de gratification n’est connu pour %(year)s : le "
                            "secrétariat doit le saisir.", year=day.year))
    return rate


def rate_rows() -> list[GratificationRate]:
    return list(db.session.execute(
        select(GratificationRate).order_by(GratificationRate.year.desc())).scalars())


def set_rate(year: int, hourly_rate: Decimal) -> GratificationRate:
    if not 2000 <= year <= 2100:
        raise DomainError(_("Année invalide."), "year")
    if hourly_rate <= 0 or hourly_rate >= 100:
        raise DomainError(_("Le taux horaire doit être compris entre 0 et 100 €."), "hourly_rate")
    row = db.session.execute(
        select(GratificationRate).where(GratificationRate.year == year)).scalar_one_or_none()
    if row is None:
        row = GratificationRate(year=year, hourly_rate=hourly_rate)
        db.session.add(row)
    else:
        row.hourly_rate = hourly_rate
    db.session.commit()
    return row


def ensure_default_rates() -> None:
    existing = set(db.session.execute(select(GratificationRate.year)).scalars())
    for year, rate in DEFAULT_RATES.items():
        if year not in existing:
            db.session.add(GratificationRate(year=year, hourly_rate=rate))
    db.session.commit()
