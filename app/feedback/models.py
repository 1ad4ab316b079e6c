"""After the internship: feedback for next year's students, good practices, host proposals,
tips for the country guides (all moderated before anyone else sees them) and the private
debrief of a difficult one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db
from app.hosts.models import Host
from app.internships.models import Internship
from app.rules.formatting import de
from app.search import keep_search_text

MODERATION = {"pending": "À modérer", "published": "Publié", "rejected": "Refusé"}


class ModeratedMixin:
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    moderation_comment: Mapped[str | None] = mapped_column(Text)
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def status_label(self) -> str:
        return MODERATION.get(self.status, self.status)


class Feedback(ModeratedMixin, db.Model):
    __tablename__ = "feedbacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(ForeignKey("internships.id"), unique=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id"), index=True)
    about_host: Mapped[str] = mapped_column(Text)
    about_place: Mapped[str | None] = mapped_column(Text)
    pitfalls: Mapped[str | None] = mapped_column(Text)
    contact_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    host: Mapped[Host] = relationship()
    internship: Mapped[Internship] = relationship()

    __mapper_args__ = {"version_id_col": version_id}


class GoodPractice(ModeratedMixin, db.Model):
    __tablename__ = "good_practices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    context: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    domain: Mapped[str] = mapped_column(String(40), index=True)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("hosts.id"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(Text, default="")

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    host: Mapped[Host | None] = relationship()
    # the « un an après » answer it was drawn from, if any (app/oneyear)
    survey = relationship("OneYearSurvey", primaryjoin="OneYearSurvey.practice_id == "
                          "GoodPractice.id", foreign_keys="OneYearSurvey.practice_id",
                          viewonly=True, uselist=False)

    @property
    def host_tutor_wrote_it(self) -> bool:
        """Drawn from the host tutor's answer: the student's account holds it (the host tutor
        has none), but the words are the host tutor's."""
        return self.survey is not None and self.survey.respondent == "host_tutor"

    @property
    def written_by(self) -> str:
        if self.host_tutor_wrote_it:
            name = self.survey.internship.host_tutor_name or "Le tuteur ou la tutrice"
            return f"{name} (tuteur·rice dans l’organisme, stage {de(self.author.full_name)})"
        return self.author.full_name


keep_search_text(GoodPractice, lambda p: (p.title, p.context, p.description))


class HostProposal(ModeratedMixin, db.Model):
    __tablename__ = "host_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80), default="France")
    why: Mapped[str] = mapped_column(Text)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("hosts.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class CountryTip(ModeratedMixin, db.Model):
    """A tip for next year's students in a country (to do, not to do, places, housing,
    paperwork) or an offer to keep contact: the country guides of ``app.abroad``, published
    once moderated, like feedback."""

    __tablename__ = "country_tips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    internship_id: Mapped[int | None] = mapped_column(
        ForeignKey("internships.id", ondelete="SET NULL"))
    country: Mapped[str] = mapped_column(String(80), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(300))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class Debrief(db.Model):
    """A private page: what did not work, three lessons, the sentence for an interview."""

    __tablename__ = "debriefs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(ForeignKey("internships.id"), unique=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    my_side: Mapped[str | None] = mapped_column(Text)
    host_side: Mapped[str | None] = mapped_column(Text)
    lesson_1: Mapped[str | None] = mapped_column(Text)
    lesson_2: Mapped[str | None] = mapped_column(Text)
    lesson_3: Mapped[str | None] = mapped_column(Text)
    interview_sentence: Mapped[str | None] = mapped_column(Text)
    shared_with_tutor: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    internship: Mapped[Internship] = relationship()
