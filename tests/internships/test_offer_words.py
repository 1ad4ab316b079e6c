"""Small words of the offer and internship pages: whole hours without « ,0 », the offer an
internship came from by its title, not its number."""
from datetime import date
from decimal import Decimal

from app.internships import services as internships
from tests.conftest import browser_for, page


def test_whole_weekly_hours_read_without_decimals(as_role, make):
    offer = make.offer(title="Veille documentaire", weekly_hours=Decimal("35"))
    body = page(as_role("student").get(f"/offres/{offer.id}"))
    assert "35 h / semaine" in body and "35,0" not in body


def test_an_internship_names_its_offer_by_title(app, make, year_2026):
    offer = make.offer(title="Récolement du fonds Dupont")
    i, _ = internships.create_internship(make.user("student"), internships.InternshipData(
        host_id=offer.host_id, offer_id=offer.id, subject="Récolement",
        start_date=date(2027, 4, 8), end_date=date(2027, 6, 30)))
    body = page(browser_for(app, i.student).get(f"/stages/{i.id}"))
    assert '">Récolement du fonds Dupont</a>' in body and "offre n°" not in body
