"""The demo's academic years: a whole department year, told through the project's services.

``seed_years(today)`` writes two academic years around ``today``:

- the previous one, completed: internships from April to August with signed conventions,
  defences held in September (published schedule), the three evaluations answered, the
  gratification paid recorded for some, feedback and good practices published, one debrief
  shared with the tutor;
- the running one, in progress: applications in every status, internships declared,
  conventions in every state (one amended, one cancelled and its student's new internship),
  tutors for most, a few waiting, a draft defence schedule for September.

Every step goes through the service a user's click would call (``create_internship``,
``apply``, ``convention.validate``, ``record_signature``, ``amend``, ``assign``…), so the
data obeys the rules. The services stamp what they write with the real clock: each step
runs inside ``at(moment)``, which then moves the new rows' timestamps to the step's
moment (the history reads January, February… for the past year; the last weeks for the
running one). The past year's notifications are marked read.

Idempotent by year: the previous year's story is told when that year has no internship,
the running year's when none of its internships has a convention.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo.abroad import seed_abroad
from app.demo.previous_year import seed_previous_year
from app.demo.running_year import seed_running_year
from app.demo.steps import DOMAIN, Cast, user_by_email
from app.extensions import db
from app.hosts.models import Host
from app.rules.years import academic_start_year


def _ensure_year(start_year: int):
    """The academic year with the programme's yearly hours (a convention needs them)."""
    from app.years import services as years

    year = db.session.execute(select(years.AcademicYear).where(
        years.AcademicYear.start_year == start_year)).scalar_one_or_none()
    if year is None:
        return years.create_year(years.YearData(start_year=start_year, programme_hours=1800))
    if not year.programme_hours:
        years.update_year(year, years.YearData(
            start_year=year.start_year, earliest_start=year.earliest_start,
            min_weeks=year.min_weeks, max_weeks=year.max_weeks, tutee_limit=year.tutee_limit,
            programme_hours=1800, defense_gap_days=year.defense_gap_days or 0),
            year.version_id)
    return year


def seed_years(today: date, password_hash: str) -> dict[str, int]:
    from app.conventions.models import Convention
    from app.internships.models import Internship
    from app.years import services as years

    years.ensure_default_rates()
    running = academic_start_year(today)
    previous = _ensure_year(running - 1)
    current = _ensure_year(running)
    hosts = list(db.session.execute(
        select(Host).where(Host.country == "France", Host.headcount.is_not(None))
        .order_by(Host.id)).scalars())
    teachers = list(db.session.execute(select(User).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.id)).scalars())
    cast = Cast(user_by_email(f"secretariat@{DOMAIN}"), user_by_email(f"enseignant@{DOMAIN}"),
                teachers, hosts)
    if not cast.coordinator.is_coordinator:
        cast.coordinator.is_coordinator = True
        db.session.commit()
    report = {}
    done = db.session.execute(select(func.count(Internship.id)).where(
        Internship.academic_year_id == previous.id)).scalar_one()
    if not done:
        report["stages de l’an dernier"] = seed_previous_year(cast, previous, today,
                                                                password_hash)
    started = db.session.execute(
        select(func.count(Convention.id)).join(Convention.internship)
        .where(Internship.academic_year_id == current.id)).scalar_one()
    if not started:
        report["conventions de l’année"] = seed_running_year(cast, current, today)
    from app.grants.models import GrantProgramme

    if not db.session.execute(select(GrantProgramme.id).where(
            GrantProgramme.academic_year_id == current.id)).first():
        report["bourses de mobilité"] = seed_abroad(cast, current, today)
    return report

