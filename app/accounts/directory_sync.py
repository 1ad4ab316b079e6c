"""The LDAP directory sync (`flask --app wsgi sync-directory [--dry-run]`): read the people,
create and update their accounts, deactivate those who left; report every change.

Reading an entry is app.rules.directory's (shared with the CAS login); the accounts' writes
are app.accounts.sso's. Local accounts (no uid: demo, break-glass) and admins are never
deactivated by the sync.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import sso
from app.accounts.models import User
from app.accounts.services import _next_generation
from app.errors import DomainError
from app.extensions import db
from app.rules.directory import DirectoryEntryError, person_from_attributes


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (dn, reason)
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = [f"Créés : {len(self.created)}", *(f"  + {x}" for x in self.created),
               f"Mis à jour : {len(self.updated)}", *(f"  ~ {x}" for x in self.updated),
               f"Désactivés : {len(self.deactivated)}", *(f"  - {x}" for x in self.deactivated),
               f"Erreurs : {len(self.errors)}", *(f"  ! {dn} : {why}" for dn, why in self.errors)]
        if self.dry_run:
            out.append("Simulation : rien n’a été écrit.")
        return out


def read_ldap(config: Mapping) -> list[tuple[str, dict]]:
    """The entries (dn, attributes) under LDAP_BASE_DN that match LDAP_FILTER."""
    import ldap3

    mapping = sso.mapping()
    attributes = [mapping.uid, mapping.email, mapping.first_name, mapping.last_name,
                  mapping.affiliation, mapping.step, mapping.group]
    server = ldap3.Server(config["LDAP_URL"], connect_timeout=10)
    conn = ldap3.Connection(server, user=config.get("LDAP_BIND_DN") or None,
                            password=config.get("LDAP_BIND_PASSWORD") or None,
                            auto_bind=True, receive_timeout=30, read_only=True)
    try:
        entries = conn.extend.standard.paged_search(
            config["LDAP_BASE_DN"], config["LDAP_FILTER"], attributes=attributes,
            paged_size=500, generator=True)
        return [(e["dn"], dict(e["attributes"])) for e in entries
                if e.get("type") == "searchResEntry"]
    finally:
        conn.unbind()


def sync_entries(entries: Iterable[tuple[str, Mapping]], dry_run: bool = False) -> SyncReport:
    report = SyncReport(dry_run=dry_run)
    mapping = sso.mapping()
    seen: set[str] = set()
    for dn, attrs in entries:
        try:
            person = person_from_attributes(attrs, mapping)
        except DirectoryEntryError as err:
            report.errors.append((dn, f"il manque : {err}"))
            uid = attrs.get(mapping.uid)
            if uid:  # a broken entry does not make its owner leave
                seen.add(uid[0] if isinstance(uid, list) else uid)
            continue
        if person.role is None:
            continue  # not of the department: deactivated below if they had an account
        seen.add(person.uid)
        user = sso.find_account(person)
        label = f"{person.uid} ({person.first_name} {person.last_name}, {person.role}"
        label += f" {person.cohort})" if person.cohort else ")"
        if user is None:
            other = db.session.execute(select(User.uid).where(
                User.email == person.email)).scalar_one_or_none()
            if other is not None:
                report.errors.append((dn, (f"l’adresse {person.email} est celle du compte "
                                          f"{other}")))
                continue
            sso.new_account(person)
            report.created.append(label)
        else:
            reactivated = not user.active and user.role != "admin"
            if reactivated:
                user.active = True
            if sso.apply_person(user, person) or reactivated:
                report.updated.append(label)
        db.session.flush()
    leaving = db.session.execute(select(User).where(
        User.uid.is_not(None), User.active.is_(True), User.role != "admin")).scalars().all()
    if not seen and leaving:
        db.session.rollback()
        raise DomainError(_("L’annuaire n’a rendu personne du département : rien n’est désactivé "
                            "(vérifiez LDAP_BASE_DN et LDAP_FILTER)."))
    for user in leaving:
        if user.uid not in seen:
            user.active = False
            _next_generation(user)  # their sessions end at their next request
            report.deactivated.append(f"{user.uid} ({user.full_name})")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def sync_directory(dry_run: bool = False) -> SyncReport:
    return sync_entries(read_ldap(current_app.config), dry_run=dry_run)
