"""Tutoring, the teachers' preferences: domains, cities and the students they taught, which
the suggestion reads."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.tutoring.models import TutorPreference, taught_students


def preferences_of(teacher: User) -> TutorPreference:
    pref = db.session.get(TutorPreference, teacher.id)
    return pref or TutorPreference(teacher_id=teacher.id, domains=[], cities=[])


def set_preferences(teacher: User, domains: list[str], cities_text: str,
                    taught_ids: list[int]) -> None:
    pref = db.session.get(TutorPreference, teacher.id)
    if pref is None:
        pref = TutorPreference(teacher_id=teacher.id)
        db.session.add(pref)
    pref.domains = sorted(set(domains))
    pref.cities = sorted({c.strip() for c in (cities_text or "").replace(";", ",").split(",")
                          if c.strip()})[:30]
    db.session.execute(taught_students.delete().where(taught_students.c.teacher_id == teacher.id))
    valid = set(db.session.execute(select(User.id).where(
        User.id.in_(taught_ids), User.role == "student")).scalars()) if taught_ids else set()
    if valid:
        db.session.execute(taught_students.insert(), [
            {"teacher_id": teacher.id, "student_id": s} for s in sorted(valid)])
    db.session.commit()


def taught_choices(chosen: list[int], q: str | None = None
                   ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The preferences' student picker: the ``chosen`` BUT3 students, by name, and others to
    tick: the first of the promotion (a department's whole promotion), or those found by
    ``q``."""
    from app.pickers import picker_rows, student_label
    from app.search import matching

    stmt = (select(User.id, User.last_name, User.first_name, User.group_name)
            .where(User.role == "student", User.cohort == "BUT3", User.active.is_(True))
            .order_by(User.last_name, User.first_name, User.id))
    picked = [(r.id, student_label(r)) for r in db.session.execute(
        stmt.where(User.id.in_(chosen)))] if chosen else []
    others = picker_rows(stmt.where(User.id.not_in(chosen)) if chosen else stmt, User.id,
                         student_label, [], matching(q, User.search_text))
    return picked, others


def taught_ids(teacher: User) -> set[int]:
    return set(db.session.execute(select(taught_students.c.student_id).where(
        taught_students.c.teacher_id == teacher.id)).scalars())
