"""The statistics page reads the year's figures as kept (at a university's scale counting them
takes a third of a second): any write that changes what they count forgets them in its own
transaction (so they stay exact), and they are counted again at most FIGURES_MAX_AGE_SECONDS
after; the page says when they were counted, and the staff can count again at once."""
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from app.figures import services
from app.figures.models import FiguresSnapshot
from app.offers.services import domains
from tests.conftest import text
from tests.figures.test_figures import year_data  # noqa: F401


@pytest.fixture
def cached(app):
    saved = app.config["FIGURES_MAX_AGE_SECONDS"]
    app.config["FIGURES_MAX_AGE_SECONDS"] = 600
    yield
    app.config["FIGURES_MAX_AGE_SECONDS"] = saved


def test_the_kept_figures_are_the_computed_ones(app, year_data):  # noqa: F811
    year, add = year_data
    add(2, domain="archives")
    add(1, domain="data", country="Suisse", agreed="500")
    f = services.compute(year, date(2027, 5, 1), domains())
    assert services.from_payload(services.to_payload(f)) == f
    kept = services.refresh(year, date(2027, 5, 1), domains())
    assert kept.figures == f
    assert services.from_payload(
        FiguresSnapshot.query.get(year.id).payload) == f


def test_the_page_shows_the_kept_figures_then_counts_again(app, as_role, year_data,  # noqa: F811
                                                           cached, db):
    year, add = year_data
    add(2)
    b = as_role("secretariat")
    page = text(b.get("/statistiques/?year=2026"))
    assert "2 stages en 2026-2027" in page
    assert "Chiffres comptés le" in page and "toutes les 10 minutes" in page
    # kept: the same figures, read from the kept row (a count would make more queries)
    kept = db.session.get(FiguresSnapshot, year.id)
    counted_at = kept.computed_at
    assert "2 stages en 2026-2027" in text(b.get("/statistiques/?year=2026"))
    db.session.expire_all()
    assert db.session.get(FiguresSnapshot, year.id).computed_at == counted_at
    # a new internship: the kept figures are forgotten in its transaction, so exact
    add(1)
    assert db.session.get(FiguresSnapshot, year.id) is None
    assert "3 stages en 2026-2027" in text(b.get("/statistiques/?year=2026"))
    # a write that changes nothing counted (a login: the account's last login) keeps them
    from tests.conftest import login

    login(app.test_client(), b.user)
    db.session.expire_all()
    assert db.session.get(FiguresSnapshot, year.id) is not None
    # the staff count again at once
    resp = b.post("/statistiques/recalculer?year=2026", follow_redirects=True)
    assert "Statistiques recalculées." in text(resp) and "3 stages en 2026-2027" in text(resp)
    # older than ten minutes: counted again by the page itself
    kept = db.session.get(FiguresSnapshot, year.id)
    kept.computed_at = datetime.now(UTC) - timedelta(minutes=11)
    db.session.commit()
    assert "3 stages en 2026-2027" in text(b.get("/statistiques/?year=2026"))
    db.session.expire_all()
    assert db.session.get(FiguresSnapshot, year.id).computed_at > kept.computed_at


def test_the_command_counts_the_running_years(app, year_data, db):  # noqa: F811
    _, add = year_data
    add(1)
    with time_machine.travel(datetime(2027, 1, 15, 8, tzinfo=UTC), tick=False):
        result = app.test_cli_runner().invoke(args=["refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "2026-2027 : 1 stage compté." in result.output
    assert db.session.query(FiguresSnapshot).count() >= 1
