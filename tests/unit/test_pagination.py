"""Pages of a list: the same rows, in the same order, as the whole list cut in slices."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.offers import services
from app.offers.models import Offer
from app.web.pagination import paginate


def test_every_page_is_the_slice_of_the_whole_list_with_its_host_loaded(app, db, make,
                                                                       count_queries):
    hosts = [make.host(name=f"Organisme {n}") for n in range(3)]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for n in range(23):
        offer = make.offer(host=hosts[n % 3], title=f"Offre {n:02d}")
        offer.published_at = start + timedelta(hours=n // 2)  # ties, broken by the id
    db.session.commit()
    for sort, search in (("recent", ""), ("title", ""), ("recent", "organisme")):
        stmt = services.offers_query(services.OfferSearch(q=search, sort=sort), staff=False)
        whole = [o.id for o in db.session.execute(stmt).unique().scalars()]
        assert len(whole) == 23
        seen = []
        for number in (1, 2, 3):
            db.session.expire_all()
            with app.test_request_context(), count_queries() as statements:
                page = paginate(stmt, number, 10)
                names = [o.host.name for o in page.items]  # loaded with the page
            assert len(statements) == 3  # count, keys of the page, its rows with their host
            assert all(name.startswith("Organisme") for name in names)
            seen += [o.id for o in page.items]
            assert page.total == 23 and page.pages == 3
        assert seen == whole, (sort, search)
    # past the last page: the last page
    stmt = services.offers_query(services.OfferSearch(), staff=False)
    whole = [o.id for o in db.session.execute(stmt).unique().scalars()]
    with app.test_request_context():
        assert [o.id for o in paginate(stmt, 99, 10).items] == whole[20:]


def test_a_select_of_columns_is_paginated_as_it_is(db, make):
    for n in range(5):
        make.offer(title=f"Offre {n}")
    page = paginate(select(Offer.title).order_by(Offer.title), 2, 2, scalars=False)
    assert [row.title for row in page.items] == ["Offre 2", "Offre 3"]


def test_every_list_takes_its_page_size_from_the_configuration(app, make, as_role,
                                                               monkeypatch):
    """One setting for the lists one browses, one for the year's working lists."""
    for n in range(5):
        make.host(name=f"Organisme {n}")
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    monkeypatch.setitem(app.config, "WORK_LIST_PER_PAGE", 4)
    desk = as_role("secretariat")
    hosts = desk.get("/organismes/").get_data(as_text=True)
    assert "1 à 2" in hosts and 'aria-current="page">1<' in hosts
    for _n in range(5):
        make.user("student", cohort="BUT1")       # listed as people, not in the BUT3 follow-up
    users = as_role("admin").get("/admin/utilisateurs").get_data(as_text=True)
    assert users.count('<tr') - 1 == 2 and 'rel="next"' in users
    for _n in range(5):
        make.user("student", cohort="BUT3", track="apprentice")
    apprentices = desk.get("/alternants").get_data(as_text=True)
    assert apprentices.count('<tr') - 1 == 4 and 'rel="next"' in apprentices
