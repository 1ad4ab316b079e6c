"""The academic year a page works on, for every page that works by year.

The year travels in the address (``?year=2026``, or a form's ``year`` field on a POST), chosen
in the selector of ``templates/_macros/years.html``. Without it, the page opens on the year
whose work on that page is still open (``app.rules.years.default_year``), from the facts the
page's service gathers: never simply the year of today.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import request

from app.rules import years as rules
from app.web.forms import int_or_none
from app.years import services as years
from app.years.models import AcademicYear

# (year, today) -> what is left to do in that year on the page
WorkOf = Callable[[AcademicYear, date], rules.YearWork]


@dataclass
class YearChoice:
    year: AcademicYear            # the year shown
    years: list[AcademicYear]     # the selector's choices, newest first
    default: AcademicYear         # the year the page opens on without a choice
    today: date

    @property
    def args(self) -> dict[str, int]:
        """The year for ``url_for``: links and redirects keep the year shown."""
        return {"year": self.year.start_year}


def selected_year(work: WorkOf | None = None, today: date | None = None) -> YearChoice:
    """The year asked for (``year`` in the query or the form), else the page's default.
    ``work`` gives the page's facts of a year; without it the default is today's year."""
    today = today or date.today()
    running = years.current_year(today)  # created with the department's defaults if new
    all_years = years.all_years()
    by_start = {y.start_year: y for y in all_years}
    default = running
    previous = by_start.get(running.start_year - 1)
    if previous is not None and work is not None:
        chosen = rules.default_year(today, work(previous, today), running.earliest_start)
        default = by_start.get(chosen, running)
    wanted = by_start.get(int_or_none(request.values.get("year")) or 0)
    return YearChoice(wanted or default, all_years, default, today)
