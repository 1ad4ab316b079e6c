"""Calendar of presence: which days an intern is at the host, and how many hours.

Pure functions (no Flask, no database). French public holidays come from the ``holidays``
package; the Alsace-Moselle zone adds Good Friday and December 26 (Code du travail L3134-13).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import holidays

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DEFAULT_DAYS = frozenset(range(5))  # Monday to Friday
ZONES = {"metropole": "Métropole", "alsace-moselle": "Alsace-Moselle"}
_SUBDIV = {"metropole": None, "alsace-moselle": "57"}


class CalendarError(ValueError):
    """Input that cannot describe a calendar; ``field`` names the bad parameter."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def parse_days(text: str | None) -> frozenset[int]:
    """'mon,tue,wed' -> {0, 1, 2}; empty -> Monday to Friday."""
    if text is None or not text.strip():
        return DEFAULT_DAYS
    days = set()
    for code in text.split(","):
        code = code.strip().lower()
        if code not in WEEKDAY_CODES:
            raise CalendarError(f"jour inconnu : « {code} » (mon, tue, wed, thu, fri, sat, sun)",
                                "days")
        days.add(WEEKDAY_CODES.index(code))
    return frozenset(days)


def format_days(days: Iterable[int]) -> str:
    return ",".join(WEEKDAY_CODES[d] for d in sorted(days))


def days_label(days: Iterable[int]) -> str:
    days = sorted(days)
    if days == list(range(5)):
        return "du lundi au vendredi"
    if days == list(range(6)):
        return "du lundi au samedi"
    return ", ".join(WEEKDAY_LABELS[d] for d in days)


@dataclass(frozen=True)
class Schedule:
    """Working weekdays (0 = Monday) and hours per week, spread evenly over those days."""

    days: frozenset[int]
    weekly_hours: Decimal

    def __post_init__(self):
        if not self.days:
            raise CalendarError("choisissez au moins un jour travaillé", "days")
        if self.weekly_hours <= 0:
            raise CalendarError("la durée hebdomadaire doit être positive", "weekly_hours")

    @property
    def hours_per_day(self) -> Decimal:
        return self.weekly_hours / Decimal(len(self.days))


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@lru_cache(maxsize=64)
def _holidays_of_year(year: int, zone: str) -> dict[date, str]:
    table = holidays.country_holidays("FR", subdiv=_SUBDIV[zone], years=[year], language="fr")
    return dict(table.items())


def public_holidays(start: date, end: date, zone: str = "metropole") -> dict[date, str]:
    """French public holidays between ``start`` and ``end`` (inclusive) in the zone."""
    if zone not in ZONES:
        raise CalendarError("zone inconnue (metropole ou alsace-moselle)", "zone")
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_of_year(year, zone).items():
            if start <= day <= end:
                found[day] = name
    return dict(sorted(found.items()))


def presence_days(start: date, end: date, schedule: Schedule, *, zone: str = "metropole",
                  holidays_worked: bool = False,
                  absences: Iterable[Period] = ()) -> list[date]:
    """The working days of the schedule, less holidays not worked and absence periods."""
    if end < start:
        raise CalendarError("la date de fin précède la date de début", "end")
    off = {} if holidays_worked else public_holidays(start, end, zone)
    absences = list(absences)
    days = []
    day = start
    while day <= end:
        if (day.weekday() in schedule.days and day not in off
                and not any(day in a for a in absences)):
            days.append(day)
        day += timedelta(days=1)
    return days


def length_in_weeks(start: date, end: date) -> Decimal:
    """Calendar length, both ends included: Wed 8 April to Tue 30 June is 12 weeks."""
    return Decimal((end - start).days + 1) / Decimal(7)
