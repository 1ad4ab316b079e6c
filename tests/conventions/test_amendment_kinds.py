"""An avenant of each kind on a signed convention (app/conventions/amendments.py): what it
changes lands on the internship or the convention, the checks of dates and hours run on the
new schedule, a new academic tutor is a teacher, and the avenant is refused before
signature."""
from datetime import date
from decimal import Decimal

import pytest

from app.conventions.models import Convention
from app.extensions import db
from tests.conftest import page


def _amend(desk, c, **form):
    return desk.post(f"/conventions/{c.id}/avenant", {"version": c.version_id, **form},
                     follow_redirects=True)


def _reload(c) -> Convention:
    db.session.expire_all()
    return db.session.get(Convention, c.id)


def test_a_schedule_avenant_changes_days_and_hours(as_role, convention):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = _amend(desk, c, kind="schedule", reason="Temps partiel", weekly_hours="28",
                  work_days=["mon", "tue", "wed", "thu"], special_hours="Aucune")
    assert "Avenant enregistré." in page(resp)
    c = _reload(c)
    assert c.internship.weekly_hours == Decimal("28")
    assert set(c.internship.schedule.days) == {0, 1, 2, 3}
    assert c.special_hours == "Aucune"
    assert [a.kind for a in c.amendments] == ["schedule"]


def test_a_schedule_over_the_legal_maximum_is_refused(as_role, convention):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = _amend(desk, c, kind="schedule", reason="Plus d’heures", weekly_hours="49")
    assert "Entre 1 et 48." in page(resp)
    assert _reload(c).amendments == []


def test_a_host_tutor_avenant_keeps_the_address_in_lower_case(as_role, convention):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = _amend(desk, c, kind="host_tutor", reason="Départ de la tutrice",
                  host_tutor_name="Marc Petit", host_tutor_email="Marc.Petit@Example.org")
    assert "Avenant enregistré." in page(resp)
    c = _reload(c)
    assert (c.internship.host_tutor_name, c.internship.host_tutor_email) == (
        "Marc Petit", "marc.petit@example.org")


def test_a_conditions_avenant_changes_the_convention(as_role, convention):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = _amend(desk, c, kind="conditions", reason="Congés", leave_conditions="Trois jours")
    assert "Avenant enregistré." in page(resp)
    assert _reload(c).leave_conditions == "Trois jours"


def test_a_new_academic_tutor_is_a_teacher(as_role, convention, make):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = _amend(desk, c, kind="academic_tutor", reason="Congé",
                  academic_tutor_id=str(make.user("teacher", active=False).id))
    assert "Choisissez" in page(resp)
    new = make.user("teacher", first_name="Hugo", last_name="Nouveau")
    resp = _amend(desk, c, kind="academic_tutor", reason="Congé de la tutrice",
                  academic_tutor_id=str(new.id))
    assert "Avenant enregistré." in page(resp)
    assert _reload(c).academic_tutor_id == new.id


@pytest.mark.parametrize("status", ["validated", "out_for_signature"])
def test_no_avenant_is_recorded_before_signature(as_role, convention, status):
    c = convention(validate=True)
    desk = as_role("secretariat")
    if status == "out_for_signature":
        desk.post(f"/conventions/{c.id}/action/send", {"version": c.version_id})
        c = _reload(c)
    _amend(desk, c, kind="gratification", reason="Hausse", agreed_amount="800",
           agreed_unit="month")
    c = _reload(c)
    assert c.status == status and c.amendments == []
    assert c.internship.agreed_amount == Decimal("700")


def test_an_avenant_on_a_convention_cancelled_meanwhile_says_why(as_role, convention,
                                                                 monkeypatch):
    import app.conventions.routes as routes

    class BeforeStart(date):
        @classmethod
        def today(cls):
            return date(2027, 3, 1)

    monkeypatch.setattr(routes, "date", BeforeStart)
    c = convention(sign=True)
    read = c.version_id                      # the first secretary's page
    other = as_role("secretariat")
    other.post(f"/conventions/{c.id}/action/cancel",
               {"version": read, "comment": "L’organisme renonce"})
    assert _reload(c).status == "cancelled"
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "version": read, "kind": "gratification", "reason": "Hausse", "agreed_amount": "800",
        "agreed_unit": "month"}, follow_redirects=True)
    body = page(resp)
    assert "Avenant enregistré." not in body and _reload(c).amendments == []
    assert ("Quelqu’un d’autre a modifié cette convention" in body
            or "Impossible de modifier par avenant une convention « annulée »." in body)


def test_an_avenant_of_the_wrong_kind_says_which_kind_was_filled(as_role, convention):
    c = convention(sign=True)
    desk = as_role("secretariat")
    body = page(_amend(desk, c, kind="dates", reason="Nouveau numéro",
                       host_tutor_phone="04 66 00 00 00"))
    assert ("Ce que vous avez rempli ne relève pas de « Dates du stage » mais de « Tuteur ou "
            "tutrice de l’organisme » : choisissez cet objet, ou remplissez ce qui change."
            ) in body
    assert 'value="04 66 00 00 00"' in body     # what was typed is kept
    assert _reload(c).amendments == []
