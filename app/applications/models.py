"""Students' applications to offers, and the history of their statuses."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.audit import StatusEventMixin
from app.extensions import db
from app.files.models import StoredFile
from app.offers.models import Offer
from app.search import keep_search_text

STATUSES = {
    "sent": "Envoyée",
    "interview": "Entretien",
    "accepted": "Acceptée",
    "refused": "Refusée",
    "withdrawn": "Retirée",
}
OPEN = ("sent", "interview")
# what staff may do from each status
STAFF_TRANSITIONS = {
    "sent": ("interview", "accepted", "refused"),
    "interview": ("accepted", "refused"),
    "accepted": (),
    "refused": (),
    "withdrawn": (),
}


class Application(db.Model):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    cv_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    status: Mapped[str] = mapped_column(String(20), default="sent", index=True)
    comment: Mapped[str | None] = mapped_column(Text)  # staff's word to the student
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    # The student's name and email, the offer's title and host (folded): the staff's search
    # asks its full-text index.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    offer: Mapped[Offer] = relationship()
    student: Mapped[User] = relationship()
    cv: Mapped[StoredFile] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationEvent.created_at")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        UniqueConstraint("offer_id", "student_id", name="uq_applications_offer_student"),
        # The staff's list, newest first, whole or of one status: a page is read from these
        Index("ix_applications_created_at", "created_at", "id"),
        Index("ix_applications_status_created_at", "status", "created_at", "id"),
        # A student's applications, with what the statistics read of them
        Index("ix_applications_student_offer_created", "student_id", "offer_id", "created_at"),
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def staff_choices(self) -> list[tuple[str, str]]:
        return [(s, STATUSES[s]) for s in STAFF_TRANSITIONS.get(self.status, ())]


def _search_words(application: Application) -> tuple:
    """What finds an application: changing its offer's title or host, or renaming the host,
    refreshes it (offers.services, hosts.services); a student's name never changes."""
    student = application.student or db.session.get(User, application.student_id)
    offer = application.offer or db.session.get(Offer, application.offer_id)
    return (student.first_name, student.last_name, student.email, offer.title,
            offer.host.name if offer.host else None)


keep_search_text(Application, _search_words)


class ApplicationEvent(StatusEventMixin, db.Model):
    """Audit of a status change: who, when, from, to, comment."""

    __tablename__ = "application_events"
    STATUS_LABELS = STATUSES
    STATUS_LENGTH = 20

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)

    application: Mapped[Application] = relationship(back_populates="events")
