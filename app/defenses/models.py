"""Defences (soutenances): sessions the secretariat opens, teachers' unavailabilities, and
each student's defence with its jury."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Time
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.internships.models import Internship
from app.years.models import AcademicYear


class DefenseSession(db.Model):
    """A day in a room with a slot length: 20 minutes of presentation plus questions."""

    __tablename__ = "defense_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    room: Mapped[str] = mapped_column(String(60))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)

    academic_year: Mapped[AcademicYear] = relationship()

    def slots(self) -> list[datetime]:
        start = datetime.combine(self.day, self.start_time)
        end = datetime.combine(self.day, self.end_time)
        step = timedelta(minutes=self.slot_minutes)
        out = []
        while start + step <= end:
            out.append(start)
            start += step
        return out


class Unavailability(db.Model):
    __tablename__ = "teacher_unavailabilities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local time, Europe/Paris
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(String(200))


class Defense(db.Model):
    __tablename__ = "defenses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(ForeignKey("internships.id"), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("defense_sessions.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # local time
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    second_teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # RFC 5545 SEQUENCE of the calendar event: one more at each change of a published defence
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The student's tutor changed after publication: the jury is to be set again by a move
    jury_outdated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # When the published defence last changed (the calendar's LAST-MODIFIED), UTC
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    internship: Mapped[Internship] = relationship(backref=backref("defense", uselist=False))
    session: Mapped[DefenseSession] = relationship()
    tutor: Mapped[User] = relationship(foreign_keys=[tutor_id])
    second_teacher: Mapped[User] = relationship(foreign_keys=[second_teacher_id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.session.slot_minutes)
