"""Tutoring, who needs a tutor: the year's tutees (those who wait for a tutor and those who
have one), the teachers with their load and capacity, the volunteers, the board's export."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.internships.models import Internship
from app.tutoring.models import TutorAssignment, TutorPreference, Volunteer
from app.years.models import AcademicYear


def capacity(teacher: User, year: AcademicYear) -> int:
    limit = year.tutee_limit
    if teacher.tutee_capacity is not None:
        limit = min(limit, teacher.tutee_capacity)
    return limit



def kind_of(track: str | None) -> str:
    return "Alternance" if track == "apprentice" else "Stage"


@dataclass
class TuteeRow:
    student: User
    internship: Internship | None
    assignment: TutorAssignment | None

    @property
    def kind(self) -> str:
        return kind_of(self.student.track)


def _internship_of_year(year: AcademicYear):
    return and_(Internship.student_id == User.id, Internship.academic_year_id == year.id,
                Internship.status != "cancelled")


def _open_assignment(year: AcademicYear):
    return and_(TutorAssignment.student_id == User.id,
                TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))


def _tutees(year: AcademicYear, q: str | None):
    """The year's tutees (found by ``q``): the active users who need a tutor this year
    (whoever has an internship of the year, and every apprentice), and whoever has a tutor
    this year, whatever their track now (the board, the suggestion and the export). Every
    student counted in a teacher's load (``loads``) is one of them: a student who left
    the apprenticeship without an internship yet stays on the board with their tutor,
    instead of vanishing from both lists while still counted. One row per user, so that a
    page is read along the users' name index and stops after its rows instead of sorting
    the year's tutees."""
    from app.search import matching

    stmt = select(User.id).where(or_(
        and_(User.active.is_(True),
             or_(exists().where(_internship_of_year(year)).correlate(User),
                 and_(User.role == "student", User.track == "apprentice"))),
        _has_tutor(year)))
    clause = matching(q, User.search_text)
    return stmt if clause is None else stmt.where(clause)


def _has_tutor(year: AcademicYear):
    return exists().where(_open_assignment(year)).correlate(User)


def tutee_counts(year: AcademicYear, q: str | None = None) -> tuple[int, int]:
    """How many of the year's tutees (found by ``q``) wait for a tutor, and have one."""
    assigned = _has_tutor(year).label("assigned")
    rows = _tutees(year, q).add_columns(assigned).subquery()
    counts = dict(db.session.execute(
        select(rows.c.assigned, func.count()).group_by(rows.c.assigned)).all())
    return counts.get(False, 0), counts.get(True, 0)  # SQLite's 0 and 1 are the same keys


def tutee_page(year: AcademicYear, *, assigned: bool, q: str | None, limit: int,
               offset: int) -> list[TuteeRow]:
    """One page, by name, of the tutees who wait for a tutor (or have one): the page's
    students first, then their internships and assignments."""
    have = _has_tutor(year) if assigned else ~_has_tutor(year)
    ids = db.session.execute(
        _tutees(year, q).where(have).order_by(User.last_name, User.first_name, User.id)
        .limit(limit).offset(offset)).scalars().all()
    students = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(ids))).scalars()}
    internships = {i.student_id: i for i in db.session.execute(
        select(Internship).options(joinedload(Internship.host))
        .where(Internship.student_id.in_(ids), Internship.academic_year_id == year.id,
               Internship.status != "cancelled")).scalars()}
    assignments = {a.student_id: a for a in db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id.in_(ids), TutorAssignment.academic_year_id == year.id,
               TutorAssignment.ended_at.is_(None))).scalars()}
    return [TuteeRow(students[i], internships.get(i), assignments.get(i)) for i in ids]


def open_assignments(year: AcademicYear) -> dict[int, TutorAssignment]:
    rows = db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.academic_year_id == year.id,
               TutorAssignment.ended_at.is_(None))).scalars()
    return {a.student_id: a for a in rows}


def without_tutor(year: AcademicYear, student_ids) -> set[int]:
    """Those of ``student_ids`` who have no tutor this year (one query): a list's rows where
    a teacher may offer to tutor."""
    ids = list(set(student_ids))
    if not ids:
        return set()
    tutored = set(db.session.execute(select(TutorAssignment.student_id).where(
        TutorAssignment.student_id.in_(ids), TutorAssignment.academic_year_id == year.id,
        TutorAssignment.ended_at.is_(None))).scalars())
    return set(ids) - tutored


def volunteered_for(teacher: User, year: AcademicYear, student_ids) -> set[int]:
    """Those of ``student_ids`` ``teacher`` has already offered to tutor this year (one
    query): their button becomes « Vous vous êtes proposé·e »."""
    ids = list(set(student_ids))
    if not ids or teacher.role != "teacher":
        return set()
    return set(db.session.execute(select(Volunteer.student_id).where(
        Volunteer.student_id.in_(ids), Volunteer.teacher_id == teacher.id,
        Volunteer.academic_year_id == year.id)).scalars())


def current_assignment(student: User, year: AcademicYear) -> TutorAssignment | None:
    """The student's open assignment of the year (one row, not the year's list)."""
    return db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id == student.id,
               TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
        .order_by(TutorAssignment.id.desc())).scalars().first()


def loads(year: AcademicYear) -> dict[int, int]:
    return dict(db.session.execute(
        select(TutorAssignment.teacher_id, func.count())
        .where(TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
        .group_by(TutorAssignment.teacher_id)).all())


@dataclass
class TeacherRow:
    teacher: User
    load: int
    capacity: int
    domains: list[str]
    cities: list[str]

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.load)


def teacher_rows(year: AcademicYear) -> list[TeacherRow]:
    teachers = db.session.execute(
        select(User).where(User.role == "teacher", User.active.is_(True))
        .order_by(User.last_name, User.first_name)).scalars().all()
    prefs = {p.teacher_id: p for p in db.session.execute(select(TutorPreference)).scalars()}
    current = loads(year)
    return [TeacherRow(t, current.get(t.id, 0), capacity(t, year),
                       list((prefs.get(t.id) and prefs[t.id].domains) or []),
                       list((prefs.get(t.id) and prefs[t.id].cities) or []))
            for t in teachers]


def volunteers(year: AcademicYear) -> dict[int, list[Volunteer]]:
    out: dict[int, list[Volunteer]] = {}
    for v in db.session.execute(select(Volunteer).options(joinedload(Volunteer.teacher))
                                .where(Volunteer.academic_year_id == year.id)).scalars():
        out.setdefault(v.student_id, []).append(v)
    return out


def export_rows(year: AcademicYear):
    """The board's whole list for the spreadsheet, read as plain columns (no objects: 20,000
    tutees of a university export in a fraction of a second)."""
    from sqlalchemy.orm import aliased

    from app.hosts.models import Host

    teacher = aliased(User)
    rows = db.session.execute(
        _tutees(year, None).with_only_columns(
            User.id, User.last_name, User.first_name, User.cohort, User.group_name, User.track,
            Host.name, teacher.first_name, teacher.last_name, teacher.email)
        .outerjoin(Internship, _internship_of_year(year))
        .outerjoin(Host, Host.id == Internship.host_id)
        .outerjoin(TutorAssignment, _open_assignment(year))
        .outerjoin(teacher, teacher.id == TutorAssignment.teacher_id)
        .order_by(User.last_name, User.first_name, User.id))
    seen: set[int] = set()
    for (student_id, last, first, cohort, group, track, host, t_first, t_last,
         t_email) in rows:
        if student_id in seen:
            continue
        seen.add(student_id)
        yield (last, first, cohort, group, kind_of(track), host,
               f"{t_first} {t_last}" if t_email else None, t_email)
