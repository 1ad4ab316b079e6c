"""Bearer tokens stay out of the log, the calendar's address can be renewed, the volunteer
action takes students only, and every « back » parameter stays within the site."""
from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import Browser, login, text
from tests.security.test_routes import world  # noqa: F401  (fixture)


@pytest.fixture
def info_log(app, caplog, monkeypatch):
    # Alembic's logging set-up (the migrations ran in this process) disabled the app's logger
    monkeypatch.setattr(app.logger, "disabled", False)
    caplog.set_level(logging.INFO, logger=app.logger.name)
    return caplog


def test_emails_written_to_the_log_hide_their_links(app, info_log, world, db):  # noqa: F811
    """Without a mail server, the message that gives the host tutor the evaluation link (a
    bearer token) is logged without the link."""
    from app.evaluations import services as evaluations
    from app.evaluations.models import Evaluation

    assert not app.config["MAIL_SERVER"]
    evaluation = db.session.query(Evaluation).filter_by(kind="host_tutor").one()
    token = evaluations.link_token(evaluation)
    with app.test_request_context():
        assert evaluations._send_host_link(evaluation, reminder=True)
    db.session.commit()  # the email leaves the outbox after the commit
    logged = "\n".join(r.getMessage() for r in info_log.get_records("call"))
    assert "t@example.org" in logged and "[lien masqué]" in logged
    assert token not in logged and "/evaluations/lien/" not in logged


def _feed(browser: Browser) -> str:
    page = text(browser.get("/soutenances/mes-soutenances"))
    return re.search(r"<code>http://localhost(/soutenances/calendrier/[^<]+\.ics)</code>",
                     page).group(1)


def test_the_owner_renews_the_calendar_address(app, as_role, client):
    owner = as_role("teacher")
    old = _feed(owner)
    assert client.get(old).status_code == 200
    assert "Créer un nouveau lien d’agenda" in text(owner.get("/soutenances/mes-soutenances"))
    assert owner.client.post("/soutenances/calendrier/renouveler").status_code == 400  # CSRF
    assert client.get(old).status_code == 200
    resp = owner.post("/soutenances/calendrier/renouveler")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/mes-soutenances")
    new = _feed(owner)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # Anonymous: to the login page, nothing renewed
    assert client.post("/soutenances/calendrier/renouveler").status_code in (302, 400)
    assert _feed(owner) == new


@pytest.mark.parametrize("target", ["admin", "teacher", "secretariat"])
def test_volunteering_to_tutor_someone_who_is_not_a_student(app, make, as_role, db, target):
    from app.tutoring.models import TutorAssignment

    teacher = as_role("teacher")
    other = make.user(target)
    resp = teacher.post(f"/tutorat/volontaire/{other.id}")
    assert resp.status_code == 404
    assert db.session.query(TutorAssignment).filter_by(student_id=other.id).count() == 0
    text_of_home = text(teacher.get("/"))
    assert "Proposition envoyée" not in text_of_home


BAD_BACKS = ["//evil.example/candidatures", "/\\evil.example", "/\t/evil.example",
             "https://evil.example/candidatures", "/candidatures\t/evil", "javascript:x"]


@pytest.mark.parametrize("back", BAD_BACKS)
def test_application_back_parameters_stay_in_the_site(app, make, world, back):  # noqa: F811
    owner, ids = world
    staff = Browser(app.test_client())
    staff.user = make.user("secretariat")
    login(staff.client, staff.user)
    resp = staff.post(f"/candidatures/{ids['application_id']}/statut",
                      {"status": "interview", "back": back})
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/candidatures/{ids['application_id']}", back
    student = Browser(app.test_client(), owner)
    login(student.client, owner)
    resp = student.post(f"/candidatures/{ids['application_id']}/retirer", {"back": back})
    assert resp.status_code == 303 and resp.headers["Location"] == "/candidatures", back


def test_a_local_back_parameter_is_followed(app, make, world):  # noqa: F811
    owner, ids = world
    staff = Browser(app.test_client())
    staff.user = make.user("secretariat")
    login(staff.client, staff.user)
    resp = staff.post(f"/candidatures/{ids['application_id']}/statut",
                      {"status": "interview", "back": "/candidatures?status=interview"})
    assert resp.headers["Location"] == "/candidatures?status=interview"
