from datetime import date
from decimal import Decimal

import pytest

from app.years.models import AcademicYear, GratificationRate
from tests.conftest import text


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_only_secretariat_and_admin_edit_years(as_role, role):
    b = as_role(role)
    assert b.get("/annees/").status_code == 403
    assert b.post("/annees/taux", {"year": "2027", "hourly_rate": "4.60"}).status_code == 403


def test_create_year_with_department_defaults(as_role, db):
    b = as_role("secretariat")
    resp = b.post("/annees/nouvelle", {"start_year": "2026", "min_weeks": "12",
                                       "max_weeks": "16", "tutee_limit": "16"})
    assert resp.status_code == 303
    year = db.session.query(AcademicYear).one()
    assert (year.label, year.earliest_start) == ("2026-2027", date(2027, 4, 8))
    assert "8 avril 2027" in text(b.get("/annees/"))


@pytest.mark.parametrize("changes, message", [
    ({"min_weeks": "17"}, "ne pas dépasser la maximale"),
    ({"tutee_limit": "30"}, "plafond national"),
    ({"earliest_start": "2025-04-08"}, "doit tomber dans l’année 2026-2027"),
    ({"start_year": "deux-mille"}, "Ce champ est obligatoire."),
])
def test_bad_year_input(as_role, db, changes, message):
    b = as_role("secretariat")
    resp = b.post("/annees/nouvelle", {"start_year": "2026", "min_weeks": "12",
                                       "max_weeks": "16", "tutee_limit": "16", **changes},
                  htmx=True)
    assert message in text(resp)
    assert db.session.query(AcademicYear).count() == 0


def test_duplicate_year_and_stale_edit(as_role, db):
    b = as_role("secretariat")
    form = {"start_year": "2026", "min_weeks": "12", "max_weeks": "16", "tutee_limit": "16"}
    b.post("/annees/nouvelle", form)
    assert "L’année 2026-2027 existe déjà." in text(b.post("/annees/nouvelle", form))
    year = db.session.query(AcademicYear).one()
    version = year.version_id  # both open the edit page at this version
    other = as_role("admin")
    assert b.post(f"/annees/{year.id}/modifier", {**form, "tutee_limit": "12",
                                                  "version": version}).status_code == 303
    resp = other.post(f"/annees/{year.id}/modifier", {**form, "tutee_limit": "20",
                                                      "version": version})
    assert "Quelqu’un d’autre a modifié" in text(resp)
    db.session.refresh(year)
    assert year.tutee_limit == 12


def test_rates_table_is_seeded_by_the_migration_and_editable_inline(as_role, db):
    from app.years.services import ensure_default_rates
    ensure_default_rates()
    b = as_role("secretariat")
    assert "4,50\xa0€" in text(b.get("/annees/"))
    resp = b.post("/annees/taux", {"year": "2027", "hourly_rate": "4.62"}, htmx=True)
    assert 'id="rates"' in text(resp) and "4,62\xa0€" in text(resp) and "<html" not in text(resp)
    assert db.session.query(GratificationRate).filter_by(year=2027).one().hourly_rate \
        == Decimal("4.62")
    resp = b.post("/annees/taux", {"year": "2027", "hourly_rate": "-1"}, htmx=True)
    assert "Taux invalide." in text(resp)
