from datetime import date

import pytest

from app.feedback.models import Feedback, GoodPractice, HostProposal
from app.hosts.models import Host
from tests.conftest import Browser, login, text


@pytest.fixture
def ended(make, db):
    """A student whose 2025-2026 internship is over, and a tutor."""
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2025))
    student = make.user("student", last_name="Ancienne")
    host = make.host(name="Archives du Rhône")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=host.id, subject="S", start_date=date(2026, 4, 8), end_date=date(2026, 6, 30)))
    tutor = make.user("teacher", last_name="Tutrice")
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    return i, tutor


def _me(app, user):
    c = app.test_client()
    login(c, user)
    return Browser(c, user)


def test_feedback_is_moderated_before_anyone_sees_it(app, ended, as_role, db, make):
    internship, _ = ended
    me = _me(app, internship.student)
    resp = me.post(f"/retours/stage/{internship.id}", {"about_host": ""})
    assert "Ce champ est obligatoire." in text(resp)
    me.post(f"/retours/stage/{internship.id}", {
        "about_host": "Équipe accueillante, missions variées", "pitfalls": "Logement cher",
        "contact_ok": "y"})
    f = db.session.query(Feedback).one()
    assert f.status == "pending"
    other = as_role("student")
    host_page = text(other.get(f"/organismes/{internship.host_id}"))
    assert "Équipe accueillante" not in host_page
    offer = make.offer(host=internship.host)
    assert "Équipe accueillante" not in text(other.get(f"/offres/{offer.id}"))
    teacher = as_role("teacher")
    # the moderator reads each paragraph under its question, and whether contact is agreed
    queue = text(teacher.get("/retours/moderation"))
    assert "<dt>Sur l’organisme : accueil, missions, ambiance</dt>" in queue
    assert "<dt>Ce qu’il faut faire, et les pièges à éviter</dt>" in queue
    assert "Contact des futurs stagiaires</dt><dd>accepté" in queue
    resp = teacher.post(f"/retours/moderation/retour/{f.id}", {"decision": "reject"},
                        follow_redirects=True)
    assert "Dites pourquoi" in text(resp)
    teacher.post(f"/retours/moderation/retour/{f.id}", {"decision": "publish"})
    host_page = text(other.get(f"/organismes/{internship.host_id}"))
    assert "Équipe accueillante" in host_page and "Logement cher" in host_page
    assert internship.student.email in host_page  # contact shown: the student opted in
    assert "Équipe accueillante" in text(other.get(f"/offres/{offer.id}"))
    # published: no more edits
    resp = me.post(f"/retours/stage/{internship.id}", {"about_host": "Autre",
                                                        "version": f.version_id})
    assert "ne se modifie plus" in text(resp)


def test_rejected_feedback_notifies_and_contact_hidden_without_consent(app, ended, as_role,
                                                                       db):
    from app.notifications.models import Notification
    internship, _ = ended
    me = _me(app, internship.student)
    me.post(f"/retours/stage/{internship.id}", {"about_host": "Bien"})
    f = db.session.query(Feedback).one()
    as_role("secretariat").post(f"/retours/moderation/retour/{f.id}",
                                {"decision": "reject", "comment": "Trop court"})
    note = db.session.query(Notification).filter_by(user_id=internship.student_id).one()
    assert note.message == "Votre retour d’expérience est refusé : Trop court"
    me.post(f"/retours/stage/{internship.id}", {"about_host": "Bien, et voici pourquoi",
                                                 "version": f.version_id})
    db.session.refresh(f)
    assert f.status == "pending"
    as_role("secretariat").post(f"/retours/moderation/retour/{f.id}", {"decision": "publish"})
    page = text(as_role("student").get(f"/organismes/{internship.host_id}"))
    assert "Bien, et voici pourquoi" in page and internship.student.email not in page


def test_feedback_only_after_the_end_and_only_on_ones_own(app, as_role, make, db):
    from app.internships import services as internships
    from app.years import services as years
    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026))
    b = as_role("student")
    future, _ = internships.create_internship(b.user, internships.InternshipData(
        host_id=make.host().id, subject="S", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30)))
    resp = b.post(f"/retours/stage/{future.id}", {"about_host": "Trop tôt"})
    assert "une fois le stage terminé" in text(resp)
    assert as_role("student").get(f"/retours/stage/{future.id}").status_code == 404


def test_good_practices_validated_then_searchable(as_role, make, db):
    student = as_role("student")
    host = make.host(name="Archives du Cher")
    resp = student.post("/retours/bonnes-pratiques/proposer", {"title": "", "domain": "data",
                                                               "host_id": host.id})
    assert "Ce champ est obligatoire." in text(resp)
    # the host chosen stays chosen, in a picker whose blank choice is "—" (optional)
    assert f'<option selected value="{host.id}">Archives du Cher' in text(resp)
    assert 'blank=%E2%80%94' in text(resp) and '<option value="">—</option>' in text(resp)
    student.post("/retours/bonnes-pratiques/proposer", {
        "title": "Plan de classement partagé", "domain": "archives",
        "description": "Un référentiel commun évite les doublons.", "host_id": ""})
    practice = db.session.query(GoodPractice).one()
    assert "Plan de classement" not in text(student.get("/retours/bonnes-pratiques"))
    as_role("teacher").post(f"/retours/moderation/pratique/{practice.id}",
                            {"decision": "publish"})
    frag = text(student.get("/retours/bonnes-pratiques?q=REFERENTIEL", htmx=True))
    assert "Plan de classement partagé" in frag and "<html" not in frag
    assert "Plan de classement" not in text(student.get("/retours/bonnes-pratiques?domain=data"))


def test_host_proposal_creates_the_host_or_explains(as_role, make, db):
    student = as_role("student")
    student.post("/retours/organismes/proposer", {"name": "Médiathèque de Vienne",
                                                  "city": "Vienne", "why": "Très formateur"})
    proposal = db.session.query(HostProposal).one()
    teacher = as_role("teacher")
    teacher.post(f"/retours/moderation/organisme/{proposal.id}", {"decision": "publish"})
    assert db.session.query(Host).filter_by(name="Médiathèque de Vienne").count() == 1
    student.post("/retours/organismes/proposer", {"name": "Médiathèque de Vienne",
                                                  "city": "Vienne", "why": "Encore"})
    again = db.session.query(HostProposal).filter_by(status="pending").one()
    resp = teacher.post(f"/retours/moderation/organisme/{again.id}", {"decision": "publish"},
                        follow_redirects=True)
    assert "existe déjà dans cette ville" in text(resp)
    assert as_role("student").post(f"/retours/moderation/organisme/{again.id}",
                                   {"decision": "publish"}).status_code == 403


def test_debrief_is_private_unless_shared_with_the_tutor(app, ended, as_role, db):
    internship, tutor = ended
    me = _me(app, internship.student)
    me.post(f"/retours/debrief/{internship.id}", {"my_side": "Je n’osais pas demander",
                                                  "lesson_1": "Demander tôt"})
    url = f"/retours/debrief/{internship.id}"
    assert "Je n’osais pas demander" in text(me.get(url))
    t = _me(app, tutor)
    assert t.get(url).status_code == 404
    assert as_role("student").get(url).status_code == 404
    assert as_role("teacher").get(url).status_code == 404
    assert as_role("secretariat").get(url).status_code == 404
    me.post(url, {"my_side": "Je n’osais pas demander", "shared_with_tutor": "y"})
    assert "Je n’osais pas demander" in text(t.get(url))
    assert as_role("teacher").get(url).status_code == 404
