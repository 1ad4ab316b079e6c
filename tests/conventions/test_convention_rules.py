"""The convention's refusals that the main paths do not meet (app/conventions/services.py):
preparing it, the approval given twice, the bulk validation, the signatures, the rupture's
dates, the tutor after signature, the queue's filters; each with the words the user reads."""
from datetime import date

import pytest
from flask import current_app

from app.conventions import services
from app.conventions.models import Convention
from app.errors import DomainError
from app.extensions import db
from app.notifications.models import OutboxMail
from tests.conftest import PDF, browser_for, page


def _today(monkeypatch, day):
    import app.conventions.routes as routes

    class Fixed(date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr(routes, "date", Fixed)


# ---------------------------------------------------------------- preparing it

def test_who_prepares_a_convention_and_for_what(app, as_role, make, internship):
    i = internship()
    with current_app.test_request_context():
        with pytest.raises(DomainError, match="Ce stage n’est pas le vôtre."):
            services.create(i, make.user("student"))
        with pytest.raises(DomainError, match="préparée par l’étudiant·e ou le secrétariat"):
            services.create(i, make.user("teacher"))
        services.create(i, i.student)
        with pytest.raises(DomainError, match="Ce stage a déjà sa convention."):
            services.create(i, make.user("secretariat"))
    assert db.session.query(Convention).count() == 1
    # another student does not even find the internship
    assert as_role("student").post(f"/conventions/depuis-le-stage/{i.id}").status_code == 404


def test_a_cancelled_internship_gets_no_convention(as_role, internship):
    i = internship()
    i.status = "cancelled"
    db.session.commit()
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/depuis-le-stage/{i.id}", follow_redirects=True)
    assert ("Ce stage est « annulé » : déclarez le nouveau stage, sa convention se prépare "
            "depuis sa fiche.") in page(resp)
    assert db.session.query(Convention).count() == 0


def test_the_secretariat_prepares_one_for_the_student(as_role, internship):
    i = internship()
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/depuis-le-stage/{i.id}", follow_redirects=True)
    assert (f"Convention préparée à partir du stage de {i.student.full_name} : complétez les "
            "mentions puis soumettez-la.") in page(resp)
    c = db.session.query(Convention).one()
    assert c.status == "draft" and [(e.from_status, e.to_status) for e in c.events] == [
        (None, "draft")]


def test_the_approval_is_given_once(app, convention):
    c = convention()   # approved by the teacher who became its tutor
    tutor = browser_for(app, c.academic_tutor)
    resp = tutor.post(f"/conventions/{c.id}/action/approve", {"version": c.version_id},
                      follow_redirects=True)
    assert "L’accord pédagogique est déjà donné." in page(resp)


def test_another_teacher_does_not_approve_once_a_tutor_is_named(as_role, convention, make):
    c = convention()
    with current_app.test_request_context(), pytest.raises(
            DomainError, match="Seul·e l’enseignant·e référent·e de ce stage donne l’accord."):
        services.approve(c, make.user("teacher"), c.version_id)


# ---------------------------------------------------------------- the bulk validation

def test_the_bulk_validation_needs_a_choice_and_skips_what_is_gone(as_role, convention, make):
    c = convention()
    desk = as_role("secretariat")
    resp = desk.post("/conventions/valider", {}, follow_redirects=True)
    assert "Cochez les conventions à valider." in page(resp)
    resp = desk.post("/conventions/valider", {"ids": ["999999", str(c.id)]},
                     follow_redirects=True)
    assert "1 convention validée." in page(resp)
    db.session.expire_all()
    assert db.session.get(Convention, c.id).status == "validated"
    with pytest.raises(DomainError, match="Seul le secrétariat peut faire cela."):
        services.validate_many([c.id], make.user("teacher"), date(2026, 12, 1))


# ---------------------------------------------------------------- signatures

def test_a_signature_needs_a_known_party_and_a_date(as_role, convention, make):
    c = convention(validate=True)
    desk = as_role("secretariat")
    assert desk.post(f"/conventions/{c.id}/signature/voisin",
                     {"signed_on": "2026-11-02"}).status_code == 404
    resp = desk.post(f"/conventions/{c.id}/signature/student",
                     {"signed_on": "", "version": c.version_id}, follow_redirects=True)
    assert "Indiquez la date." in page(resp)
    with current_app.test_request_context():
        with pytest.raises(DomainError, match="Signataire inconnu."):
            services.record_signature(c, desk.user, "voisin", date(2026, 11, 2), c.version_id,
                                      date(2026, 12, 1))
        with pytest.raises(DomainError, match="Indiquez la date de signature."):
            services.record_signature(c, desk.user, "student", None, c.version_id,
                                      date(2026, 12, 1))
        with pytest.raises(DomainError, match="Indiquez la date de la dernière signature"):
            services.upload_signed(c, desk.user, PDF, "signee.pdf", None, c.version_id,
                                   date(2026, 12, 1))
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "validated" and c.student_signed_on is None


def test_the_signed_scan_completes_the_missing_signatures(as_role, convention):
    c = convention(validate=True)
    desk = as_role("secretariat")
    with current_app.test_request_context():
        services.record_signature(c, desk.user, "student", date(2026, 11, 25), c.version_id,
                                  date(2026, 12, 1))
        services.upload_signed(c, desk.user, PDF, "signee.pdf", date(2026, 11, 28),
                               c.version_id, date(2026, 12, 1))
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "signed"
    assert c.student_signed_on == date(2026, 11, 25)   # a date already recorded is kept
    assert c.host_signed_on == date(2026, 11, 28)
    assert c.events[-1].comment == "Version signée déposée"


# ---------------------------------------------------------------- rupture

@pytest.mark.parametrize("form, message", [
    ({"ended_on": "", "end_reason": "Mésentente"}, "Indiquez le dernier jour de présence."),
    ({"ended_on": "2027-06-30", "end_reason": "Mésentente"},
     "Le dernier jour de présence tombe pendant le stage, avant sa fin prévue : du 8 avril "
     "2027 au 29 juin 2027."),
    ({"ended_on": "2027-04-01", "end_reason": "Mésentente"}, "avant sa fin prévue"),
    ({"ended_on": "2027-06-20", "end_reason": "Mésentente"},
     "Une rupture s’enregistre au plus deux mois à l’avance."),
    ({"ended_on": "2027-05-14", "end_reason": "   "}, "Indiquez le motif de la rupture."),
])
def test_a_rupture_needs_a_last_day_during_the_internship_and_a_reason(
        as_role, convention, monkeypatch, form, message):
    c = convention(sign=True)
    _today(monkeypatch, date(2027, 4, 12))
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/rupture", {**form, "version": c.version_id})
    assert message in page(resp)
    db.session.expire_all()
    c = db.session.get(Convention, c.id)
    assert c.status == "signed" and c.internship.end_date == date(2027, 6, 30)


def test_only_the_secretariat_breaks_a_convention_off(app, convention):
    c = convention(sign=True)
    owner = browser_for(app, c.internship.student)
    assert owner.post(f"/conventions/{c.id}/rupture", {
        "ended_on": "2027-05-14", "end_reason": "x", "version": c.version_id}).status_code == 403


# ---------------------------------------------------------------- the tutor

def test_the_tutor_changes_by_avenant_once_signed(as_role, convention, make):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/tutor", {
        "version": c.version_id, "academic_tutor_id": make.user("teacher").id},
        follow_redirects=True)
    assert "Après signature, le changement de tuteur passe par un avenant." in page(resp)


@pytest.mark.parametrize("who", ["nobody", "a student", "an inactive teacher"])
def test_the_tutor_named_is_an_active_teacher(as_role, convention, make, who):
    c = convention()
    before = c.academic_tutor_id
    person = {"nobody": None, "a student": make.user("student"),
              "an inactive teacher": make.user("teacher", active=False)}[who]
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/tutor", {
        "version": c.version_id, "academic_tutor_id": person.id if person else ""},
        follow_redirects=True)
    assert "Choisissez un·e enseignant·e." in page(resp)
    db.session.expire_all()
    assert db.session.get(Convention, c.id).academic_tutor_id == before


# ---------------------------------------------------------------- the host tutor's mail

def test_a_host_tutor_without_an_address_is_not_written_to(as_role, convention):
    c = convention(validate=True, host_tutor_email=None)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": c.version_id, "comment": "Abandon"}, follow_redirects=True)
    assert "Convention annulée." in page(resp)
    recipients = {m.recipient for m in db.session.query(OutboxMail)}
    assert c.internship.student.email in recipients and None not in recipients


# ---------------------------------------------------------------- the queue

def test_the_queue_by_status_and_soon(as_role, convention, monkeypatch):
    draft = convention(submit=False, approve=False)
    submitted = convention()
    signed = convention(sign=True)
    desk = as_role("secretariat")

    def names(**args):
        return {c.internship.student.last_name for c in db.session.execute(
            services.queue_query(services.QueueFilters(**args), date(2027, 3, 30))
        ).unique().scalars()}

    d, s, g = (x.internship.student.last_name for x in (draft, submitted, signed))
    assert names(status="draft") == {d}
    assert names() == {d, s, g}
    assert names(soon=True) == {d, s}      # starting within 15 days, not signed
    assert names(soon=True, status="submitted") == {s}
    body = page(desk.get("/conventions/?status=draft"))
    assert d in body and s not in body


def test_no_signature_before_the_validation(as_role, convention):
    """What is signed is the validated document: a date before its validation is refused,
    next to the date field of the signature, and nothing is recorded."""
    c = convention(validate=True)   # on 24 November 2026
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/signature/host",
                     {"signed_on": "2026-05-12", "version": c.version_id},
                     follow_redirects=True)
    assert ("La convention a été validée le 24 novembre 2026 : elle n’a pas pu être signée "
            "avant.") in page(resp)
    c = db.session.get(Convention, c.id)
    assert c.host_signed_on is None and c.status == "validated"
    with pytest.raises(services.DomainError, match="validée le 24 novembre 2026"):
        services.upload_signed(c, desk.user, PDF, "signee.pdf", date(2026, 11, 23),
                               c.version_id, date(2026, 12, 1))
