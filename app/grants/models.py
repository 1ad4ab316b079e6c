"""Mobility grants (bourses de stage): each year's programmes with their amounts per group of
countries and their deadline, the students' applications from their internship abroad, the
secretariat's decision and the payment schedule."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db
from app.internships.models import Internship
from app.rules.grants import Rate, parse_countries
from app.years.models import AcademicYear

FUNDERS = {"erasmus": "Erasmus+ (stage)", "region": "Région", "university": "Université",
           "other": "Autre"}
STATUSES = {"submitted": "Demandée", "granted": "Accordée", "refused": "Refusée",
            "withdrawn": "Retirée"}
BADGES = {"submitted": "draft", "granted": "published", "refused": "closed",
          "withdrawn": "archived"}  # the project's badge colours


class GrantProgramme(db.Model):
    __tablename__ = "grant_programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    funder: Mapped[str] = mapped_column(String(20), default="other")
    deadline: Mapped[date] = mapped_column(Date)
    max_months: Mapped[int | None] = mapped_column(Integer)
    first_part_percent: Mapped[int] = mapped_column(Integer, default=70)
    description: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    academic_year: Mapped[AcademicYear] = relationship()
    rates: Mapped[list[GrantRate]] = relationship(
        back_populates="programme", cascade="all, delete-orphan",
        order_by="GrantRate.position")

    __table_args__ = (UniqueConstraint("academic_year_id", "name",
                                       name="uq_grant_programmes_name"),)
    __mapper_args__ = {"version_id_col": version_id}

    @property
    def funder_label(self) -> str:
        return FUNDERS.get(self.funder, self.funder)

    def rule_rates(self) -> list[Rate]:
        return [Rate(r.group_name, parse_countries(r.countries), Decimal(r.monthly_amount))
                for r in self.rates]


class GrantRate(db.Model):
    __tablename__ = "grant_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("grant_programmes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    group_name: Mapped[str] = mapped_column(String(80))
    countries: Mapped[str] = mapped_column(Text, default="*")  # comma-separated, « * »: all
    monthly_amount: Mapped[Decimal] = mapped_column(Numeric(8, 2))

    programme: Mapped[GrantProgramme] = relationship(back_populates="rates")


class GrantApplication(db.Model):
    __tablename__ = "grant_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    internship_id: Mapped[int] = mapped_column(
        ForeignKey("internships.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grant_programmes.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    motivation: Mapped[str | None] = mapped_column(Text)
    requested_amount: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    internship: Mapped[Internship] = relationship()
    programme: Mapped[GrantProgramme] = relationship()
    decided_by: Mapped[User | None] = relationship()
    payments: Mapped[list[GrantPayment]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="GrantPayment.position")

    # one application per internship and programme, whatever the number of clicks
    __table_args__ = (UniqueConstraint("internship_id", "programme_id",
                                       name="uq_grant_applications_once"),)
    __mapper_args__ = {"version_id_col": version_id}

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def badge(self) -> str:
        return BADGES.get(self.status, "draft")

    @property
    def paid_total(self) -> Decimal:
        return sum((Decimal(p.amount) for p in self.payments if p.paid_on), Decimal("0.00"))


class GrantPayment(db.Model):
    __tablename__ = "grant_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    paid_on: Mapped[date | None] = mapped_column(Date)

    application: Mapped[GrantApplication] = relationship(back_populates="payments")
