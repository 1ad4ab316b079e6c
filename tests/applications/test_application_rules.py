"""The applications' rules the main paths do not meet (app/applications/services.py): who
may apply and with what message, applying twice, and the staff list by offer and by student."""
from datetime import date

import pytest
from flask import current_app

from app.applications import services
from app.applications.models import Application
from app.errors import DomainError
from app.extensions import db
from tests.conftest import PDF, text


def _apply(student, offer, message="Motivée.", today=None):
    with current_app.test_request_context():
        return services.apply(student, offer, message, PDF, "cv.pdf", today or date.today())


@pytest.mark.parametrize("message, error", [
    ("   ", "Écrivez quelques lignes de motivation."),
    ("x" * (services.MAX_MESSAGE + 1), "Le message ne doit pas dépasser 5000 caractères."),
])
def test_a_motivation_is_required_and_bounded(make, message, error):
    with pytest.raises(DomainError) as err:
        _apply(make.user("student"), make.offer(), message)
    assert err.value.message == error and err.value.field == "message"
    assert db.session.query(Application).count() == 0


def test_only_students_of_the_project_track_apply(make):
    offer = make.offer()
    assert services.refusal(make.user("teacher"), offer, date.today()) == \
        "Seuls les étudiants candidatent aux offres."
    with pytest.raises(DomainError, match="Vous êtes en alternance"):
        _apply(make.user("student", track="apprentice"), offer)
    assert db.session.query(Application).count() == 0


def test_applying_twice_says_when(make):
    student, offer = make.user("student"), make.offer()
    first = _apply(student, offer)
    day = first.created_at.date()
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
    when = f"{day.day}{'er' if day.day == 1 else ''} {months[day.month - 1]} {day.year}"
    with pytest.raises(DomainError) as err:
        _apply(student, offer)
    assert err.value.message == (f"Vous avez déjà candidaté à cette offre le {when} "
                                 "(statut : envoyée).")


def test_the_staff_list_by_offer_and_by_student(as_role, make):
    lea = make.user("student", last_name="Lefebvre")
    marc = make.user("student", last_name="Moreau")
    one = make.offer(title="Veille documentaire")
    two = make.offer(title="Inventaire des plans")
    _apply(lea, one)
    _apply(lea, two)
    _apply(marc, one)
    staff = as_role("teacher")

    body = text(staff.get(f"/candidatures?offer={one.id}"))
    assert "Lefebvre" in body and "Moreau" in body and "Inventaire des plans" not in body
    body = text(staff.get(f"/candidatures?student={marc.id}"))
    assert "Moreau" in body and "Lefebvre" not in body
    assert services.counts(services.StaffFilters(student_id=lea.id))["sent"] == 2
    assert services.counts(services.StaffFilters(offer_id=one.id))["sent"] == 2
    assert services.students_with_open_applications([]) == set()
    assert services.students_with_open_applications([lea.id, marc.id]) == {lea.id, marc.id}
