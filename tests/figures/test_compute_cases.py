"""Every figure of ``compute`` pinned on one small year (app/figures/services.py): what the
statistics page shows, cancelled internships left out, the time to find, applications per
placement and by domain, the objectives by cohort and domain, evaluations not yet submitted
or of another kind left out."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.figures.services import compute
from tests.figures.test_figures import year_data  # noqa: F401

LABELS = {"archives": "Archives", "data": "Données"}
TODAY = date(2027, 9, 1)


def _at(day: int, month: int = 1) -> datetime:
    return datetime(2027, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def cv(db):
    from app.files.models import StoredFile

    stored = StoredFile(filename="cv.pdf", content_type="application/pdf", size=3,
                        sha256="0" * 64, data=b"%PD")
    db.session.add(stored)
    db.session.flush()
    return stored


def _applied(db, cv, internship, offer, day, month=1):
    from app.applications.models import Application

    db.session.add(Application(offer_id=offer.id, student_id=internship.student_id,
                               message="m", cv_id=cv.id, status="sent", created_at=_at(day, month)))


def _evaluated(db, internship, ratings, kind="host_tutor", submitted=True):
    from app.evaluations.models import Evaluation

    db.session.add(Evaluation(internship_id=internship.id, kind=kind, answers={},
                              ratings=ratings, submitted_at=_at(1, 7) if submitted else None))


@pytest.fixture
def one_year(year_data, make, db, cv):  # noqa: F811
    year, add = year_data
    lyon = make.host(name="Bibliothèque de Lyon")
    a1, a2 = add(2, domain="archives", host=lyon)
    (d1,) = add(1, domain="data", agreed="300")
    (s1,) = add(1, domain="documentation", country="Suisse")
    (unknown,) = add(1, domain="archives")
    unknown.domain = None
    (cancelled,) = add(1, domain="data")
    cancelled.status = "cancelled"
    for internship, day in ((a1, 20), (a2, 25), (d1, 30), (s1, 15), (unknown, 10),
                            (cancelled, 5)):
        internship.created_at = _at(day, 3)
    archives = make.offer(domain="archives")
    data, more_data = make.offer(domain="data"), make.offer(domain="data")
    _applied(db, cv, a1, archives, 1)       # 78 days before its internship
    _applied(db, cv, a1, data, 10)
    _applied(db, cv, a2, archives, 5)       # 79 days
    _applied(db, cv, d1, data, 20)          # 69 days
    _applied(db, cv, d1, more_data, 21)
    _applied(db, cv, d1, archives, 22)
    _applied(db, cv, s1, data, 1, month=4)  # after its internship: no time to find
    _applied(db, cv, cancelled, data, 2)    # not placed: not counted
    d1.student.cohort = None
    db.session.flush()
    _evaluated(db, a1, {"1": "reached", "2": "partly"})
    _evaluated(db, d1, {"3": "not"})
    _evaluated(db, a2, {})                  # submitted without objectives
    _evaluated(db, s1, {"4": "reached"}, submitted=False)
    _evaluated(db, unknown, {"5": "reached"}, kind="student")
    db.session.commit()
    return year


def test_every_figure_of_a_small_year(one_year):
    f = compute(one_year, TODAY, LABELS)
    assert f.internships == 5 and f.abroad == 1
    assert f.by_domain == [("Archives", 2), ("Données", 1), ("documentation", 1),
                           ("non précisé", 1)]
    assert f.by_country == [("France", 4), ("Suisse", 1)]
    assert f.top_hosts[0] == ("Bibliothèque de Lyon", 2)
    assert [n for _, n in f.top_hosts] == [2, 1, 1, 1]
    assert f.hosts == 4
    assert f.median_days_to_find == 78
    assert f.applications == 7 and f.applications_per_placement == 1.4
    assert sorted(f.per_domain_applications) == [("Archives", 1.5), ("Données", 4.0)]
    assert (f.evaluated, f.objectives) == (2, 3)
    assert f.objectives_by_cohort == [("BUT3", {"reached": 1, "partly": 1}),
                                      ("—", {"not": 1})]
    assert f.objectives_by_domain == [("Archives", {"reached": 1, "partly": 1}),
                                      ("Données", {"not": 1})]
    assert (f.due, f.below_minimum) == (4, 1)
    # France only: three at 700 € a month, one at 300 € (below the legal minimum)
    assert (f.legal_total, f.agreed_total) == (Decimal("7308.00"), Decimal("7200.00"))


def test_a_year_without_internships_has_empty_figures(year_data):  # noqa: F811
    year, _ = year_data
    f = compute(year, TODAY, LABELS)
    assert (f.internships, f.hosts, f.applications, f.due, f.evaluated) == (0, 0, 0, 0, 0)
    assert f.top_hosts == [] and f.by_domain == [] and f.per_domain_applications == []
    assert f.median_days_to_find is None and f.applications_per_placement is None
    assert f.legal_total == f.agreed_total == Decimal("0.00")
