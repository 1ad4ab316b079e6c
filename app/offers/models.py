"""Internship offers."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db
from app.hosts.models import HOME_COUNTRY, Host
from app.search import keep_search_text

STATUSES = {
    "draft": "Brouillon",
    "published": "Publiée",
    "closed": "Close",
    "archived": "Archivée",
}
# status -> statuses it may move to
TRANSITIONS = {
    "draft": ("published", "archived"),
    "published": ("closed", "archived"),
    "closed": ("published", "archived"),
    "archived": ("draft",),
}
ACTION_LABELS = {
    ("draft", "published"): "Publier",
    ("closed", "published"): "Republier",
    ("published", "closed"): "Clore",
    ("draft", "archived"): "Archiver",
    ("published", "archived"): "Archiver",
    ("closed", "archived"): "Archiver",
    ("archived", "draft"): "Remettre en brouillon",
}


class Offer(db.Model):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id"), index=True)
    domain: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    missions: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80), default=HOME_COUNTRY, index=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    duration_weeks: Mapped[int | None] = mapped_column(Integer)
    weekly_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    gratification_monthly: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    deadline: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    host: Mapped[Host] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_offers_status_published_at", "status", "published_at", "id"),
    )

    @property
    def is_abroad(self) -> bool:
        return self.country != HOME_COUNTRY

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def deadline_passed(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today

    def next_statuses(self) -> list[tuple[str, str]]:
        return [(s, ACTION_LABELS[(self.status, s)]) for s in TRANSITIONS.get(self.status, ())]


def _domain_label(code: str) -> str:
    from flask import current_app, has_app_context

    if has_app_context():
        return dict(current_app.config["OFFER_DOMAINS"]).get(code, code)
    return code


# The host's name is part of an offer's text (a search for "Archives de Lyon" finds its
# offers from one index); renaming a host refreshes its offers (hosts.services).
keep_search_text(Offer, lambda o: (o.title, o.description, o.missions, o.city, o.country,
                                   _domain_label(o.domain), o.host.name if o.host else None))
