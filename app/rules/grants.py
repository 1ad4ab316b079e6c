"""Mobility grants (bourses de stage): the amount of a grant for the dates of an internship and
its payment in parts (pure: no Flask import).

A programme states a monthly amount per group of host countries (Erasmus+ groups its
countries by cost of living; a region or the university often has one amount for every
country). The amount of a stay is the monthly amount for each whole month from the first day,
and for the days left a thirtieth of it per day — the way Erasmus+ counts a traineeship —
capped at the programme's number of months. It is paid in parts, usually a first part before
departure and the rest after the report: the parts always add up to the amount, to the cent.
"""
from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ALL_COUNTRIES = "*"


@dataclass(frozen=True)
class Rate:
    group: str  # « Groupe 1 », « Tous pays »
    countries: tuple[str, ...]  # country names as the intranet writes them, or ("*",)
    monthly: Decimal


def _norm(country: str) -> str:
    return " ".join(country.split()).casefold()


def parse_countries(text: str) -> tuple[str, ...]:
    """« Danemark, Finlande ; Irlande » -> ("Danemark", "Finlande", "Irlande"); empty or « * »:
    every country."""
    names = [" ".join(part.split()) for part in (text or "").replace(";", ",").split(",")]
    names = [n for n in names if n]
    return (ALL_COUNTRIES,) if not names or names == [ALL_COUNTRIES] else tuple(names)


def rate_for(country: str, rates: Iterable[Rate]) -> Rate | None:
    """The rate of ``country``: the group that names it, else a group of every country."""
    wanted, fallback = _norm(country), None
    for rate in rates:
        if ALL_COUNTRIES in rate.countries:
            fallback = fallback or rate
        elif wanted in {_norm(c) for c in rate.countries}:
            return rate
    return fallback


def _month_end(start: date, months: int) -> date:
    """The last day of the ``months``-th month from ``start``: the day before the same day
    ``months`` later (8 April -> 7 May), or the last day of that month when it has no such day
    (31 January -> 28 February)."""
    if months == 0:
        return start - timedelta(days=1)
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    last = monthrange(year, month)[1]
    return date(year, month, last) if start.day > last else \
        date(year, month, start.day) - timedelta(days=1)


def stay_length(start: date, end: date) -> tuple[int, int]:
    """(whole months, days left) from ``start`` to ``end`` inclusive: 8 April – 7 July is
    three months; 8 April – 30 June is two months and 23 days."""
    if end < start:
        return 0, 0
    months = 0
    while _month_end(start, months + 1) <= end:
        months += 1
    return months, (end - _month_end(start, months)).days


def amount(monthly: Decimal, start: date, end: date, max_months: int | None = None) -> Decimal:
    """The grant for the stay, to the cent: ``monthly`` per whole month and a thirtieth of it
    per day left, at most ``max_months`` months."""
    months, days = stay_length(start, end)
    if max_months is not None and months >= max_months:
        months, days = max_months, 0
    total = Decimal(monthly) * months + Decimal(monthly) * days / 30
    return total.quantize(CENT, ROUND_HALF_UP)


def split(total: Decimal, first_percent: int) -> tuple[Decimal, Decimal]:
    """The first part (``first_percent`` % of ``total``, to the cent) and the rest: together
    exactly ``total``."""
    total = Decimal(total).quantize(CENT)
    first = (total * first_percent / 100).quantize(CENT, ROUND_HALF_UP)
    return first, total - first


def parts_add_up(total: Decimal, parts: Sequence[Decimal]) -> bool:
    return sum((Decimal(p).quantize(CENT) for p in parts), Decimal("0.00")) == \
        Decimal(total).quantize(CENT)
