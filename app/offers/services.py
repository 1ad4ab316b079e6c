"""Offers catalogue: writes, status changes and the search behind the list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.hosts.models import HOME_COUNTRY, Host
from app.offers.models import STATUSES, TRANSITIONS, Offer
from app.rules.formatting import fr_date
from app.search import matching
from app.versioning import check_version, commit_versioned

MAX_WEEKLY_HOURS = Decimal("48")
MAX_DURATION_WEEKS = 52


def domains() -> dict[str, str]:
    return dict(current_app.config["OFFER_DOMAINS"])


def domain_label(code: str) -> str:
    return domains().get(code, code)


@dataclass
class OfferData:
    title: str
    host_id: int | None
    domain: str
    description: str
    city: str
    country: str = HOME_COUNTRY
    missions: str | None = None
    remote: bool = False
    start_date: date | None = None
    duration_weeks: int | None = None
    weekly_hours: Decimal | None = None
    gratification_monthly: Decimal | None = None
    deadline: date | None = None
    contact_name: str | None = None
    contact_email: str | None = None


def _check(data: OfferData) -> Host:
    if not (data.title or "").strip():
        raise DomainError(_("Le titre est obligatoire."), "title")
    host = db.session.get(Host, data.host_id) if data.host_id else None
    if host is None:
        raise DomainError(_("Choisissez un organisme de l’annuaire."), "host_id")
    if data.domain not in domains():
        raise DomainError(_("Domaine inconnu."), "domain")
    if not (data.description or "").strip():
        raise DomainError(_("La description est obligatoire."), "description")
    if not (data.city or "").strip():
        raise DomainError(_("La ville est obligatoire."), "city")
    if data.duration_weeks is not None and not 1 <= data.duration_weeks <= MAX_DURATION_WEEKS:
        raise DomainError(_("La durée doit être comprise entre 1 et %(duration_weeks)s "
                            "semaines.", duration_weeks=MAX_DURATION_WEEKS),
                            "duration_weeks")
    if data.weekly_hours is not None:
        if data.weekly_hours <= 0:
            raise DomainError(_("La durée hebdomadaire doit être positive."), "weekly_hours")
        if data.weekly_hours > MAX_WEEKLY_HOURS:
            raise DomainError(_("La durée hebdomadaire ne peut pas dépasser 48 heures."),
                                "weekly_hours")
    if data.gratification_monthly is not None and data.gratification_monthly < 0:
        raise DomainError(_("La gratification ne peut pas être négative."), "gratification_monthly")
    if data.start_date and data.deadline and data.deadline > data.start_date:
        raise DomainError(_("La date limite de candidature doit précéder le début du stage."),
                            "deadline")
    return host


def _apply(offer: Offer, data: OfferData, host: Host) -> None:
    offer.title = data.title.strip()
    offer.host = host
    offer.domain = data.domain
    offer.description = data.description.strip()
    offer.missions = (data.missions or "").strip() or None
    offer.city = data.city.strip()
    offer.country = (data.country or "").strip() or HOME_COUNTRY
    offer.remote = bool(data.remote)
    offer.start_date = data.start_date
    offer.duration_weeks = data.duration_weeks
    offer.weekly_hours = data.weekly_hours
    offer.gratification_monthly = data.gratification_monthly
    offer.deadline = data.deadline
    offer.contact_name = (data.contact_name or "").strip() or None
    offer.contact_email = (data.contact_email or "").strip().lower() or None


def create_offer(data: OfferData, author: User) -> Offer:
    host = _check(data)
    offer = Offer(status="draft", created_by=author)
    _apply(offer, data, host)
    db.session.add(offer)
    db.session.commit()
    return offer


def update_offer(offer: Offer, data: OfferData, version: int | None) -> Offer:
    check_version(offer, version, _("cette offre"))
    host = _check(data)
    found_by = (offer.title, offer.host_id)
    _apply(offer, data, host)
    if (offer.title, host.id) != found_by:  # its applications are found by them
        refresh_applications(offer)
    commit_versioned(_("cette offre"))
    return offer


def refresh_applications(offer: Offer) -> None:
    """Recompute the search text of ``offer``'s applications (its title or host changed)."""
    from app.applications.models import Application
    from app.search import refresh_search_text

    for application in db.session.execute(
            select(Application).where(Application.offer_id == offer.id)).scalars():
        refresh_search_text(application)


def publication_warnings(offer: Offer, today: date) -> list[str]:
    """What the secretariat should know before students read the offer: a monthly
    gratification below the legal minimum for its weekly hours (in France)."""
    from app.rules.formatting import hours_text, money_text
    from app.years.services import rate_on

    if (offer.gratification_monthly is None or not offer.weekly_hours
            or offer.country != HOME_COUNTRY):
        return []
    try:
        rate = rate_on(today)
    except DomainError:
        return []
    # a month of presence is 22 days (D124-6): weekly hours ÷ 5 days × 22 days
    minimum = (rate * Decimal(offer.weekly_hours) * 22 / 5).quantize(Decimal("0.01"))
    if Decimal(offer.gratification_monthly) >= minimum:
        return []
    return [_("La gratification annoncée (%(amount)s par mois) est inférieure au minimum "
              "légal pour %(hours)s par semaine (%(minimum)s par mois) : elle ne pourra pas "
              "figurer telle quelle dans une convention de plus de deux mois.",
              amount=money_text(offer.gratification_monthly),
              hours=hours_text(offer.weekly_hours), minimum=money_text(minimum))]


def change_status(offer: Offer, new_status: str, version: int | None,
                  today: date | None = None) -> list[str]:
    """Move the offer; returns the warnings the secretariat should read."""
    check_version(offer, version, _("cette offre"))
    if new_status not in STATUSES:
        raise DomainError(_("Statut inconnu."))
    if new_status not in TRANSITIONS.get(offer.status, ()):
        raise DomainError(
            _("Une offre « %(status)s » ne peut pas passer à « %(new_status)s ».",
            status=offer.status_label.lower(), new_status=STATUSES[new_status].lower())
        )
    warnings = []
    if new_status == "published":
        if today is not None:   # a person publishing (the route passes today's date)
            if offer.deadline_passed(today):
                raise DomainError(_("La date limite de candidature (%(deadline)s) est passée : "
                                    "reportez-la avant de publier l’offre.",
                                  deadline=fr_date(offer.deadline)),
                                  "deadline")
            warnings = publication_warnings(offer, today)
        offer.published_at = utcnow()
    offer.status = new_status
    commit_versioned(_("cette offre"))
    return warnings


# ---------------------------------------------------------------- the catalogue's search

SORTS = {
    "recent": "Plus récentes",
    "start": "Début le plus proche",
    "deadline": "Date limite la plus proche",
    "pay": "Gratification la plus élevée",
    "title": "Titre (A → Z)",
}


@dataclass
class OfferSearch:
    q: str = ""
    domain: str = ""
    where: str = ""  # "" | "france" | "abroad" | a country name
    remote: bool = False
    start_month: tuple[int, int] | None = None  # (year, month)
    min_pay: Decimal | None = None
    status: str = ""  # staff only; "" means every status but archived
    sort: str = "recent"


def open_to_students(today: date):
    """What a student sees of the offers: published, and not past their deadline (an offer
    without a deadline stays open until the secretariat closes it)."""
    return and_(Offer.status == "published",
                or_(Offer.deadline.is_(None), Offer.deadline >= today))


def offers_query(search: OfferSearch, staff: bool, today: date | None = None):
    """``today``: the day a student's list is read on (past deadlines are not shown)."""
    # No join in the count: the host is loaded with the page only. The offer's text holds
    # its host's name: one question to one index answers the search.
    stmt = select(Offer).options(joinedload(Offer.host))
    clause = matching(search.q, Offer.search_text)
    if clause is not None:
        stmt = stmt.where(clause)
    if staff:
        if search.status in STATUSES:
            stmt = stmt.where(Offer.status == search.status)
        else:
            stmt = stmt.where(Offer.status != "archived")
    else:
        stmt = stmt.where(open_to_students(today or date.today()))
    if search.domain:
        stmt = stmt.where(Offer.domain == search.domain)
    if search.where == "france":
        stmt = stmt.where(Offer.country == HOME_COUNTRY)
    elif search.where == "abroad":
        stmt = stmt.where(Offer.country != HOME_COUNTRY)
    elif search.where:
        stmt = stmt.where(Offer.country == search.where)
    if search.remote:
        stmt = stmt.where(Offer.remote.is_(True))
    if search.start_month:
        year, month = search.start_month
        first = date(year, month, 1)
        after = date(year + (month == 12), month % 12 + 1, 1)
        stmt = stmt.where(Offer.start_date >= first, Offer.start_date < after)
    if search.min_pay is not None:
        stmt = stmt.where(Offer.gratification_monthly >= search.min_pay)
    order = {
        "start": (Offer.start_date.asc().nulls_last(),),
        "deadline": (Offer.deadline.asc().nulls_last(),),
        "pay": (Offer.gratification_monthly.desc().nulls_last(),),
        "title": (func.lower(Offer.title),),
    }.get(search.sort)
    if order is None:  # most recent first
        if staff:  # drafts have no publication date: they come last
            order = (Offer.published_at.desc().nulls_last(), Offer.created_at.desc())
        else:  # published offers all have one: the (status, published_at, id) index serves
            order = (Offer.published_at.desc(),)
    return stmt.order_by(*order, Offer.id.desc())


_countries_cache: dict[str, tuple[float, list[str]]] = {}


def foreign_countries() -> list[str]:
    """Countries of the published offers abroad, for the filter (cached for a minute)."""
    import time

    key = str(db.engine.url)
    cached = _countries_cache.get(key)
    if cached and time.monotonic() - cached[0] < current_app.config["COUNTRIES_CACHE_SECONDS"]:
        return cached[1]
    rows = list(db.session.execute(
        select(Offer.country).where(Offer.country != HOME_COUNTRY, Offer.status == "published")
        .distinct().order_by(Offer.country)
    ).scalars())
    _countries_cache[key] = (time.monotonic(), rows)
    return rows


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(Offer.status, func.count()).group_by(Offer.status)).all()
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in rows})
    return counts


def visible_offers_of_host(host: Host, staff: bool = False, limit: int = 50) -> list[Offer]:
    stmt = select(Offer).where(Offer.host_id == host.id)
    if not staff:
        stmt = stmt.where(open_to_students(date.today()))
    else:
        stmt = stmt.where(Offer.status != "archived")
    return list(db.session.execute(
        stmt.order_by(Offer.created_at.desc()).limit(limit)
    ).scalars())


def latest_published(limit: int = 5, today: date | None = None) -> list[Offer]:
    """The latest offers a student can still apply to."""
    return list(db.session.execute(
        select(Offer).join(Offer.host).options(contains_eager(Offer.host))
        .where(open_to_students(today or date.today()))
        # published offers all have a date: read backwards from (status, published_at, id)
        .order_by(Offer.published_at.desc(), Offer.id.desc()).limit(limit)
    ).scalars())


def offer_for_viewer(offer_id: int, staff: bool) -> Offer | None:
    """The offer if the viewer may see it: students see published offers only."""
    offer = db.session.execute(
        select(Offer).join(Offer.host).options(contains_eager(Offer.host))
        .where(Offer.id == offer_id)
    ).scalar_one_or_none()
    if offer is None or (not staff and offer.status != "published"):
        return None
    return offer

