"""Offers' checks beyond those of tests/unit/test_offers_services.py: the description and the
city are required, hours are positive; publication warns only about what the law binds (in
France, with a gratification, hours and a known rate); retitling an offer refreshes what
finds its applications."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError
from app.offers import services
from app.offers.models import Offer


def _data(host, **kw):
    base = dict(title="Archivage", host_id=host.id, domain="archives",
                description="Classement.", city="Lyon")
    base.update(kw)
    return services.OfferData(**base)


@pytest.mark.parametrize("changes, field, message", [
    ({"description": "  "}, "description", "La description est obligatoire."),
    ({"city": ""}, "city", "La ville est obligatoire."),
    ({"weekly_hours": Decimal("0")}, "weekly_hours",
     "La durée hebdomadaire doit être positive."),
])
def test_what_an_offer_needs(db, make, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.create_offer(_data(make.host(), **changes), make.user("teacher"))
    assert (err.value.field, err.value.message) == (field, message)
    db.session.rollback()
    assert db.session.query(Offer).count() == 0


@pytest.mark.parametrize("changes", [
    {"gratification_monthly": None},
    {"weekly_hours": None},
    {"country": "Espagne", "city": "Barcelone"},
])
def test_no_warning_where_the_french_minimum_does_not_apply(db, make, changes):
    from app.years import services as years

    years.ensure_default_rates()
    values = {"weekly_hours": Decimal("35"), "gratification_monthly": Decimal("100"), **changes}
    offer = services.create_offer(_data(make.host(), **values), make.user("secretariat"))
    assert services.publication_warnings(offer, date(2026, 11, 29)) == []


def test_no_warning_without_a_known_rate(db, make, monkeypatch):
    offer = services.create_offer(_data(make.host(), weekly_hours=Decimal("35"),
                                        gratification_monthly=Decimal("100")),
                                  make.user("secretariat"))

    def unknown(day):
        raise DomainError("Aucun taux")

    monkeypatch.setattr("app.years.services.rate_on", unknown)
    assert services.publication_warnings(offer, date(2026, 11, 29)) == []


def test_retitling_an_offer_keeps_its_applications_found(db, make):

    from app.applications import services as applications
    from tests.conftest import PDF

    offer = make.offer(title="Veille documentaire")
    application = applications.apply(make.user("student"), offer, "Motivée.", PDF,
                                     "cv.pdf", date.today())
    services.update_offer(offer, _data(offer.host, title="Veille stratégique"),
                          offer.version_id)
    db.session.refresh(application)
    assert "veille strategique" in application.search_text
    assert "veille documentaire" not in application.search_text
