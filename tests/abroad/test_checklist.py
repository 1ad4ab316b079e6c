"""Internships abroad: the preparation checklist, its mandatory items per year, the advice per
country, and what they do to the convention's validation; each page as each role."""
import io
from datetime import date

import pytest

from app.abroad import services as abroad
from app.conventions import services as conventions
from app.errors import DomainError
from app.extensions import db
from app.tutoring.models import TutorAssignment
from tests.conftest import login, text

TODAY = date(2026, 11, 24)


@pytest.fixture
def spain(make):
    return make.host(name="Arxiu Municipal", city="Barcelona", country="Espagne", headcount=40)


def _fill(i, erasmus=False):
    student = i.student
    for item, data in (("passport", {"passport_on": date(2026, 10, 2)}),
                       ("ariane", {"ariane_on": date(2026, 11, 2)}),
                       ("contacts", {"contact_abroad": "Ana Ruiz +34 600 000 000",
                                     "contact_france": "Parents 06 00 00 00 00"})):
        abroad.update_item(i, student, item, data, None)
    for item in ("insurance", "liability"):
        abroad.update_item(i, student, item, {}, None, (_pdf(), f"{item}.pdf"))
    if erasmus:
        abroad.update_item(i, student, "erasmus", {"erasmus": True}, None)


def _pdf():
    from tests.conftest import PDF
    return PDF


def test_validation_refused_while_a_mandatory_item_is_missing(convention, make, spain):
    c = convention(host=spain, country="Espagne")
    desk = make.user("secretariat")
    with pytest.raises(DomainError) as err:
        conventions.validate(c, desk, c.version_id, TODAY)
    message = err.value.message
    assert "Préparation du départ" in message
    assert "Passeport ou visa" in message and "Inscription sur Ariane" in message
    assert "Dates du voyage" not in message          # not mandatory by default
    _fill(c.internship)
    db.session.refresh(c)
    conventions.validate(c, desk, c.version_id, TODAY)
    assert c.status == "validated"


def test_a_convention_in_france_has_no_preparation_check(convention):
    c = convention()
    codes = [item.code for item in conventions.automatic_checks(c, TODAY)]
    assert "abroad_preparation" not in codes and "abroad_country" not in codes


def test_erasmus_needs_the_learning_agreement_signed_three_times(convention, spain):
    c = convention(host=spain, country="Espagne")
    _fill(c.internship, erasmus=True)
    assert conventions.problems(c, TODAY) == [(
        "Préparation du départ à l’étranger (éléments obligatoires) : Manque : Learning "
        "Agreement for Traineeships (Erasmus+) : trois signatures.")]
    abroad.update_item(c.internship, c.internship.student, "learning_agreement",
                       {"la_student_on": date(2026, 11, 3), "la_school_on": date(2026, 11, 4),
                        "la_host_on": date(2026, 11, 5)}, None)
    assert conventions.problems(c, TODAY) == []


def test_the_year_setting_decides_what_is_mandatory(convention, spain, year_2026):
    c = convention(host=spain, country="Espagne")
    abroad.set_mandatory(year_2026.id, ["travel"])
    assert [p for p in conventions.problems(c, TODAY) if "Manque" in p] == [(
        "Préparation du départ à l’étranger (éléments obligatoires) : Manque : Dates du "
        "voyage (aller et retour).")]
    abroad.set_mandatory(year_2026.id, [])
    assert conventions.problems(c, TODAY) == []


def test_country_advice_warns_or_blocks(convention, make, spain, year_2026):
    abroad.set_mandatory(year_2026.id, [])
    c = convention(host=spain, country="Espagne")
    abroad.save_advice("espagne", "unless_imperative", None)   # any case finds the country
    assert conventions.problems(c, TODAY) == []
    assert abroad.warnings(c.internship) == [(
        "Attention : Espagne est « Déconseillé sauf raison impérative » ; validez seulement "
        "pour une raison impérative.")]
    abroad.save_advice("Espagne", "forbidden", "Tout le pays")
    assert conventions.problems(c, TODAY) == [(
        "Conseils aux voyageurs pour Espagne : Espagne : « Formellement déconseillé » : la "
        "convention ne peut pas être validée.")]
    abroad.save_advice("Espagne", "vigilance", None)
    assert conventions.problems(c, TODAY) == [] and abroad.warnings(c.internship) == []


def test_travel_dates_in_order_and_uploads_checked(internship, spain):
    i = internship(host=spain, country="Espagne")
    with pytest.raises(DomainError) as err:
        abroad.update_item(i, i.student, "travel", {"departure_on": date(2027, 4, 6),
                                                    "return_on": date(2027, 4, 1)}, None)
    assert err.value.field == "return_on"
    db.session.rollback()
    with pytest.raises(DomainError) as err:
        abroad.update_item(i, i.student, "insurance", {}, None, (b"GIF89a", "x.pdf"))
    assert err.value.field == "file" and "PDF" in err.value.message


def test_a_french_internship_has_no_checklist(internship):
    i = internship()
    with pytest.raises(DomainError):
        abroad.update_item(i, i.student, "ariane", {"ariane_on": date(2026, 11, 2)}, None)


# ---------------------------------------------------------------- pages

def _student_browser(app, student):
    from tests.conftest import Browser

    client = app.test_client()
    login(client, student)
    return Browser(client, student)


def test_student_fills_the_checklist_in_place_and_sees_progress_at_home(app, internship, spain):
    i = internship(host=spain, country="Espagne")
    me = _student_browser(app, i.student)
    home = text(me.get("/"))
    assert "Préparer le départ : Espagne" in home and "0 éléments sur 6" in home
    url = f"/etranger/stage/{i.id}"
    page = me.get(url)
    assert page.status_code == 200 and "Inscription sur Ariane" in text(page)
    resp = me.post(f"{url}/ariane", {"ariane_on": "2026-11-02"}, htmx=True)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<section id="checklist"')
    assert "1 éléments sur 6" in text(resp)
    assert 'id="ariane_on"' in body and 'value="2026-11-02"' in body
    # an invalid date comes back next to its field, with what was typed
    resp = me.post(f"{url}/travel", {"departure_on": "2027-04-06", "return_on": "2027-04-01"},
                   htmx=True)
    body = resp.get_data(as_text=True)
    assert 'id="return_on-error"' in body and "Le retour suit le départ" in body
    assert 'value="2027-04-06"' in body
    # a certificate, uploaded and downloaded
    resp = me.post(f"{url}/insurance", {"file": (io.BytesIO(_pdf()), "assurance.pdf")},
                   content_type="multipart/form-data")
    assert resp.status_code == 303
    assert "assurance.pdf" in text(me.get(url))
    assert me.get(f"{url}/attestation/insurance").data == _pdf()
    assert "2 éléments sur 6" in text(me.get("/"))


def test_who_sees_the_checklist(app, as_role, make, internship, spain, year_2026):
    i = internship(host=spain, country="Espagne")
    url = f"/etranger/stage/{i.id}"
    other = as_role("student")
    assert other.get(url).status_code == 404
    assert other.post(f"{url}/ariane", {"ariane_on": "2026-11-02"}).status_code == 404
    teacher = as_role("teacher")
    assert teacher.get(url).status_code == 404
    db.session.add(TutorAssignment(student_id=i.student_id, teacher_id=teacher.user.id,
                                   academic_year_id=year_2026.id))
    db.session.commit()
    page = teacher.get(url)
    assert page.status_code == 200 and "Inscription sur Ariane" in text(page)
    assert 'action="/etranger/stage/' not in page.get_data(as_text=True)   # reads only
    assert teacher.post(f"{url}/ariane", {"ariane_on": "2026-11-02"}).status_code == 403
    desk = as_role("secretariat")
    assert desk.post(f"{url}/ariane", {"ariane_on": "2026-11-02"}).status_code == 303
    assert "1 éléments sur 6" in text(desk.get(url))
    # an internship in France has no such page
    french = internship()
    assert desk.get(f"/etranger/stage/{french.id}").status_code == 404


def test_secretariat_sets_mandatory_items_and_country_advice(as_role, year_2026):
    desk = as_role("secretariat")
    page = desk.get("/etranger/obligatoire")
    assert page.status_code == 200 and "2026-2027" in text(page)
    resp = desk.post(f"/etranger/obligatoire?annee={year_2026.id}",
                     {"mandatory": ["ariane", "travel"]})
    assert resp.status_code == 303
    assert abroad.mandatory_for(year_2026.id) == ("ariane", "travel")
    resp = desk.post("/etranger/pays", {"country": "", "level": "forbidden"})
    assert resp.status_code == 200 and "Indiquez le pays." in text(resp)
    resp = desk.post("/etranger/pays", {"country": "Mali", "level": "forbidden",
                                        "note": "Tout le territoire"})
    assert resp.status_code == 303
    listing = text(desk.get("/etranger/pays"))
    assert "Mali" in listing and "Formellement déconseillé" in listing and "bloque" in listing
    for role in ("student", "teacher"):
        browser = as_role(role)
        assert browser.get("/etranger/pays").status_code == 403
        assert browser.get("/etranger/obligatoire").status_code == 403


def test_secretariat_told_what_is_missing_and_warned_at_validation(as_role, convention, spain,
                                                                   year_2026, time_machine):
    time_machine.move_to("2026-11-24 10:00", tick=False)
    c = convention(host=spain, country="Espagne")
    desk = as_role("secretariat")
    page = text(desk.get(f"/conventions/{c.id}"))
    assert "Préparation du départ à l’étranger" in page and "Manque : Passeport ou visa" in page
    resp = desk.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                     follow_redirects=True)
    assert "Validation impossible" in text(resp) and "Passeport ou visa" in text(resp)
    abroad.set_mandatory(year_2026.id, [])
    abroad.save_advice("Espagne", "unless_imperative", None)
    db.session.refresh(c)
    resp = desk.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                     follow_redirects=True)
    body = text(resp)
    assert "Déconseillé sauf raison impérative" in body and "validez seulement" in body
    db.session.refresh(c)
    assert c.status == "validated"
