"""Conventions de stage (tripartite agreements), their history, signatures and amendments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.audit import StatusEventMixin
from app.conventions.terms import AMENDMENT_KINDS, change_lines
from app.conventions.workflow import STATUSES
from app.extensions import db
from app.files.models import StoredFile
from app.internships.models import Internship

SIGNATORIES = {
    "student": "l’étudiant·e",
    "host": "l’organisme d’accueil",
    "host_tutor": "le tuteur ou la tutrice de l’organisme",
    "academic_tutor": "l’enseignant·e référent·e",
    "head": "le chef ou la cheffe de département",
}
# Mentions the intranet cannot check by itself: the secretariat ticks them (RULES.md §3).
MANUAL_ITEMS = {
    "programme": "Intitulé de la formation et volume horaire annuel",
    "activities": "Activités confiées conformes au projet pédagogique",
    "supervision": "Modalités d’encadrement par les deux tuteurs",
    "social_protection": "Protection sociale (accident du travail, responsabilité civile)",
    "payment_terms": "Modalités de versement de la gratification",
    "absences": "Conditions d’autorisation d’absence et de congés",
    "suspension": "Conditions de suspension et de résiliation",
    "early_end": "Validation du stage en cas d’interruption",
    "benefits": "Avantages (restauration, transport)",
    "internal_rules": "Règlement intérieur applicable",
    "attestation": "Modalités de délivrance de l’attestation de stage",
    "not_a_job": "Déclaration : le stage ne pourvoit pas un emploi permanent",
}


class Convention(db.Model):
    __tablename__ = "conventions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(ForeignKey("internships.id"), unique=True)
    # the internship's academic year, kept here so that the queue counts and lists one year
    # from one index (set on insert, moved with the internship: see below)
    academic_year_id: Mapped[int | None] = mapped_column(ForeignKey("academic_years.id"))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    # What the student enters beyond the internship record
    supervision: Mapped[str | None] = mapped_column(Text)
    payment_terms: Mapped[str | None] = mapped_column(Text)
    leave_conditions: Mapped[str | None] = mapped_column(Text)
    benefits: Mapped[str | None] = mapped_column(Text)
    special_hours: Mapped[str | None] = mapped_column(Text)  # night, Sunday or holiday presence
    social_protection: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(Text)  # the secretariat's latest request
    student_signed_on: Mapped[date | None] = mapped_column(Date)
    host_signed_on: Mapped[date | None] = mapped_column(Date)
    host_tutor_signed_on: Mapped[date | None] = mapped_column(Date)
    academic_tutor_signed_on: Mapped[date | None] = mapped_column(Date)
    head_signed_on: Mapped[date | None] = mapped_column(Date)
    signed_pdf_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # The terms as validated (terms.Terms as JSON): what the convention states from then on,
    # with its avenants. NULL before validation (the live records are the terms then).
    terms: Mapped[dict | None] = mapped_column(JSON)
    # The document as it was when the last party signed: it never changes afterwards.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # Early end (rupture): the effective last day and why.
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    internship: Mapped[Internship] = relationship(
        backref=backref("convention", uselist=False))
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    signed_pdf: Mapped[StoredFile | None] = relationship(foreign_keys=[signed_pdf_id])
    document: Mapped[StoredFile | None] = relationship(foreign_keys=[document_id])
    events: Mapped[list[ConventionEvent]] = relationship(
        back_populates="convention", cascade="all, delete-orphan",
        order_by="ConventionEvent.id")
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="Amendment.number")
    checks: Mapped[list[ConventionCheck]] = relationship(
        back_populates="convention", cascade="all, delete-orphan",
        order_by="ConventionCheck.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_conventions_status_submitted_at", "status", "submitted_at", "id"),
        Index("ix_conventions_year_status", "academic_year_id", "status", "submitted_at", "id"),
        Index("ix_conventions_status_year", "status", "academic_year_id"),
    )

    @property
    def academic_tutor(self) -> User | None:
        """The student's tutor of the year, as tutoring records it (the one source: a change
        of tutor, on the board or by an avenant, is seen here at once). What a validated
        convention states is in ``terms``."""
        assignment = self.internship.tutor_assignment
        return assignment.teacher if assignment is not None else None

    @property
    def academic_tutor_id(self) -> int | None:
        assignment = self.internship.tutor_assignment
        return assignment.teacher_id if assignment is not None else None

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def signed_on(self, party: str) -> date | None:
        return getattr(self, f"{party}_signed_on")

    @property
    def all_signed(self) -> bool:
        return all(self.signed_on(p) for p in SIGNATORIES)

    @property
    def number(self) -> str:
        """The reference printed on the convention and its avenants: year and a number."""
        return f"{self.internship.academic_year.start_year}-{self.id:05d}"


class ConventionCheck(db.Model):
    """A mandatory mention the secretariat has checked by hand: which, who, when.

    One row per ticked mention, apart from the convention itself: ticking does not change the
    convention's version, so two mentions ticked in quick succession (or by two people) never
    make each other stale, and unticking deletes the row."""

    __tablename__ = "convention_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("conventions.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    convention: Mapped[Convention] = relationship(back_populates="checks")
    checked_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("convention_id", "item",
                                       name="uq_convention_checks_item"),)


class ConventionEvent(StatusEventMixin, db.Model):
    """Audit of the convention's life: every status change, who, when, with the comment."""

    __tablename__ = "convention_events"
    STATUS_LABELS = STATUSES

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("conventions.id", ondelete="CASCADE"), index=True)

    convention: Mapped[Convention] = relationship(back_populates="events")


class Amendment(db.Model):
    """Avenant: a change after signature, numbered 1, 2, … in its convention, with its reason
    and what changed ({term: [before, after]}, see terms.py). A record of its own: it never
    changes once made."""

    __tablename__ = "convention_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [before, after]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)

    convention: Mapped[Convention] = relationship(back_populates="amendments")
    actor: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("convention_id", "number",
                                       name="uq_convention_amendments_number"),)

    @property
    def kind_label(self) -> str:
        return AMENDMENT_KINDS.get(self.kind, self.kind)

    @property
    def lines(self):
        """What changed, as people read it: « Date de fin : 30 juin 2027 → 15 juillet 2027 »."""
        return change_lines(self.changes)


@event.listens_for(Convention, "before_insert")
def _year_of_its_internship(mapper, connection, convention: Convention) -> None:
    if convention.academic_year_id is None:
        internship = convention.internship or connection.execute(
            select(Internship.academic_year_id).where(
                Internship.id == convention.internship_id)).first()
        convention.academic_year_id = internship.academic_year_id
