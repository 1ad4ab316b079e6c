"""Tutoring: who may assign, and assigning (one student, a reviewed plan, the board's ticked
rows, a teacher's offer). The rest of the domain lives beside it, along the sections it had,
and is re-exported here so that callers keep using ``services.xxx``:

- ``board``: who needs a tutor (the year's tutees, the teachers' loads and capacities);
- ``suggestion``: the suggestion to review and the plan sent back;
- ``preferences``: the teachers' preferences;
- ``follow_up``: my tutees and the log;
- ``work``: which year is still open.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import access, events, links
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.internships.models import Internship
from app.plurals import count_text
from app.tutoring.board import (
    TeacherRow,
    TuteeRow,
    capacity,
    current_assignment,
    export_rows,
    kind_of,
    loads,
    open_assignments,
    teacher_rows,
    tutee_counts,
    tutee_page,
    volunteered_for,
    volunteers,
    without_tutor,
)
from app.tutoring.follow_up import (
    NO_CONTACT_WARNING,
    MyTutee,
    add_follow_up,
    can_read_log,
    follow_ups,
    history,
    my_tutees,
    tutor_of,
    tutored_years,
)
from app.tutoring.models import ONE_OPEN_TUTOR, TutorAssignment, Volunteer
from app.tutoring.preferences import preferences_of, set_preferences, taught_choices, taught_ids
from app.tutoring.suggestion import Proposal, Waiting, parse_plan, proposal, suggestion, waiting
from app.tutoring.work import board_work, tutor_work
from app.years.models import AcademicYear

__all__ = [
    # who may assign, and assigning (this module)
    "is_coordinator", "assign", "take_on", "apply_assignment", "assign_many", "volunteer",
    "MAX_PICKED",
    # who needs a tutor
    "TeacherRow", "TuteeRow", "capacity", "current_assignment", "export_rows", "kind_of",
    "loads", "open_assignments", "teacher_rows", "tutee_counts", "tutee_page",
    "volunteered_for", "volunteers", "without_tutor",
    # the suggestion
    "Proposal", "Waiting", "parse_plan", "proposal", "suggestion", "waiting",
    # preferences
    "preferences_of", "set_preferences", "taught_choices", "taught_ids",
    # my tutees and the log
    "NO_CONTACT_WARNING", "MyTutee", "add_follow_up", "can_read_log", "follow_ups", "history",
    "my_tutees", "tutor_of", "tutored_years",
    # which year is still open
    "board_work", "tutor_work",
]


is_coordinator = access.is_coordinator


def _coordinator(actor: User) -> None:
    if not is_coordinator(actor):
        raise DomainError(_("Seul·e un·e coordinateur·rice des stages affecte les tuteurs."))


# ---------------------------------------------------------------- assigning

@dataclass
class _Context:
    """What assigning reads, for one student or a whole plan at once: the students' open
    assignments and conventions of the year, the teachers' loads. ``_assign`` keeps it up to
    date, so a plan of thousands of students costs a handful of queries, not five each.
    ``read``: the students' open assignments (ids) as they were read, to tell who was given
    a tutor by someone else meanwhile."""
    current: dict[int, TutorAssignment]
    conventions: dict
    loads: dict[int, int]
    read: dict[int, int]


def _context(year: AcademicYear, student_ids, teacher_ids) -> _Context:
    from app.conventions.models import Convention

    students, teachers = list(set(student_ids)), list(set(teacher_ids))
    current = {a.student_id: a for a in db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id.in_(students),
               TutorAssignment.academic_year_id == year.id,
               TutorAssignment.ended_at.is_(None))).scalars()}
    conventions = {student_id: c for c, student_id in db.session.execute(
        select(Convention, Internship.student_id)
        .join(Internship, Convention.internship_id == Internship.id)
        .where(Internship.student_id.in_(students), Internship.academic_year_id == year.id,
               Internship.status != "cancelled"))}
    return _Context(current, conventions,
                    _loads_of(year, teachers + [a.teacher_id for a in current.values()]),
                    {student_id: a.id for student_id, a in current.items()})


def _loads_of(year: AcademicYear, teacher_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        select(TutorAssignment.teacher_id, func.count())
        .where(TutorAssignment.teacher_id.in_(teacher_ids),
               TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
        .group_by(TutorAssignment.teacher_id)).all())


def _assign(actor: User, student: User | None, teacher: User | None, year: AcademicYear,
            ctx: _Context, reason: str | None, amendment: bool,
            only_unassigned: bool) -> TutorAssignment:
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError(_("Choisissez un·e enseignant·e."))
    if student is None or student.role != "student":
        raise DomainError(_("Étudiant·e inconnu·e."))
    current = ctx.current.get(student.id)
    if current is not None and current.teacher_id == teacher.id:
        raise DomainError(_("%(teacher)s est déjà le tuteur ou la tutrice de %(student)s.",
                          teacher=teacher.full_name, student=student.full_name))
    if current is not None and only_unassigned:
        # the page showed this student without a tutor: someone gave them one meanwhile
        raise DomainError(_("%(student)s a reçu entre-temps un tuteur ou une tutrice "
                            "(%(teacher)s) : rien n’a été changé, la liste est à jour.",
                          student=student.full_name, teacher=current.teacher.full_name))
    load = ctx.loads.get(teacher.id, 0)
    if load >= capacity(teacher, year):
        raise DomainError(_("%(teacher)s a déjà %(load)s tutoré·es sur %(capacity)s possibles : "
                            "choisissez quelqu’un d’autre ou relevez sa capacité.",
                          teacher=teacher.full_name, load=load, capacity=capacity(teacher, year)))
    convention = ctx.conventions.get(student.id)
    if (current is not None and convention is not None and convention.status == "signed"
            and not amendment):
        raise DomainError(_("La convention de ce stage est signée : le changement d’enseignant·e "
                            "référent·e passe par un avenant."))
    if current is not None:
        current.ended_at = utcnow()
        current.end_reason = (reason or "Réaffectation")[:300]
        ctx.loads[current.teacher_id] = ctx.loads.get(current.teacher_id, 1) - 1
    created = TutorAssignment(student_id=student.id, teacher_id=teacher.id,
                              academic_year_id=year.id, assigned_by_id=actor.id)
    created.teacher = teacher
    created.student = student
    db.session.add(created)
    ctx.current[student.id] = created
    ctx.loads[teacher.id] = load + 1
    with db.session.no_autoflush:  # the new assignment is written by _save_assignments
        events.tutor_changed.send(student, year=year, teacher=teacher,
                                  former=current.teacher if current is not None else None,
                                  convention=convention)
    return created


def _one_open_tutor_refused(err: IntegrityError) -> bool:
    """Whether ``err`` is the database refusing a second open assignment (``ONE_OPEN_TUTOR``;
    SQLite names the columns instead of the index)."""
    message = str(err.orig)
    return ONE_OPEN_TUTOR in message or (
        "tutor_assignments.student_id, tutor_assignments.academic_year_id" in message)


def _save_assignments(year: AcademicYear, ctx: _Context, student_ids) -> None:
    """Write the new assignments of ``student_ids``. When someone else gave one of them a
    tutor at the same instant, the database refuses the second open assignment (or the
    convention naming the tutor, changed by both, is stale): nothing of this action is kept,
    and the coordinator is told who has which tutor now."""
    label = year.label
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError) as err:
        db.session.rollback()
        if isinstance(err, IntegrityError) and not _one_open_tutor_refused(err):
            raise
        ids = list(student_ids)
        now = {a.student_id: a for a in db.session.execute(
            select(TutorAssignment).options(joinedload(TutorAssignment.student),
                                            joinedload(TutorAssignment.teacher))
            .where(TutorAssignment.student_id.in_(ids),
                   TutorAssignment.academic_year_id == year.id,
                   TutorAssignment.ended_at.is_(None))).scalars()}
        changed = [now[i] for i in ids if i in now and now[i].id != ctx.read.get(i)]
        if changed:
            a = changed[0]
            raise DomainError(_("%(student)s a déjà un·e tuteur·rice pour %(label)s "
                                "(%(teacher)s), affecté·e en même temps par quelqu’un d’autre. "
                                "Rien n’a été changé ; la liste est à jour.",
                              student=a.student.full_name, label=label,
                              teacher=a.teacher.full_name)) from None
        raise DomainError(_("Un·e des étudiant·es choisi·es (ou sa convention) a été modifié·e en "
                            "même temps par quelqu’un d’autre. Rien n’a été changé ; rechargez la "
                            "liste, puis refaites l’affectation.")) from None
    _tell_assigned(year, ctx, student_ids)


def _tell_assigned(year: AcademicYear, ctx: _Context, student_ids) -> None:
    """Tell of each assignment this action opened (those of ``ctx`` that were not read at
    its start), in the action's transaction: the student (notification and email), the
    teacher (a notification per tutee, one email for all of theirs) and a replaced tutor
    (a notification). Nobody is told of their own action, and nothing of an assignment that
    did not change. The people are those the action already holds: nothing is read but, for
    a change of tutor, the replaced assignment (from the session when it still holds it)."""
    from app.notifications.services import email, notify

    mine = links.path("tutoring.mine", year=year.start_year)
    new: dict[int, tuple[User, list[TutorAssignment]]] = {}
    for student_id in dict.fromkeys(student_ids):
        a = ctx.current.get(student_id)
        if a is None or a.id is None or a.id == ctx.read.get(student_id):
            continue
        student, teacher = a.student, a.teacher
        if student.id != a.assigned_by_id:
            notify([student], f"Votre enseignant·e référent·e pour {year.label} est "
                              f"{teacher.full_name} ({teacher.email}).", "/",
                   email_subject=f"Votre enseignant·e référent·e pour {year.label}")
        if teacher.id != a.assigned_by_id:
            notify([teacher], f"Vous suivez désormais {student.full_name} "
                              f"({kind_of(student.track).lower()}) comme enseignant·e "
                              f"référent·e pour {year.label}.", mine)
            new.setdefault(teacher.id, (teacher, []))[1].append(a)
        before = ctx.read.get(student_id)
        former = db.session.get(TutorAssignment, before) if before else None
        if former is not None and former.teacher_id not in (teacher.id, a.assigned_by_id):
            why = former.end_reason if former.end_reason != "Réaffectation" else None
            notify([former.teacher], f"Vous ne suivez plus {student.full_name} pour "
                                     f"{year.label} : {teacher.full_name} prend le relais"
                                     + (f" (« {why} »)." if why else "."), mine)
    for teacher, assignments in new.values():
        names = "\n".join(f"- {a.student.full_name} ({kind_of(a.student.track).lower()})"
                          for a in assignments)
        email([teacher], f"Tutorat {year.label} : "
                         + (f"vous suivez {assignments[0].student.full_name}"
                            if len(assignments) == 1 else
                            f"{len(assignments)} étudiant·es à suivre"),
              f"Vous êtes désormais l’enseignant·e référent·e, pour {year.label}, de :\n"
              f"{names}", mine)


def _forget_volunteers(year: AcademicYear, student_ids) -> None:
    db.session.execute(Volunteer.__table__.delete().where(
        Volunteer.student_id.in_(list(student_ids)), Volunteer.academic_year_id == year.id))


def assign(actor: User, student: User, teacher: User, year: AcademicYear,
           reason: str | None = None, *, commit: bool = True, amendment: bool = False,
           authorized: bool = False) -> TutorAssignment:
    """The coordinator gives ``student`` the tutor ``teacher``. ``authorized``: the caller
    checked that ``actor`` may name the tutor (the secretariat on the convention, whose
    workflow says so); ``amendment``: the secretariat changes the tutor of a signed
    convention by an avenant."""
    if not (amendment or authorized):
        _coordinator(actor)
    created = _assign_one(actor, student, teacher, year, reason, amendment=amendment,
                          only_unassigned=False)
    if commit:
        db.session.commit()
    return created


def take_on(teacher: User, student: User, year: AcademicYear, reason: str) -> TutorAssignment:
    """The teacher who gives the pedagogical approval to a student without a tutor becomes
    their tutor, within their capacity. The caller commits."""
    return _assign_one(teacher, student, teacher, year, reason, amendment=False,
                       only_unassigned=True)


def _assign_one(actor: User, student: User, teacher: User, year: AcademicYear,
                reason: str | None, *, amendment: bool,
                only_unassigned: bool) -> TutorAssignment:
    ctx = _context(year, [student.id] if student else [], [teacher.id] if teacher else [])
    created = _assign(actor, student, teacher, year, ctx, reason, amendment, only_unassigned)
    _save_assignments(year, ctx, [student.id])
    _forget_volunteers(year, [student.id])
    return created

def apply_assignment(actor: User, year: AcademicYear, mapping: dict[int, int], *,
                     only_unassigned: bool = True) -> int:
    """Give each student of ``mapping`` its teacher at once: all or nothing. With
    ``only_unassigned`` (a reviewed plan, the waiting list), a student who got a tutor since
    the page was shown stops the whole of it."""
    _coordinator(actor)
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(set(mapping) | set(mapping.values())))).scalars()}
    ctx = _context(year, mapping, mapping.values())
    try:
        for student_id, teacher_id in mapping.items():
            _assign(actor, users.get(student_id), users.get(teacher_id), year, ctx, None,
                    False, only_unassigned)
    except DomainError:
        db.session.rollback()
        raise
    _save_assignments(year, ctx, mapping)
    _forget_volunteers(year, mapping)
    db.session.commit()
    return len(mapping)


MAX_PICKED = 200


def assign_many(actor: User, student_ids: list[int], teacher: User | None,
                year: AcademicYear, *, only_unassigned: bool = False) -> int:
    """Give ``teacher`` every student of ``student_ids`` (the board's ticked rows): all or
    nothing, with the teacher's room checked for the whole selection first."""
    _coordinator(actor)
    ids = list(dict.fromkeys(student_ids))
    if not ids:
        raise DomainError(_("Cochez au moins un·e étudiant·e."))
    if len(ids) > MAX_PICKED:
        raise DomainError(_("Cochez au plus %(picked)s étudiant·es à la fois.",
                          picked=MAX_PICKED))
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError(_("Choisissez un·e enseignant·e."))
    load, limit = _loads_of(year, [teacher.id]).get(teacher.id, 0), capacity(teacher, year)
    if len(ids) > 1 and load + len(ids) > limit:
        free = max(0, limit - load)
        raise DomainError(count_text(
            "%(teacher)s a %(load)s tutoré·es sur %(limit)s possibles : il reste %(num)d place "
            "pour les %(count)s étudiant·es coché·es.",
            "%(teacher)s a %(load)s tutoré·es sur %(limit)s possibles : il reste %(num)d "
            "places pour les %(count)s étudiant·es coché·es.", free,
            teacher=teacher.full_name, load=load, limit=limit, count=len(ids)))
    return apply_assignment(actor, year, {i: teacher.id for i in ids},
                            only_unassigned=only_unassigned)


def volunteer(teacher: User, student: User, year: AcademicYear) -> None:
    if teacher.role != "teacher":
        raise DomainError(_("Seul·e un·e enseignant·e se porte volontaire."))
    if current_assignment(student, year) is not None:
        raise DomainError(_("%(student)s a déjà un tuteur ou une tutrice.",
                          student=student.full_name))
    exists = db.session.execute(select(Volunteer.id).where(
        Volunteer.student_id == student.id, Volunteer.teacher_id == teacher.id,
        Volunteer.academic_year_id == year.id)).first()
    if exists:
        raise DomainError(_("Vous vous êtes déjà proposé·e pour cet·te étudiant·e."))
    db.session.add(Volunteer(student_id=student.id, teacher_id=teacher.id,
                             academic_year_id=year.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same offer sent twice at once (uq_tutor_volunteers_once)
        db.session.rollback()
        raise DomainError(_("Vous vous êtes déjà proposé·e pour cet·te étudiant·e.")) from None

