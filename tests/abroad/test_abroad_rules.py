"""Preparing a stay abroad, the rules the main paths do not meet (app/abroad/services.py):
travel advice per country, each refusal of a checklist item, each refusal of a tip, and the
guides' counts (a country written two ways is one)."""
from datetime import date

import pytest

from app.abroad import services as abroad
from app.abroad.models import CountryAdvice
from app.errors import DomainError
from app.extensions import db
from app.feedback import services as feedback


@pytest.fixture
def spain(make):
    return make.host(name="Arxiu Municipal", city="Barcelona", country="Espagne", headcount=40)


@pytest.mark.parametrize("country, level, field, message", [
    ("  ", "normal", "country", "Indiquez le pays."),
    ("France", "normal", "country", "Les conseils aux voyageurs concernent les pays étrangers."),
    ("Espagne", "rouge", "level", "Choisissez un niveau de vigilance."),
])
def test_travel_advice_is_for_a_foreign_country_with_a_level(db, country, level, field,
                                                             message):
    with pytest.raises(DomainError) as err:
        abroad.save_advice(country, level, None)
    assert (err.value.field, err.value.message) == (field, message)
    assert db.session.query(CountryAdvice).count() == 0


def test_travel_advice_is_updated_then_removed(db):
    first = abroad.save_advice("Espagne", "normal", "  ")
    again = abroad.save_advice("Espagne", "vigilance", "Grèves", "Gratification en euros")
    assert again.id == first.id and (again.level, again.note, again.pay_rule) == (
        "vigilance", "Grèves", "Gratification en euros")
    abroad.delete_advice(first.id)
    abroad.delete_advice(first.id)   # already gone: nothing to do
    assert abroad.all_advice() == []


def test_each_refusal_of_a_checklist_item(internship, make, spain):
    i = internship(host=spain, country="Espagne")
    cases = [
        (make.user("student"), "ariane", {}, None, None, "Cette préparation n’est pas la vôtre."),
        (i.student, "visa-lunaire", {}, None, None, "Élément inconnu."),
        (i.student, "insurance", {}, None, None, "Choisissez l’attestation d’assurance (PDF)."),
        (i.student, "ariane", {"ariane_on": "demain"}, None, None, "Date invalide."),
    ]
    for actor, item, data, version, upload, message in cases:
        with pytest.raises(DomainError) as err:
            abroad.update_item(i, actor, item, data, version, upload)
        assert err.value.message == message
        db.session.rollback()
    prep = abroad.update_item(i, i.student, "erasmus", {"erasmus": "1"}, None)
    assert prep.erasmus
    with pytest.raises(DomainError, match="Quelqu’un d’autre a modifié cette préparation"):
        abroad.update_item(i, i.student, "ariane", {"ariane_on": date(2026, 11, 2)},
                           prep.version_id - 1)


@pytest.mark.parametrize("data, field, message", [
    ({"kind": "gossip", "body": "x"}, "kind", "Choisissez le type de conseil."),
    ({"kind": "do", "body": "   "}, "body", "Écrivez votre conseil."),
    ({"kind": "do", "body": "x" * 3001}, "body", "3 000 caractères au plus."),
])
def test_each_refusal_of_a_tip(internship, spain, data, field, message):
    i = internship(host=spain, country="Espagne")
    with pytest.raises(DomainError) as err:
        abroad.propose_tip(i.student, i, data)
    assert (err.value.field, err.value.message) == (field, message)
    assert abroad.tips_of(i.student) == []


def test_a_country_written_two_ways_is_one_guide(internship, make, spain):
    teacher = make.user("teacher")
    for country in ("Espagne", "espagne "):
        i = internship(host=spain, country=country)
        tip = abroad.propose_tip(i.student, i, {"kind": "do", "body": "Apprendre le catalan."})
        feedback.moderate(teacher, "conseil", tip.id, True, None)
    assert abroad.guide_countries() == [("Espagne", 2)]
    assert abroad.guide_count("ESPAGNE") == 2
    assert abroad.guide_count(None) == 0 and abroad.guide_count("") == 0
