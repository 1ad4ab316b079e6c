"""Every transition of the convention's workflow (app/conventions/workflow.py TRANSITIONS) and
of the internship's statuses, taken once through the pages the way a user takes it, and one
refused transition from each status: the status that results and the message the user reads."""
from datetime import date

import pytest
from flask import current_app

from app.conventions import services, workflow
from app.conventions.models import Convention
from app.extensions import db
from app.internships.models import Internship
from tests.conftest import browser_for, page, text


def _later(monkeypatch, module, day):
    """The route's ``date.today()`` on ``day`` (the fixtures' internships start in 2027)."""

    class Later(date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr(module, "date", Later)


@pytest.fixture
def in_status(convention, make):
    """A convention brought to ``status`` by the workflow's own steps."""

    def _make(status, **kw):
        desk = make.user("secretariat")
        with current_app.test_request_context():
            if status == "draft":
                return convention(submit=False, approve=False, **kw)
            if status in ("submitted", "changes_requested"):
                c = convention(**kw)
                if status == "changes_requested":
                    services.request_changes(c, desk, "Précisez les congés", c.version_id)
                return c
            if status in ("validated", "out_for_signature", "cancelled"):
                c = convention(validate=True, **kw)
                if status == "out_for_signature":
                    services.send_for_signature(c, desk, c.version_id)
                if status == "cancelled":
                    services.cancel(c, desk, "Organisme fermé", c.version_id, date(2027, 1, 5))
                return c
            c = convention(sign=True, **kw)
            if status == "ended_early":
                services.end_early(c, desk, date(2027, 5, 14), "Mésentente", c.version_id,
                                   date(2027, 5, 3))
            return c

    return _make


def _reload(c) -> Convention:
    db.session.expire_all()
    return db.session.get(Convention, c.id)


def test_the_fixture_reaches_every_status(in_status):
    for status in workflow.STATUSES:
        assert in_status(status).status == status


# ---------------------------------------------------------------- allowed, each once

ACT = [  # (action, source, who, form, status after)
    ("submit", "draft", "owner", {}, "submitted"),
    ("submit", "changes_requested", "owner", {}, "submitted"),
    ("submit", "draft", "secretariat", {}, "submitted"),
    ("request_changes", "submitted", "secretariat", {"comment": "Précisez les avantages"},
     "changes_requested"),
    ("validate", "submitted", "secretariat", {}, "validated"),
    ("send", "validated", "secretariat", {}, "out_for_signature"),
] + [("cancel", source, "secretariat", {"comment": "L’organisme a renoncé"}, "cancelled")
     for source in workflow.TRANSITIONS["cancel"].sources]


@pytest.mark.parametrize("action, source, who, form, after", ACT,
                         ids=[f"{a}-from-{s}-by-{w}" for a, s, w, _, _ in ACT])
def test_each_status_changing_action(app, as_role, in_status, action, source, who, form,
                                     after):
    c = in_status(source)
    b = browser_for(app, c.internship.student) if who == "owner" else as_role(who)
    resp = b.post(f"/conventions/{c.id}/action/{action}", {"version": c.version_id, **form},
                  follow_redirects=True)
    body = page(resp)
    assert workflow.TRANSITIONS[action].done in body
    assert f'class="badge conv-{after}">{workflow.STATUSES[after]}' in body
    c = _reload(c)
    assert c.status == after
    last = c.events[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (source, after, b.user.id)


@pytest.mark.parametrize("source", ["submitted", "changes_requested"])
def test_the_pedagogical_approval(app, as_role, convention, make, source):
    c = convention(approve=False)
    if source == "changes_requested":
        with current_app.test_request_context():
            services.request_changes(c, make.user("secretariat"), "Le sujet", c.version_id)
    teacher = as_role("teacher", last_name="Approbatrice")
    resp = teacher.post(f"/conventions/{c.id}/action/approve", {"version": c.version_id},
                        follow_redirects=True)
    assert "Accord pédagogique enregistré." in page(resp)
    c = _reload(c)
    assert c.status == source and c.approved_by_id == teacher.user.id
    assert c.academic_tutor_id == teacher.user.id   # the approving teacher tutors the student
    assert c.events[-1].comment == "Accord pédagogique sur le sujet"


@pytest.mark.parametrize("source", workflow.TRANSITIONS["tutor"].sources)
def test_naming_the_academic_tutor(as_role, in_status, make, source):
    c = in_status(source)
    tutor = make.user("teacher", first_name="Hugo", last_name="Référent")
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/tutor",
                     {"version": c.version_id, "academic_tutor_id": tutor.id},
                     follow_redirects=True)
    assert "Enseignant·e référent·e désigné·e." in page(resp)
    c = _reload(c)
    assert c.status == source and c.academic_tutor_id == tutor.id


@pytest.mark.parametrize("source", ["draft", "submitted", "changes_requested"])
def test_editing_the_mentions(as_role, in_status, source):
    c = in_status(source)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/mentions",
                     {"benefits": "Tickets restaurant", "version": c.version_id},
                     follow_redirects=True)
    assert "Convention enregistrée." in page(resp)
    c = _reload(c)
    assert c.status == source and c.benefits == "Tickets restaurant"


@pytest.mark.parametrize("source", ["submitted", "changes_requested"])
def test_ticking_a_mention(as_role, in_status, source):
    c = in_status(source, tick=False)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/verifier/benefits", {"checked": "1"}, htmx=True)
    assert 'id="check-benefits" class="ok"' in text(resp)
    c = _reload(c)
    assert c.status == source and [check.item for check in c.checks] == ["benefits"]


@pytest.mark.parametrize("source", ["validated", "out_for_signature"])
def test_recording_the_signatures(as_role, in_status, source):
    c = in_status(source)
    desk = as_role("secretariat")
    for n, party in enumerate(services.SIGNATORIES):
        c = _reload(c)
        resp = desk.post(f"/conventions/{c.id}/signature/{party}",
                         {"signed_on": f"2026-11-2{n + 5}", "version": c.version_id},
                         follow_redirects=True)
        assert "form-errors" not in page(resp)
        c = _reload(c)
        assert c.status == ("signed" if n == len(services.SIGNATORIES) - 1
                            else "out_for_signature")
    body = page(desk.get(f"/conventions/{c.id}"))
    assert 'class="badge conv-signed">Signée' in body
    assert c.internship.convention_signed_on == date(2026, 11, 29)
    assert [(e.from_status, e.to_status) for e in c.events][-1] == ("out_for_signature",
                                                                    "signed")


def test_an_avenant_on_a_signed_convention(as_role, in_status):
    c = in_status("signed")
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "gratification", "reason": "Revalorisation", "agreed_amount": "750",
        "agreed_unit": "month", "version": c.version_id}, follow_redirects=True)
    assert "Avenant n° 1" in page(resp)
    c = _reload(c)
    assert c.status == "signed" and [a.number for a in c.amendments] == [1]


def test_ending_a_signed_convention_early(app, as_role, in_status, monkeypatch):
    import app.conventions.routes as routes

    _later(monkeypatch, routes, date(2027, 5, 3))
    c = in_status("signed")
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/rupture", {
        "ended_on": "2027-05-14", "end_reason": "Mésentente avec l’organisme",
        "version": c.version_id}, follow_redirects=True)
    body = page(resp)
    assert "Rupture du stage enregistrée." in body
    assert 'class="badge conv-ended_early">Rompue' in body
    c = _reload(c)
    assert c.status == "ended_early" and c.internship.status == "ended_early"
    assert c.internship.end_date == date(2027, 5, 14)


# ---------------------------------------------------------------- refused, once per status

REFUSED = {  # status: (action, form, the message)
    "draft": ("validate", {}, "Impossible de valider une convention « brouillon »."),
    "submitted": ("send", {}, "Impossible d’envoyer en signature une convention « soumise »."),
    "changes_requested": ("validate", {},
                          "Impossible de valider une convention « corrections demandées »."),
    "validated": ("request_changes", {"comment": "Trop tard"},
                  "Impossible de demander des corrections sur une convention « validée »."),
    "out_for_signature": ("send", {},
                          "Impossible d’envoyer en signature une convention « en signature »."),
    "signed": ("validate", {}, "Impossible de valider une convention « signée »."),
    "ended_early": ("cancel", {"comment": "Erreur"},
                    "Impossible d’annuler une convention « rompue »."),
    "cancelled": ("cancel", {"comment": "Deux fois"},
                  "Impossible d’annuler une convention « annulée »."),
}


def test_every_status_has_a_refusal_here():
    assert set(REFUSED) == set(workflow.STATUSES)
    for status, (action, _, _) in REFUSED.items():
        assert status not in workflow.TRANSITIONS[action].sources


@pytest.mark.parametrize("source", list(REFUSED))
def test_a_refused_transition_says_why_and_changes_nothing(as_role, in_status, source):
    action, form, message = REFUSED[source]
    c = in_status(source)
    version, events = c.version_id, len(c.events)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/{action}", {"version": version, **form},
                     follow_redirects=True)
    assert message in page(resp)
    assert workflow.TRANSITIONS[action].done not in page(resp)
    # the htmx form gets the same message in the workflow panel, not a whole page
    resp = desk.post(f"/conventions/{c.id}/action/{action}", {"version": version, **form},
                     htmx=True)
    assert message in page(resp) and "<html" not in text(resp)
    c = _reload(c)
    assert (c.status, c.version_id, len(c.events)) == (source, version, events)


@pytest.mark.parametrize("action, who, message", [
    ("submit", "tutor", "Seul·e l’étudiant·e ou le secrétariat peut faire cela."),
    ("validate", "owner", "Seul le secrétariat peut faire cela."),
    ("validate", "tutor", "Seul le secrétariat peut faire cela."),
    ("approve", "secretariat", "L’accord pédagogique est donné par un·e enseignant·e."),
    ("cancel", "owner", "Seul le secrétariat peut faire cela."),
    ("cancel", "tutor", "Seul le secrétariat peut faire cela."),
])
def test_a_transition_refused_to_a_role(app, as_role, in_status, action, who, message):
    source = "changes_requested" if action == "submit" else "submitted"
    c = in_status(source)
    if who == "secretariat":
        b = as_role("secretariat")
    else:
        b = browser_for(app, c.internship.student if who == "owner" else c.academic_tutor)
    resp = b.post(f"/conventions/{c.id}/action/{action}",
                  {"version": c.version_id, "comment": "x"}, follow_redirects=True)
    assert message in page(resp)
    assert _reload(c).status == source


# ---------------------------------------------------------------- the internship's statuses

def test_internship_planned_to_in_progress(as_role, in_status, monkeypatch):
    import app.internships.routes as routes

    c = in_status("signed")
    desk = as_role("secretariat")
    _later(monkeypatch, routes, date(2027, 4, 6))
    resp = desk.post(f"/stages/{c.internship_id}/commence", follow_redirects=True)
    assert "Le stage commence le 8 avril 2027." in page(resp)
    assert db.session.get(Internship, c.internship_id).status == "planned"
    _later(monkeypatch, routes, date(2027, 4, 8))
    resp = desk.post(f"/stages/{c.internship_id}/commence", follow_redirects=True)
    assert "Début du stage enregistré." in page(resp)
    db.session.expire_all()
    i = db.session.get(Internship, c.internship_id)
    assert i.status == "in_progress"
    assert (i.events[-1].from_status, i.events[-1].to_status) == ("planned", "in_progress")
    # started once only
    resp = desk.post(f"/stages/{c.internship_id}/commence", follow_redirects=True)
    assert "Ce stage est déjà « en cours »." in page(resp)


def test_internship_in_progress_to_ended_early(as_role, in_status, make, monkeypatch):
    import app.conventions.routes as routes

    c = in_status("signed")
    desk = as_role("secretariat")
    from app.internships import services as internships

    internships.mark_started(c.internship, desk.user, date(2027, 4, 8))
    _later(monkeypatch, routes, date(2027, 5, 3))
    resp = desk.post(f"/conventions/{c.id}/rupture", {
        "ended_on": "2027-05-14", "end_reason": "Réorientation", "version": c.version_id},
        follow_redirects=True)
    assert "Rupture du stage enregistrée." in page(resp)
    db.session.expire_all()
    i = db.session.get(Internship, c.internship_id)
    assert i.status == "ended_early"
    assert [(e.from_status, e.to_status) for e in i.events][-2:] == [
        ("planned", "in_progress"), ("in_progress", "ended_early")]


def test_internship_planned_to_cancelled_with_its_convention(app, as_role, in_status):
    c = in_status("validated")
    desk = as_role("secretariat")
    desk.post(f"/conventions/{c.id}/action/cancel",
              {"version": c.version_id, "comment": "Stage abandonné"})
    db.session.expire_all()
    i = db.session.get(Internship, c.internship_id)
    assert i.status == "cancelled"
    assert (i.events[-1].from_status, i.events[-1].to_status, i.events[-1].comment) == (
        "planned", "cancelled", "Convention annulée : Stage abandonné")


@pytest.mark.parametrize("source, message", [
    ("planned", "sa convention n’est pas signée par toutes les parties"),   # not signed yet
    ("cancelled", "sa convention n’est pas signée par toutes les parties"),
    # an interrupted one is told its convention is not signed (it was, then broken)
    ("ended_early", "sa convention n’est pas signée par toutes les parties"),
    ("finished", "Ce stage est déjà « terminé »."),
])
def test_an_internship_that_cannot_start(as_role, in_status, make, monkeypatch, source,
                                         message):
    import app.internships.routes as routes

    c = in_status({"planned": "validated", "cancelled": "cancelled",
                   "ended_early": "ended_early", "finished": "signed"}[source])
    if source == "finished":   # an internship over (it went through « en cours »)
        c.internship.status = "finished"
        db.session.commit()
    assert c.internship.status == source
    _later(monkeypatch, routes, date(2027, 4, 12))
    resp = as_role("secretariat").post(f"/stages/{c.internship_id}/commence",
                                       follow_redirects=True)
    assert message in page(resp)
    db.session.expire_all()
    assert db.session.get(Internship, c.internship_id).status == source


def test_only_the_secretariat_starts_an_internship(app, in_status, monkeypatch):
    import app.internships.routes as routes

    c = in_status("signed")
    _later(monkeypatch, routes, date(2027, 4, 12))
    owner = browser_for(app, c.internship.student)
    assert owner.post(f"/stages/{c.internship_id}/commence").status_code == 403
    from app.internships import services as internships

    with pytest.raises(services.DomainError, match="Seul le secrétariat"):
        internships.mark_started(c.internship, c.internship.student, date(2027, 4, 12))
    assert db.session.get(Internship, c.internship_id).status == "planned"


def test_recording_a_signature_says_it_was_recorded(as_role, in_status):
    c = in_status("validated")
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/signature/student",
                     {"signed_on": "2026-11-25", "version": c.version_id},
                     follow_redirects=True)
    assert _reload(c).student_signed_on == date(2026, 11, 25)
    assert workflow.TRANSITIONS["sign"].done in page(resp)
