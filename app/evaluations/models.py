"""Evaluations after the internship: by the host tutor (through an emailed link, without an
account), by the academic tutor (the defence) and by the student (the host, L124-4)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import utcnow
from app.extensions import db
from app.internships.models import Internship

KINDS = {
    "host_tutor": "Évaluation du stagiaire par l’organisme",
    "academic_tutor": "Évaluation de la soutenance",
    "student_host": "Évaluation de l’organisme par l’étudiant·e",
}
RATINGS = {"reached": "Atteint", "partly": "Partiellement atteint", "not": "Non atteint"}


class Evaluation(db.Model):
    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(ForeignKey("internships.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # objective id (as text) -> reached / partly / not
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    internship: Mapped[Internship] = relationship()

    __table_args__ = (UniqueConstraint("internship_id", "kind", name="uq_evaluations_once"),)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
