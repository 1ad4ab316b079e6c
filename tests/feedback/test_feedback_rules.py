"""Feedback, good practices and host proposals: the refusals the main paths do not meet
(app/feedback/services.py), each with its field and its words: whose internship, a published
retour frozen, a stale one, the texts' bounds, moderation by the teaching team only."""
from datetime import date

import pytest

from app.errors import DomainError
from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback, GoodPractice, HostProposal

DOMAINS = {"archives": "Archives"}
AFTER = date(2026, 7, 10)


@pytest.fixture
def ended(make):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2025))
    student = make.user("student")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="S", start_date=date(2026, 4, 8),
        end_date=date(2026, 6, 30)))
    return i


def test_a_retour_is_written_on_ones_own_internship_and_bounded(make, ended):
    with pytest.raises(DomainError, match="Ce stage n’est pas le vôtre."):
        services.save_feedback(make.user("student"), ended, {"about_host": "x"}, AFTER)
    with pytest.raises(DomainError) as err:
        services.save_feedback(ended.student, ended, {"about_host": "  "}, AFTER)
    assert (err.value.field, err.value.message) == (
        "about_host", "Sur l’organisme : ce champ est obligatoire.")
    db.session.rollback()
    with pytest.raises(DomainError) as err:
        services.save_feedback(ended.student, ended, {"about_host": "ok",
                                                      "pitfalls": "x" * 5001}, AFTER)
    assert (err.value.field, err.value.message) == (
        "pitfalls", "Pièges à éviter : 5000 caractères au plus.")
    db.session.rollback()
    assert db.session.query(Feedback).count() == 0


def test_a_retour_is_edited_until_published_and_never_from_a_stale_page(make, ended):
    feedback = services.save_feedback(ended.student, ended, {"about_host": "Accueil"}, AFTER)
    version = feedback.version_id
    services.save_feedback(ended.student, ended, {"about_host": "Bon accueil"}, AFTER, version)
    with pytest.raises(DomainError, match="Quelqu’un d’autre a modifié ce retour"):
        services.save_feedback(ended.student, ended, {"about_host": "Autre"}, AFTER, version)
    db.session.rollback()
    feedback = db.session.get(Feedback, feedback.id)
    services.moderate(make.user("teacher"), "retour", feedback.id, True, None)
    with pytest.raises(DomainError, match="Votre retour est publié : il ne se modifie plus."):
        services.save_feedback(ended.student, ended, {"about_host": "Encore"}, AFTER,
                               feedback.version_id)
    assert db.session.get(Feedback, feedback.id).about_host == "Bon accueil"


@pytest.mark.parametrize("data, field, message", [
    ({"title": "x" * 201, "domain": "archives", "description": "d"}, "title",
     "Titre : 200 caractères au plus."),
    ({"title": "Fiche", "domain": "cuisine", "description": "d"}, "domain",
     "Choisissez le domaine."),
    ({"title": "Fiche", "domain": "archives", "description": "d", "host_id": 999999},
     "host_id", "Organisme inconnu."),
])
def test_a_good_practice_needs_a_short_title_a_domain_and_a_known_host(make, data, field,
                                                                       message):
    with pytest.raises(DomainError) as err:
        services.propose_practice(make.user("teacher"), data, DOMAINS)
    assert (err.value.field, err.value.message) == (field, message)
    assert db.session.query(GoodPractice).count() == 0


def test_a_host_proposal_with_too_long_a_name(make):
    with pytest.raises(DomainError, match="Le nom ou la ville est trop long."):
        services.propose_host(make.user("student"), {"name": "x" * 201, "city": "Lyon",
                                                     "why": "Très bon accueil"})
    assert db.session.query(HostProposal).count() == 0


def test_moderation_is_the_teaching_teams_and_on_what_exists(make, ended):
    feedback = services.save_feedback(ended.student, ended, {"about_host": "Accueil"}, AFTER)
    with pytest.raises(DomainError, match="La modération est faite par l’équipe pédagogique."):
        services.moderate(make.user("student"), "retour", feedback.id, True, None)
    for kind, item_id in (("retour", 999999), ("recette", feedback.id)):
        with pytest.raises(DomainError, match="Cet élément n’existe plus."):
            services.moderate(make.user("teacher"), kind, item_id, True, None)
    assert db.session.get(Feedback, feedback.id).status == "pending"


def test_a_debrief_is_ones_own(make, ended):
    with pytest.raises(DomainError, match="Ce stage n’est pas le vôtre."):
        services.save_debrief(make.user("student"), ended, {"my_side": "x"})
    debrief = services.save_debrief(ended.student, ended, {"my_side": "Appris beaucoup"})
    assert services.can_read_debrief(ended.student, debrief)
    assert not services.can_read_debrief(make.user("teacher"), debrief)   # not shared
