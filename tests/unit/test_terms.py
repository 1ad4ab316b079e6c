"""A convention's terms as a person reads them (app/conventions/terms.py): each kind of value
written in French, an avenant of the old form (tutor by name only) still applied, and an
unknown term is no attribute."""
import pytest

from app.conventions import terms


@pytest.mark.parametrize("key, value, shown", [
    ("subject", None, "—"),
    ("objectives", [], "—"),
    ("missions", "", "—"),
    ("agreed_unit", "month", terms.UNITS.get("month", "month")),
    ("agreed_unit", "fortnight", "fortnight"),
    ("holidays_worked", True, "oui"),
    ("holidays_worked", False, "non"),
    ("objectives", ["Décrire", "Présenter"], "Décrire ; Présenter"),
    ("subject", "Inventaire", "Inventaire"),
])
def test_each_kind_of_term_is_written_in_words(app, key, value, shown):
    assert terms.written(key, value) == shown


def test_dates_hours_and_zones_are_written_in_french(app):
    assert terms.written("start_date", "2027-04-08") == "8 avril 2027"
    assert terms.written("zone", "metropole") == terms.ZONES["metropole"]
    assert "par semaine" in terms.written("weekly_hours", "35")
    assert terms.written("work_days", "mon,tue,wed,thu,fri")
    assert "1" in terms.written("programme_hours", "1800")


def test_an_avenant_of_the_old_form_names_the_tutor():
    before = terms.Terms({"academic_tutor_name": "Anne Roux", "subject": "Inventaire"})
    after = before.changed({"academic_tutor": ("Anne Roux", "Hugo Blanc"),
                            "subject": ("Inventaire", "Récolement")})
    assert after.values["academic_tutor_name"] == "Hugo Blanc"
    assert after.subject == "Récolement" and after.end_date is None
    with pytest.raises(AttributeError):
        after.nimporte_quoi   # noqa: B018
