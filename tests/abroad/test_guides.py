"""Country guides: tips and keep-contact offers for next year's students, moderated like
feedback, shown by city and kind, announced on the offers and hosts of the country."""
from datetime import date

import pytest

from app.abroad import services as abroad
from app.errors import DomainError
from app.feedback import services as feedback
from tests.conftest import Browser, login, text


@pytest.fixture
def spain(make):
    return make.host(name="Arxiu Municipal", city="Barcelona", country="Espagne", headcount=40)


def test_a_tip_is_for_the_country_of_ones_internship_abroad(internship, make, spain):
    i = internship(host=spain, country="Espagne")
    with pytest.raises(DomainError) as err:
        abroad.propose_tip(make.user("student"), i, {"kind": "do", "body": "Hola"})
    assert "votre stage à l’étranger" in err.value.message
    french = internship()
    with pytest.raises(DomainError):
        abroad.propose_tip(french.student, french, {"kind": "do", "body": "Bonjour"})
    with pytest.raises(DomainError) as err:
        abroad.propose_tip(i.student, i, {"kind": "contact", "body": "Écrivez-moi"})
    assert err.value.field == "contact"
    tip = abroad.propose_tip(i.student, i, {"kind": "housing", "city": "Barcelona",
                                            "body": "Chercher dans Gràcia dès février."})
    assert tip.status == "pending" and tip.country == "Espagne"


def test_only_moderated_tips_reach_the_guide(internship, make, spain):
    i = internship(host=spain, country="Espagne")
    tip = abroad.propose_tip(i.student, i, {"kind": "housing", "city": "Barcelona",
                                            "body": "Chercher dans Gràcia dès février."})
    offer = abroad.propose_tip(i.student, i, {"kind": "contact", "body": "Je réponds volontiers.",
                                              "contact": "lucia@example.org"})
    assert abroad.guide("Espagne").empty and abroad.guide_count("Espagne") == 0
    teacher = make.user("teacher")
    feedback.moderate(teacher, "conseil", tip.id, True, None)
    feedback.moderate(teacher, "conseil", offer.id, False, "Pas d’adresse personnelle ici.")
    g = abroad.guide("espagne")
    assert [(city, [kind for kind, _ in kinds]) for city, kinds in g.by_city] == [
        ("Barcelona", ["housing"])]
    assert abroad.guide_count("Espagne") == 1
    with pytest.raises(DomainError):   # decided once
        feedback.moderate(teacher, "conseil", tip.id, False, "Non")


def test_pages_write_moderate_read_and_the_block_on_offers_and_hosts(
        app, as_role, internship, make, spain, time_machine):
    time_machine.move_to("2026-11-24 10:00", tick=False)
    i = internship(host=spain, country="Espagne")
    client = app.test_client()
    login(client, i.student)
    me = Browser(client, i.student)
    assert "Écrire un conseil pour Espagne" in text(me.get("/etranger/guides"))
    url = f"/etranger/guides/ecrire/{i.id}"
    form = text(me.get(url))
    assert "Un conseil pour Espagne" in form
    resp = me.post(url, {"kind": "contact", "city": "Barcelona", "body": "Écrivez-moi"})
    assert resp.status_code == 200 and "Indiquez comment vous joindre" in text(resp)
    assert "Écrivez-moi" in text(resp)                 # what was typed is kept
    resp = me.post(url, {"kind": "do", "city": "Barcelona",
                         "body": "Apprendre quelques mots de catalan."})
    assert resp.status_code == 303
    assert "À modérer" in text(me.get("/etranger/guides"))
    assert as_role("student").get(url).status_code == 404       # another student's internship
    teacher = as_role("teacher")
    moderation = text(teacher.get("/retours/moderation"))
    assert "Apprendre quelques mots de catalan." in moderation
    tip = abroad.tips_of(i.student)[0]
    assert teacher.post(f"/retours/moderation/conseil/{tip.id}",
                        {"decision": "publish"}).status_code == 303
    reader = as_role("student")
    guide = text(reader.get("/etranger/guides/Espagne"))
    assert "Barcelona" in guide and "À faire" in guide and "catalan" in guide
    offer = make.offer(host=spain, country="Espagne", city="Barcelona")
    page = text(reader.get(f"/offres/{offer.id}"))
    assert "Conseils pour Espagne" in page and "1 conseil ou retour" in page
    assert "Conseils pour Espagne" in text(reader.get(f"/organismes/{spain.id}"))
    french = make.host()
    assert "Conseils pour" not in text(reader.get(f"/organismes/{french.id}"))


def test_published_feedback_on_hosts_of_the_country_is_in_the_guide(internship, make, spain):
    i = internship(host=spain, country="Espagne", start_date=date(2027, 4, 8),
                   end_date=date(2027, 6, 30))
    fb = feedback.save_feedback(i.student, i, {"about_host": "Une équipe accueillante.",
                                               "about_place": "Ville chère, vélo conseillé."},
                                date(2027, 9, 1))
    feedback.moderate(make.user("teacher"), "retour", fb.id, True, None)
    g = abroad.guide("Espagne")
    assert [f.about_place for f in g.feedback] == ["Ville chère, vélo conseillé."]
    assert abroad.guide_count("Espagne") == 1
