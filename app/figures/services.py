"""The department's figures for one academic year, in a constant number of queries, and the
last computation kept per year (``FiguresSnapshot``): at a university's scale counting a
year's 300,000 applications takes a third of a second, so the page reads the figures as
computed at most ``FIGURES_MAX_AGE_SECONDS`` ago (and says when)."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, delete, event, exists, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User, utcnow
from app.applications.models import Application
from app.errors import DomainError
from app.evaluations.models import Evaluation
from app.extensions import db
from app.figures.models import FiguresSnapshot
from app.hosts.models import HOME_COUNTRY, Host
from app.internships.models import Absence, Internship
from app.offers.models import Offer
from app.rules.calendar import Period, Schedule, parse_days
from app.years.models import AcademicYear

UNKNOWN_DOMAIN = "non précisé"


@dataclass
class Figures:
    by_domain: list[tuple[str, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)
    top_hosts: list[tuple[str, int]] = field(default_factory=list)
    hosts: int = 0  # hosts of the year's internships, of which ``top_hosts`` are the first
    internships: int = 0
    due: int = 0
    agreed_total: Decimal = Decimal("0.00")
    legal_total: Decimal = Decimal("0.00")
    below_minimum: int = 0
    abroad: int = 0
    median_days_to_find: float | None = None
    applications: int = 0
    applications_per_placement: float | None = None
    per_domain_applications: list[tuple[str, float]] = field(default_factory=list)
    objectives_by_cohort: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    objectives_by_domain: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    objectives: int = 0  # objectives rated in the host tutors' evaluations
    evaluated: int = 0  # internships whose host tutor's evaluation is submitted


@dataclass(frozen=True)
class _Terms:
    """What an internship's gratification depends on, read as plain columns: it stands for
    the internship in ``gratification_of`` and ``expected_total``. Equal terms give an equal
    result, so internships of the same dates and schedule (most of a cohort's) are computed
    once."""

    start_date: date
    end_date: date
    work_days: str
    weekly_hours: Decimal
    zone: str
    holidays_worked: bool
    absence_periods: tuple[Period, ...]
    agreed_amount: Decimal | None
    agreed_unit: str
    convention_signed_on: date | None
    gratification_paid: Decimal | None

    @property
    def schedule(self) -> Schedule:
        return Schedule(parse_days(self.work_days), Decimal(self.weekly_hours))


def _counts(stmt, label=lambda value: value) -> list[tuple[str, int]]:
    """``(label, count)`` from a ``(value, count)`` GROUP BY, the largest first."""
    rows = [(label(value), n) for value, n in db.session.execute(stmt)]
    return sorted(rows, key=lambda r: (-r[1], str(r[0])))


def _gratification(year: AcademicYear, today: date, f: Figures) -> None:
    """Legal minimum and agreed (or paid) totals of the year's internships in France."""
    from app.internships.attestation import expected_total
    from app.internships.services import gratification_of
    from app.years.services import rates

    current = and_(Internship.academic_year_id == year.id, Internship.status != "cancelled",
                   Internship.country == HOME_COUNTRY)
    absences: dict[int, list[Period]] = defaultdict(list)
    for internship_id, start, end in db.session.execute(
            select(Absence.internship_id, Absence.start_date, Absence.end_date)
            .join(Internship, Internship.id == Absence.internship_id).where(current)
            .order_by(Absence.internship_id, Absence.start_date)):
        absences[internship_id].append(Period(start, end))
    rate_table = rates()
    results: dict[_Terms, object] = {}

    def add(terms: _Terms, n: int) -> None:
        if terms not in results:
            try:
                # each internship alone: presence at one host from two internships of a year
                # (L124-6) is rare enough to be left out of the statistics
                results[terms] = gratification_of(terms, today, rate_table, others=[])
            except DomainError:
                results[terms] = None
        g = results[terms]
        if g is None or not g.due:
            return
        f.due += n
        f.legal_total += g.total * n
        f.agreed_total += expected_total(terms, today, g) * n
        if g.comparison is not None and not g.comparison.ok:
            f.below_minimum += n

    terms = (Internship.start_date, Internship.end_date, Internship.work_days,
             Internship.weekly_hours, Internship.zone, Internship.holidays_worked,
             Internship.agreed_amount, Internship.agreed_unit, Internship.convention_signed_on,
             Internship.gratification_paid)
    # Internships without absences are grouped by their terms in the database (a cohort
    # shares a few dozen): each group is computed once and counted n times.
    absent = exists().where(Absence.internship_id == Internship.id)
    for *values, n in db.session.execute(
            select(*terms, func.count()).where(current, ~absent).group_by(*terms)):
        add(_Terms(*values[:6], (), *values[6:]), n)
    for row in db.session.execute(select(Internship.id, *terms).where(current, absent)):
        add(_Terms(*row[1:7], tuple(absences[row.id]), *row[7:]), 1)


def _domain_labeller(domain_labels: dict[str, str]):
    """``label(domain)``: the domain's name for the page, « non précisé » when unknown."""
    def domain_label(domain: str | None) -> str:
        return domain_labels.get(domain, domain) if domain else UNKNOWN_DOMAIN

    return domain_label


def _internships(current, domain_label, f: Figures) -> None:
    """The year's internships by domain and by country; how many, how many abroad."""
    f.by_domain = _counts(
        select(Internship.domain, func.count()).where(current)
        .group_by(Internship.domain), domain_label)
    f.internships = sum(n for _, n in f.by_domain)
    f.by_country = _counts(select(Internship.country, func.count()).where(current)
                           .group_by(Internship.country))
    f.abroad = sum(n for country, n in f.by_country if country != HOME_COUNTRY)


def _top_hosts(current, f: Figures) -> None:
    """The ten hosts of the most internships, and how many hosts they are taken from."""
    # grouped by an expression: SQLite would otherwise read all the years' internships in
    # the host index's order rather than the year's by the year index, then sort
    host = (Internship.host_id + 0).label("host_id")
    # a window over the groups counts them all before the limit: how many hosts the top
    # ten are taken from, in the same query
    top = (select(host, func.count().label("n"), func.count().over().label("hosts"))
           .where(current).group_by(host).order_by(func.count().desc(), host).limit(10)
           .subquery())
    rows = db.session.execute(
        select(Host.name, top.c.n, top.c.hosts).join(top, top.c.host_id == Host.id)
        .order_by(top.c.n.desc(), Host.name)).all()
    f.top_hosts = [(name, n) for name, n, _ in rows]
    f.hosts = rows[0].hosts if rows else 0


def _median_days_to_find(current, placed_students) -> float | None:
    """Time to find: first application of the student -> the internship's record."""
    first_application = (select(Application.student_id,
                                func.min(Application.created_at).label("first"))
                         .where(Application.student_id.in_(placed_students))
                         .group_by(Application.student_id).subquery())
    delays = [(created - first).days for created, first in db.session.execute(
        select(Internship.created_at, first_application.c.first)
        .join(first_application, first_application.c.student_id == Internship.student_id)
        .where(current)) if created and first]
    delays = [d for d in delays if d >= 0]
    return statistics.median(delays) if delays else None


def _applications(current, placed_students, domain_label, f: Figures) -> None:
    """Applications per placement, overall and by domain, for the year's placed students."""
    # counted by offer from the (student, offer, date) index, then summed by domain: a
    # join of every application to its offer would read the offers 300,000 times
    per_offer = (select(Application.offer_id, func.count().label("n"))
                 .where(Application.student_id.in_(placed_students))
                 .group_by(Application.offer_id).subquery())
    rows = db.session.execute(
        select(Offer.domain, func.sum(per_offer.c.n))
        .join(per_offer, per_offer.c.offer_id == Offer.id).group_by(Offer.domain)).all()
    rows = [(domain, int(n)) for domain, n in rows]
    f.applications = sum(n for _, n in rows)
    if f.internships:
        f.applications_per_placement = round(f.applications / f.internships, 1)
    placed = dict(db.session.execute(
        select(Internship.domain, func.count()).where(current, Internship.domain.is_not(None))
        .group_by(Internship.domain)).all())
    f.per_domain_applications = [
        (domain_label(d), round(n / placed[d], 1)) for d, n in rows if placed.get(d)]


def _objectives(year: AcademicYear, domain_label, f: Figures) -> None:
    """Objectives reached, from the host tutors' submitted evaluations."""
    by_cohort: dict[str, Counter] = defaultdict(Counter)
    by_domain: dict[str, Counter] = defaultdict(Counter)
    for ratings, cohort, domain in db.session.execute(
            select(Evaluation.ratings, User.cohort, Internship.domain)
            .join(Internship, Internship.id == Evaluation.internship_id)
            .join(User, User.id == Internship.student_id)
            .where(Internship.academic_year_id == year.id, Evaluation.kind == "host_tutor",
                   Evaluation.submitted_at.is_not(None))):
        f.evaluated += bool(ratings)
        for rating in (ratings or {}).values():
            f.objectives += 1
            by_cohort[cohort or "—"][rating] += 1
            by_domain[domain_label(domain)][rating] += 1
    f.objectives_by_cohort = sorted((k, dict(v)) for k, v in by_cohort.items())
    f.objectives_by_domain = sorted((k, dict(v)) for k, v in by_domain.items())


def compute(year: AcademicYear, today: date, domain_labels: dict[str, str]) -> Figures:
    """The figures of ``year``: counted by the database, with the gratification computed
    once for each distinct set of terms; a constant number of queries, no record loaded."""
    f = Figures()
    current = and_(Internship.academic_year_id == year.id, Internship.status != "cancelled")
    domain_label = _domain_labeller(domain_labels)
    _internships(current, domain_label, f)
    _top_hosts(current, f)
    _gratification(year, today, f)
    placed_students = select(Internship.student_id).where(current)
    f.median_days_to_find = _median_days_to_find(current, placed_students)
    _applications(current, placed_students, domain_label, f)
    _objectives(year, domain_label, f)
    return f


# ---------------------------------------------------------------- the kept computation

_DECIMALS = ("agreed_total", "legal_total")
_PAIRS = ("by_domain", "by_country", "top_hosts", "per_domain_applications",
          "objectives_by_cohort", "objectives_by_domain")


def to_payload(f: Figures) -> dict:
    payload = {}
    for name in f.__dataclass_fields__:
        value = getattr(f, name)
        if name in _DECIMALS:
            value = str(value)
        elif name in _PAIRS:
            value = [list(pair) for pair in value]
        payload[name] = value
    return payload


def from_payload(payload: dict) -> Figures:
    f = Figures()
    for name in f.__dataclass_fields__:
        if name not in payload:  # a figure added since: computed at the next refresh
            continue
        value = payload[name]
        if name in _DECIMALS:
            value = Decimal(value)
        elif name in _PAIRS:
            value = [tuple(pair) for pair in value]
        setattr(f, name, value)
    return f


@dataclass(frozen=True)
class Kept:
    figures: Figures
    computed_at: datetime


def refresh(year: AcademicYear, today: date, domain_labels: dict[str, str]) -> Kept:
    """Compute ``year``'s figures now and keep them (one row per year: of two counts at the
    same instant, one row stays, both with correct figures)."""
    now = utcnow()  # before counting: a write during the count is not in these figures
    f = compute(year, today, domain_labels)
    try:  # the same statements every time: replace the year's row
        with db.session.begin_nested():
            db.session.execute(delete(FiguresSnapshot).where(
                FiguresSnapshot.academic_year_id == year.id))
            db.session.add(FiguresSnapshot(academic_year_id=year.id, computed_at=now,
                                           computed_for=today, payload=to_payload(f)))
    except IntegrityError:  # replaced by another count meanwhile: it is as good
        pass
    db.session.commit()
    return Kept(f, now)


def figures_of(year: AcademicYear, today: date, domain_labels: dict[str, str],
               max_age_seconds: int) -> Kept:
    """The kept figures of ``year`` when computed on ``today`` less than ``max_age_seconds``
    ago, else computed now (and kept)."""
    kept = db.session.get(FiguresSnapshot, year.id)
    if kept is not None and kept.computed_for == today and max_age_seconds > 0:
        at = kept.computed_at if kept.computed_at.tzinfo else kept.computed_at.replace(
            tzinfo=UTC)
        if (utcnow() - at).total_seconds() < max_age_seconds:
            return Kept(from_payload(kept.payload), at)
    return refresh(year, today, domain_labels)


def refresh_running(today: date, domain_labels: dict[str, str]) -> list[tuple[AcademicYear, Kept]]:
    """Refresh the years whose figures still move: today's year and the one before while its
    defences and evaluations are not over (the statistics page's default)."""
    from app.defenses.services import year_work
    from app.rules import years as year_rules
    from app.years import services as years

    running = years.current_year(today)
    wanted = [running]
    previous = next((y for y in years.all_years() if y.start_year == running.start_year - 1),
                    None)
    if previous is not None and year_rules.default_year(
            today, year_work(previous, today), running.earliest_start) == previous.start_year:
        wanted.insert(0, previous)
    return [(year, refresh(year, today, domain_labels)) for year in wanted]


# ---------------------------------------------------------------- kept exact

def _watched():
    from app.years.models import GratificationRate

    return (Internship, Application, Evaluation, Absence, Offer, Host, GratificationRate)


def _changes_figures(session) -> bool:
    watched = _watched()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, watched):
            return True
        if isinstance(obj, User) and inspect(obj).attrs.cohort.history.has_changes():
            return True
    return False


@event.listens_for(Session, "before_flush")
def _forget_figures_on_change(session, flush_context, instances) -> None:
    """A write that changes what the statistics count forgets the kept figures in its own
    transaction: the page never shows figures older than the records (it counts again, or
    the worker does within minutes). A count running during the write may keep figures of
    just before it: FIGURES_MAX_AGE_SECONDS bounds that."""
    if session.info.get("figures_forgotten") or not _changes_figures(session):
        return
    session.info["figures_forgotten"] = True
    # on the connection: no autoflush inside the flush
    session.connection().execute(delete(FiguresSnapshot.__table__))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _figures_forget_once_per_transaction(session) -> None:
    session.info.pop("figures_forgotten", None)
