"""Internships: the BUT3 cohort's follow-up, from the search to the defence — each student's
stage (searching, applied, found, signed…), the counts, the rows and the apprentices."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.internships.models import (
    CLOSED,
    Internship,
)
from app.years.models import AcademicYear

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
