"""« Un an après »: when the questionnaire about what an internship changed is due (pure).

Twelve months after the end of each internship, the former student and the host tutor are
asked what the internship changed in the team's work. The questionnaire is sent on the
anniversary of the last day, or on the first day the sending job runs after it, but not
later than :data:`SEND_WINDOW_DAYS` after: an internship that ended long before the
intranet asked the question is not disturbed years later.
"""
from __future__ import annotations

from datetime import date, timedelta

SEND_WINDOW_DAYS = 60


def one_year_after(end: date) -> date:
    """The anniversary of ``end``; a 29 February ends on the 28th of the next year."""
    try:
        return end.replace(year=end.year + 1)
    except ValueError:  # 29 February
        return end.replace(year=end.year + 1, day=28)


def is_due(end: date, today: date, window_days: int = SEND_WINDOW_DAYS) -> bool:
    """Whether the questionnaire of an internship that ended on ``end`` is to be sent on
    ``today``: from its anniversary to ``window_days`` days after it."""
    anniversary = one_year_after(end)
    return anniversary <= today <= anniversary + timedelta(days=window_days)


def ended_between(today: date, window_days: int = SEND_WINDOW_DAYS) -> tuple[date, date]:
    """The first and last end dates (inclusive) whose questionnaire is due on ``today``:
    the range to select in the database, consistent with :func:`is_due`."""
    latest = _year_before(today)
    earliest = _year_before(today - timedelta(days=window_days))
    # an end on 29 February has its anniversary on 28 February: include it on that day
    if today.month == 2 and today.day == 28 and _is_leap(today.year - 1):
        latest = date(today.year - 1, 2, 29)
    return earliest, latest


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the year before has no such day
        return day.replace(year=day.year - 1, day=28)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
