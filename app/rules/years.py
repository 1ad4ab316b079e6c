"""Which academic year a page opens on. Pure.

The department's year runs from September to August, but its work does not stop on
1 September: the internships end in August, the defences and the evaluations follow in
September. A page that works by year opens on the year whose work on that page is still
open; the page gathers the facts (``YearWork``) and asks ``default_year``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def academic_start_year(day: date) -> int:
    """2026 for any day from 1 September 2026 to 31 August 2027."""
    return day.year if day.month >= 9 else day.year - 1


@dataclass(frozen=True)
class YearWork:
    """What is left to do in one academic year, as one page counts it (a page leaves out
    the facts it does not follow)."""
    start_year: int
    last_internship_end: date | None = None  # the latest end of the internships followed
    last_defense: date | None = None         # the day of the last defence
    undefended: int = 0                      # internships still waiting for their defence
    open_evaluations: int = 0                # evaluations not answered, or not yet opened


def is_open(work: YearWork, today: date) -> bool:
    """Whether ``work`` still has something to do on or after ``today``: an internship not
    over, a defence not held, an internship without its defence, an evaluation not closed."""
    return ((work.last_internship_end is not None and work.last_internship_end >= today)
            or (work.last_defense is not None and work.last_defense >= today)
            or work.undefended > 0 or work.open_evaluations > 0)


def default_year(today: date, previous: YearWork | None,
                 next_internships_start: date | None = None) -> int:
    """The start year a page opens on: the previous academic year while its work is open,
    else the year of ``today``. The previous year gives way, whatever it leaves, once the
    internships of today's year may begin (``next_internships_start``): its leftovers stay
    one choice away in the selector, they never hide a whole new year."""
    running = academic_start_year(today)
    if previous is None or previous.start_year != running - 1:
        return running
    if next_internships_start is not None and today >= next_internships_start:
        return running
    return previous.start_year if is_open(previous, today) else running


def first_defense_day(internship_end: date, gap_days: int) -> date:
    """The first day a student may defend: the internship's end plus the year's gap."""
    return internship_end + timedelta(days=max(0, gap_days))
