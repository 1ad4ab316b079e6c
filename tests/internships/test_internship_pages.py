"""The internship's pages the main paths do not open: the edit form filled from the record,
the new form filled from an offer, who may open the edit form, an edit with its warning."""
from datetime import date
from decimal import Decimal

from app.extensions import db
from app.internships import services
from app.internships.models import Internship
from tests.conftest import browser_for, page


def _internship(make, **kw):
    data = dict(host_id=make.host().id, subject="Inventaire", start_date=date(2027, 4, 8),
                end_date=date(2027, 6, 30), work_days=frozenset({0, 1, 2, 3}),
                weekly_hours=Decimal("28"), objectives=["Décrire 40 boîtes", "Un bilan"])
    data.update(kw)
    i, _ = services.create_internship(make.user("student"), services.InternshipData(**data))
    return i


def test_the_edit_form_shows_the_record(app, make, year_2026):
    i = _internship(make)
    body = page(browser_for(app, i.student).get(f"/stages/{i.id}/modifier"))
    assert "Décrire 40 boîtes\nUn bilan" in body
    for n, code in enumerate(("mon", "tue", "wed", "thu")):
        assert (f'<input checked id="work_days-{n}" name="work_days" type="checkbox" '
                f'value="{code}">') in body
    assert '<input id="work_days-4" name="work_days" type="checkbox" value="fri">' in body
    assert f'<input id="version" name="version" type="hidden" value="{i.version_id}">' in body


EDIT = {"subject": "Inventaire et récolement", "start_date": "2027-04-08",
        "end_date": "2027-06-30", "weekly_hours": "39",
        "work_days": ["mon", "tue", "wed", "thu", "fri"], "zone": "metropole",
        "country": "France", "agreed_amount": "700", "agreed_unit": "month"}


def test_an_edit_is_saved_with_its_warning(app, make, year_2026):
    i = _internship(make)
    me = browser_for(app, i.student)
    resp = me.post(f"/stages/{i.id}/modifier", {
        **EDIT, "host_id": i.host_id, "objectives": "Décrire 40 boîtes\nUn bilan",
        "version": i.version_id}, follow_redirects=True)
    body = page(resp)
    assert "Stage mis à jour." in body
    assert "39 heures par semaine : au-delà de 35 heures" in body
    db.session.expire_all()
    assert db.session.get(Internship, i.id).subject == "Inventaire et récolement"


def test_an_edit_without_the_objectives_field_keeps_them(app, make, year_2026):
    i = _internship(make)
    me = browser_for(app, i.student)
    resp = me.post(f"/stages/{i.id}/modifier", {**EDIT, "host_id": i.host_id,
                                                 "version": i.version_id})
    assert resp.status_code == 303
    assert [o.statement for o in db.session.get(Internship, i.id).objectives] == [
        "Décrire 40 boîtes", "Un bilan"]


def test_who_opens_the_edit_form(app, as_role, make, year_2026):
    i = _internship(make)
    assert as_role("student").get(f"/stages/{i.id}/modifier").status_code == 404
    assert as_role("teacher").get(f"/stages/{i.id}/modifier").status_code == 403
    i.status = "cancelled"
    db.session.commit()
    assert as_role("secretariat").get(f"/stages/{i.id}/modifier").status_code == 403
    assert browser_for(app, i.student).get(f"/stages/{i.id}/modifier").status_code == 403


def test_the_new_form_is_filled_from_an_offer(as_role, make, year_2026):
    host = make.host(name="Médiathèque Jean Macé")
    offer = make.offer(host=host, title="Désherbage des collections", weekly_hours=Decimal("32"),
                       gratification_monthly=Decimal("720.00"), start_date=date(2027, 4, 12))
    desk = as_role("secretariat")
    student = make.user("student", last_name="Choisie")
    body = page(desk.get(f"/stages/nouveau?offer={offer.id}&student={student.id}"))
    assert 'value="Désherbage des collections"' in body
    assert 'value="2027-04-12"' in body and 'value="720.00"' in body
    assert f'<option selected value="{host.id}">' in body
    assert f'<option selected value="{student.id}">' in body
    body = page(desk.get("/stages/nouveau?offer=999999"))   # gone: an empty form
    assert "Désherbage des collections" not in body


NEW = {"subject": "Inventaire", "start_date": "2027-04-08", "end_date": "2027-06-30",
       "weekly_hours": "35", "zone": "metropole", "agreed_unit": "month",
       "work_days": ["mon", "tue", "wed", "thu", "fri"]}


def test_a_proposed_host_with_a_bad_siret_is_refused_next_to_its_field(as_role, make,
                                                                       year_2026):
    from app.hosts.models import Host

    me = as_role("student")
    resp = me.post("/stages/nouveau", {**NEW, "new_host_name": "Archives de l’abbaye",
                                       "new_host_city": "Cluny", "new_host_siret": "123"})
    body = page(resp)
    assert 'id="new_host_siret-error"' in body
    assert db.session.query(Host).count() == 0 and db.session.query(Internship).count() == 0


def test_the_secretariat_names_the_student(as_role, make, year_2026):
    desk = as_role("secretariat")
    resp = desk.post("/stages/nouveau", {**NEW, "host_id": make.host().id,
                                         "student_id": "999999"})
    assert "Choisissez l’étudiant·e." in page(resp)
    assert db.session.query(Internship).count() == 0


def test_an_absence_recorded_from_the_plain_form(app, make, year_2026):
    i = _internship(make)
    me = browser_for(app, i.student)
    resp = me.post(f"/stages/{i.id}/absences", {"start_date": "2027-05-03",
                                                "end_date": "2027-05-04", "reason": "Maladie"},
                   follow_redirects=True)
    assert "Absence enregistrée." in page(resp)
    other = browser_for(app, make.user("teacher"))
    absence = db.session.get(Internship, i.id).absences[0]
    assert other.post(f"/stages/{i.id}/absences/{absence.id}/supprimer").status_code in (
        403, 404)
