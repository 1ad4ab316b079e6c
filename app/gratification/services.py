"""The gratification simulator and its JSON twin: parse parameters, compute, serialise."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.rules.calendar import ZONES, CalendarError, Schedule, parse_days
from app.rules.gratification import Result, compute
from app.years import services as years

MAX_SPAN_DAYS = 366 * 2
# Dates the calendar computes with (months and holidays around a period stay within Python's
# dates): an internship takes place between these years
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class Simulation:
    start: date
    end: date
    schedule: Schedule
    rate: Decimal
    zone: str
    holidays_worked: bool


def _date(args, name: str, label: str) -> date:
    raw = (args.get(name) or "").strip()
    if not raw:
        raise ParameterError(name, f"La {label} est obligatoire (format AAAA-MM-JJ).")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(
            name, f"« {raw[:20]} » n’est pas une date valide (AAAA-MM-JJ).") from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ParameterError(name, f"La {label} doit être comprise entre "
                                   f"{FIRST_DATE.year} et {LAST_DATE.year}.")
    return value


def _decimal(args, name: str) -> Decimal | None:
    raw = (args.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ParameterError(name, f"« {raw[:20]} » n’est pas un nombre.") from None
    if not value.is_finite():
        raise ParameterError(name, f"« {raw[:20]} » n’est pas un nombre.")
    return value


def parse(args, today: date) -> Simulation:
    """Read start, end, weekly_hours, days, rate, zone, holidays_worked from a mapping."""
    start = _date(args, "start", "date de début")
    end = _date(args, "end", "date de fin")
    if end < start:
        raise ParameterError("end", "La date de fin précède la date de début.")
    if (end - start).days > MAX_SPAN_DAYS:
        raise ParameterError("end", "La période ne peut pas dépasser deux ans.")
    hours = _decimal(args, "weekly_hours")
    if hours is None:
        raise ParameterError("weekly_hours", "La durée hebdomadaire est obligatoire.")
    if not Decimal(0) < hours <= Decimal(48):
        raise ParameterError("weekly_hours",
                             "La durée hebdomadaire doit être comprise entre 0 et 48 heures.")
    days_list = args.getlist("days") if hasattr(args, "getlist") else [args.get("days", "")]
    days_text = ",".join(d for d in days_list if d)
    try:
        schedule = Schedule(parse_days(days_text), hours)
    except CalendarError as err:
        raise ParameterError("days", err.message[0].upper() + err.message[1:] + ".") from None
    rate = _decimal(args, "rate")
    if rate is None:
        rate = years.rate_on(today)
    elif not Decimal(0) < rate < Decimal(100):
        raise ParameterError("rate", "Le taux horaire doit être compris entre 0 et 100 €.")
    zone = (args.get("zone") or "metropole").strip()
    if zone not in ZONES:
        raise ParameterError("zone", "Zone inconnue : metropole ou alsace-moselle.")
    worked = (args.get("holidays_worked") or "0").strip().lower()
    if worked not in ("0", "1", "true", "false", "on", "y", "yes", "oui", "non", ""):
        raise ParameterError("holidays_worked", "holidays_worked vaut 0 ou 1.")
    return Simulation(start=start, end=end, schedule=schedule, rate=rate, zone=zone,
                      holidays_worked=worked in ("1", "true", "on", "y", "yes", "oui"))


def run(sim: Simulation) -> Result:
    return compute(sim.start, sim.end, sim.schedule, sim.rate, zone=sim.zone,
                   holidays_worked=sim.holidays_worked)


def _hours(value: Decimal) -> float | int:
    """Hours in JSON: an int when whole, else a number with two decimals."""
    q = value.quantize(Decimal("0.01"))
    return int(q) if q == q.to_integral_value() else float(q)


def as_json(result: Result) -> dict:
    return {
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "days": result.days,
        "hours": _hours(result.hours),
        "due": result.due,
        "threshold_date": result.threshold_date.isoformat() if result.threshold_date else None,
        "hourly_rate": f"{result.hourly_rate:.2f}",
        "total": f"{result.total:.2f}",
        "smoothed_monthly": f"{result.smoothed_monthly:.2f}",
        "months": [
            {"month": m.key, "days": m.days, "hours": _hours(m.hours), "amount": f"{m.amount:.2f}"}
            for m in result.months
        ],
        "holidays": [{"date": d.isoformat(), "name": n} for d, n in result.holidays_off.items()],
    }
