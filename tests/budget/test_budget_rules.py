"""The budget planner's refusals the main paths do not meet (app/budget/services.py): one's
own budget only, a known category, a short detail, a cost that falls in the stay, a bounded
number of lines, a line already removed."""
from datetime import date
from decimal import Decimal

import pytest

from app.budget import services
from app.errors import DomainError
from app.extensions import db

MONTHS = [date(2027, 4, 1), date(2027, 5, 1), date(2027, 6, 1)]
LINE = {"category": "housing", "label": "Chambre", "amount": "450", "timing": "monthly"}


@pytest.fixture
def stay(make):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026))
    student = make.user("student")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(country="Espagne").id, subject="Numérisation",
        start_date=date(2027, 4, 8), end_date=date(2027, 6, 30), country="Espagne",
        agreed_amount=Decimal("700"), agreed_unit="month"))
    return i


@pytest.fixture
def line(stay):
    return LINE


@pytest.mark.parametrize("changes, field, message", [
    ({"category": "casino"}, "category", "Choisissez le poste de dépense."),
    ({"label": "x" * 121}, "label", "Détail : 120 caractères au plus."),
    ({"amount": "0"}, "amount", "Montant : un nombre d’euros de plus de 0"),
    ({"amount": "100000"}, "amount", "Montant : un nombre d’euros de plus de 0"),
    ({"timing": "2028-01"}, "timing", "Choisissez quand la dépense tombe."),
])
def test_a_cost_line_names_what_is_wrong(stay, line, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.add_line(stay.student, stay, {**line, **changes}, MONTHS)
    assert err.value.field == field and message in err.value.message
    assert services.plan_of(stay) is None or services.plan_of(stay).lines == []


def test_a_budget_is_ones_own(make, stay, line):
    for action in (lambda u: services.add_line(u, stay, line, MONTHS),
                   lambda u: services.share(u, stay, True)):
        with pytest.raises(DomainError, match="Ce budget n’est pas le vôtre."):
            action(make.user("student"))


def test_a_budget_has_a_bounded_number_of_lines(stay, line, monkeypatch):
    monkeypatch.setattr(services, "MAX_LINES", 2)
    services.add_line(stay.student, stay, line, MONTHS)
    services.add_line(stay.student, stay, {**line, "timing": "before"}, MONTHS)
    with pytest.raises(DomainError, match="Un budget compte au plus 2 lignes : regroupez-en."):
        services.add_line(stay.student, stay, line, MONTHS)
    assert len(services.plan_of(stay).lines) == 2


def test_a_line_removed_twice(stay, line):
    added = services.add_line(stay.student, stay, line, MONTHS)
    services.remove_line(stay.student, stay, added.id)
    with pytest.raises(DomainError, match="Cette ligne n’existe plus : le budget a été rechargé."):
        services.remove_line(stay.student, stay, added.id)
    db.session.expire_all()
    assert services.plan_of(stay).lines == []
