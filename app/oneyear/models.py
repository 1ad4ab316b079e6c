"""« Un an après »: the questionnaire sent twelve months after an internship ended, to the
former student and to the host tutor (through a signed link: neither needs an account)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import utcnow
from app.extensions import db
from app.internships.models import Internship

RESPONDENTS = {"student": "l’ancien·ne stagiaire", "host_tutor": "le tuteur ou la tutrice "
               "de l’organisme"}


class OneYearSurvey(db.Model):
    __tablename__ = "one_year_surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    token_nonce: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed: Mapped[str | None] = mapped_column(Text)
    inspired: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("good_practices.id", ondelete="SET NULL"))

    internship: Mapped[Internship] = relationship()

    # sent once per internship and respondent, whatever the number of senders
    __table_args__ = (UniqueConstraint("internship_id", "respondent",
                                       name="uq_one_year_surveys_once"),)

    @property
    def respondent_label(self) -> str:
        return RESPONDENTS.get(self.respondent, self.respondent)
