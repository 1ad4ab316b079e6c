"""What every status history shares: who moved a record, when, from which status to which,
with what comment (DESIGN.md, Data). Each domain keeps its own table and labels."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.accounts.models import utcnow


class StatusEventMixin:
    STATUS_LABELS: dict[str, str] = {}
    STATUS_LENGTH = 30

    @declared_attr
    def actor_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def from_status(cls) -> Mapped[str | None]:
        return mapped_column(String(cls.STATUS_LENGTH))

    @declared_attr
    def to_status(cls) -> Mapped[str]:
        return mapped_column(String(cls.STATUS_LENGTH))

    @declared_attr
    def comment(cls) -> Mapped[str | None]:
        return mapped_column(Text)

    @declared_attr
    def created_at(cls) -> Mapped[datetime]:
        return mapped_column(DateTime(timezone=True), default=utcnow)

    @declared_attr
    def actor(cls):
        return relationship("User")

    @property
    def to_label(self) -> str:
        return self.STATUS_LABELS.get(self.to_status, self.to_status)

    @property
    def from_label(self) -> str:
        return self.STATUS_LABELS.get(self.from_status or "", "—")
