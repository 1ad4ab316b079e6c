"""Host organisations that take interns, and their contacts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import utcnow
from app.extensions import db
from app.search import keep_search_text

HOME_COUNTRY = "France"


class Host(db.Model):
    __tablename__ = "hosts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    # A host abroad: its identifier in its country's register (VAT, company number…)
    foreign_id: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80), default=HOME_COUNTRY, index=True)
    sector: Mapped[str | None] = mapped_column(String(120))
    headcount: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    # Proposed by a student from their internship form: the secretariat checks it (its
    # identity, headcount) before the internship's convention can be validated.
    checked: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # the proposing student's id, kept plain: a foreign key added later would make SQLite
    # rebuild the table, and with it drop the search's full-text triggers
    proposed_by_id: Mapped[int | None] = mapped_column(Integer)

    contacts: Mapped[list[HostContact]] = relationship(
        back_populates="host", cascade="all, delete-orphan", order_by="HostContact.name"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_abroad(self) -> bool:
        return self.country != HOME_COUNTRY

    def __repr__(self) -> str:
        return f"<Host {self.name}>"


class HostContact(db.Model):
    __tablename__ = "host_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("hosts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))

    host: Mapped[Host] = relationship(back_populates="contacts")


keep_search_text(Host, lambda h: (h.name, h.city, h.country, h.sector, h.siret))
