"""Each one's published defences: their list, and the private calendar feed (iCalendar) with
its token."""
from __future__ import annotations

import secrets
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User, utcnow
from app.defenses.models import Defense
from app.extensions import db
from app.internships.models import Internship


def mine(user: User) -> list[Defense]:
    stmt = (select(Defense).join(Defense.internship)
            .options(joinedload(Defense.internship).joinedload(Internship.student),
                     joinedload(Defense.internship).joinedload(Internship.host),
                     joinedload(Defense.session), joinedload(Defense.tutor),
                     joinedload(Defense.second_teacher))
            .where(Defense.published.is_(True)).order_by(Defense.starts_at))
    if user.is_student:
        stmt = stmt.where(Internship.student_id == user.id)
    else:
        stmt = stmt.where((Defense.tutor_id == user.id) | (Defense.second_teacher_id == user.id))
    return list(db.session.execute(stmt).unique().scalars())


def calendar_token(user: User) -> str:
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
        db.session.commit()
    return user.calendar_token


def renew_calendar_token(user: User) -> str:
    """A new private address for ``user``'s calendar; the old one is no longer found."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()
    return user.calendar_token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(select(User).where(User.calendar_token == token,
                                                 User.active.is_(True))).scalar_one_or_none()


def ical(user: User) -> bytes:
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    paris = ZoneInfo("Europe/Paris")
    now = utcnow().replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Intranet des stages//soutenances//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Soutenances de stage")
    cal.add("x-wr-timezone", "Europe/Paris")
    for d in mine(user):
        event = Event()
        event.add("uid", f"soutenance-{d.id}@intranet-stages")
        stamp = d.changed_at.replace(microsecond=0) if d.changed_at else now
        if stamp.tzinfo is None:  # SQLite gives back naive UTC
            stamp = stamp.replace(tzinfo=UTC)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", d.sequence or 0)
        event.add("summary", f"Soutenance — {d.internship.student.full_name}")
        event.add("dtstart", d.starts_at.replace(tzinfo=paris))
        event.add("dtend", d.ends_at.replace(tzinfo=paris))
        event.add("location", d.session.room)
        event.add("description", f"Stage : {d.internship.host.name}. Jury : "
                                 f"{d.tutor.full_name}, {d.second_teacher.full_name}.")
        cal.add_component(event)
    cal.add_missing_timezones()  # the VTIMEZONE of Europe/Paris that TZID refers to
    return cal.to_ical()
