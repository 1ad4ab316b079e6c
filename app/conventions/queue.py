"""The conventions' queue: the secretariat's filtered listing (oldest waiting first), the
counts by status, what waits in other years and what starts soon. Re-exported by
``app.conventions.services``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.conventions.models import Convention
from app.conventions.workflow import STATUSES
from app.extensions import db
from app.internships.models import Internship
from app.search import matching
from app.years.models import AcademicYear

SOON_DAYS = 15


@dataclass
class QueueFilters:
    q: str = ""
    status: str = ""
    soon: bool = False
    year_id: int | None = None  # the academic year of the internships; None: every year


def queue_query(filters: QueueFilters, today: date):
    if filters.soon:  # the urgency looks at the internship's dates
        stmt = (select(Convention).join(Convention.internship).join(Internship.student)
                .join(Internship.host)
                .options(contains_eager(Convention.internship)
                         .contains_eager(Internship.student),
                         contains_eager(Convention.internship).contains_eager(Internship.host)))
    else:  # no join in the count: the page loads its internships, students and hosts
        stmt = select(Convention).options(
            joinedload(Convention.internship).joinedload(Internship.student),
            joinedload(Convention.internship).joinedload(Internship.host))
    if filters.status in STATUSES:
        stmt = stmt.where(Convention.status == filters.status)
    else:
        stmt = stmt.where(Convention.status.not_in(("cancelled",)))
    if filters.soon:
        stmt = stmt.where(Convention.status.not_in(("signed", "ended_early", "cancelled")),
                          Internship.start_date <= today + timedelta(days=SOON_DAYS))
    if filters.year_id is not None:
        stmt = stmt.where(Convention.academic_year_id == filters.year_id)
    # the internship's text holds its student's and host's names: one index answers
    clause = matching(filters.q, Internship.search_text, key=Convention.internship_id)
    if clause is not None:
        stmt = stmt.where(clause)
    # oldest waiting first; drafts (never submitted) last. One status: the index serves.
    if filters.status and filters.status != "draft":
        return stmt.order_by(Convention.submitted_at.asc(), Convention.id)
    return stmt.order_by(Convention.submitted_at.asc().nulls_last(), Convention.id)


def counts(year=None) -> dict[str, int]:
    """Conventions by status: all of them, or ``year``'s."""
    stmt = select(Convention.status, func.count()).group_by(Convention.status)
    if year is not None:  # the (year, status) index counts without reading a row
        stmt = stmt.where(Convention.academic_year_id == year.id)
    result = {s: 0 for s in STATUSES}
    result.update(dict(db.session.execute(stmt).all()))
    return result


def waiting_in_other_years(year) -> list[tuple[AcademicYear, int]]:
    """Conventions submitted for checking in years other than ``year``, by year: a queue shown
    by year never hides a convention that waits."""
    counts = dict(db.session.execute(
        select(Convention.academic_year_id, func.count())
        .where(Convention.status == "submitted", Convention.academic_year_id != year.id)
        .group_by(Convention.academic_year_id)).all())
    if not counts:
        return []
    years = db.session.execute(select(AcademicYear).where(AcademicYear.id.in_(counts))
                               .order_by(AcademicYear.start_year)).scalars()
    return [(y, counts[y.id]) for y in years]


def starting_soon_count(year, today: date) -> int:
    """How many of ``year``'s conventions are not signed while their internship starts within
    SOON_DAYS (the queue's « démarre bientôt » filter), counted from the year's index."""
    # from the year's internships that start soon (few, by their index), then their convention
    return db.session.execute(
        select(func.count()).select_from(Internship)
        .join(Convention, Convention.internship_id == Internship.id)
        .where(Internship.academic_year_id == year.id,
               Convention.status.not_in(("signed", "ended_early", "cancelled")),
               Internship.start_date <= today + timedelta(days=SOON_DAYS))).scalar_one()


def starts_soon(convention: Convention, today: date) -> bool:
    return (convention.status not in ("signed", "ended_early", "cancelled")
            and convention.internship.start_date <= today + timedelta(days=SOON_DAYS))
