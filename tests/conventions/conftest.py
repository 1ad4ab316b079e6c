import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from app.conventions import services
from app.conventions.models import ConventionCheck
from app.internships import services as internships
from app.years import services as years


@pytest.fixture
def year_2026(db):
    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026, programme_hours=1800))


@pytest.fixture
def internship(make, year_2026):
    tutors = itertools.count(1)

    def _make(student=None, host=None, **kw):
        student = student or make.user("student")
        host = host or make.host(headcount=50)
        n = next(tutors)  # each internship its own host tutor, unless a test names one
        data = dict(host_id=host.id, subject="Inventaire", start_date=date(2027, 4, 8),
                    end_date=date(2027, 6, 30), host_tutor_name=f"Jeanne Roy {n}",
                    missions="Inventaire du fonds photographique", skills="Indexation",
                    host_tutor_email=f"jeanne.roy{n}@example.org", agreed_amount=Decimal("700"),
                    agreed_unit="month")
        data.update(kw)
        created, _ = internships.create_internship(student, internships.InternshipData(**data))
        return created

    return _make


@pytest.fixture
def convention(make, internship):
    """A convention ready to validate except what a test changes."""

    def _make(submit=True, approve=True, tick=True, validate=False, sign=False, **kw):
        i = internship(**kw)
        c = services.create(i, i.student)
        c.leave_conditions = "Deux jours de congé par mois"
        if submit:
            services.submit(c, i.student, c.version_id)
        if approve:
            services.approve(c, make.user("teacher"), c.version_id)
        if tick:
            desk = make.user("secretariat")
            c.checks = [ConventionCheck(item=item, checked_by_id=desk.id)
                        for item in services.MANUAL_ITEMS]
        from app.extensions import db
        db.session.commit()
        if validate or sign:
            desk = make.user("secretariat")
            with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=UTC), tick=False):
                services.validate(c, desk, c.version_id, date(2026, 11, 24))
        if sign:
            for party in services.SIGNATORIES:
                services.record_signature(c, desk, party, date(2027, 1, 15), c.version_id,
                                          date(2027, 1, 20))
        return c

    return _make
