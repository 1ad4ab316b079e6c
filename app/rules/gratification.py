"""Legal gratification of an intern (Code de l'éducation L124-6, D124-6, D124-8).

Due when presence at the same host exceeds 2 months, i.e. 44 days of 7 hours = 308 hours;
once due it is owed from the first hour. Minimum per hour: 15 % of the plafond horaire de la
sécurité sociale, a rate kept as a table by calendar year (a setting, not a constant here).
Every amount is a Decimal, rounded half-up to the cent only when a final amount is produced.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.rules.calendar import Period, Schedule, presence_days
from app.rules.formatting import money_text

THRESHOLD_HOURS = Decimal(308)  # 44 days x 7 hours (D124-6)
CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_for(day: date, rates: dict[int, Decimal]) -> Decimal | None:
    """The hourly minimum in force on ``day``: that calendar year's, else the latest before."""
    years = [y for y in rates if y <= day.year]
    if not years:
        return None
    return rates[max(years)]


@dataclass
class MonthLine:
    month: date  # first day of the month
    days: int
    hours: Decimal
    amount: Decimal

    @property
    def key(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"


@dataclass
class Agreement:
    """The gratification the host agreed to: an amount per hour or per month."""

    amount: Decimal
    unit: str  # "hour" or "month"


@dataclass
class Comparison:
    ok: bool
    agreed_label: str
    legal_label: str
    agreed_value: Decimal
    legal_value: Decimal
    excess_total: Decimal  # part above the minimum, subject to social contributions
    required: bool = True  # False: 308 hours or less, no minimum applies

    @property
    def message(self) -> str:
        if not self.required:
            return (f"La gratification convenue ({self.agreed_label}) est facultative : aucun "
                    "minimum légal ne s’applique à une présence de 308 heures ou moins.")
        if self.ok:
            return (f"La gratification convenue ({self.agreed_label}) atteint le minimum légal "
                    f"({self.legal_label}).")
        return (f"La gratification convenue ({self.agreed_label}) est inférieure au minimum "
                f"légal ({self.legal_label}).")


@dataclass
class Result:
    start: date
    end: date
    days: int
    hours: Decimal
    due: bool
    threshold_date: date | None
    hourly_rate: Decimal
    total: Decimal
    smoothed_monthly: Decimal
    months: list[MonthLine] = field(default_factory=list)
    holidays_off: dict[date, str] = field(default_factory=dict)
    comparison: Comparison | None = None
    # Presence at the same host in the same academic year from the student's other
    # internships, counted for the 308-hour threshold (L124-6, « consécutifs ou non »)
    other_hours: Decimal = Decimal(0)

    @property
    def legal_total(self) -> Decimal:
        """The minimum owed: the total if due, else nothing."""
        return self.total if self.due else Decimal("0.00")


def compute(start: date, end: date, schedule: Schedule, hourly_rate: Decimal, *,
            zone: str = "metropole", holidays_worked: bool = False,
            absences: Iterable[Period] = (), agreed: Agreement | None = None,
            other_hours: Decimal = Decimal(0), earlier_hours: Decimal = Decimal(0)) -> Result:
    """The gratification of [start, end]. ``other_hours``: presence at the same host in the
    same academic year from other internships, ``earlier_hours`` the part of it before this
    one: the threshold is crossed on the total, consecutive or not (L124-6)."""
    from app.rules.calendar import public_holidays

    absences = list(absences)
    days = presence_days(start, end, schedule, zone=zone, holidays_worked=holidays_worked,
                         absences=absences)
    per_day = schedule.hours_per_day
    hours = per_day * len(days)
    threshold_date = None
    cumulative = Decimal(earlier_hours)
    months: OrderedDict[date, list[date]] = OrderedDict()
    for day in days:
        cumulative += per_day
        if threshold_date is None and cumulative > THRESHOLD_HOURS:
            threshold_date = day
        months.setdefault(day.replace(day=1), []).append(day)
    lines = [
        MonthLine(month=m, days=len(ds), hours=per_day * len(ds),
                  amount=to_cents(per_day * len(ds) * hourly_rate))
        for m, ds in months.items()
    ]
    total = to_cents(hours * hourly_rate)
    smoothed = to_cents(total / len(lines)) if lines else Decimal("0.00")
    result = Result(
        start=start, end=end, days=len(days), hours=hours,
        due=hours + other_hours > THRESHOLD_HOURS, other_hours=Decimal(other_hours),
        threshold_date=threshold_date, hourly_rate=hourly_rate, total=total,
        smoothed_monthly=smoothed, months=lines,
        holidays_off={} if holidays_worked else public_holidays(start, end, zone),
    )
    if agreed is not None:
        result.comparison = compare(result, agreed)
    return result


def compare(result: Result, agreed: Agreement) -> Comparison:
    """Does the agreed gratification reach the legal minimum? Both figures in the message.
    When no gratification is due (308 hours or less), there is no minimum to reach: the
    comparison says the agreed amount is optional, never that it falls short."""
    if agreed.unit == "hour":
        legal, value = result.hourly_rate, agreed.amount
        agreed_total = to_cents(agreed.amount * result.hours)
        agreed_label = f"{money_text(agreed.amount)} de l’heure"
        legal_label = f"{money_text(legal)} de l’heure"
    else:
        months = len(result.months) or 1
        legal, value = result.smoothed_monthly, agreed.amount
        agreed_total = to_cents(agreed.amount * months)
        agreed_label = f"{money_text(agreed.amount)} par mois"
        legal_label = f"{money_text(legal)} par mois, lissé sur {months} mois"
    return Comparison(
        ok=value >= legal or not result.due, agreed_label=agreed_label,
        legal_label=legal_label, agreed_value=value, legal_value=legal,
        excess_total=max(Decimal("0.00"), agreed_total - result.total), required=result.due,
    )
