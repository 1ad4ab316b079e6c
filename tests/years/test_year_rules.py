"""An academic year's settings and the gratification rates (app/years/services.py): every
bound refused with its field and its words, an edit that keeps its own year, a stale edit, a
day without a known rate."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DomainError
from app.years import services
from app.years.models import NATIONAL_TUTEE_CEILING, AcademicYear


@pytest.mark.parametrize("changes, field, message", [
    ({"start_year": 1999}, "start_year", "Année invalide."),
    ({"earliest_start": date(2028, 9, 1)}, "earliest_start",
     "Le début au plus tôt doit tomber dans l’année 2026-2027 (1er septembre 2026 – 31 août "
     "2027)."),
    ({"min_weeks": 0}, "min_weeks",
     "La durée minimale doit être positive et ne pas dépasser la maximale."),
    ({"min_weeks": 17}, "min_weeks",
     "La durée minimale doit être positive et ne pas dépasser la maximale."),
    ({"max_weeks": 27, "min_weeks": 12}, "max_weeks",
     "Un stage ne peut pas dépasser 6 mois (26 semaines)."),
    ({"programme_hours": 0}, "programme_hours",
     "Indiquez le volume horaire annuel de la formation, en heures (entre 1 et 3 000)."),
    ({"defense_gap_days": 121}, "defense_gap_days",
     "Le délai entre la fin du stage et la soutenance va de 0 à 120 jours."),
    ({"tutee_limit": NATIONAL_TUTEE_CEILING + 1}, "tutee_limit",
     f"Le plafond national est de {NATIONAL_TUTEE_CEILING} tutorés par enseignant."),
])
def test_every_bound_of_a_year(db, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.create_year(services.YearData(**{"start_year": 2026, **changes}))
    assert (err.value.field, err.value.message) == (field, message)
    assert db.session.query(AcademicYear).count() == 0


def test_a_year_is_edited_once_and_exists_once(db):
    year = services.create_year(services.YearData(start_year=2026, defense_gap_days=None))
    assert year.defense_gap_days == 0 and year.earliest_start == date(2027, 4, 8)
    version = year.version_id
    services.update_year(year, services.YearData(start_year=2026, max_weeks=20), version)
    assert db.session.get(AcademicYear, year.id).max_weeks == 20
    with pytest.raises(DomainError, match="Quelqu’un d’autre a modifié cette année"):
        services.update_year(year, services.YearData(start_year=2026), version)
    other = services.create_year(services.YearData(start_year=2027))
    with pytest.raises(DomainError, match="L’année 2026-2027 existe déjà."):
        services.update_year(other, services.YearData(start_year=2026), other.version_id)
    assert [y.start_year for y in services.all_years()] == [2027, 2026]


def test_the_rates(db):
    with pytest.raises(DomainError, match="Année invalide."):
        services.set_rate(1999, Decimal("4.50"))
    with pytest.raises(DomainError, match="Le taux horaire doit être compris entre 0 et 100 €."):
        services.set_rate(2027, Decimal("0"))
    services.set_rate(2027, Decimal("4.50"))
    services.set_rate(2027, Decimal("4.60"))   # corrected, not doubled
    assert [(r.year, r.hourly_rate) for r in services.rate_rows()] == [(2027, Decimal("4.60"))]
    assert services.rate_on(date(2027, 5, 1)) == Decimal("4.60")
    with pytest.raises(DomainError, match="Aucun taux de gratification n’est connu pour 1990"):
        services.rate_on(date(1990, 5, 1))


def test_the_secretariat_sets_a_rate_and_edits_a_year_from_their_pages(as_role):
    from tests.conftest import text

    year = services.create_year(services.YearData(start_year=2026))
    desk = as_role("secretariat")
    resp = desk.post("/annees/taux", {"year": "2028", "hourly_rate": "4.70"},
                     follow_redirects=True)
    assert "Taux enregistré." in text(resp)
    assert services.rate_on(date(2028, 3, 1)) == Decimal("4.70")
    resp = desk.post(f"/annees/{year.id}/modifier", {
        "start_year": "2026", "earliest_start": "2027-04-08", "min_weeks": "12",
        "max_weeks": "16", "tutee_limit": "16", "defense_gap_days": "0",
        "version": "pas un nombre"})
    assert "Quelqu’un d’autre a modifié cette année" in text(resp)
