"""Hosts directory: creation, edits (with stale-edit check), contacts and search."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import links
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import HOME_COUNTRY, Host, HostContact
from app.rules.identifiers import normalize_siret, siret_problem
from app.search import matching
from app.versioning import check_version, commit_versioned, versioned


@dataclass
class HostData:
    name: str
    city: str
    country: str = HOME_COUNTRY
    siret: str | None = None
    foreign_id: str | None = None
    address: str | None = None
    sector: str | None = None
    headcount: int | None = None
    website: str | None = None
    description: str | None = None


def _other_hosts(stmt, host_id: int | None):
    """``stmt`` without the host being edited (none on a creation)."""
    return stmt.where(Host.id != host_id) if host_id else stmt


def _check_required(data: HostData) -> None:
    if not (data.name or "").strip():
        raise DomainError(_("Le nom de l’organisme est obligatoire."), "name")
    if not (data.city or "").strip():
        raise DomainError(_("La ville est obligatoire."), "city")


def _check_siret(data: HostData, host_id: int | None) -> None:
    """A valid SIRET no other host has, kept without spaces; an empty one is None."""
    if not data.siret:
        data.siret = None
        return
    problem = siret_problem(data.siret)
    if problem:
        raise DomainError(problem, "siret")
    data.siret = normalize_siret(data.siret)
    other = db.session.execute(_other_hosts(
        select(Host.name).where(Host.siret == data.siret), host_id)).scalar_one_or_none()
    if other:
        raise DomainError(_("Ce SIRET est déjà celui de « %(other)s ».", other=other), "siret")


def _check_foreign_id(data: HostData) -> None:
    """The foreign identifier, spaces tidied, only for a host abroad, 40 characters at most."""
    data.foreign_id = " ".join((data.foreign_id or "").split()) or None
    if not data.foreign_id:
        return
    if (data.country or HOME_COUNTRY).strip() == HOME_COUNTRY:
        raise DomainError(_("En France, l’organisme s’identifie par son SIRET ; l’identifiant "
                            "étranger sert aux organismes situés hors de France."), "foreign_id")
    if len(data.foreign_id) > 40:
        raise DomainError(_("Identifiant étranger : 40 caractères au plus."), "foreign_id")


def _check_same_name(data: HostData, host_id: int | None) -> None:
    """No other host of the same name in the same city (case and spaces aside)."""
    same_name = select(Host.id).where(func.lower(Host.name) == data.name.strip().lower(),
                                      func.lower(Host.city) == data.city.strip().lower())
    if db.session.execute(_other_hosts(same_name, host_id)).first():
        raise DomainError(_("Un organisme de ce nom existe déjà dans cette ville."), "name")


def _check(data: HostData, host_id: int | None = None) -> None:
    """Refuse what a host cannot be (``DomainError`` on its field) and tidy ``data`` in
    place: SIRET without spaces, foreign identifier, website with its scheme."""
    _check_required(data)
    _check_siret(data, host_id)
    _check_foreign_id(data)
    if data.headcount is not None and data.headcount < 0:
        raise DomainError(_("L’effectif ne peut pas être négatif."), "headcount")
    if data.website and not data.website.startswith(("http://", "https://")):
        data.website = "https://" + data.website
    _check_same_name(data, host_id)


def _apply(host: Host, data: HostData) -> None:
    host.name = data.name.strip()
    host.city = data.city.strip()
    host.country = (data.country or HOME_COUNTRY).strip() or HOME_COUNTRY
    host.siret = data.siret
    host.foreign_id = data.foreign_id
    host.address = (data.address or "").strip() or None
    host.sector = (data.sector or "").strip() or None
    host.headcount = data.headcount
    host.website = (data.website or "").strip() or None
    host.description = (data.description or "").strip() or None


def create_host(data: HostData, *, commit: bool = True) -> Host:
    """``commit=False``: the host is one part of a larger action (a published proposal),
    written with it in its transaction; the caller commits."""
    _check(data)
    host = Host()
    _apply(host, data)
    db.session.add(host)
    _write(commit)
    return host


def propose_host(data: HostData, student) -> Host:
    """A host a student did not find in the directory, proposed from their internship form:
    created unchecked in the caller's transaction (the internship is written with it, or
    neither is); the same name in the same city is the existing host."""
    name, city = (data.name or "").strip(), (data.city or "").strip()
    if name and city:
        same = db.session.execute(select(Host).where(
            func.lower(Host.name) == name.lower(), func.lower(Host.city) == city.lower())
        ).scalars().first()
        if same is not None:
            return same
    _check(data)
    host = Host(checked=False, proposed_by_id=student.id)
    _apply(host, data)
    db.session.add(host)
    _write(commit=False)
    from app.notifications.services import notify, staff_to_notify

    notify(staff_to_notify(student), f"Organisme proposé par {student.full_name} depuis sa "
                                     f"fiche de stage : {host.name} ({host.city}), à vérifier.",
           links.path("hosts.show", host_id=host.id))
    return host


def mark_checked(host: Host, actor) -> None:
    if not actor.is_manager:
        raise DomainError(_("Seul le secrétariat vérifie un organisme."))
    host.checked = True
    commit_versioned(_("cet organisme"))


def _write(commit: bool = True) -> None:
    """Flush (and commit): the SIRET's uniqueness is the database's, so a host saved with
    the same SIRET at the same instant by someone else is refused with a message, not a
    crash."""
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        if "siret" not in str(err.orig).lower():
            raise
        raise DomainError(_("Ce SIRET vient d’être enregistré pour un autre organisme."),
                            "siret") from None
    if commit:
        db.session.commit()


def update_host(host: Host, data: HostData, version: int | None) -> Host:
    check_version(host, version, _("cet organisme"))
    _check(data, host.id)
    renamed = data.name.strip() != host.name
    _apply(host, data)
    if renamed:  # its offers, their applications and its internships are found by its name
        from app.internships.models import Internship
        from app.offers.models import Offer
        from app.offers.services import refresh_applications
        from app.search import refresh_search_text

        for model in (Offer, Internship):
            for record in db.session.execute(
                    select(model).where(model.host_id == host.id)).scalars():
                refresh_search_text(record)
                if model is Offer:
                    refresh_applications(record)
    with versioned(_("cet organisme")):
        _write()
    return host


def add_contact(host: Host, name: str, position: str | None, email: str | None,
                phone: str | None) -> HostContact:
    if not (name or "").strip():
        raise DomainError(_("Le nom du contact est obligatoire."), "name")
    if not (email or phone):
        raise DomainError(_("Indiquez au moins une adresse électronique ou un téléphone."), "email")
    contact = HostContact(host=host, name=name.strip(), position=(position or "").strip() or None,
                          email=(email or "").strip().lower() or None,
                          phone=(phone or "").strip() or None)
    db.session.add(contact)
    db.session.commit()
    return contact


def remove_contact(host: Host, contact_id: int) -> None:
    contact = db.session.get(HostContact, contact_id)
    if contact is None or contact.host_id != host.id:
        raise DomainError(_("Ce contact n’existe plus."))
    db.session.delete(contact)
    db.session.commit()


def hosts_query(q: str | None = None, country: str | None = None):
    stmt = select(Host)
    clause = matching(q, Host.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    if country == "france":
        stmt = stmt.where(Host.country == HOME_COUNTRY)
    elif country == "abroad":
        stmt = stmt.where(Host.country != HOME_COUNTRY)
    return stmt.order_by(Host.name, Host.id)


def host_choices(*selected: int | None, q: str | None = None) -> list[tuple[int, str]]:
    """Hosts for a picker, by name: the ``selected`` ones first, then the directory's first
    ``PICKER_LIMIT`` (a department's whole directory), or those found by ``q``."""
    from app.pickers import picker_rows

    return picker_rows(select(Host.id, Host.name, Host.city).order_by(Host.name, Host.id),
                       Host.id, lambda r: f"{r.name} ({r.city})", list(selected),
                       matching(q, Host.search_text))
