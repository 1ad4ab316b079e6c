"""Academic tutors: who tutors whom (with history), preferences, volunteers, follow-up log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db
from app.years.models import AcademicYear

FOLLOW_UP_KINDS = {
    "student": "Échange avec l’étudiant·e",
    "host_tutor": "Échange avec le tuteur de l’organisme",
    "visit": "Visite sur le lieu de stage",
}

taught_students = Table(
    "teacher_taught_students", db.metadata,
    Column("teacher_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


OPEN_ASSIGNMENT = "ended_at IS NULL"
ONE_OPEN_TUTOR = "ux_tutor_assignments_one_open"


class TutorAssignment(db.Model):
    """A teacher tutoring a student for a year; ended (not deleted) when it changes. A student
    has at most one open assignment (``ended_at`` unset) a year: the database refuses a
    second one (``ONE_OPEN_TUTOR``), so two coordinators assigning at the same instant cannot
    both succeed."""

    __tablename__ = "tutor_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(300))

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id])
    academic_year: Mapped[AcademicYear] = relationship()

    __table_args__ = (
        Index("ix_tutor_assignments_year_open", "academic_year_id", "ended_at"),
        Index(ONE_OPEN_TUTOR, "student_id", "academic_year_id", unique=True,
              sqlite_where=text(OPEN_ASSIGNMENT), postgresql_where=text(OPEN_ASSIGNMENT)),
    )


class TutorPreference(db.Model):
    __tablename__ = "tutor_preferences"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            primary_key=True)
    domains: Mapped[list] = mapped_column(JSON, default=list)
    cities: Mapped[list] = mapped_column(JSON, default=list)


class Volunteer(db.Model):
    """A teacher offering to tutor a student; the coordinator confirms."""

    __tablename__ = "tutor_volunteers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id])

    __table_args__ = (UniqueConstraint("student_id", "teacher_id", "academic_year_id",
                                       name="uq_tutor_volunteers_once"),)


class FollowUp(db.Model):
    """One entry of a tutor's follow-up log."""

    __tablename__ = "tutor_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    kind: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id])

    @property
    def kind_label(self) -> str:
        return FOLLOW_UP_KINDS.get(self.kind, self.kind)
