"""The department's figures for one academic year, in a constant number of queries."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.applications.models import Application
from app.errors import DomainError
from app.evaluations.models import Evaluation
from app.extensions import db
from app.internships.models import Internship
from app.offers.models import Offer
from app.years.models import AcademicYear

UNKNOWN_DOMAIN = "non précisé"


@dataclass
class Figures:
    by_domain: list[tuple[str, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)
    top_hosts: list[tuple[str, int]] = field(default_factory=list)
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


def compute(year: AcademicYear, today: date, domain_labels: dict[str, str]) -> Figures:
    from app.internships.attestation import paid_total
    from app.internships.services import gratification_of
    from app.years.services import rates

    f = Figures()
    internships = db.session.execute(
        select(Internship).options(joinedload(Internship.offer), joinedload(Internship.host),
                                   joinedload(Internship.student),
                                   selectinload(Internship.absences))
        .where(Internship.academic_year_id == year.id, Internship.status != "cancelled")
    ).unique().scalars().all()
    f.internships = len(internships)
    domains = Counter(domain_labels.get(i.offer.domain, i.offer.domain) if i.offer
                      else UNKNOWN_DOMAIN for i in internships)
    f.by_domain = domains.most_common()
    f.by_country = Counter(i.country for i in internships).most_common()
    f.top_hosts = Counter(i.host.name for i in internships).most_common(10)
    rate_table = rates()
    for i in internships:
        if i.is_abroad:
            f.abroad += 1
            continue
        try:
            g = gratification_of(i, today, rate_table)
        except DomainError:
            continue
        if not g.due:
            continue
        f.due += 1
        f.legal_total += g.total
        agreed = paid_total(i, today, g)
        f.agreed_total += agreed
        if g.comparison is not None and not g.comparison.ok:
            f.below_minimum += 1
    # Time to find: first application of the student -> the internship's record.
    student_ids = [i.student_id for i in internships]
    first = dict(db.session.execute(
        select(Application.student_id, func.min(Application.created_at))
        .where(Application.student_id.in_(student_ids)).group_by(Application.student_id)
    ).all()) if student_ids else {}
    delays = [(i.created_at - first[i.student_id]).days for i in internships
              if i.student_id in first and i.created_at and first[i.student_id]]
    delays = [d for d in delays if d >= 0]
    f.median_days_to_find = statistics.median(delays) if delays else None
    # Applications per placement, overall and by domain, for the year's offers' students.
    rows = db.session.execute(
        select(Offer.domain, func.count(Application.id))
        .join(Offer, Offer.id == Application.offer_id)
        .where(Application.student_id.in_(student_ids) if student_ids else False)
        .group_by(Offer.domain)).all() if student_ids else []
    f.applications = sum(n for _, n in rows)
    if f.internships:
        f.applications_per_placement = round(f.applications / f.internships, 1)
    placed = Counter(i.offer.domain for i in internships if i.offer)
    f.per_domain_applications = [
        (domain_labels.get(d, d), round(n / placed[d], 1)) for d, n in rows if placed.get(d)]
    # Objectives reached, from the host tutors' evaluations.
    evaluations = db.session.execute(
        select(Evaluation).join(Internship, Internship.id == Evaluation.internship_id)
        .options(joinedload(Evaluation.internship).joinedload(Internship.student),
                 joinedload(Evaluation.internship).joinedload(Internship.offer))
        .where(Internship.academic_year_id == year.id, Evaluation.kind == "host_tutor",
               Evaluation.submitted_at.is_not(None))).unique().scalars().all()
    by_cohort: dict[str, Counter] = defaultdict(Counter)
    by_domain: dict[str, Counter] = defaultdict(Counter)
    for e in evaluations:
        cohort = e.internship.student.cohort or "—"
        domain = (domain_labels.get(e.internship.offer.domain, e.internship.offer.domain)
                  if e.internship.offer else UNKNOWN_DOMAIN)
        for rating in (e.ratings or {}).values():
            by_cohort[cohort][rating] += 1
            by_domain[domain][rating] += 1
    f.objectives_by_cohort = sorted((k, dict(v)) for k, v in by_cohort.items())
    f.objectives_by_domain = sorted((k, dict(v)) for k, v in by_domain.items())
    return f
