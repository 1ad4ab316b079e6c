"""Who answers and who reads an evaluation, the lists of evaluations one follows, and the
objectives' attainment read from the answered evaluations."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import access
from app.accounts.models import User
from app.evaluations.models import RATINGS, Evaluation
from app.extensions import db
from app.internships.models import Internship


def can_answer(user: User | None, evaluation: Evaluation) -> bool:
    return evaluation.submitted_at is None and answers_it(user, evaluation)


def answers_it(user: User | None, evaluation: Evaluation) -> bool:
    """Whether ``user`` is the one who answers ``evaluation`` (answered yet or not)."""
    from app.tutoring.services import tutor_of

    if user is None:
        return False
    i = evaluation.internship
    if evaluation.kind == "student_host":
        return user.id == i.student_id
    if evaluation.kind == "academic_tutor":
        tutor = tutor_of(i.student, i.academic_year)
        return tutor is not None and tutor.id == user.id
    return False


def _may_view(user: User, evaluation: Evaluation, concerned: bool,
              tutor_id: int | None) -> bool:
    """``can_view`` from what the caller read: ``concerned``, whether ``user`` may read the
    student's private records of the internship's year (``app.access``); ``tutor_id``, the
    student's current tutor of that year."""
    if access.sees_all(user):
        return True
    i = evaluation.internship
    if evaluation.kind == "student_host":
        return user.id == i.student_id
    if evaluation.kind == "academic_tutor":
        return tutor_id is not None and user.id == tutor_id
    # the host's evaluation of the intern, once closed (submitted)
    return evaluation.submitted_at is not None and (
        user.id == i.student_id or (user.role == "teacher" and concerned))


def can_view(user: User, evaluation: Evaluation) -> bool:
    """Who reads an evaluation; the routes answer 404 to anyone else.

    - The secretariat, the admin and the coordinator: every evaluation, answered or not.
    - The one who answers it, before (to answer) and after (to read back what they sent):
      the student their evaluation of the host, the student's current tutor of the year
      the defence's.
    - The host's evaluation of the intern, once it is closed: the student, and the teachers
      concerned by the student that year (``app.access``: the current tutor, the jury of
      the published defence). There is no explicit closing step: an evaluation is closed
      when it is submitted, its answers never change afterwards (``submit``).
    """
    from app.tutoring.services import tutor_of

    i = evaluation.internship
    concerned = tutor_id = None
    if not access.sees_all(user) and user.role == "teacher":
        if evaluation.kind == "host_tutor":
            concerned = access.can_read_private(user, i.student_id, i.academic_year_id)
        elif evaluation.kind == "academic_tutor":
            tutor = tutor_of(i.student, i.academic_year)
            tutor_id = tutor.id if tutor else None
    return _may_view(user, evaluation, bool(concerned), tutor_id)


@dataclass
class Readers:
    """For a list of evaluations: what ``user`` may do with each, answered from two queries
    whatever the list's length."""
    user: User
    can_open: object  # access.opener(user)
    tutors: dict[tuple[int, int], int]  # (student, year) -> current tutor

    def view(self, evaluation: Evaluation) -> bool:
        i = evaluation.internship
        return _may_view(self.user, evaluation,
                         self.can_open(i.student_id, i.academic_year_id),
                         self.tutors.get((i.student_id, i.academic_year_id)))

    def answer(self, evaluation: Evaluation) -> bool:
        i = evaluation.internship
        if evaluation.submitted_at is not None:
            return False
        if evaluation.kind == "student_host":
            return self.user.id == i.student_id
        return (evaluation.kind == "academic_tutor"
                and self.tutors.get((i.student_id, i.academic_year_id)) == self.user.id)


def readers(user: User, rows: list[StatusRow]) -> Readers:
    from app.tutoring.models import TutorAssignment

    students = {r.internship.student_id for r in rows}
    tutors = {}
    if students:
        tutors = {(s, y): t for s, y, t in db.session.execute(
            select(TutorAssignment.student_id, TutorAssignment.academic_year_id,
                   TutorAssignment.teacher_id)
            .where(TutorAssignment.student_id.in_(students),
                   TutorAssignment.ended_at.is_(None)))}
    return Readers(user, access.opener(user), tutors)


@dataclass
class Attainment:
    """One SMART objective and how each evaluation rated it (None: not rated, or not sent)."""
    statement: str
    ratings: dict[str, str | None]


ATTAINMENT_KINDS = {"student_host": "Auto-évaluation de l’étudiant·e",
                    "host_tutor": "Organisme d’accueil",
                    "academic_tutor": "Enseignant·e référent·e"}


def can_read_attainment(user: User, internship: Internship) -> bool:
    """The combined view of the objectives: the student, the teachers concerned by them
    that year, the secretariat and the coordinator (``app.access``)."""
    return access.can_read_private(user, internship.student_id, internship.academic_year_id)


def attainment(internship: Internship) -> tuple[list[Attainment], dict[str, Evaluation]]:
    """Each objective of ``internship`` with its rating by the student (their evaluation of
    the host rates the objectives too: their self-assessment), the host and the tutor, from
    the closed (submitted) evaluations only; and those evaluations, by kind."""
    closed = {e.kind: e for e in db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id,
        Evaluation.submitted_at.is_not(None))).scalars()}
    rows = [Attainment(o.statement, {kind: RATINGS.get((closed[kind].ratings or {}).get(
        str(o.id))) if kind in closed else None for kind in ATTAINMENT_KINDS})
        for o in internship.objectives]
    return rows, closed


@dataclass
class StatusRow:
    internship: Internship
    evaluations: dict[str, Evaluation]


def status_rows(user: User, year=None) -> list[StatusRow]:
    """The evaluations ``user`` follows, of the internships of ``year`` (all years: None)."""
    stmt = (select(Evaluation).join(Evaluation.internship)
            .options(joinedload(Evaluation.internship).joinedload(Internship.student),
                     joinedload(Evaluation.internship).joinedload(Internship.host))
            .order_by(Internship.end_date.desc(), Evaluation.id))
    if year is not None:
        stmt = stmt.where(Internship.academic_year_id == year.id)
    if user.is_student:
        stmt = stmt.where(Internship.student_id == user.id)
    elif user.role == "teacher":
        from app.tutoring.models import TutorAssignment

        tutored = select(TutorAssignment.student_id).where(
            TutorAssignment.teacher_id == user.id, TutorAssignment.ended_at.is_(None))
        if year is not None:
            tutored = tutored.where(TutorAssignment.academic_year_id == year.id)
        stmt = stmt.where(Internship.student_id.in_(tutored))
    rows: dict[int, StatusRow] = {}
    for e in db.session.execute(stmt).unique().scalars():
        rows.setdefault(e.internship_id, StatusRow(e.internship, {})).evaluations[e.kind] = e
    return list(rows.values())


def get(evaluation_id: int) -> Evaluation | None:
    return db.session.execute(
        select(Evaluation).options(joinedload(Evaluation.internship).selectinload(
            Internship.objectives)).where(Evaluation.id == evaluation_id)).unique() \
        .scalar_one_or_none()
