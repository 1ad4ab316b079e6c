"""Need to know: who reads a student's private records, written once (DESIGN.md, « Users and
access »).

A student's private records are their CV and application, their internship (details,
absences and their reasons), its convention and its PDFs (as printed, as signed, avenants),
its attestation, their apprenticeship record and their tutor's follow-up log. Each record
belongs to one academic year. They are read by:

- the student, their own only;
- the secretariat and the admin, all;
- the coordinator of internships, all;
- a teacher, only while they are **concerned** by that student for the record's year: their
  current tutor (an open ``TutorAssignment``; an ended one no longer counts) or a member of
  the jury of their published defence (the defence's tutor or second teacher).

Every access function of the domains (``internships.services.can_view``,
``conventions.services.can_view``, ``applications.services.can_read_file``,
``tracks.services.can_read_record``, ``tutoring.services.can_read_log``) asks this module,
at every request: nothing is remembered, so a tutor replaced today loses access today. The
routes answer 404 to those who may not read, as they do for another student's records: the
record's existence is not revealed. Department lists stay open to teachers, but show the
links to private records only where ``readable`` allows them.
"""
from __future__ import annotations

from sqlalchemy import or_, select, union

from app.extensions import db

ALL = None  # what ``readable`` answers for those who read every student's records


def is_coordinator(user) -> bool:
    """The coordinator of internships (a teacher so marked), or the admin."""
    return user.role == "admin" or (user.role == "teacher" and bool(user.is_coordinator))


def sees_all(user) -> bool:
    """The secretariat, the admin and the coordinator read every student's records."""
    return user.is_manager or is_coordinator(user)


def _concerned(teacher_id: int):
    """The (student, year) pairs ``teacher_id`` is concerned by now, as one SELECT: the
    students they tutor (open assignments only) and those whose published defence jury they
    sit on."""
    from app.defenses.models import Defense
    from app.internships.models import Internship
    from app.tutoring.models import TutorAssignment

    tutoring = select(TutorAssignment.student_id.label("student_id"),
                      TutorAssignment.academic_year_id.label("year_id")).where(
        TutorAssignment.teacher_id == teacher_id, TutorAssignment.ended_at.is_(None))
    jury = (select(Internship.student_id.label("student_id"),
                   Internship.academic_year_id.label("year_id"))
            .join(Defense, Defense.internship_id == Internship.id)
            .where(Defense.published.is_(True),
                   or_(Defense.tutor_id == teacher_id, Defense.second_teacher_id == teacher_id)))
    return union(tutoring, jury).subquery()


def can_read_private(user, student_id: int, year_id: int | None) -> bool:
    """May ``user`` read the private records of ``student_id`` for the year ``year_id``?
    Asked again at every request (one query at most)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "student":
        return user.id == student_id
    if sees_all(user):
        return True
    if user.role != "teacher" or year_id is None:
        return False
    pairs = _concerned(user.id)
    return db.session.execute(select(pairs.c.student_id).where(
        pairs.c.student_id == student_id, pairs.c.year_id == year_id).limit(1)).first() \
        is not None


def readable(user) -> frozenset[tuple[int, int]] | None:
    """For a list: the (student, year) pairs whose private records ``user`` may open, in one
    query whatever the list's length; ``ALL`` (None) for those who read everything. A
    student's own records are theirs, lists are for staff."""
    if sees_all(user):
        return ALL
    if user.role != "teacher":
        return frozenset()
    pairs = _concerned(user.id)
    return frozenset((s, y) for s, y in db.session.execute(
        select(pairs.c.student_id, pairs.c.year_id)))


def opener(user):
    """For a list: ``can_open(student_id, year_id)``, whether ``user`` may open that student's
    private records of that year, answered from one ``readable`` query."""
    pairs = readable(user)
    return lambda student_id, year_id: pairs is ALL or (student_id, year_id) in pairs
