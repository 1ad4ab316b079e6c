"""Academic years (the department's internship window) and the gratification rates table."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

NATIONAL_TUTEE_CEILING = 24  # RULES.md §3


class AcademicYear(db.Model):
    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_year: Mapped[int] = mapped_column(Integer, unique=True)  # 2026 for 2026-2027
    label: Mapped[str] = mapped_column(String(9), unique=True)
    earliest_start: Mapped[date] = mapped_column(Date)
    min_weeks: Mapped[int] = mapped_column(Integer, default=12)
    max_weeks: Mapped[int] = mapped_column(Integer, default=16)
    tutee_limit: Mapped[int] = mapped_column(Integer, default=16)
    # The programme's yearly hours, a mention every convention states (D124-4): filled by the
    # secretariat before the year's first convention is validated.
    programme_hours: Mapped[int | None] = mapped_column(Integer)
    # Days between the end of an internship and the earliest day of its defence (0: the
    # defence may be held from the internship's last day on).
    defense_gap_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def first_day(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def __repr__(self) -> str:
        return f"<AcademicYear {self.label}>"


class GratificationRate(db.Model):
    """Hourly legal minimum (15 % of the plafond horaire) by calendar year."""

    __tablename__ = "gratification_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    hourly_rate: Mapped[Decimal] = mapped_column(Numeric(6, 2))
