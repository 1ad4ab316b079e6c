"""Users and their roles. Students carry their cohort, group and track."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.search import keep_search_text

ROLES = {
    "student": "Étudiant·e",
    "teacher": "Enseignant·e",
    "secretariat": "Secrétariat",
    "admin": "Administrateur·rice",
}
STUDENT, TEACHER, SECRETARIAT, ADMIN = "student", "teacher", "secretariat", "admin"
# the role groups, named once: who manages the department's records, who is staff
MANAGERS = (SECRETARIAT, ADMIN)
STAFF = (TEACHER, SECRETARIAT, ADMIN)
COHORTS = ("BUT1", "BUT2", "BUT3")
TRACKS = {"initial": "Formation initiale", "apprentice": "Alternance"}


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Teachers only: coordinator of internships, and a personal tutee ceiling below the year's
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    tutee_capacity: Mapped[int | None] = mapped_column(Integer)
    # Private token of the user's calendar feed (iCalendar), made on first use
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The university's login (CAS user, LDAP uid): how single sign-on and the directory sync
    # find the account; None for local accounts (demo, break-glass admin).
    uid: Mapped[str | None] = mapped_column(String(64))
    # Students only
    cohort: Mapped[str | None] = mapped_column(String(4))
    group_name: Mapped[str | None] = mapped_column(String(20))
    track: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Sessions carry this number from their login; raising it ends them all (a password
    # change, a deactivation, a logout, « se déconnecter de tous les appareils »)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    search_text: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}
    # People in the order of the lists: a page of the BUT3 follow-up, or of the tutor board,
    # is read from an index and stops after its rows
    __table_args__ = (Index("ix_users_cohort_name", "cohort", "last_name", "first_name", "id"),
                      Index("ix_users_name", "last_name", "first_name", "id"),
                      Index("ux_users_uid", "uid", unique=True))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def track_label(self) -> str:
        return TRACKS.get(self.track or "", "")

    @property
    def is_student(self) -> bool:
        return self.role == "student"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    @property
    def is_manager(self) -> bool:
        """The secretariat or the admin: they manage the department's records."""
        return self.role in MANAGERS

    @property
    def is_teacher(self) -> bool:
        return self.role == TEACHER

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_apprentice(self) -> bool:
        return self.role == "student" and self.track == "apprentice"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


keep_search_text(User, lambda u: (u.first_name, u.last_name, u.email, u.cohort, u.group_name))


class CasSession(db.Model):
    """A session opened by the CAS single sign-on, known by its service ticket: the CAS's
    single logout (a ``logoutRequest`` naming the ticket) deletes the row, and the session
    that carries the ticket is refused from its next request."""
    __tablename__ = "cas_sessions"

    ticket: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
