"""The student's budget for their internship: expected costs entered by the student; the
income is computed (gratification, grants). Private to the student unless shared with the
tutor."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import utcnow
from app.extensions import db
from app.internships.models import Internship


class BudgetPlan(db.Model):
    __tablename__ = "budget_plans"

    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True)
    shared_with_tutor: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    internship: Mapped[Internship] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="BudgetLine.id")


class BudgetLine(db.Model):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("budget_plans.internship_id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    timing: Mapped[str] = mapped_column(String(10))  # "monthly", "before" or "YYYY-MM"

    plan: Mapped[BudgetPlan] = relationship(back_populates="lines")
