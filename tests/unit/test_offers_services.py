from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError, StaleEdit
from app.offers import services
from app.offers.models import Offer


def _data(host, **kw):
    base = dict(title="Archivage", host_id=host.id, domain="archives",
                description="Classement.", city="Lyon")
    base.update(kw)
    return services.OfferData(**base)


def test_new_offer_is_a_draft_with_folded_search_text(db, make):
    author = make.user("secretariat")
    offer = services.create_offer(_data(make.host(), title="Données ÉLECTRONIQUES"), author)
    assert offer.status == "draft"
    assert "donnees electroniques" in offer.search_text


@pytest.mark.parametrize("changes, field", [
    (dict(title="  "), "title"),
    (dict(domain="cuisine"), "domain"),
    (dict(weekly_hours=Decimal("49")), "weekly_hours"),
    (dict(duration_weeks=60), "duration_weeks"),
    (dict(gratification_monthly=Decimal("-1")), "gratification_monthly"),
    (dict(start_date=date(2027, 4, 8), deadline=date(2027, 5, 1)), "deadline"),
])
def test_invalid_offer_is_refused_and_nothing_written(db, make, changes, field):
    author, host = make.user("teacher"), make.host()
    with pytest.raises(DomainError) as err:
        services.create_offer(_data(host, **changes), author)
    assert err.value.field == field
    db.session.rollback()
    assert db.session.query(Offer).count() == 0


def test_unknown_host_is_refused(db, make):
    with pytest.raises(DomainError) as err:
        services.create_offer(_data(make.host(), host_id=999_999), make.user("teacher"))
    assert err.value.field == "host_id"


def test_status_transitions(db, make):
    offer = make.offer(status="draft")
    services.change_status(offer, "published", offer.version_id)
    assert offer.published_at is not None
    services.change_status(offer, "closed", offer.version_id)
    services.change_status(offer, "archived", offer.version_id)
    with pytest.raises(DomainError, match="ne peut pas"):
        services.change_status(offer, "published", offer.version_id)


def test_stale_version_is_refused(db, make):
    offer = make.offer(status="draft")
    old = offer.version_id
    services.change_status(offer, "published", old)
    with pytest.raises(StaleEdit):
        services.change_status(offer, "closed", old)
    with pytest.raises(StaleEdit):
        services.update_offer(offer, _data(offer.host, title="Autre"), old)
    db.session.refresh(offer)
    assert offer.status == "published" and offer.title != "Autre"


def test_students_see_only_published_offers(db, make):
    published, draft = make.offer(), make.offer(status="draft")
    closed, archived = make.offer(status="closed"), make.offer(status="archived")
    student_ids = {o.id for o in db.session.execute(
        services.offers_query(services.OfferSearch(), staff=False)).scalars()}
    assert student_ids == {published.id}
    staff_ids = {o.id for o in db.session.execute(
        services.offers_query(services.OfferSearch(), staff=True)).scalars()}
    assert staff_ids == {published.id, draft.id, closed.id}
    assert services.offer_for_viewer(draft.id, staff=False) is None
    assert services.offer_for_viewer(archived.id, staff=True).id == archived.id


def test_publication_refuses_a_past_deadline_and_warns_below_the_minimum(db, make):
    from app.years import services as years

    years.ensure_default_rates()
    late = make.offer(status="draft", deadline=date(2026, 11, 1))
    with pytest.raises(DomainError, match="date limite de candidature .* est passée") as err:
        services.change_status(late, "published", late.version_id, date(2026, 11, 29))
    assert err.value.field == "deadline"
    db.session.rollback()
    low = make.offer(status="draft", gratification_monthly=Decimal("500.00"),
                     weekly_hours=Decimal("35"), deadline=date(2027, 3, 1))
    warnings = services.change_status(low, "published", low.version_id, date(2026, 11, 29))
    assert low.status == "published"
    assert len(warnings) == 1 and "inférieure au minimum légal" in warnings[0]
    assert "693,00" in warnings[0].replace("\u202f", " ").replace("\u00a0", " ")
    assert "pour 35 heures par semaine" in warnings[0]          # never « 35.00 heures »
    fair = make.offer(status="draft", deadline=date(2027, 3, 1))   # 693,00 € for 35 h
    assert services.change_status(fair, "published", fair.version_id, date(2026, 11, 29)) == []
