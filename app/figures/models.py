"""The year's statistics as last computed: read by the statistics page, refreshed when older
than ``FIGURES_MAX_AGE_SECONDS`` (by the page, the worker or ``flask refresh-figures``)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class FiguresSnapshot(db.Model):
    __tablename__ = "figures_snapshots"

    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_years.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    computed_for: Mapped[date] = mapped_column(Date)  # the day the figures are counted on
    payload: Mapped[dict] = mapped_column(JSON)
