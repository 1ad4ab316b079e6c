"""In-intranet notifications, with an email copy (queued in the outbox, sent after commit)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from app.accounts.models import User, utcnow
from app.extensions import db
from app.links import external
from app.notifications import mail
from app.notifications.models import Notification


def notify(users: Iterable[User], message: str, link: str | None = None, *,
           email_subject: str | None = None) -> None:
    """Add a notification for each user and, if asked, queue an email to each of them in the
    outbox: all in the caller's transaction (the caller commits; the emails leave after)."""
    users = [u for u in users if u is not None and u.active]
    for user in users:
        db.session.add(Notification(user_id=user.id, message=message[:500], link=link))
    if email_subject:
        email(users, email_subject, message, link)


def email(users: Iterable[User], subject: str, message: str, link: str | None = None) -> None:
    """Queue the same email to each active user, in the caller's transaction."""
    address = external(link)
    for user in users:
        if user is None or not user.active:
            continue
        body = f"Bonjour {user.first_name},\n\n{message}\n"
        if address:
            body += f"\nPour voir le détail : {address}\n"
        body += "\n— L’intranet des stages du département\n"
        mail.queue(user.email, subject, body)


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None))).scalar_one()


def latest(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.execute(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).scalars())


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()


def staff_to_notify(actor: User | None = None) -> list[User]:
    """The secretariat, who hear of new applications and conventions to check; never
    ``actor``, who is not told of their own action."""
    stmt = select(User).where(User.role == "secretariat", User.active.is_(True))
    if actor is not None and actor.id is not None:
        stmt = stmt.where(User.id != actor.id)
    return list(db.session.execute(stmt.order_by(User.id)).scalars())
