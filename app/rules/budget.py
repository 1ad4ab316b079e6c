"""The student's budget for the internship, month by month (pure: no Flask import).

Income: the gratification of each month as the intranet computes it from the hours of
presence and the agreed terms (the same months and amounts as the internship's page), and
the grants' payments in the month they are due. Costs: what the student expects, once
(travel, insurance: before departure or in a given month) or every month (housing, daily
life). Each month states its income, its costs, its balance and the running balance.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
CATEGORIES = {"travel": "Voyage", "housing": "Logement", "insurance": "Assurances",
              "daily": "Vie quotidienne", "paperwork": "Démarches (visa, passeport…)",
              "other": "Autre"}
EVERY_MONTH = "monthly"
BEFORE = "before"  # the month before the internship starts: departure costs


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_before(day: date) -> date:
    first = month_of(day)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 else \
        first.replace(month=first.month - 1)


def gratification_by_month(months: Sequence, agreed_amount: Decimal | None, agreed_unit: str,
                           due: bool, binding: bool) -> list[tuple[date, Decimal]]:
    """What the host pays each month: the agreed amount per month, or per hour of the month's
    presence; without an agreed amount, the legal minimum where it is due and binds (an
    internship in France), else nothing. ``months``: the computation's month lines (each with
    ``month``, ``hours`` and ``amount``), as the internship's page shows them."""
    out = []
    for line in months:
        if agreed_amount is not None:
            value = Decimal(agreed_amount) * (Decimal(line.hours) if agreed_unit == "hour"
                                              else 1)
        else:
            value = Decimal(line.amount) if due and binding else ZERO
        out.append((line.month, value.quantize(Decimal("0.01"))))
    return out


@dataclass(frozen=True)
class Cost:
    category: str
    label: str
    amount: Decimal
    when: str  # EVERY_MONTH, BEFORE, or a month as "YYYY-MM"


@dataclass
class Month:
    month: date
    before: bool  # the month before departure (no gratification)
    income: list[tuple[str, Decimal]] = field(default_factory=list)
    costs: list[tuple[str, Decimal]] = field(default_factory=list)
    running: Decimal = ZERO

    @property
    def income_total(self) -> Decimal:
        return sum((v for _, v in self.income), ZERO)

    @property
    def costs_total(self) -> Decimal:
        return sum((v for _, v in self.costs), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.income_total - self.costs_total


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def plan(start: date, gratification: Sequence[tuple[date, Decimal]],
         grants: Iterable[tuple[str, date | None, Decimal]], costs: Iterable[Cost]
         ) -> list[Month]:
    """The months from the one before departure to the last of the internship. A grant paid
    before that range counts in its first month, after it in its last; one with no date, in
    the month before departure."""
    internship_months = [m for m, _ in gratification] or [month_of(start)]
    first = month_before(start)
    rows = [Month(first, True)] + [Month(m, False) for m in internship_months]
    by_key = {month_key(r.month): r for r in rows}
    for month, value in gratification:
        if value:
            by_key[month_key(month)].income.append(("Gratification", value))
    for label, due_on, value in grants:
        key = month_key(month_of(due_on)) if due_on else month_key(first)
        if key < month_key(first):
            key = month_key(first)
        elif key > month_key(rows[-1].month):
            key = month_key(rows[-1].month)
        by_key[key].income.append((label, Decimal(value)))
    for cost in costs:
        name = cost.label or CATEGORIES.get(cost.category, cost.category)
        if cost.when == EVERY_MONTH:
            for row in rows[1:]:
                row.costs.append((name, Decimal(cost.amount)))
        else:
            key = month_key(first) if cost.when == BEFORE else cost.when
            (by_key.get(key) or rows[0]).costs.append((name, Decimal(cost.amount)))
    running = ZERO
    for row in rows:
        running += row.balance
        row.running = running
    return rows


def totals(rows: Sequence[Month]) -> tuple[Decimal, Decimal, Decimal]:
    income = sum((r.income_total for r in rows), ZERO)
    costs = sum((r.costs_total for r in rows), ZERO)
    return income, costs, income - costs


def by_category(costs: Iterable[Cost], months: int) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for cost in costs:
        out[cost.category] += Decimal(cost.amount) * (months if cost.when == EVERY_MONTH else 1)
    return dict(out)
