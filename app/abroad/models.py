"""Internships abroad: the preparation checklist of an internship, the per-year list of its
mandatory items, the department's advice per country (RULES.md §5)."""
from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import utcnow
from app.extensions import db
from app.files.models import StoredFile


class Preparation(db.Model):
    """What the student has done before leaving; one per internship."""

    __tablename__ = "abroad_preparations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), unique=True)
    erasmus: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    passport_on: Mapped[date | None] = mapped_column(Date)
    insurance_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"))
    liability_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"))
    ariane_on: Mapped[date | None] = mapped_column(Date)
    contact_abroad: Mapped[str | None] = mapped_column(String(300))
    contact_france: Mapped[str | None] = mapped_column(String(300))
    departure_on: Mapped[date | None] = mapped_column(Date)
    return_on: Mapped[date | None] = mapped_column(Date)
    la_student_on: Mapped[date | None] = mapped_column(Date)
    la_school_on: Mapped[date | None] = mapped_column(Date)
    la_host_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    insurance_file: Mapped[StoredFile | None] = relationship(foreign_keys=[insurance_file_id])
    liability_file: Mapped[StoredFile | None] = relationship(foreign_keys=[liability_file_id])

    __mapper_args__: ClassVar[dict] = {"version_id_col": version_id}


class YearSetting(db.Model):
    """Which checklist items are mandatory in an academic year (comma-separated codes)."""

    __tablename__ = "abroad_year_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_years.id", ondelete="CASCADE"), unique=True)
    mandatory: Mapped[str] = mapped_column(String(300), default="")


class CountryAdvice(db.Model):
    """The foreign ministry's advice for a country, as the department keeps it."""

    __tablename__ = "country_advice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    # The country's rule on interns' pay, stated as information in the bilingual convention
    pay_rule: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


