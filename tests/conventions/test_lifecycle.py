"""A convention that holds: frozen terms, avenants, cancellation, early end, the legal counts
across internships and on the same post, the document it prints (RULES.md §2–3)."""
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.conventions import amendments, services, workflow
from app.conventions.models import Convention
from app.conventions.terms import AMENDABLE, snapshot
from app.extensions import db
from app.internships import services as internships
from app.internships.models import Internship
from app.notifications.models import Notification
from tests.conftest import browser_for, page, text
from tests.races import at_once, on_postgres, widened

SIGNED_ON = date(2027, 1, 15)




def pdf_text(data: bytes) -> str:
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(words.replace("\u202f", " ").replace("\u00a0", " ").split())




def _form(i: Internship, **changes) -> dict:
    data = {"host_id": i.host_id, "subject": i.subject, "start_date": i.start_date.isoformat(),
            "end_date": i.end_date.isoformat(), "weekly_hours": "35",
            "work_days": ["mon", "tue", "wed", "thu", "fri"], "zone": "metropole",
            "agreed_amount": "700", "agreed_unit": "month", "version": i.version_id,
            "host_tutor_name": i.host_tutor_name, "missions": i.missions or "",
            "skills": i.skills or ""}
    data.update(changes)
    return data


# ---------------------------------------------------------------- frozen terms

def test_the_student_cannot_change_the_terms_once_submitted(app, convention, as_role):
    c = convention()
    student = browser_for(app, c.internship.student)
    resp = student.get(f"/stages/{c.internship.id}/modifier", follow_redirects=True)
    assert "La convention est soumise au secrétariat" in text(resp)
    resp = student.post(f"/stages/{c.internship.id}/modifier",
                        _form(c.internship, end_date="2027-07-15"), follow_redirects=True)
    db.session.refresh(c.internship)
    assert c.internship.end_date == date(2027, 6, 30)
    # the secretariat still corrects a submitted convention's record
    desk = as_role("secretariat")
    resp = desk.post(f"/stages/{c.internship.id}/modifier",
                     _form(c.internship, end_date="2027-07-02"), follow_redirects=True)
    assert "Stage mis à jour" in text(resp)
    db.session.refresh(c.internship)
    assert c.internship.end_date == date(2027, 7, 2)


def test_nobody_changes_a_validated_convention_but_by_avenant(app, convention, as_role, make):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/stages/{c.internship.id}/modifier",
                     _form(c.internship, end_date="2027-07-15", agreed_amount="900"),
                     follow_redirects=True)
    assert "ne changent plus que par un avenant" in text(resp)
    db.session.refresh(c.internship)
    assert c.internship.end_date == date(2027, 6, 30)
    # the directory's host renamed later: the convention still names the host it was signed with
    host = c.internship.host
    signed_name = host.name
    host.name = "Nouveau nom de l’organisme"
    db.session.commit()
    page = text(desk.get(f"/conventions/{c.id}"))
    assert "Le stage ne peut commencer" not in page
    pdf = pdf_text(desk.get(f"/conventions/{c.id}/convention.pdf").data)
    assert signed_name in pdf and "Nouveau nom" not in pdf


def test_the_signed_document_never_changes(app, convention, as_role):
    c = convention(sign=True)
    assert c.status == "signed" and c.document is not None
    desk = as_role("secretariat")
    first = desk.get(f"/conventions/{c.id}/convention.pdf").data
    amendments.amend(c, desk.user, "gratification", "Hausse décidée par l’organisme",
                     {"agreed_amount": Decimal("800")}, c.version_id, date(2027, 2, 1))
    assert desk.get(f"/conventions/{c.id}/convention.pdf").data == first
    assert "800,00 € par mois" in page(desk.get(f"/conventions/{c.id}"))


# ---------------------------------------------------------------- avenants

def test_avenants_are_numbered_labelled_notified_and_printed(app, convention, as_role):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "Prolongation demandée par l’organisme",
        "end_date": "2027-07-15", "version": c.version_id}, follow_redirects=True)
    assert "Avenant enregistré." in text(resp)
    body = page(resp)
    assert "Avenant n° 1" in body
    assert "Date de fin : 30 juin 2027 → <strong>15 juillet 2027</strong>" in body
    assert "end_date :" not in body
    db.session.refresh(c)
    assert c.internship.end_date == date(2027, 7, 15)      # the records follow the avenant
    assert services.terms_of(c).end_date == date(2027, 7, 15)
    student_notes = db.session.query(Notification).filter_by(
        user_id=c.internship.student_id).all()
    assert any("Avenant n° 1" in n.message and "15 juillet 2027" in n.message
               for n in student_notes)
    from app.notifications.models import OutboxMail

    to_host = db.session.query(OutboxMail).filter_by(
        recipient=c.internship.host_tutor_email).all()   # the host tutor has no account
    assert any("Avenant n° 1" in m.subject and "15 juillet 2027" in m.body for m in to_host)
    pdf = pdf_text(desk.get(f"/conventions/{c.id}/avenant-1.pdf").data)
    assert "Avenant n° 1" in pdf and "15 juillet 2027" in pdf and "30 juin 2027" in pdf
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "gratification", "reason": "Revalorisation", "agreed_amount": "750",
        "agreed_unit": "month", "version": c.version_id}, follow_redirects=True)
    assert "Avenant n° 2" in text(resp)
    assert [a.number for a in c.amendments] == [1, 2]
    assert "Gratification : 700,00 € → <strong>750,00 €</strong>" in page(resp)


def test_an_avenant_checks_only_what_it_changes(app, convention, make, as_role):
    """A host tutor now named in three other conventions: a gratification avenant passes,
    an avenant of dates (which the tutor's count depends on) is refused, nothing written."""
    c = convention(sign=True, host_tutor_email="tutrice@example.org")
    for _ in range(3):   # validated by hand: a fourth would not pass with hers
        other = convention(host_tutor_email="tutrice@example.org",
                           host=make.host(headcount=90))
        other.status = "validated"
    db.session.commit()
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "gratification", "reason": "Revalorisation", "agreed_amount": "750",
        "agreed_unit": "month", "version": c.version_id}, follow_redirects=True)
    assert "Avenant enregistré." in text(resp)
    db.session.refresh(c)
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "Prolongation", "end_date": "2027-07-10",
        "version": c.version_id})
    assert "Avenant refusé" in text(resp) and "3 conventions en cours" in text(resp)
    db.session.refresh(c)
    assert len(c.amendments) == 1 and c.internship.end_date == date(2027, 6, 30)
    # below the legal minimum: refused with both figures
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "gratification", "reason": "Baisse", "agreed_amount": "100",
        "agreed_unit": "month", "version": c.version_id})
    assert "Avenant refusé" in text(resp) and "inférieure au minimum" in text(resp)


def test_an_avenant_that_changes_nothing_or_has_no_reason(app, convention, as_role):
    c = convention(sign=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "", "end_date": "2027-07-15", "version": c.version_id})
    assert "Indiquez le motif de l’avenant." in text(resp)
    assert 'value="2027-07-15"' in text(resp)   # what was typed is kept
    resp = desk.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "Rien", "end_date": "2027-06-30", "version": c.version_id})
    assert "L’avenant ne change rien" in text(resp)
    assert Convention.query.get(c.id).amendments == []


# ---------------------------------------------------------------- cancel and early end

def test_cancelling_frees_the_student_to_declare_a_new_internship(app, convention, as_role,
                                                                   year_2026):
    c = convention(validate=True)
    desk = as_role("secretariat")
    resp = desk.post(f"/conventions/{c.id}/action/cancel",
                     {"version": c.version_id, "comment": ""}, follow_redirects=True)
    assert "Indiquez le motif de l’annulation." in text(resp)
    desk.post(f"/conventions/{c.id}/action/cancel",
              {"version": c.version_id, "comment": "L’organisme a renoncé"})
    db.session.refresh(c)
    assert c.status == "cancelled" and c.internship.status == "cancelled"
    assert [e.to_status for e in c.internship.events][-1] == "cancelled"
    student = browser_for(app, c.internship.student)
    body = page(student.get(f"/stages/{c.internship.id}"))
    assert "Stage annulé" in body and "L’organisme a renoncé" in body
    assert "Déclarer un nouveau stage" in body
    assert any("est annulée" in n.message for n in db.session.query(Notification).filter_by(
        user_id=c.internship.student_id))
    # the cohort follow-up no longer counts a found internship
    counts = internships.cohort_counts(year_2026, date(2027, 3, 1))
    assert counts["found"] == 0 and counts["convention"] == 0
    # the student declares another internship for the same year, same dates
    resp = student.post("/stages/nouveau", _form(c.internship, version=""),
                        follow_redirects=True)
    assert "Stage enregistré." in text(resp)
    assert db.session.query(Internship).filter_by(
        student_id=c.internship.student_id, status="planned").count() == 1


def test_a_started_internship_ends_early_rather_than_being_cancelled(app, convention, make):
    c = convention(sign=True)
    desk = make.user("secretariat")
    with pytest.raises(services.DomainError, match="rupture anticipée"):
        services.cancel(c, desk, "Abandon", c.version_id, date(2027, 4, 20))
    with pytest.raises(services.DomainError, match="avant sa fin"):
        services.end_early(c, desk, date(2027, 6, 30), "x", c.version_id,
                           date(2027, 5, 3))
    internships.add_absence(c.internship, date(2027, 5, 10), date(2027, 5, 12), "Maladie")
    internships.add_absence(c.internship, date(2027, 5, 24), date(2027, 5, 28), "Congé")
    before = internships.gratification_of(c.internship, date(2027, 5, 3))
    services.end_early(c, desk, date(2027, 5, 14), "Mésentente avec l’organisme",
                       c.version_id, date(2027, 5, 3))
    db.session.refresh(c)
    i = c.internship
    assert c.status == "ended_early" and i.status == "ended_early"
    assert i.end_date == date(2027, 5, 14) and c.ended_on == date(2027, 5, 14)
    assert [(a.start_date, a.end_date) for a in i.absences] == [(date(2027, 5, 10),
                                                                date(2027, 5, 12))]
    after = internships.gratification_of(i, date(2027, 5, 3))
    assert after.hours < before.hours and not after.due
    # what was signed still says 30 June; the attestation tells the interruption
    assert c.terms["end_date"] == "2027-06-30"
    from app.documents import attestation_pdf
    from app.internships.attestation import attestation_doc

    attestation = pdf_text(attestation_pdf(attestation_doc(i, date(2027, 6, 1))))
    assert "14 mai 2027" in attestation and "30 juin 2027" in attestation
    # the student may declare a new internship
    assert internships.terms_locked(i.student, i)
    new, _ = internships.create_internship(i.student, internships.InternshipData(
        host_id=make.host().id, subject="Nouveau", start_date=date(2027, 5, 24),
        end_date=date(2027, 8, 20)))
    assert new.status == "planned"


# ---------------------------------------------------------------- legal counts

def test_presence_at_one_host_adds_up_over_the_year(make, internship, as_role, year_2026):
    """Two internships at the same host in the same year, each under 308 hours: the second
    one is due (L124-6, « consécutifs ou non»), and its page says why."""
    year_2026.min_weeks = 4
    db.session.commit()
    host = make.host(headcount=50)
    student = make.user("student")
    first = internship(student=student, host=host, start_date=date(2027, 4, 12),
                       end_date=date(2027, 5, 21))      # 6 weeks, 27 days (2 holidays)
    first.status = "ended_early"
    db.session.commit()
    second = internship(student=student, host=host, start_date=date(2027, 5, 24),
                        end_date=date(2027, 7, 2))
    alone = internships.gratification_of(second, date(2027, 1, 1), others=[])
    together = internships.gratification_of(second, date(2027, 1, 1))
    assert alone.hours <= 308 and not alone.due
    assert together.other_hours == internships.presence_hours(first)
    assert together.due
    assert "comptées pour le seuil de 308 heures" in page(
        as_role("secretariat").get(f"/stages/{second.id}"))


def test_waiting_period_on_the_same_post(convention, make):
    """Previous intern on the same offer from 8 April to 30 June 2027 (84 days): 28 days must
    pass after 30 June, so the next may start on 29 July at the earliest."""
    offer = make.offer(host=make.host(headcount=50))
    convention(host=offer.host, offer_id=offer.id, validate=True)
    too_soon = convention(host=offer.host, offer_id=offer.id, start_date=date(2027, 7, 28),
                          end_date=date(2027, 7, 28) + timedelta(weeks=12, days=-1))
    item = next(i for i in services.automatic_checks(too_soon, date(2027, 1, 1))
                if i.code == "waiting")
    assert not item.ok and "29 juillet 2027" in item.detail
    in_time = convention(host=offer.host, offer_id=offer.id, start_date=date(2027, 7, 29),
                         end_date=date(2027, 7, 29) + timedelta(weeks=12, days=-1))
    assert next(i for i in services.automatic_checks(in_time, date(2027, 1, 1))
                if i.code == "waiting").ok


def test_validation_needs_every_mention_and_the_programme_hours(convention, year_2026):
    c = convention(missions="", skills="")
    year_2026.programme_hours = None
    db.session.commit()
    failing = " ".join(services.problems(c, date(2027, 1, 1)))
    assert "Activités confiées" in failing and "Compétences à acquérir" in failing
    assert "Volume horaire annuel de la formation" in failing


def test_one_active_internship_per_student_and_year_on_edit(make, internship, year_2026):
    student = make.user("student")
    internship(student=student)
    with pytest.raises(internships.InternshipInvalid, match="a déjà un stage"):
        internship(student=student, start_date=date(2027, 7, 5), end_date=date(2027, 9, 24))
    # and the database holds it whatever the Python checks do
    db.session.add(Internship(student_id=student.id, academic_year_id=year_2026.id,
                              host_id=make.host().id, subject="Doublon",
                              start_date=date(2027, 7, 5), end_date=date(2027, 9, 24)))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


# ---------------------------------------------------------------- the document

def test_the_convention_reads_like_a_convention(app, convention, as_role):
    long = ("Classement et description du fonds. " * 300)[:10000]
    c = convention(validate=True, missions=long)
    desk = as_role("secretariat")
    resp = desk.get(f"/conventions/{c.id}/convention.pdf")
    assert resp.status_code == 200
    pdf = pdf_text(resp.data)
    for title in ("Objet de la convention", "Gratification", "Protection sociale",
                  "Suspension et résiliation", "Attestation de stage", "Fait à"):
        assert title in pdf
    assert "L’enseignant·e référent·e" in pdf or "enseignant" in pdf
    assert "1 800 heures" in pdf and "à préciser" not in pdf
    assert "Projet" not in pdf and "1 / " in pdf
    assert len(PdfReader(io.BytesIO(resp.data)).pages) >= 5


# ---------------------------------------------------------------- the workflow table

def test_every_button_shown_is_an_action_allowed(app, convention, make):
    """The page offers exactly what the table allows, for each role and status."""
    c = convention()
    people = {"student": c.internship.student, "secretariat": make.user("secretariat"),
              "teacher": make.user("teacher")}
    for status in workflow.STATUSES:
        c.status = status
        for user in people.values():
            offered = {t.action for t in workflow.buttons(user, c)}
            for action in offered:
                assert status in workflow.TRANSITIONS[action].sources
                assert workflow.allows(action, user, c)


# ---------------------------------------------------------------- the property

KINDS = st.sampled_from(["dates", "gratification", "host_tutor", "activities", "schedule"])


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(KINDS, st.integers(0, 20)), min_size=1, max_size=4))
def test_stated_terms_are_the_validated_ones_plus_the_avenants(app, convention, make, steps):
    """After any sequence of allowed avenants (refused ones included), what the convention
    states equals the validated terms with each recorded avenant applied, and the records
    say the same."""
    c = convention(sign=True)
    desk = make.user("secretariat")
    for kind, n in steps:
        values = {
            "dates": {"end_date": date(2027, 6, 30) + timedelta(days=n)},
            "gratification": {"agreed_amount": Decimal(650 + 10 * n), "agreed_unit": "month"},
            "host_tutor": {"host_tutor_name": f"Tuteur {n}"},
            "activities": {"missions": f"Activités {n}"},
            "schedule": {"weekly_hours": Decimal(28 + n)},
        }[kind]
        try:
            amendments.amend(c, desk, kind, "Motif", values, c.version_id,
                             date(2027, 2, 1))
        except services.DomainError:
            db.session.rollback()
        db.session.refresh(c)
    stated = services.terms_of(c)
    expected = dict(c.terms)
    for a in c.amendments:
        for key, (_, after) in a.changes.items():
            expected[key] = after
    assert stated.values == expected
    live = services.live_terms(c)
    for kind in ("dates", "gratification", "host_tutor", "activities", "schedule"):
        for key in AMENDABLE[kind]:
            assert live.values.get(key) == stated.values.get(key), key
    assert snapshot  # the same snapshot function states both


# ---------------------------------------------------------------- two people at once

@on_postgres
def test_two_secretaries_validating_at_one_host_leave_the_quota_whole(app, convention, make):
    """One place left at a 19-staff host (quota 3, two validated): two conventions validated
    at the same instant by two secretaries, one passes, the other is refused by the quota."""
    host = make.host(name="Petit service", headcount=19)
    for _ in range(2):
        convention(host=host, validate=True)
    waiting = [convention(host=host) for _ in range(2)]
    desks = []
    for c in waiting:
        b = browser_for(app, make.user("secretariat"))
        b.token  # noqa: B018 - the CSRF token, read before the race
        desks.append((b, c.id, c.version_id))
    db.session.commit()
    with widened(db.engine, "conventions"):
        responses = at_once(*[
            (lambda b=b, cid=cid, v=v: b.post(f"/conventions/{cid}/action/validate",
                                              {"version": v}, follow_redirects=True))
            for b, cid, v in desks])
    assert all(r.status_code == 200 for r in responses)
    bodies = [text(r) for r in responses]
    refused = [body for body in bodies if "Validation impossible" in body]
    assert len(refused) == 1 and "Quota de stagiaires" in refused[0]
    db.session.expire_all()
    assert sorted(db.session.get(Convention, c.id).status for c in waiting) == [
        "submitted", "validated"]


@on_postgres
def test_a_double_click_on_the_internship_form_records_one_internship(app, make, year_2026):
    student = make.user("student")
    host = make.host()
    db.session.commit()
    b = browser_for(app, student)
    b.token  # noqa: B018
    form = {"host_id": host.id, "subject": "Inventaire", "start_date": "2027-04-08",
            "end_date": "2027-06-30", "weekly_hours": "35", "zone": "metropole",
            "work_days": ["mon", "tue", "wed", "thu", "fri"], "agreed_unit": "month"}
    with widened(db.engine, "internships"):
        responses = at_once(lambda: b.post("/stages/nouveau", form),
                            lambda: b.post("/stages/nouveau", form))
    assert sorted(r.status_code for r in responses) == [200, 303]
    assert any("a déjà un stage" in text(r) for r in responses)
    db.session.expire_all()
    assert db.session.query(Internship).filter_by(student_id=student.id).count() == 1


@on_postgres
def test_two_secretaries_validating_the_same_convention_validate_it_once(app, convention, make):
    c = convention()
    desks = []
    for _ in range(2):
        b = browser_for(app, make.user("secretariat"))
        b.token  # noqa: B018
        desks.append(b)
    cid, version = c.id, c.version_id
    db.session.commit()
    with widened(db.engine, "conventions"):
        responses = at_once(*[
            (lambda b=b: b.post(f"/conventions/{cid}/action/validate",
                                {"version": version}, follow_redirects=True))
            for b in desks])
    assert [r.status_code for r in responses] == [200, 200]
    assert sum("Quelqu’un d’autre a modifié" in text(r) for r in responses) == 1
    db.session.expire_all()
    events = db.session.get(Convention, cid).events
    assert [e.to_status for e in events].count("validated") == 1
