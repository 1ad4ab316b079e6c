"""Tutoring, the suggestion: who waits for a tutor, the rule's proposal grouped by teacher for
the coordinator to review, and the reviewed plan sent back by the form."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.internships.models import Internship
from app.rules import assignment as rules
from app.tutoring.board import (
    TeacherRow,
    _has_tutor,
    _internship_of_year,
    _tutees,
    kind_of,
    teacher_rows,
)
from app.tutoring.models import Volunteer, taught_students
from app.years.models import AcademicYear


@dataclass(frozen=True)
class Waiting:
    """A tutee without a tutor, as the suggestion and its review need them."""
    id: int
    name: str
    kind: str
    domain: str | None
    city: str | None


def waiting(year: AcademicYear) -> list[Waiting]:
    """The year's tutees without a tutor, by name, read as plain columns."""
    from app.hosts.models import Host

    rows = db.session.execute(
        _tutees(year, None).where(~_has_tutor(year)).with_only_columns(
            User.id, User.last_name, User.first_name, User.track, Internship.domain, Host.city)
        .outerjoin(Internship, _internship_of_year(year))
        .outerjoin(Host, Host.id == Internship.host_id)
        .order_by(User.last_name, User.first_name, User.id))
    out: dict[int, Waiting] = {}
    for student_id, last, first, track, domain, city in rows:
        out.setdefault(student_id, Waiting(student_id, f"{last} {first}", kind_of(track),
                                           domain, city))
    return list(out.values())


def suggestion(year: AcademicYear, people: list[Waiting] | None = None,
               teachers: list[TeacherRow] | None = None) -> rules.Suggestion:
    taught: dict[int, set[int]] = {}
    for teacher_id, student_id in db.session.execute(select(taught_students)).all():
        taught.setdefault(teacher_id, set()).add(student_id)
    offers: dict[int, set[int]] = {}
    for teacher_id, student_id in db.session.execute(
            select(Volunteer.teacher_id, Volunteer.student_id)
            .where(Volunteer.academic_year_id == year.id)).all():
        offers.setdefault(teacher_id, set()).add(student_id)
    pool = [rules.Teacher(t.teacher.id, t.capacity, t.load, frozenset(t.domains),
                          frozenset(t.cities), frozenset(taught.get(t.teacher.id, ())),
                          frozenset(offers.get(t.teacher.id, ())))
            for t in (teacher_rows(year) if teachers is None else teachers)]
    tutees = [rules.Tutee(w.id, w.domain, w.city)
              for w in (waiting(year) if people is None else people)]
    return rules.suggest(tutees, pool)


@dataclass
class Proposal:
    """A suggestion to review: the teachers who would receive students, by name, each with
    them; ``plan`` is what the form sends back to apply exactly what was shown."""
    suggestion: rules.Suggestion
    groups: list[tuple[TeacherRow, list[Waiting]]]
    reasons: dict[int, str]  # student id -> why that teacher, in words

    def reason(self, student_id: int) -> str:
        return self.reasons.get(student_id, "")

    @property
    def plan(self) -> str:
        return ";".join(f"{s}:{t}" for s, t in self.suggestion.assignment.items())

    @property
    def size(self) -> int:
        return len(self.suggestion.assignment)


def proposal(year: AcademicYear) -> Proposal:
    """The suggestion to review, grouped by teacher, each student with why that teacher
    (the step of the rule's order that chose them, ``rules.Reason``)."""
    from app.offers.services import domain_label

    people = waiting(year)
    teachers = teacher_rows(year)
    result = suggestion(year, people, teachers)
    received: dict[int, list[Waiting]] = {}
    for w in people:  # by name
        if w.id in result.assignment:
            received.setdefault(result.assignment[w.id], []).append(w)
    return Proposal(result, [(t, received[t.teacher.id]) for t in teachers
                             if t.teacher.id in received],
                    {i: r.text(domain_label) for i, r in result.reasons.items()})


def parse_plan(plan: str, dropped: set[int]) -> dict[int, int]:
    """``Proposal.plan`` back to {student: teacher}, less the students set aside."""
    from app.rules.parsing import int_or_none

    mapping: dict[int, int] = {}
    for pair in (plan or "").split(";")[:20_000]:
        student, _colon, teacher = (int_or_none(part) for part in pair.partition(":"))
        if student and teacher and student not in dropped:
            mapping[student] = teacher
    return mapping
