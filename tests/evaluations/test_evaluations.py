import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.evaluations import services
from app.evaluations.models import Evaluation
from app.internships.models import Internship, Objective
from tests.conftest import Browser, login, text


def held_defense(internship, tutor, second, day: date, published: bool = True):
    """A defence of ``internship`` on ``day`` (published: its students and jury convened)."""
    from datetime import datetime, time

    from app.defenses.models import Defense, DefenseSession
    from app.extensions import db

    session = DefenseSession(academic_year_id=internship.academic_year_id, day=day,
                             room="A101", start_time=time(9), end_time=time(12),
                             slot_minutes=30)
    defense = Defense(internship_id=internship.id, session=session,
                      starts_at=datetime.combine(day, time(9)), tutor_id=tutor.id,
                      second_teacher_id=second.id, published=published)
    db.session.add_all([session, defense])
    db.session.commit()
    return defense


@pytest.fixture
def ended_undefended(make, db):
    """An internship of 2025-2026, ended, with two objectives and a tutor; no defence."""
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2025))
    student = make.user("student", last_name="Finie")
    tutor = make.user("teacher", last_name="Referente")
    i, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host(name="Archives du Rhône").id, subject="Inventaire",
        start_date=date(2026, 4, 8), end_date=date(2026, 6, 30),
        host_tutor_name="Jeanne Roy", host_tutor_email="jeanne.roy@example.org",
        agreed_amount=Decimal("4.50"), agreed_unit="hour",
        objectives=["Décrire 40 boîtes", "Présenter un bilan"]))
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=tutor.id,
                                   academic_year_id=year.id))
    db.session.commit()
    return i, tutor


@pytest.fixture
def ended(ended_undefended, make):
    """The same, its defence held on 15 September 2026."""
    i, tutor = ended_undefended
    held_defense(i, tutor, make.user("teacher", last_name="Jury"), date(2026, 9, 15))
    return i, tutor


def _host_link(smtp):
    body = smtp.to("jeanne.roy@example.org")[-1]["body"]
    return re.search(r"http://[^\s]+/evaluations/lien/[^\s]+", body).group(0)


def test_host_tutor_evaluates_through_the_emailed_link(ended, as_role, smtp, client, db):
    internship, _ = ended
    s = as_role("secretariat")
    s.post("/evaluations/ouvrir")
    assert db.session.query(Evaluation).count() == 3
    link = _host_link(smtp)
    path = link.split("localhost", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Décrire 40 boîtes" in text(page)
    assert "Stage de Camille Finie, Archives du Rhône, du 8 avril 2026 au 30 juin 2026" \
        in text(page)
    # every objective must be rated
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)
    objectives = db.session.query(Objective).filter_by(internship_id=internship.id).all()
    resp = client.post(path, data={"csrf_token": token, "appreciation": "Très bien",
                                   f"objective-{objectives[0].id}": "reached"})
    assert "Évaluez l’objectif « Présenter un bilan »" in text(resp)
    resp = client.post(path, data={"csrf_token": token, "appreciation": "Très bien",
                                   f"objective-{objectives[0].id}": "reached",
                                   f"objective-{objectives[1].id}": "partly"})
    assert "Merci" in text(resp)
    e = db.session.query(Evaluation).filter_by(kind="host_tutor").one()
    assert e.ratings == {str(objectives[0].id): "reached", str(objectives[1].id): "partly"}
    # the link cannot be reused
    again = client.get(path)
    assert again.status_code == 410 and "déjà été envoyée" in text(again)


def test_tampered_and_expired_links_are_refused(ended, as_role, smtp, client, app,
                                                monkeypatch):
    as_role("secretariat").post("/evaluations/ouvrir")
    path = _host_link(smtp).split("localhost", 1)[1]
    tampered = client.get(path[:-3] + "abc")
    assert tampered.status_code == 410 and "n’est pas valide" in text(tampered)
    monkeypatch.setitem(app.config, "EVALUATION_LINK_DAYS", -1)
    expired = client.get(path)
    assert expired.status_code == 410 and "a expiré" in text(expired)


def test_student_and_tutor_evaluate_others_cannot(ended, app, as_role, db):
    internship, tutor = ended
    services.open_evaluations(internship, date.today())
    by_kind = {e.kind: e for e in db.session.query(Evaluation).all()}
    c = app.test_client()
    login(c, internship.student)
    me = Browser(c, internship.student)
    other = as_role("student")
    assert other.get(f"/evaluations/{by_kind['student_host'].id}").status_code == 404
    resp = me.post(f"/evaluations/{by_kind['student_host'].id}", {"welcome": ""})
    assert "Évaluez l’objectif" in text(resp) or "Ce champ est obligatoire." in text(resp)
    objectives = {o.statement: o.id for o in internship.objectives}
    form = {f"objective-{oid}": "reached" for oid in objectives.values()}
    me.post(f"/evaluations/{by_kind['student_host'].id}", {**form, "welcome": "Bon accueil"})
    assert by_kind["student_host"].submitted_at is not None
    assert me.post(f"/evaluations/{by_kind['academic_tutor'].id}", form).status_code == 404
    t = Browser(app.test_client(), tutor)
    login(t.client, tutor)
    resp = t.post(f"/evaluations/{by_kind['academic_tutor'].id}",
                  {**form, "defense": "Claire", "grade": "25"})
    assert "La note est un nombre de 0 à 20." in text(resp)
    t.post(f"/evaluations/{by_kind['academic_tutor'].id}", {**form, "defense": "Claire",
                                                            "grade": "15,5"})
    db.session.refresh(by_kind["academic_tutor"])
    assert by_kind["academic_tutor"].answers["grade"] == "15,5"


def test_staff_see_who_has_not_answered_and_reminders_go_out(ended, as_role, smtp, db, app):
    internship, _ = ended
    s = as_role("secretariat")
    s.post("/evaluations/ouvrir")
    page = text(s.get("/evaluations/"))
    assert "Finie" in page and page.count("en attente") == 3
    for e in db.session.query(Evaluation).all():
        e.created_at = e.created_at - timedelta(days=10)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-evaluation-reminders"])
    assert "3 relances envoyées." in result.output
    assert any(m["subject"].startswith("Rappel") for m in smtp.to("jeanne.roy@example.org"))
    # not again the same day
    result = app.test_cli_runner().invoke(args=["send-evaluation-reminders"])
    assert "0 relance envoyée" in result.output


def test_evaluations_open_only_after_the_end(make, db):
    from app.internships import services as internships
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026))
    i, _ = internships.create_internship(make.user("student"), internships.InternshipData(
        host_id=make.host().id, subject="S", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30)))
    with pytest.raises(services.DomainError, match="une fois le stage terminé"):
        services.open_evaluations(i, date(2026, 11, 24))


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_attestation_states_what_was_recorded_never_an_estimate(ended, as_role, app, db):
    from app.conventions.models import Convention

    internship, _ = ended
    s = as_role("secretariat")
    resp = s.get(f"/stages/{internship.id}/attestation.pdf", follow_redirects=True)
    assert "convention a été signée" in text(resp)   # no signed convention: no attestation
    db.session.add(Convention(internship=internship, status="signed"))
    db.session.commit()
    resp = s.get(f"/stages/{internship.id}/attestation.pdf")
    assert resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    page = _pdf_text(resp.data)
    assert "392" in page and "56" in page          # hours and days of presence (RULES.md)
    assert "1 764" not in page and "1764" not in page   # nothing paid was recorded
    version = db.session.get(Internship, internship.id).version_id
    s.post(f"/stages/{internship.id}/gratification-versee", {"amount": "abc",
                                                             "version": version})
    resp = s.post(f"/stages/{internship.id}/gratification-versee",
                  {"amount": "1800", "version": version}, follow_redirects=True)
    assert "Gratification versée enregistrée." in text(resp)
    page = _pdf_text(s.get(f"/stages/{internship.id}/attestation.pdf").data)
    assert "1 800,00" in page.replace("\u202f", " ").replace("\u00a0", " ")
    assert as_role("student").get(f"/stages/{internship.id}/attestation.pdf").status_code == 404
    assert db.session.get(Internship, internship.id).gratification_paid == Decimal("1800.00")