"""The secretariat cancels a convention (app/conventions/services.py ``cancel``): the
internship goes with it, everyone concerned is told, the history says who, when and why; a
signed convention whose internship has started is broken off, not cancelled; nobody else
cancels."""
from datetime import date

import pytest

from app.conventions.models import Convention
from app.extensions import db
from app.internships.models import Internship
from app.notifications.models import Notification, OutboxMail
from tests.conftest import browser_for, page


def _today(monkeypatch, day):
    import app.conventions.routes as routes

    class Fixed(date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr(routes, "date", Fixed)


def test_the_secretariat_cancels_a_validated_convention(app, as_role, convention):
    c = convention(validate=True)
    student, tutor = c.internship.student, c.academic_tutor
    desk = as_role("secretariat", first_name="Claire", last_name="Martin")
    shown = page(desk.get(f"/conventions/{c.id}"))
    assert "Annuler la convention" in shown and "Le stage sera annulé lui aussi." in shown
    assert "Motif de l’annulation" in shown
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": c.version_id, "comment": "L’organisme a fermé le service"},
                     follow_redirects=True)
    body = page(resp)
    assert "Convention annulée." in body
    assert 'class="badge conv-cancelled">Annulée' in body
    # the history says from what, by whom and why
    history = body.split('id="history"')[1]
    assert ("Validée → <strong>Annulée</strong> par Claire Martin : "
            "« L’organisme a fermé le service »") in history
    assert "Annuler la convention" not in body.split('id="workflow"')[1].split("</section>")[0]
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "cancelled" and c.internship.status == "cancelled"
    assert c.internship.convention_signed_on is None
    # the student and the tutor are told, by the intranet and by email; the host tutor by email
    for person in (student, tutor):
        note = db.session.query(Notification).filter_by(user_id=person.id).order_by(
            Notification.id.desc()).first()
        assert "est annulée, et son stage avec elle" in note.message
        assert "« L’organisme a fermé le service »" in note.message
        assert db.session.query(OutboxMail).filter_by(
            recipient=person.email, subject="Convention de stage annulée").count() == 1
    host_mail = db.session.query(OutboxMail).filter_by(
        recipient=c.internship.host_tutor_email).one()
    assert host_mail.subject == "Convention de stage annulée"
    assert "est annulée : « L’organisme a fermé le service »" in host_mail.body
    # the student reads it on their internship and may declare another one
    mine = page(browser_for(app, student).get(f"/stages/{c.internship_id}"))
    assert "Stage annulé" in mine and "Déclarer un nouveau stage" in mine


def test_a_signed_convention_is_cancelled_before_the_internship_starts(as_role, convention,
                                                                       monkeypatch):
    c = convention(sign=True)
    assert c.internship.convention_signed_on is not None
    _today(monkeypatch, date(2027, 4, 7))   # the day before it starts
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": c.version_id, "comment": "Le stagiaire renonce"},
                     follow_redirects=True)
    assert "Convention annulée." in page(resp)
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "cancelled" and c.internship.status == "cancelled"
    assert c.internship.convention_signed_on is None
    assert (c.events[-1].from_status, c.events[-1].to_status) == ("signed", "cancelled")


@pytest.mark.parametrize("day", [date(2027, 4, 8), date(2027, 5, 20)])
def test_a_started_internship_is_broken_off_not_cancelled(as_role, convention, monkeypatch,
                                                          day):
    c = convention(sign=True)
    version, events = c.version_id, len(c.events)
    _today(monkeypatch, day)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": version, "comment": "Abandon"}, follow_redirects=True)
    body = page(resp)
    assert ("Le stage a commencé : enregistrez sa rupture anticipée, avec sa date de fin "
            "effective, plutôt qu’une annulation.") in body
    assert "Convention annulée." not in body
    assert "Rompre la convention (fin anticipée)" in body   # what to do instead
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert (c.status, c.version_id, len(c.events)) == ("signed", version, events)
    assert db.session.get(Internship, c.internship_id).status == "planned"
    assert db.session.query(OutboxMail).filter_by(
        subject="Convention de stage annulée").count() == 0


def test_a_reason_is_required(as_role, convention):
    c = convention(validate=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": c.version_id, "comment": "   "}, htmx=True)
    assert "Indiquez le motif de l’annulation." in page(resp)
    db.session.expire_all()
    assert db.session.get(Convention, c.id).status == "validated"


def test_a_stale_page_does_not_cancel(as_role, convention):
    c = convention(validate=True)
    old = c.version_id
    desk = as_role("secretariat")
    desk.post(f"/conventions/{c.id}/action/send", {"version": old})
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": old, "comment": "Doublon"}, follow_redirects=True)
    assert "Quelqu’un d’autre a modifié cette convention" in page(resp)
    db.session.expire_all()
    assert db.session.get(Convention, c.id).status == "out_for_signature"


@pytest.mark.parametrize("who", ["owner", "tutor", "other teacher", "other student"])
def test_only_the_secretariat_cancels(app, as_role, convention, who):
    c = convention(validate=True)
    if who == "owner":
        b = browser_for(app, c.internship.student)
    elif who == "tutor":
        b = browser_for(app, c.academic_tutor)
    else:
        b = as_role(who.split()[1])
    shown = b.get(f"/conventions/{c.id}")
    assert "Annuler la convention" not in page(shown)
    resp = b.post(f"/conventions/{c.id}/action/cancel",
                  {"version": c.version_id, "comment": "Je renonce"}, follow_redirects=True)
    if who.startswith("other"):
        assert resp.status_code == 404   # need to know: they do not even find it
    else:
        assert "Seul le secrétariat peut faire cela." in page(resp)
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "validated" and c.internship.status == "planned"


def test_the_admin_cancels_too(as_role, convention):
    c = convention()
    resp = as_role("admin").post(f"/conventions/{c.id}/action/cancel",
                                 {"version": c.version_id, "comment": "Saisie en double"},
                                 follow_redirects=True)
    assert "Convention annulée." in page(resp)
    db.session.expire_all()
    assert db.session.get(Convention, c.id).status == "cancelled"


def test_a_cancelled_internship_gets_no_new_convention(app, as_role, convention):
    c = convention(validate=True)
    desk = as_role("secretariat")
    desk.post(f"/conventions/{c.id}/action/cancel", {"version": c.version_id,
                                                      "comment": "Abandon"})
    # its page still leads to the cancelled convention, not to a new one
    resp = desk.post(f"/conventions/depuis-le-stage/{c.internship_id}")
    assert resp.headers["Location"].endswith(f"/conventions/{c.id}")
    assert db.session.query(Convention).count() == 1
