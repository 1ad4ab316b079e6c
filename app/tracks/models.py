"""Students' tracks (project track or apprenticeship), apprenticeship records, tutored
projects and their teams."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db
from app.hosts.models import Host
from app.years.models import AcademicYear

CONTRACT_TYPES = {"apprentissage": "Contrat d’apprentissage",
                  "professionnalisation": "Contrat de professionnalisation"}


class TrackChange(db.Model):
    __tablename__ = "track_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    from_track: Mapped[str | None] = mapped_column(String(20))
    to_track: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Apprenticeship(db.Model):
    __tablename__ = "apprenticeships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("hosts.id"))
    contract_type: Mapped[str] = mapped_column(String(30), default="apprentissage")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    rhythm: Mapped[str | None] = mapped_column(String(200))
    mentor_name: Mapped[str | None] = mapped_column(String(120))
    mentor_position: Mapped[str | None] = mapped_column(String(120))
    mentor_email: Mapped[str | None] = mapped_column(String(254))
    mentor_phone: Mapped[str | None] = mapped_column(String(30))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    student: Mapped[User] = relationship()
    employer: Mapped[Host | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def contract_label(self) -> str:
        return CONTRACT_TYPES.get(self.contract_type, self.contract_type)


class Project(db.Model):
    """A tutored project (projet tutoré / SAÉ) for a cohort and a year."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    partner: Mapped[str | None] = mapped_column(String(200))
    cohort: Mapped[str] = mapped_column(String(4))
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    team_size: Mapped[int] = mapped_column(Integer)
    team_count: Mapped[int] = mapped_column(Integer)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    teacher: Mapped[User] = relationship()
    academic_year: Mapped[AcademicYear] = relationship()
    teams: Mapped[list[Team]] = relationship(back_populates="project",
                                             cascade="all, delete-orphan",
                                             order_by="Team.number")


class Team(db.Model):
    __tablename__ = "project_teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int] = mapped_column(Integer)

    project: Mapped[Project] = relationship(back_populates="teams")
    members: Mapped[list[TeamMember]] = relationship(back_populates="team",
                                                     cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_project_teams_number"),)


class TeamMember(db.Model):
    __tablename__ = "project_team_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("project_teams.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    team: Mapped[Team] = relationship(back_populates="members")
    student: Mapped[User] = relationship()

    # one team per student and project
    __table_args__ = (UniqueConstraint("project_id", "student_id",
                                       name="uq_project_team_members_once"),)


class TeamWish(db.Model):
    """A student wishing to work with a classmate on a project."""

    __tablename__ = "project_team_wishes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    with_student_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("project_id", "student_id", "with_student_id",
                                       name="uq_project_team_wishes_once"),)
