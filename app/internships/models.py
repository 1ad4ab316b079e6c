"""Internship records of BUT3 students on the initial track."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.audit import StatusEventMixin
from app.extensions import db
from app.hosts.models import HOME_COUNTRY, Host
from app.offers.models import Offer
from app.rules.calendar import Period, Schedule, days_label, parse_days
from app.search import keep_search_text
from app.years.models import AcademicYear

if TYPE_CHECKING:
    from app.tutoring.models import TutorAssignment

STATUSES = {
    "planned": "Stage trouvé",
    "in_progress": "En cours",
    "finished": "Terminé",
    "ended_early": "Interrompu",
    "cancelled": "Annulé",
}
# The internship's workflow: where each status may go. The secretariat records the start;
# the end comes with the dates; a convention cancelled or ended early takes its internship
# along (conventions.services). Nothing leaves a closed or finished internship.
TRANSITIONS = {
    "planned": ("in_progress", "cancelled", "ended_early"),
    "in_progress": ("finished", "ended_early", "cancelled"),
    "finished": (),
    "ended_early": (),
    "cancelled": (),
}
# An internship that no longer holds the student's year: another one may be declared.
CLOSED = ("cancelled", "ended_early")
AGREED_UNITS = {"hour": "par heure", "month": "par mois"}
ACTIVE_SQL = "status NOT IN ('cancelled', 'ended_early')"


class Internship(db.Model):
    __tablename__ = "internships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    # documentation, archives, data… (OFFER_DOMAINS): from the offer when there is one, else
    # as declared; the statistics and the tutors' domain preferences read it here
    domain: Mapped[str | None] = mapped_column(String(40))
    missions: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    work_days: Mapped[str] = mapped_column(String(40), default="mon,tue,wed,thu,fri")
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("35"))
    holidays_worked: Mapped[bool] = mapped_column(Boolean, default=False)
    zone: Mapped[str] = mapped_column(String(20), default="metropole")
    country: Mapped[str] = mapped_column(String(80), default=HOME_COUNTRY)
    host_tutor_name: Mapped[str | None] = mapped_column(String(120))
    host_tutor_position: Mapped[str | None] = mapped_column(String(120))
    host_tutor_email: Mapped[str | None] = mapped_column(String(254))
    host_tutor_phone: Mapped[str | None] = mapped_column(String(30))
    agreed_amount: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    agreed_unit: Mapped[str] = mapped_column(String(10), default="month")
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    # Total gratification actually paid, recorded by the secretariat for the attestation
    gratification_paid: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    # Date the convention was signed: the legal rate in force that day applies (RULES §2).
    convention_signed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    # The student's name and email, the host's name and city, the subject (folded): the
    # search of internships and of the convention queue asks its full-text index.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    student: Mapped[User] = relationship()
    academic_year: Mapped[AcademicYear] = relationship()
    host: Mapped[Host] = relationship()
    offer: Mapped[Offer | None] = relationship()
    absences: Mapped[list[Absence]] = relationship(
        back_populates="internship", cascade="all, delete-orphan", order_by="Absence.start_date")
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="internship", cascade="all, delete-orphan", order_by="Objective.position")

    # the student's tutor of the internship's year: tutoring's open assignment is the one
    # record of who tutors whom (the convention reads it from here)
    tutor_assignment: Mapped[TutorAssignment | None] = relationship(
        "TutorAssignment", viewonly=True, uselist=False,
        primaryjoin="and_(foreign(TutorAssignment.student_id) == Internship.student_id, "
                    "foreign(TutorAssignment.academic_year_id) == Internship.academic_year_id, "
                    "TutorAssignment.ended_at.is_(None))")
    events: Mapped[list[InternshipEvent]] = relationship(
        back_populates="internship", cascade="all, delete-orphan",
        order_by="InternshipEvent.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        # A student's internship of one year (the cohort follow-up joins every BUT3 student)
        Index("ix_internships_student_year", "student_id", "academic_year_id"),
        # One active internship per student and year, whatever two requests do at once
        Index("uq_internships_active_student_year", "student_id", "academic_year_id",
              unique=True, sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL)),
        # the year's internships that start soon (the secretariat's home)
        Index("ix_internships_year_start", "academic_year_id", "start_date"),
        # the year's last day of internship (which year a page shows), read from the index
        Index("ix_internships_year_status_end", "academic_year_id", "status", "end_date"),
    )

    @property
    def is_abroad(self) -> bool:
        return self.country != HOME_COUNTRY

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def schedule(self) -> Schedule:
        return Schedule(parse_days(self.work_days), Decimal(self.weekly_hours))

    @property
    def days_label(self) -> str:
        return days_label(parse_days(self.work_days))

    @property
    def absence_periods(self) -> list[Period]:
        return [Period(a.start_date, a.end_date) for a in self.absences]

    def week_of(self, today: date) -> tuple[int, int]:
        """(week N, of M) of the internship on ``today``."""
        total = max(1, -(-((self.end_date - self.start_date).days + 1) // 7))
        n = (today - self.start_date).days // 7 + 1
        return max(0, min(n, total)), total


def _search_words(internship: Internship) -> tuple:
    """What finds an internship (and its convention): renaming the host refreshes it
    (hosts.services); a student's name never changes."""
    student = internship.student or db.session.get(User, internship.student_id)
    host = internship.host or db.session.get(Host, internship.host_id)
    return (student.first_name, student.last_name, student.email,
            host.name if host else None, host.city if host else None, internship.subject)


keep_search_text(Internship, _search_words)


class Absence(db.Model):
    __tablename__ = "internship_absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))

    internship: Mapped[Internship] = relationship(back_populates="absences")


class Objective(db.Model):
    """One SMART objective set at the start, rated after the internship."""

    __tablename__ = "internship_objectives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    statement: Mapped[str] = mapped_column(Text)

    internship: Mapped[Internship] = relationship(back_populates="objectives")


class InternshipEvent(StatusEventMixin, db.Model):
    """Audit of the internship's life: declared, started, cancelled, ended early, finished."""

    __tablename__ = "internship_events"
    STATUS_LABELS = STATUSES

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), index=True)

    internship: Mapped[Internship] = relationship(back_populates="events")
