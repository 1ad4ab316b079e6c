"""What every transition of a convention does besides changing its status: refuse a stale
page, write the history line, commit the action once, and tell the people concerned (the
host tutor, who has no account, by email)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app import links
from app.accounts.models import User
from app.conventions.models import Convention, ConventionEvent
from app.notifications.services import staff_to_notify
from app.versioning import check_version, commit_versioned


def check_stale(convention: Convention, version: int | None) -> None:
    check_version(convention, version, _("cette convention"))


def move(convention: Convention, actor: User, to_status: str, comment: str | None = None):
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=convention.status,
                                             to_status=to_status, comment=comment))
    convention.status = to_status


def note(convention: Convention, actor: User, comment: str) -> None:
    """A history line that changes no status (approval, avenant)."""
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=convention.status,
                                             to_status=convention.status, comment=comment))


def commit() -> None:
    commit_versioned(_("cette convention"))


def link_to(convention: Convention) -> str:
    return links.path("conventions.show", convention_id=convention.id)


def concerned(convention: Convention, actor: User, staff: bool = True) -> list[User]:
    """The student, the academic tutor and (``staff``) the secretariat, not the actor."""
    people = [convention.internship.student, convention.academic_tutor]
    if staff:
        people += staff_to_notify(actor)
    seen, found = set(), []
    for person in people:
        if person is not None and person.id != actor.id and person.id not in seen:
            seen.add(person.id)
            found.append(person)
    return found


def tell_host_tutor(convention: Convention, subject: str, message: str) -> None:
    """The host tutor has no account: what concerns the convention reaches them by email,
    in the action's transaction (the outbox sends it once it commits)."""
    from app.notifications import mail

    email = convention.internship.host_tutor_email
    if email:
        mail.queue(email, subject, f"Bonjour,\n\n{message}\n\n— Le secrétariat du "
                                   f"{current_app.config['DEPARTMENT_NAME'][:1].lower()}"
                                   f"{current_app.config['DEPARTMENT_NAME'][1:]}\n")
