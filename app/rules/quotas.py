"""Legal quotas of interns (Code de l'éducation R124-10, R124-13). Pure functions."""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

SMALL_HOST_STAFF = 20   # below this headcount, a fixed ceiling applies
SMALL_HOST_QUOTA = 3
LARGE_HOST_SHARE = 15   # per cent of the staff, rounded up
TUTOR_MAX_CONVENTIONS = 3


def host_quota(headcount: int) -> int:
    """Interns a host may have at once: 3 under 20 staff, else 15 % of the staff rounded up."""
    if headcount < SMALL_HOST_STAFF:
        return SMALL_HOST_QUOTA
    return math.ceil(headcount * LARGE_HOST_SHARE / 100)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(start: date, end: date) -> list[date]:
    """The Mondays of every calendar week touched by [start, end]."""
    monday, last = week_start(start), week_start(end)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def weeks_over_quota(start: date, end: date, others: Iterable[tuple[date, date]],
                     quota: int) -> list[date]:
    """Weeks of [start, end] where the other interns plus this one exceed ``quota``."""
    others = list(others)
    over = []
    for monday in weeks_between(start, end):
        sunday = monday + timedelta(days=6)
        present = sum(1 for s, e in others if s <= sunday and monday <= e)
        if present + 1 > quota:
            over.append(monday)
    return over


def overlap(start: date, end: date, other_start: date, other_end: date) -> bool:
    """Do the periods [start, end] and [other_start, other_end] share a day?"""
    return other_start <= end and start <= other_end


def waiting_period_end(start: date, end: date) -> date:
    """First day a new intern may start on the same post after an internship [start, end]
    (L124-11): one third of its length, in days rounded up, must pass after its last day."""
    length = (end - start).days + 1
    return end + timedelta(days=math.ceil(length / 3) + 1)


def tutor_can_take_another(conventions_in_progress: int) -> bool:
    """A host tutor named in 3 conventions in progress cannot tutor a new intern."""
    return conventions_in_progress < TUTOR_MAX_CONVENTIONS
