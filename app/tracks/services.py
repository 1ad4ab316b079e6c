"""Tracks, apprenticeships and tutored projects. Apprentices never join a project or have an
internship (RULES.md §1); every refusal says why. The tutored projects are in projects.py,
their names re-exported here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app import links
from app.accounts.models import TRACKS, User
from app.applications.models import OPEN, Application, ApplicationEvent
from app.conventions import services as conventions
from app.conventions.models import Convention
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import Host
from app.internships import services as internships
from app.internships.models import Internship
from app.notifications.services import notify
from app.plurals import count_text
from app.tracks.models import (
    CONTRACT_TYPES,
    Apprenticeship,
    Project,
    Team,
    TeamMember,
    TeamWish,
    TrackChange,
)
from app.tracks.projects import (
    add_wish,
    auto_form,
    can_manage,
    create_project,
    eligible_students,
    get_project,
    projects_for,
    put_in_team,
    remove_from_team,
    team_of,
    wishes,
)
from app.versioning import check_version, commit_versioned
from app.years.models import AcademicYear

__all__ = [  # projects.py
    "add_wish",
    "auto_form",
    "can_manage",
    "create_project",
    "eligible_students",
    "get_project",
    "projects_for",
    "put_in_team",
    "remove_from_team",
    "team_of",
    "wishes",
]

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
            removed.append(count_text("%(num)d candidature en cours retirée",
                                      "%(num)d candidatures en cours retirées", len(withdrawn)))
        removed.extend(_leave_projects(student, effective_on))
    change = TrackChange(student_id=student.id, from_track=student.track, to_track=new_track,
                         effective_on=effective_on, reason=reason.strip()[:2000],
                         actor_id=actor.id)
    db.session.add(change)
    student.track = new_track
    if withdrawn:
        notify([student], count_text(
            "Vous passez en alternance : votre candidature en cours a été retirée.",
            "Vous passez en alternance : vos %(num)d candidatures en cours ont été retirées.",
            len(withdrawn)), links.path("applications.index"),
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
