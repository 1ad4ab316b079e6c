"""The stay-abroad pages the main paths do not open: an item that is not one, a checklist
that is not one's own, a plain-form save, a certificate not yet deposited, the secretariat's
country advice (refused for France, filled for editing, removed) and the year's mandatory
items."""
import pytest

from app.abroad import services as abroad
from app.abroad.models import CountryAdvice
from app.extensions import db
from tests.conftest import browser_for, text


@pytest.fixture
def spain(make):
    return make.host(name="Arxiu Municipal", city="Barcelona", country="Espagne", headcount=40)




def test_the_checklist_refuses_what_it_does_not_know_and_others(app, as_role, internship,
                                                                spain):
    i = internship(host=spain, country="Espagne")
    url = f"/etranger/stage/{i.id}"
    me = browser_for(app, i.student)
    assert me.post(f"{url}/visa-lunaire", {}).status_code == 404
    assert me.get(f"{url}/attestation/insurance").status_code == 404   # none deposited
    assert me.get(f"{url}/attestation/passport").status_code == 404    # not a certificate
    assert as_role("student").post(f"{url}/ariane", {"ariane_on": "2026-11-02"}) \
        .status_code in (403, 404)
    resp = me.post(f"{url}/contacts", {"contact_abroad": "Lucia +34 600 000 000",
                                       "contact_france": "Parents"}, follow_redirects=True)
    assert "Préparation enregistrée." in text(resp)
    assert abroad.preparation_of(i).contact_abroad == "Lucia +34 600 000 000"


def test_the_secretariat_keeps_the_country_advice(as_role, year_2026):
    desk = as_role("secretariat")
    resp = desk.post("/etranger/pays", {"country": "France", "level": "normal"})
    assert "Les conseils aux voyageurs concernent les pays étrangers." in text(resp)
    assert db.session.query(CountryAdvice).count() == 0
    resp = desk.post("/etranger/pays", {"country": "Espagne", "level": "vigilance",
                                        "note": "Grèves", "pay_rule": "Salaire minimum"},
                     follow_redirects=True)
    assert "Avis pour Espagne enregistré." in text(resp)
    form = text(desk.get("/etranger/pays?pays=Espagne"))
    assert 'value="Espagne"' in form and "Salaire minimum" in form
    advice = db.session.query(CountryAdvice).one()
    resp = desk.post(f"/etranger/pays/{advice.id}/supprimer", follow_redirects=True)
    assert "Avis supprimé." in text(resp)
    assert db.session.query(CountryAdvice).count() == 0
    assert as_role("student").get("/etranger/pays").status_code == 403


def test_the_mandatory_items_of_a_year(as_role, year_2026):
    desk = as_role("secretariat")
    resp = desk.post(f"/etranger/obligatoire?annee={year_2026.id}",
                     {"mandatory": ["passport", "insurance"]}, follow_redirects=True)
    assert "Éléments obligatoires de l’année 2026-2027 enregistrés." in text(resp)
    assert set(abroad.mandatory_for(year_2026.id)) == {"passport", "insurance"}
