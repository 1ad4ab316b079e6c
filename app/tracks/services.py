"""Tracks, apprenticeships and tutored projects. Apprentices never join a project or have an
internship (RULES.md §1); every refusal says why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from app import links
from app.accounts.models import COHORTS, TRACKS, User
from app.applications.models import OPEN, Application, ApplicationEvent
from app.conventions import services as conventions
from app.conventions.models import Convention
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import Host
from app.internships import services as internships
from app.internships.models import Internship
from app.notifications.services import notify
from app.rules.teams import TeamPlan, form_teams
from app.tracks.models import (
    CONTRACT_TYPES,
    Apprenticeship,
    Project,
    Team,
    TeamMember,
    TeamWish,
    TrackChange,
)
from app.versioning import check_version, commit_versioned
from app.years.models import AcademicYear

# ---------------------------------------------------------------- tracks

@dataclass
class TrackChanged:
    """A recorded track change and, in words, what it removed (teams, wishes,
    applications, internship), for the confirmation."""
    change: TrackChange
    removed: list[str]


def _leave_projects(student: User, since: date) -> list[str]:
    """Take ``student`` out of the tutored projects of the year of ``since`` and later:
    their team, their own wishes and the classmates' wishes naming them. Earlier years'
    teams are history and stay. Returns what was removed, in words."""
    from app.rules.years import academic_start_year

    projects = (select(Project.id).join(AcademicYear, AcademicYear.id == Project.academic_year_id)
                .where(AcademicYear.start_year >= academic_start_year(since)))
    removed = []
    members = db.session.execute(
        select(TeamMember).options(joinedload(TeamMember.team).joinedload(Team.project))
        .where(TeamMember.student_id == student.id, TeamMember.project_id.in_(projects))
        .order_by(TeamMember.id)).scalars().all()
    for member in members:
        removed.append(f"Retiré·e de l’équipe {member.team.number} du projet "
                       f"« {member.team.project.title} »")
        db.session.delete(member)
    wishes = db.session.execute(TeamWish.__table__.delete().where(
        TeamWish.project_id.in_(projects),
        (TeamWish.student_id == student.id) | (TeamWish.with_student_id == student.id)))
    if wishes.rowcount:
        removed.append(f"{wishes.rowcount} souhait{'s' if wishes.rowcount > 1 else ''} "
                       f"d’équipe retiré{'s' if wishes.rowcount > 1 else ''}")
    return removed


def change_track(actor: User, student: User, new_track: str, effective_on: date | None,
                 reason: str | None) -> TrackChanged:
    """Record a track change. Becoming an apprentice (RULES.md §1: no internship, no
    tutored project) withdraws the open applications, cancels an internship not signed
    and takes the student out of this year's project teams and team wishes, all in this
    one transaction; ``removed`` says what went."""
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat change le parcours d’un·e étudiant·e."))
    if student is None or student.role != "student":
        raise DomainError(_("Étudiant·e inconnu·e."))
    if new_track not in TRACKS:
        raise DomainError(_("Parcours inconnu."), "track")
    if new_track == student.track:
        raise DomainError(_("%(student)s est déjà en « %(track)s ».",
                          student=student.full_name, track=TRACKS[new_track].lower()),
                          "track")
    if effective_on is None:
        raise DomainError(_("Indiquez la date d’effet."), "effective_on")
    if not (reason or "").strip():
        raise DomainError(_("Indiquez le motif du changement."), "reason")
    withdrawn, removed = [], []
    if new_track == "apprentice":
        signed = db.session.execute(
            select(Convention).join(Internship, Convention.internship_id == Internship.id)
            .where(Internship.student_id == student.id, Convention.status == "signed")
        ).scalars().first()
        if signed is not None:
            raise DomainError(_("%(student)s a une convention de stage signée : annulez-la "
                                "d’abord (page de la convention), puis changez le parcours.",
                              student=student.full_name))
        for application in db.session.execute(select(Application).where(
                Application.student_id == student.id, Application.status.in_(OPEN))).scalars():
            application.events.append(ApplicationEvent(
                actor_id=actor.id, from_status=application.status, to_status="withdrawn",
                comment="Passage en alternance"))
            application.status = "withdrawn"
            withdrawn.append(application)
        why = f"Passage en alternance : {reason.strip()[:250]}"
        for internship in db.session.execute(select(Internship).where(
                Internship.student_id == student.id, Internship.status == "planned")).scalars():
            convention = getattr(internship, "convention", None)
            if convention is not None and convention.status != "cancelled":
                conventions.withdraw(convention, actor, why)
            else:
                internships.move(internship, actor, "cancelled", why)
            removed.append("Stage prévu annulé")
        if withdrawn:
            removed.append(f"{len(withdrawn)} candidature(s) en cours retirée(s)")
        removed.extend(_leave_projects(student, effective_on))
    change = TrackChange(student_id=student.id, from_track=student.track, to_track=new_track,
                         effective_on=effective_on, reason=reason.strip()[:2000],
                         actor_id=actor.id)
    db.session.add(change)
    student.track = new_track
    if withdrawn:
        notify([student], f"Vous passez en alternance : vos {len(withdrawn)} candidature(s) en "
                          "cours ont été retirées.", links.path("applications.index"),
               email_subject="Passage en alternance : candidatures retirées")
    db.session.commit()
    return TrackChanged(change, removed)


def track_history(student: User) -> list[TrackChange]:
    return list(db.session.execute(
        select(TrackChange).options(joinedload(TrackChange.actor))
        .where(TrackChange.student_id == student.id)
        .order_by(TrackChange.effective_on, TrackChange.id)).scalars())


# ---------------------------------------------------------------- apprenticeships

@dataclass
class ApprenticeRow:
    student: User
    record: Apprenticeship | None
    tutor: User | None

    @property
    def missing(self) -> list[str]:
        r = self.record
        out = []
        if r is None:
            return ["fiche d’alternance"]
        if r.employer_id is None:
            out.append("employeur")
        if not (r.start_date and r.end_date):
            out.append("dates du contrat")
        if not r.rhythm:
            out.append("rythme")
        if not (r.mentor_name and (r.mentor_email or r.mentor_phone)):
            out.append("maître d’apprentissage")
        if self.tutor is None:
            out.append("enseignant·e référent·e")
        return out


def _apprentice():
    return and_(User.role == "student", User.track == "apprentice", User.active.is_(True))


def apprentices_query(q: str | None = None):
    """The active apprentices (found by ``q``), by promotion and name: the list's pages."""
    from app.search import matching

    stmt = select(User).where(_apprentice())
    clause = matching(q, User.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt.order_by(User.cohort, User.last_name, User.first_name, User.id)


def apprentice_rows(year: AcademicYear, students: list[User] | None = None
                    ) -> list[ApprenticeRow]:
    """``students`` (a page of ``apprentices_query``; all apprentices when None) with their
    apprenticeship record and their tutor of the year."""
    from app.tutoring.models import TutorAssignment

    if students is None:
        students = list(db.session.execute(apprentices_query()).scalars())
    ids = [s.id for s in students]
    records = {r.student_id: r for r in db.session.execute(
        select(Apprenticeship).options(joinedload(Apprenticeship.employer))
        .where(Apprenticeship.student_id.in_(ids))).scalars()} if ids else {}
    tutors = {a.student_id: a.teacher for a in db.session.execute(
        select(TutorAssignment).options(joinedload(TutorAssignment.teacher))
        .where(TutorAssignment.student_id.in_(ids), TutorAssignment.academic_year_id == year.id,
               TutorAssignment.ended_at.is_(None))).scalars()} if ids else {}
    return [ApprenticeRow(s, records.get(s.id), tutors.get(s.id)) for s in students]


def can_read_record(user: User, student: User, year: AcademicYear) -> bool:
    """The apprenticeship record (it has no year of its own: the current one's tutor reads
    it): as every private record, ``app.access``."""
    from app.access import can_read_private

    return can_read_private(user, student.id, year.id)


def record_of(student: User) -> Apprenticeship | None:
    return db.session.execute(select(Apprenticeship).where(
        Apprenticeship.student_id == student.id)).scalar_one_or_none()


def save_record(actor: User, student: User, data: dict, version: int | None) -> Apprenticeship:
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat tient les fiches d’alternance."))
    if student.track != "apprentice":
        raise DomainError(_("%(student)s n’est pas en alternance.", student=student.full_name))
    if data.get("contract_type") not in CONTRACT_TYPES:
        raise DomainError(_("Type de contrat inconnu."), "contract_type")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise DomainError(_("La fin du contrat précède son début."), "end_date")
    employer_id = data.get("employer_id") or None
    if employer_id and db.session.get(Host, employer_id) is None:
        raise DomainError(_("Choisissez l’employeur dans l’annuaire."), "employer_id")
    record = record_of(student)
    if record is None:
        record = Apprenticeship(student_id=student.id)
        db.session.add(record)
    else:
        check_version(record, version, _("cette fiche d’alternance"))
    record.employer_id = employer_id
    record.contract_type = data["contract_type"]
    record.start_date, record.end_date = start, end
    for name in ("rhythm", "mentor_name", "mentor_position", "mentor_email", "mentor_phone"):
        setattr(record, name, (data.get(name) or "").strip() or None)
    commit_versioned(_("cette fiche d’alternance"))
    return record


# ---------------------------------------------------------------- tutored projects

def _project_track_refusal(student: User | None, project: Project) -> str | None:
    if student is None or student.role != "student" or not student.active:
        return _("Étudiant·e inconnu·e.")
    if student.track == "apprentice":
        return _("%(name)s est en alternance : les alternant·es ne participent pas aux "
                 "projets tutorés (ils sont alors chez leur employeur).", name=student.full_name)
    if student.cohort != project.cohort:
        return _("%(student)s n’est pas en %(cohort)s.",
               student=student.full_name, cohort=project.cohort)
    return None


def create_project(teacher: User, data: dict, year: AcademicYear) -> Project:
    if teacher.role not in ("teacher", "admin"):
        raise DomainError(_("Les projets tutorés sont créés par les enseignant·es."))
    if not (data.get("title") or "").strip():
        raise DomainError(_("Le titre est obligatoire."), "title")
    if data.get("cohort") not in COHORTS:
        raise DomainError(_("Choisissez la promotion."), "cohort")
    size, count = data.get("team_size") or 0, data.get("team_count") or 0
    if not 1 <= size <= 12:
        raise DomainError(_("Une équipe compte de 1 à 12 étudiant·es."), "team_size")
    if not 1 <= count <= 40:
        raise DomainError(_("De 1 à 40 équipes."), "team_count")
    project = Project(title=data["title"].strip(), description=(data.get("description") or "")
                      .strip() or None, partner=(data.get("partner") or "").strip() or None,
                      cohort=data["cohort"], academic_year_id=year.id, team_size=size,
                      team_count=count, teacher_id=teacher.id)
    project.teams = [Team(number=n) for n in range(1, count + 1)]
    db.session.add(project)
    db.session.commit()
    return project


def get_project(project_id: int) -> Project | None:
    return db.session.execute(
        select(Project).options(selectinload(Project.teams).selectinload(Team.members)
                                .joinedload(TeamMember.student), joinedload(Project.teacher))
        .where(Project.id == project_id)).unique().scalar_one_or_none()


def can_manage(user: User, project: Project) -> bool:
    return user.role == "admin" or (user.role == "teacher" and project.teacher_id == user.id) \
        or user.role == "secretariat"


def eligible_students(project: Project) -> list[User]:
    """The picker: students of the cohort on the project track. Never an apprentice."""
    return list(db.session.execute(
        select(User).where(User.role == "student", User.cohort == project.cohort,
                           User.track == "initial", User.active.is_(True))
        .order_by(User.last_name, User.first_name)).scalars())


def _member_of(project: Project, student_id: int) -> TeamMember | None:
    return db.session.execute(select(TeamMember).where(
        TeamMember.project_id == project.id, TeamMember.student_id == student_id)
    ).scalar_one_or_none()


def put_in_team(actor: User, project: Project, student: User | None, team: Team | None,
                *, joining: bool = False) -> TeamMember:
    """A teacher assigns a student, or a student joins a team themselves."""
    if joining:
        if actor.id != getattr(student, "id", None):
            raise DomainError(_("Vous ne pouvez inscrire que vous-même."))
    elif not can_manage(actor, project):
        raise DomainError(_("Seul·e l’enseignant·e du projet compose les équipes."))
    reason = _project_track_refusal(student, project)
    if reason:
        raise DomainError(reason)
    if team is None or team.project_id != project.id:
        raise DomainError(_("Équipe inconnue."))
    size = db.session.execute(select(func.count(TeamMember.id)).where(
        TeamMember.team_id == team.id)).scalar_one()
    current = _member_of(project, student.id)
    if current is not None and current.team_id == team.id:
        raise DomainError(_("%(student)s est déjà dans l’équipe %(number)s.",
                          student=student.full_name, number=team.number))
    if size >= project.team_size:
        raise DomainError(_("L’équipe %(number)s est complète (%(team_size)s personnes).",
                          number=team.number, team_size=project.team_size))
    if current is not None:
        if joining:
            raise DomainError(_("Vous êtes déjà dans une équipe de ce projet : demandez à "
                                "l’enseignant·e de vous changer d’équipe."))
        current.team_id = team.id
        member = current
    else:
        member = TeamMember(team_id=team.id, project_id=project.id, student_id=student.id)
        db.session.add(member)
    db.session.commit()
    return member


def remove_from_team(actor: User, project: Project, student_id: int) -> None:
    if not can_manage(actor, project):
        raise DomainError(_("Seul·e l’enseignant·e du projet compose les équipes."))
    member = _member_of(project, student_id)
    if member is None:
        raise DomainError(_("Cet·te étudiant·e n’est dans aucune équipe."))
    db.session.delete(member)
    db.session.commit()


def add_wish(student: User, project: Project, other: User | None) -> None:
    reason = _project_track_refusal(student, project)
    if reason:
        raise DomainError(reason)
    other_reason = _project_track_refusal(other, project)
    if other_reason:
        raise DomainError(other_reason)
    if other.id == student.id:
        raise DomainError(_("Choisissez un·e camarade."))
    count = db.session.execute(select(func.count(TeamWish.id)).where(
        TeamWish.project_id == project.id, TeamWish.student_id == student.id)).scalar_one()
    if count >= 3:
        raise DomainError(_("Trois souhaits au plus."))
    exists = db.session.execute(select(TeamWish.id).where(
        TeamWish.project_id == project.id, TeamWish.student_id == student.id,
        TeamWish.with_student_id == other.id)).first()
    if exists:
        raise DomainError(_("Vous avez déjà demandé à travailler avec %(other)s.",
                          other=other.full_name))
    db.session.add(TeamWish(project_id=project.id, student_id=student.id,
                            with_student_id=other.id))
    db.session.commit()


def wishes(project: Project) -> list[tuple[int, int]]:
    return [(a, b) for a, b in db.session.execute(
        select(TeamWish.student_id, TeamWish.with_student_id)
        .where(TeamWish.project_id == project.id)).all()]


def auto_form(actor: User, project: Project) -> TeamPlan:
    """Form every team from the eligible students, keeping wishes where possible."""
    if not can_manage(actor, project):
        raise DomainError(_("Seul·e l’enseignant·e du projet compose les équipes."))
    students = [s.id for s in eligible_students(project)]
    plan = form_teams(students, len(project.teams), project.team_size, wishes(project))
    if plan.problem:
        raise DomainError(plan.problem)
    # The old members go through the session (which may hold them), before the new ones are
    # written: a student stays in one team of the project (a unique constraint).
    for team in project.teams:
        team.members.clear()
    db.session.flush()
    for team, members in zip(project.teams, plan.teams, strict=False):
        team.members.extend(TeamMember(project_id=project.id, student_id=sid)
                            for sid in members)
    db.session.commit()
    return plan


def projects_for(user: User, year: AcademicYear) -> list[Project]:
    stmt = select(Project).options(joinedload(Project.teacher)).where(
        Project.academic_year_id == year.id).order_by(Project.cohort, Project.title)
    if user.is_student:
        stmt = stmt.where(Project.cohort == user.cohort)
    return list(db.session.execute(stmt).scalars())


def team_of(student: User, project: Project) -> Team | None:
    member = _member_of(project, student.id)
    return member.team if member else None
