"""Feedback's pages the main paths do not open: a retour edited from its own page, a good
practice naming an unknown host, moderating what is not moderated or already decided."""
from datetime import date

from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback, GoodPractice
from tests.conftest import browser_for, text
from tests.feedback.test_feedback import ended  # noqa: F401


def test_a_retour_is_edited_from_its_page(app, ended):  # noqa: F811
    internship, _ = ended
    services.save_feedback(internship.student, internship, {"about_host": "Accueil"},
                           date.today())
    feedback = db.session.query(Feedback).one()
    me = browser_for(app, internship.student)
    page = text(me.get(f"/retours/stage/{internship.id}"))
    assert "Accueil" in page and f'value="{feedback.version_id}"' in page
    resp = me.post(f"/retours/stage/{internship.id}", {
        "about_host": "Très bon accueil", "version": feedback.version_id},
        follow_redirects=True)
    assert "Retour envoyé : l’équipe le relit avant de le publier." in text(resp)
    db.session.expire_all()
    assert db.session.query(Feedback).one().about_host == "Très bon accueil"


def test_a_good_practice_naming_an_unknown_host(as_role, make):
    me = as_role("student")
    resp = me.post("/retours/bonnes-pratiques/proposer", {
        "title": "Fiche de récolement", "domain": "archives", "host_id": "999999",
        "description": "Une fiche par boîte."})
    assert "Organisme inconnu." in text(resp)
    assert db.session.query(GoodPractice).count() == 0


def test_moderating_what_is_not_moderated_or_already_decided(app, as_role, ended):  # noqa: F811
    internship, _ = ended
    services.save_feedback(internship.student, internship, {"about_host": "Accueil"},
                           date.today())
    feedback = db.session.query(Feedback).one()
    teacher = as_role("teacher")
    assert teacher.post(f"/retours/moderation/recette/{feedback.id}",
                        {"decision": "publish"}).status_code == 404
    resp = teacher.post(f"/retours/moderation/retour/{feedback.id}", {"decision": "publish"},
                        follow_redirects=True)
    assert "Décision enregistrée ; l’auteur·rice est prévenu·e." in text(resp)
    resp = teacher.post(f"/retours/moderation/retour/{feedback.id}",
                        {"decision": "reject", "comment": "Non"}, follow_redirects=True)
    assert "Ce retour a déjà été traité (statut : " in text(resp)
    assert "Décision enregistrée" not in text(resp)
    db.session.expire_all()
    assert db.session.query(Feedback).one().status == "published"
