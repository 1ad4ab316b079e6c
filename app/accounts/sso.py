"""Accounts from the university: the CAS single sign-on's sessions and the accounts the
directory describes (shared by the CAS login and the LDAP sync).

No request here: the views give the uid, the attributes and the ticket.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.accounts.models import CasSession, User, utcnow
from app.accounts.services import hash_password, normalize_email
from app.errors import DomainError
from app.extensions import db
from app.rules.directory import (
    DirectoryEntryError,
    DirectoryMapping,
    Person,
    person_from_attributes,
)

NO_ACCESS = _l("Votre compte de l’université ne donne pas accès à l’intranet des stages du "
               "département. Si vous pensez que c’est une erreur, écrivez au secrétariat.")


def mapping() -> DirectoryMapping:
    return DirectoryMapping.from_config(current_app.config)


def find_account(person: Person) -> User | None:
    """The account of ``person``: by university login first, then by email (an account made
    before single sign-on, which then gets the uid)."""
    user = db.session.execute(select(User).where(User.uid == person.uid)).scalar_one_or_none()
    if user is None:
        user = db.session.execute(
            select(User).where(User.email == normalize_email(person.email),
                               User.uid.is_(None))).scalar_one_or_none()
    return user


def apply_person(user: User, person: Person) -> bool:
    """Copy the directory's facts to ``user``; True when something changed. An admin stays
    admin (the role is the department's, not the directory's, for them)."""
    values = {"uid": person.uid, "email": person.email, "first_name": person.first_name[:80],
              "last_name": person.last_name[:80]}
    if user.role != "admin":
        values["role"] = person.role
        values["cohort"] = person.cohort if person.role == "student" else None
        values["group_name"] = person.group_name if person.role == "student" else None
    changed = False
    for key, value in values.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    return changed


def new_account(person: Person) -> User:
    """An account for ``person`` with no usable password (they log in through the CAS)."""
    user = User(uid=person.uid, email=person.email, first_name=person.first_name[:80],
                last_name=person.last_name[:80], role=person.role,
                cohort=person.cohort if person.role == "student" else None,
                group_name=person.group_name if person.role == "student" else None,
                password_hash=hash_password(secrets.token_urlsafe(24)),
                must_change_password=False)
    db.session.add(user)
    return user


def account_from_cas(uid: str, attributes: Mapping) -> User:
    """The account of the person the CAS just authenticated, created or brought up to date
    from the attributes; DomainError when the directory gives them no access here."""
    attrs = dict(attributes or {})
    attrs.setdefault(mapping().uid, [uid])
    try:
        person = person_from_attributes(attrs, mapping())
    except DirectoryEntryError:
        raise DomainError(NO_ACCESS) from None
    if person.uid != uid:
        raise DomainError(NO_ACCESS)
    user = find_account(person)
    if user is not None and user.role == "admin":
        pass  # an admin keeps their role whatever the directory says
    elif person.role is None:
        raise DomainError(NO_ACCESS)
    if user is None:
        user = new_account(person)
    else:
        if not user.active:
            raise DomainError(_("Votre compte est désactivé. Écrivez au secrétariat du "
                                "département."))
        apply_person(user, person)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def ticket_known(ticket: str) -> bool:
    return db.session.get(CasSession, ticket) is not None


def record_ticket(ticket: str, user: User) -> None:
    db.session.add(CasSession(ticket=ticket, user_id=user.id))
    db.session.commit()


def forget_ticket(ticket: str) -> bool:
    """End the session opened with ``ticket`` (single logout); True when it was one of ours."""
    done = db.session.execute(delete(CasSession).where(CasSession.ticket == ticket)).rowcount
    db.session.commit()
    return bool(done)
