"""Tutored projects: a teacher's project of a cohort, its teams formed by hand or from the
students' wishes (``rules.teams``). Apprentices never join one (RULES.md §1)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import COHORTS, User
from app.errors import DomainError
from app.extensions import db
from app.rules.teams import TeamPlan, form_teams
from app.tracks.models import Project, Team, TeamMember, TeamWish
from app.years.models import AcademicYear


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
