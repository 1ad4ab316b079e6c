"""Tutoring: who may assign, capacities, the suggestion, history, the follow-up log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import access, events
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.internships.models import Internship
from app.rules import assignment as rules
from app.tutoring.models import (
    FOLLOW_UP_KINDS,
    ONE_OPEN_TUTOR,
    FollowUp,
    TutorAssignment,
    TutorPreference,
    Volunteer,
    taught_students,
)
from app.years.models import AcademicYear

NO_CONTACT_WARNING = timedelta(weeks=4)


is_coordinator = access.is_coordinator


def _coordinator(actor: User) -> None:
    if not is_coordinator(actor):
        raise DomainError(_("Seul·e un·e coordinateur·rice des stages affecte les tuteurs."))


def capacity(teacher: User, year: AcademicYear) -> int:
    limit = year.tutee_limit
    if teacher.tutee_capacity is not None:
        limit = min(limit, teacher.tutee_capacity)
    return limit


# ---------------------------------------------------------------- who needs a tutor

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

    mine = f"/tutorat/mes-tutores?year={year.start_year}"
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
        raise DomainError(_("%(teacher)s a %(load)s tutoré·es sur %(limit)s possibles : il reste "
                            "%(free)s place(s) pour les %(count)s étudiant·es coché·es.",
                          teacher=teacher.full_name, load=load, limit=limit, free=max(0,
                          limit - load), count=len(ids)))
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


# ---------------------------------------------------------------- preferences

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


# ---------------------------------------------------------------- my tutees and the log

def tutor_of(student: User, year: AcademicYear) -> User | None:
    a = current_assignment(student, year)
    return a.teacher if a else None


def can_read_log(user: User, student: User, year: AcademicYear) -> bool:
    """The follow-up log of ``year``: its current tutor (not a former one), its defence jury,
    the coordinator and the secretariat (``app.access``)."""
    return student.is_student and access.can_read_private(user, student.id, year.id)


def tutored_years(student: User) -> set[int]:
    """The ids of the academic years in which ``student`` had a tutor."""
    return set(db.session.execute(select(TutorAssignment.academic_year_id).where(
        TutorAssignment.student_id == student.id)).scalars())


def add_follow_up(teacher: User, student: User, year: AcademicYear, kind: str,
                  happened_on: date | None, note: str | None, today: date) -> FollowUp:
    current = current_assignment(student, year)
    if current is None or current.teacher_id != teacher.id:
        raise DomainError(_("Seul·e le tuteur ou la tutrice de cet·te étudiant·e tient son suivi."))
    if kind not in FOLLOW_UP_KINDS:
        raise DomainError(_("Type d’échange inconnu."), "kind")
    if happened_on is None:
        raise DomainError(_("Indiquez la date."), "happened_on")
    if happened_on > today:
        raise DomainError(_("La date ne peut pas être dans le futur."), "happened_on")
    entry = FollowUp(student_id=student.id, teacher_id=teacher.id, academic_year_id=year.id,
                     kind=kind, happened_on=happened_on,
                     note=(note or "").strip()[:5000] or None)
    db.session.add(entry)
    db.session.commit()
    return entry


def follow_ups(student: User, year: AcademicYear) -> list[FollowUp]:
    return list(db.session.execute(
        select(FollowUp).options(joinedload(FollowUp.teacher))
        .where(FollowUp.student_id == student.id, FollowUp.academic_year_id == year.id)
        .order_by(FollowUp.happened_on.desc(), FollowUp.id.desc())).scalars())


def history(student: User, year: AcademicYear) -> list[TutorAssignment]:
    return list(db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id == student.id,
               TutorAssignment.academic_year_id == year.id)
        .order_by(TutorAssignment.started_at)).scalars())


@dataclass
class MyTutee:
    student: User
    internship: Internship | None
    last_contact: date | None
    week: tuple[int, int] | None
    convention_label: str
    next_step: str
    no_contact_warning: bool
    silent_weeks: int = 0   # whole weeks without an exchange, when warned


def my_tutees(teacher: User, year: AcademicYear, today: date) -> list[MyTutee]:
    from app.internships.services import fr_date

    assigned = db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.student))
        .where(TutorAssignment.teacher_id == teacher.id, TutorAssignment.academic_year_id
               == year.id, TutorAssignment.ended_at.is_(None))).scalars().all()
    ids = [a.student_id for a in assigned]
    internships = {i.student_id: i for i in db.session.execute(
        select(Internship).options(joinedload(Internship.host), joinedload(Internship.convention))
        .where(Internship.student_id.in_(ids), Internship.academic_year_id == year.id,
               Internship.status != "cancelled")).scalars()} if ids else {}
    last = dict(db.session.execute(
        select(FollowUp.student_id, func.max(FollowUp.happened_on))
        .where(FollowUp.student_id.in_(ids), FollowUp.academic_year_id == year.id)
        .group_by(FollowUp.student_id)).all()) if ids else {}
    rows = []
    for a in assigned:
        i = internships.get(a.student_id)
        convention = i.convention if i else None
        running = i is not None and i.start_date <= today <= i.end_date
        if i is None:
            step = "Contrat d’apprentissage" if a.student.track == "apprentice" else "—"
        elif convention is None or convention.status not in ("signed",):
            step = f"Convention signée avant le {fr_date(i.start_date)}"
        elif today < i.start_date:
            step = f"Début le {fr_date(i.start_date)}"
        elif running:
            step = f"Fin le {fr_date(i.end_date)}"
        else:
            step = "Soutenance"
        contact = last.get(a.student_id)
        since = max(i.start_date, contact) if (i and contact) else (i.start_date if i else None)
        warn = running and since is not None and today - since >= NO_CONTACT_WARNING
        rows.append(MyTutee(a.student, i, contact, i.week_of(today) if running else None,
                            convention.status_label if convention else "Pas de convention",
                            step, warn, (today - since).days // 7 if warn else 0))
    rows.sort(key=lambda r: (not r.no_contact_warning, r.student.last_name))
    return rows


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


# ---------------------------------------------------------------- which year is still open

def tutor_work(teacher: User | None, year: AcademicYear, today: date):
    """What is left of ``year``'s tutoring for ``teacher`` (everyone's with None): their
    tutees' internships not over, defences not held or not yet set, defences held but not
    yet evaluated by the tutor. A tutor keeps the year on « Mes tutoré·es » and the logs
    while any of it is open."""
    from app.defenses.models import Defense
    from app.evaluations.models import Evaluation
    from app.internships.models import CLOSED
    from app.rules.years import YearWork

    tutored = select(TutorAssignment.student_id).where(
        TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
    if teacher is not None:
        tutored = tutored.where(TutorAssignment.teacher_id == teacher.id)
    active = (Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED),
              Internship.student_id.in_(tutored))
    last_end, last_defense, undefended = db.session.execute(
        select(func.max(Internship.end_date), func.max(Defense.starts_at),
               func.count(Internship.id).filter(Defense.id.is_(None)))
        .outerjoin(Defense, Defense.internship_id == Internship.id).where(*active)).one()
    unevaluated = db.session.execute(select(func.count(Internship.id)).where(
        *active, Internship.end_date < today,
        ~exists().where(Evaluation.internship_id == Internship.id,
                        Evaluation.kind == "academic_tutor",
                        Evaluation.submitted_at.is_not(None)))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end,
                    last_defense=last_defense.date() if last_defense else None,
                    undefended=undefended or 0, open_evaluations=unevaluated)


def board_work(year: AcademicYear, today: date):
    """What is left on ``year``'s board: internships not over whose student has no tutor."""
    from app.internships.models import CLOSED
    from app.rules.years import YearWork

    last_end = db.session.execute(select(func.max(Internship.end_date)).where(
        Internship.academic_year_id == year.id, Internship.status.not_in(CLOSED),
        ~exists().where(TutorAssignment.student_id == Internship.student_id,
                        TutorAssignment.academic_year_id == year.id,
                        TutorAssignment.ended_at.is_(None)))).scalar_one()
    return YearWork(year.start_year, last_internship_end=last_end)
