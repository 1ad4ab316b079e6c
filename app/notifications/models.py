from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import utcnow
from app.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)


PENDING_SQL = "sent_at IS NULL"


class OutboxMail(db.Model):
    """An email to send, written in the transaction of the action that causes it and sent
    after that transaction commits (``app/notifications/outbox.py``). A row is never
    deleted: ``sent_at`` says it left, ``attempts`` and ``last_error`` why it has not yet.

    ``claimed_until`` is the lease of the sender that is sending it: a sender takes a row
    by a conditional UPDATE (unsent, not claimed by another, due), so two senders never send
    the same row; a sender that died mid-way lets its lease expire and another retries.
    The body may hold a bearer link (an evaluation's): it is kept here to be sent, never
    written to the log."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        # The senders' query: the unsent rows that are due; sent rows stay out of the index.
        Index("ix_outbox_pending", "next_attempt_at", sqlite_where=text(PENDING_SQL),
              postgresql_where=text(PENDING_SQL)),
    )
