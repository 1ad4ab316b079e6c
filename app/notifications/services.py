"""In-intranet notifications, with an email copy (queued in the outbox, sent after commit)."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_request_context, request
from sqlalchemy import func, select, update

from app.accounts.models import User, utcnow
from app.extensions import db
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
        root = current_app.config.get("PUBLIC_URL") or (
            request.url_root if has_request_context() else "")
        absolute = root.rstrip("/") + link if link and root else None
        for user in users:
            body = f"Bonjour {user.first_name},\n\n{message}\n"
            if absolute:
                body += f"\nPour voir le détail : {absolute}\n"
            body += "\n— L’intranet des stages du département\n"
            mail.queue(user.email, email_subject, body)


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


def staff_to_notify() -> list[User]:
    """Who hears of new applications: the secretariat."""
    return list(db.session.execute(
        select(User).where(User.role == "secretariat", User.active.is_(True))).scalars())
