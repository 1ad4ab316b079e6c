"""Every transition of the applications' and the offers' workflows (STAFF_TRANSITIONS in
app/applications/models.py, TRANSITIONS behind ``Offer.next_statuses()``), taken once through
the pages, and one refused transition from each status: the status that results and the
message the user reads. The conventions' and internships' are in
tests/conventions/test_every_transition.py."""
from datetime import date

import pytest
from flask import current_app

from app.applications import services as applications
from app.applications.models import STAFF_TRANSITIONS, Application, ApplicationEvent
from app.applications.models import STATUSES as APPLICATION_STATUSES
from app.extensions import db
from app.internships.models import Internship
from app.notifications.models import Notification
from app.offers.models import ACTION_LABELS, TRANSITIONS, Offer
from app.offers.models import STATUSES as OFFER_STATUSES
from tests.conftest import PDF, browser_for, text

# ---------------------------------------------------------------- applications

@pytest.fixture
def application(make, db):
    """An application brought to ``status`` by the workflow's own steps."""
    from app.years import services as years

    years.ensure_default_rates()

    def _make(status="sent"):
        student = make.user("student")
        with current_app.test_request_context():
            a = applications.apply(student, make.offer(), "Motivée.", PDF, "cv.pdf",
                                   date.today())
            if status == "withdrawn":
                applications.withdraw(student, a, a.version_id)
            elif status != "sent":
                desk = make.user("secretariat")
                if status in ("accepted", "refused"):
                    applications.change_status(desk, a, "interview", None, a.version_id,
                                               date.today())
                applications.change_status(desk, a, status, None, a.version_id, date.today())
        return a

    return _make


STAFF_MOVES = [(source, target) for source, targets in STAFF_TRANSITIONS.items()
               for target in targets]


def test_the_fixture_reaches_every_application_status(application):
    for status in APPLICATION_STATUSES:
        assert application(status).status == status


@pytest.mark.parametrize("source, target", STAFF_MOVES,
                         ids=[f"{s}-to-{t}" for s, t in STAFF_MOVES])
def test_each_staff_move_of_an_application(app, as_role, application, source, target):
    a = application(source)
    staff = as_role("teacher")
    resp = staff.post(f"/candidatures/{a.id}/statut",
                      {"status": target, "comment": "Vu ensemble", "version": a.version_id},
                      follow_redirects=True)
    body = text(resp)
    assert f"Candidature : {APPLICATION_STATUSES[target].lower()}." in body
    db.session.expire_all()
    a = db.session.get(Application, a.id)
    assert a.status == target and a.comment == "Vu ensemble"
    event = a.events[-1]
    assert (event.from_status, event.to_status, event.actor_id) == (source, target,
                                                                     staff.user.id)
    # the student is told, and reads the new status on the application's page
    note = db.session.query(Notification).filter_by(user_id=a.student_id).order_by(
        Notification.id.desc()).first()
    assert f"est maintenant : {APPLICATION_STATUSES[target].lower()}" in note.message
    assert APPLICATION_STATUSES[target] in text(browser_for(app, a.student).get(
        f"/candidatures/{a.id}"))
    # acceptance opens the internship record, once
    started = db.session.query(Internship).filter_by(student_id=a.student_id).count()
    assert started == (1 if target == "accepted" else 0)
    if target == "accepted":
        assert "La fiche de stage de l’étudiant·e a été ouverte" in body


@pytest.mark.parametrize("source", ["sent", "interview"])
def test_the_student_withdraws_an_open_application(app, application, source):
    a = application(source)
    me = browser_for(app, a.student)
    resp = me.post(f"/candidatures/{a.id}/retirer", {"version": a.version_id},
                   follow_redirects=True)
    assert f"Candidature à « {a.offer.title} » retirée." in text(resp)
    db.session.expire_all()
    a = db.session.get(Application, a.id)
    assert a.status == "withdrawn"
    assert (a.events[-1].from_status, a.events[-1].to_status) == (source, "withdrawn")


REFUSED_STAFF = {  # status: (the move refused, the message)
    "sent": ("withdrawn", "Une candidature « envoyée » ne peut pas passer à « retirée »."),
    "interview": ("sent", "Une candidature « entretien » ne peut pas passer à « envoyée »."),
    "accepted": ("refused", "Une candidature « acceptée » ne peut pas passer à « refusée »."),
    "refused": ("accepted", "Une candidature « refusée » ne peut pas passer à « acceptée »."),
    "withdrawn": ("interview",
                  "Une candidature « retirée » ne peut pas passer à « entretien »."),
}


def test_every_application_status_has_a_refusal_here():
    assert set(REFUSED_STAFF) == set(APPLICATION_STATUSES)
    for status, (target, _) in REFUSED_STAFF.items():
        assert target not in STAFF_TRANSITIONS[status]


@pytest.mark.parametrize("source", list(REFUSED_STAFF))
def test_a_refused_application_move_says_why(as_role, application, source):
    target, message = REFUSED_STAFF[source]
    a = application(source)
    version, events = a.version_id, len(a.events)
    staff = as_role("secretariat")
    resp = staff.post(f"/candidatures/{a.id}/statut",
                      {"status": target, "version": version}, follow_redirects=True)
    assert message in text(resp)
    resp = staff.post(f"/candidatures/{a.id}/statut", {"status": target, "version": version},
                      htmx=True)
    assert message in text(resp) and "<html" not in text(resp)
    db.session.expire_all()
    a = db.session.get(Application, a.id)
    assert (a.status, a.version_id, len(a.events)) == (source, version, events)


@pytest.mark.parametrize("source", ["accepted", "refused", "withdrawn"])
def test_a_decided_application_cannot_be_withdrawn(app, application, source):
    a = application(source)
    resp = browser_for(app, a.student).post(f"/candidatures/{a.id}/retirer",
                                            {"version": a.version_id}, follow_redirects=True)
    label = APPLICATION_STATUSES[source].lower()
    assert f"Une candidature {label} ne peut plus être retirée." in text(resp)
    db.session.expire_all()
    assert db.session.get(Application, a.id).status == source


def test_application_moves_refused_to_others(app, as_role, application, make):
    a = application("sent")
    with pytest.raises(applications.DomainError, match="Seule l’équipe pédagogique"):
        applications.change_status(a.student, a, "accepted", None, a.version_id, date.today())
    with pytest.raises(applications.DomainError, match="Statut inconnu"):
        applications.change_status(make.user("secretariat"), a, "perdue", None, a.version_id,
                                   date.today())
    with pytest.raises(applications.DomainError, match="n’est pas la vôtre"):
        applications.withdraw(make.user("student"), a, a.version_id)
    db.session.rollback()
    assert db.session.get(Application, a.id).status == "sent"
    assert db.session.query(ApplicationEvent).filter_by(application_id=a.id).count() == 1


# ---------------------------------------------------------------- offers

OFFER_MOVES = [(source, target) for source, targets in TRANSITIONS.items()
               for target in targets]


@pytest.fixture
def offer(make):
    def _make(status):
        o = make.offer(status="draft" if status == "archived" else status,
                       deadline=date(2099, 3, 1), start_date=date(2099, 4, 12))
        if status == "archived":
            from app.offers import services

            services.change_status(o, "archived", o.version_id)
        return o

    return _make


def test_every_offer_move_has_a_button_label():
    assert set(ACTION_LABELS) == set(OFFER_MOVES)


@pytest.mark.parametrize("source, target", OFFER_MOVES,
                         ids=[f"{s}-to-{t}" for s, t in OFFER_MOVES])
def test_each_offer_move(as_role, offer, source, target):
    o = offer(source)
    assert o.status == source
    staff = as_role("secretariat")
    page = text(staff.get(f"/offres/{o.id}"))
    assert ACTION_LABELS[(source, target)] in page   # the button the staff click
    resp = staff.post(f"/offres/{o.id}/statut", {"status": target, "version": o.version_id},
                      follow_redirects=True)
    assert f"Offre : {OFFER_STATUSES[target].lower()}." in text(resp)
    db.session.expire_all()
    o = db.session.get(Offer, o.id)
    assert o.status == target
    assert [s for s, _ in o.next_statuses()] == list(TRANSITIONS[target])
    # students see published offers only
    listed = o.title in text(as_role("student").get("/offres/"))
    assert listed == (target == "published")


REFUSED_OFFERS = {
    "draft": ("closed", "Une offre « brouillon » ne peut pas passer à « close »."),
    "published": ("draft", "Une offre « publiée » ne peut pas passer à « brouillon »."),
    "closed": ("draft", "Une offre « close » ne peut pas passer à « brouillon »."),
    "archived": ("published", "Une offre « archivée » ne peut pas passer à « publiée »."),
}


def test_every_offer_status_has_a_refusal_here():
    assert set(REFUSED_OFFERS) == set(OFFER_STATUSES)
    for status, (target, _) in REFUSED_OFFERS.items():
        assert target not in TRANSITIONS[status]


@pytest.mark.parametrize("source", list(REFUSED_OFFERS))
def test_a_refused_offer_move_says_why(as_role, offer, source):
    target, message = REFUSED_OFFERS[source]
    o = offer(source)
    version = o.version_id
    staff = as_role("teacher")
    resp = staff.post(f"/offres/{o.id}/statut", {"status": target, "version": version},
                      follow_redirects=True)
    assert message in text(resp)
    resp = staff.post(f"/offres/{o.id}/statut", {"status": target, "version": version},
                      htmx=True)
    assert message in text(resp) and 'id="status-panel"' in text(resp)
    db.session.expire_all()
    o = db.session.get(Offer, o.id)
    assert (o.status, o.version_id) == (source, version)


def test_an_unknown_offer_status_and_a_student_are_refused(as_role, offer):
    o = offer("draft")
    staff = as_role("secretariat")
    resp = staff.post(f"/offres/{o.id}/statut", {"status": "perdue", "version": o.version_id},
                      follow_redirects=True)
    assert "Statut inconnu." in text(resp)
    assert as_role("student").post(f"/offres/{o.id}/statut", {
        "status": "published", "version": o.version_id}).status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Offer, o.id).status == "draft"


def test_publishing_past_the_deadline_is_refused(as_role, make):
    o = make.offer(status="draft", deadline=date(2020, 3, 1), start_date=date(2020, 4, 12))
    resp = as_role("secretariat").post(f"/offres/{o.id}/statut", {
        "status": "published", "version": o.version_id}, follow_redirects=True)
    assert "La date limite de candidature (1er mars 2020) est passée" in text(resp).replace(
        "\u202f", " ").replace("\u00a0", " ")
    db.session.expire_all()
    assert db.session.get(Offer, o.id).status == "draft"
