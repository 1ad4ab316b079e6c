"""Walk every route of the URL map as every role: nobody reaches what is not theirs, and
nothing answers a server error."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.accounts.models import utcnow
from tests.conftest import PDF, login

# Endpoints open without an account.
PUBLIC = {"accounts.login", "gratification.simulator", "gratification.api", "static",
          "defenses.feed", "evaluations.by_link", "oneyear.answer"}
# Endpoints that show one student's own things: another student must never get them.
PRIVATE_TO_OWNER = {
    "applications.show", "applications.cv", "internships.show", "internships.edit",
    "internships.attestation", "conventions.show", "conventions.as_pdf",
    "conventions.signed_pdf", "tutoring.log", "evaluations.answer", "tracks.apprenticeship",
    "evaluations.objectives",
}


@pytest.fixture
def world(make, db, app):
    """Objects of one student (the owner), this year, and the ids to fill every URL with: an
    internship ended yesterday (its attestation is due) with a signed convention, its signed
    scan and an avenant, an application with its CV, a current tutor who replaced a former
    one, a published defence and its jury."""
    from app.applications import services as applications
    from app.conventions import amendments
    from app.conventions import services as conventions
    from app.conventions.models import ConventionCheck
    from app.defenses.models import Defense, DefenseSession
    from app.evaluations import services as evaluations
    from app.internships import services as internships
    from app.internships.models import Internship
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    today = date.today()
    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=years.academic_start_year(today),
                                            programme_hours=1800))
    owner = make.user("student", last_name="Proprietaire")
    former = make.user("teacher", last_name="Ancien")
    teacher = make.user("teacher", last_name="Tuteur")
    jury = make.user("teacher", last_name="Jury")
    desk = make.user("secretariat")
    host = make.host(headcount=30)
    start = year.earliest_start
    offer = make.offer(host=host, start_date=start, deadline=today + timedelta(days=30))
    internship, _ = internships.create_internship(owner, internships.InternshipData(
        host_id=host.id, subject="S", start_date=start, end_date=start + timedelta(weeks=12),
        host_tutor_name="Jeanne Roy", host_tutor_email="t@example.org", missions="Inventaire",
        skills="Indexation",
        objectives=["Un objectif"], agreed_amount=Decimal("700"), agreed_unit="month"))
    internships.add_absence(internship, start + timedelta(days=7), start + timedelta(days=8),
                            "Maladie")
    db.session.add(TutorAssignment(student_id=owner.id, teacher_id=former.id,
                                   academic_year_id=year.id, ended_at=utcnow(),
                                   end_reason="Réaffectation"))
    db.session.add(TutorAssignment(student_id=owner.id, teacher_id=teacher.id,
                                   academic_year_id=year.id))
    db.session.commit()
    with app.test_request_context():
        application = applications.apply(owner, offer, "Motivée", PDF, "cv.pdf", today)
        convention = conventions.create(internship, owner)
        convention.leave_conditions = "Deux jours de congé par mois"
        conventions.submit(convention, owner, convention.version_id)
        conventions.approve(convention, teacher, convention.version_id)
        convention.checks = [ConventionCheck(item=item, checked_by_id=desk.id)
                             for item in conventions.MANUAL_ITEMS]
        db.session.commit()
        conventions.validate(convention, desk, convention.version_id, today)
        conventions.upload_signed(convention, desk, PDF, "signee.pdf", today,
                                  convention.version_id, today)
        amendments.amend(convention, desk, "gratification", "Hausse décidée par l’organisme",
                         {"agreed_amount": Decimal("800")}, convention.version_id, today)
    # The internship is over: its attestation is due (the dates moved past the checks)
    db.session.execute(sa.update(Internship).where(Internship.id == internship.id).values(
        start_date=today - timedelta(weeks=13), end_date=today - timedelta(days=1)))
    db.session.commit()
    db.session.refresh(internship)
    with app.test_request_context():
        evaluations.open_evaluations(internship, today)
    session = DefenseSession(academic_year_id=year.id, day=today, room="B12",
                             start_time=time(9), end_time=time(12), slot_minutes=30)
    db.session.add(session)
    db.session.flush()
    db.session.add(Defense(internship_id=internship.id, session_id=session.id,
                           starts_at=datetime.combine(today, time(9)), tutor_id=teacher.id,
                           second_teacher_id=jury.id, published=True))
    db.session.commit()
    from app.evaluations.models import Evaluation
    evaluation = db.session.query(Evaluation).filter_by(kind="student_host").first()
    ids = {
        "offer_id": offer.id, "host_id": host.id, "application_id": application.id,
        "internship_id": internship.id, "convention_id": convention.id,
        "student_id": owner.id, "user_id": teacher.id, "evaluation_id": evaluation.id,
        "project_id": 1, "defense_id": 1, "year_id": year.id, "contact_id": 1,
        "absence_id": 1, "team_id": 1,
    }
    return owner, ids


def concerned_people(db) -> dict:
    """The world's teachers and secretary, by the part they play for its student."""
    from app.accounts.models import User

    by_name = {u.last_name: u for u in db.session.query(User).filter(
        User.last_name.in_(("Ancien", "Tuteur", "Jury"))).all()}
    return {"ancien tuteur": by_name["Ancien"], "tuteur": by_name["Tuteur"],
            "jury": by_name["Jury"],
            "secrétariat": db.session.query(User).filter_by(role="secretariat").first()}


def urls(app, ids):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg == "fmt":
                values[arg] = "csv"
            elif arg in ("token",):
                values[arg] = "jeton-invalide"
            elif arg in ("action", "party", "item"):
                values[arg] = "x"
            else:
                values[arg] = 1
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **values)
        yield rule.endpoint, rule.rule, url


def _as(app, user):
    c = app.test_client()
    if user is not None:
        login(c, user)
    return c


# Endpoints that show one student's follow-up: a teacher who is not the tutor never gets them.
PRIVATE_TO_TUTOR = {"tutoring.log", "feedback.debrief", "evaluations.answer",
                    "evaluations.objectives"}
# A student's private records (need to know, DESIGN.md « Users and access »): a teacher who is
# neither their current tutor nor on their defence jury gets 404, as a former tutor does; the
# current tutor, the jury, the coordinator and the secretariat read them.
NEED_TO_KNOW = {
    "internships.show", "internships.attestation", "conventions.show", "conventions.as_pdf",
    "conventions.signed_pdf", "conventions.amendment_pdf", "applications.cv",
    "tracks.apprenticeship", "tutoring.log", "evaluations.objectives",
}
NOT_CONCERNED = ("enseignant non tuteur", "ancien tuteur")
CONCERNED = ("tuteur", "jury", "coordination", "secrétariat")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)|<[^>]+\son[a-z]+=", re.IGNORECASE)


def _assert_safe_headers_and_no_inline_script(resp, where: str) -> None:
    """Every response carries the security headers and a CSP without inline script, and no
    page relies on one (it would not run)."""
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, where
    assert resp.headers.get("X-Content-Type-Options") == "nosniff", where
    assert resp.headers.get("X-Frame-Options") == "DENY", where
    if resp.mimetype == "text/html":
        found = INLINE_SCRIPT.search(resp.get_data(as_text=True))
        assert found is None, f"{where}: {found.group(0)[:80] if found else ''}"


def _refused(resp) -> bool:
    return resp.status_code in (403, 404)


def test_every_get_route_for_every_role(app, make, db, world):
    owner, ids = world
    concerned = concerned_people(db)
    coordinator = make.user("teacher", last_name="Coordination")
    coordinator.is_coordinator = True
    db.session.commit()
    people = {
        "anonyme": None,
        "autre étudiant": make.user("student"),
        "enseignant non tuteur": make.user("teacher"),
        "admin": make.user("admin"),
        "propriétaire": owner,
        "coordination": coordinator,
        **concerned,
    }
    clients = {name: _as(app, user) for name, user in people.items()}
    checked = refused = need_to_know = 0
    for endpoint, rule, url in urls(app, ids):
        # The roles a route declares (``roles_required``); None: any logged-in user.
        allowed = getattr(app.view_functions[endpoint], "allowed_roles", None)
        for name, client in clients.items():
            resp = client.get(url)
            checked += 1
            where = f"{name} {url}: {resp.status_code}"
            assert resp.status_code < 500, where
            _assert_safe_headers_and_no_inline_script(resp, where)
            user = people[name]
            if user is None:
                if endpoint not in PUBLIC and endpoint != "bench_hello":
                    assert resp.status_code in (302, 401, 404), where
                    if resp.status_code == 302:
                        assert "/connexion" in resp.headers["Location"], where
                continue
            if allowed is not None and user.role not in allowed:
                assert _refused(resp), f"{where} (réservé à {sorted(allowed)})"
                refused += 1
            if rule.startswith("/admin") and user.role != "admin" and not (
                    rule == "/admin/import" and user.role == "secretariat"):  # its cohort
                assert _refused(resp), where
            if name == "autre étudiant" and endpoint in PRIVATE_TO_OWNER:
                assert _refused(resp), where
            if name == "autre étudiant" and (
                    rule.startswith(("/admin", "/conventions/", "/stages/suivi", "/tutorat/",
                                     "/annees", "/alternants", "/etudiants", "/soutenances/"))
                    and endpoint not in ("defenses.mine", "defenses.feed", "defenses.index")
                    and endpoint not in PRIVATE_TO_OWNER):
                assert resp.status_code in (302, 403, 404), where
            if name == "enseignant non tuteur" and endpoint in PRIVATE_TO_TUTOR:
                assert _refused(resp), where
            if endpoint in NEED_TO_KNOW and name in NOT_CONCERNED:
                assert resp.status_code == 404, where
                assert "Maladie" not in resp.get_data(as_text=True), where
            if endpoint in NEED_TO_KNOW and name in CONCERNED:
                assert resp.status_code == 200, where
                need_to_know += 1
    assert checked > 300
    assert refused > 50  # the role checks above were exercised, not skipped
    assert need_to_know == len(NEED_TO_KNOW) * len(CONCERNED)  # every private page was read


def test_every_unsafe_route_needs_the_csrf_token(app, make, world):
    owner, ids = world
    client = _as(app, make.user("admin"))
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {a: ids.get(a, 1) for a in rule.arguments}
        for a in ("action", "party", "item"):
            if a in values:
                values[a] = "x"
        if "token" in values:
            values["token"] = "x"
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **values)
        resp = client.post(url, data={"x": "1"},
                           headers={"HX-Request": "true"})
        assert resp.status_code in (400, 404), f"{rule.rule}: {resp.status_code}"


def test_oversize_body_is_refused(as_role, make):
    b = as_role("student")
    offer = make.offer()
    big = io.BytesIO(b"%PDF-1.4 " + b"0" * (41 * 1024 * 1024))   # beyond the server's limit
    resp = b.client.post(f"/offres/{offer.id}/candidater", data={
        "csrf_token": b.token, "message": "x", "cv": (big, "cv.pdf")},
        content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "Fichier trop volumineux" in resp.get_data(as_text=True)


def test_database_failure_mid_request_gives_a_clean_page_and_writes_nothing(as_role, db,
                                                                            monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.hosts.models import Host

    b = as_role("secretariat")
    real_commit = db.session.commit

    def broken():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", broken)
    resp = b.post("/organismes/nouveau", {"name": "Archives", "city": "Lyon",
                                          "country": "France"})
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert resp.status_code == 500
    assert "rien n’a été enregistré" in resp.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(Host).count() == 0


def test_path_like_and_lying_uploads(as_role, make, db):
    from app.files.models import StoredFile

    b = as_role("student")
    offer = make.offer()
    png_named_pdf = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    resp = b.client.post(f"/offres/{offer.id}/candidater", data={
        "csrf_token": b.token, "message": "x", "cv": (io.BytesIO(png_named_pdf), "cv.pdf")},
        content_type="multipart/form-data")
    assert "n’est pas un PDF valide" in resp.get_data(as_text=True)
    assert db.session.query(StoredFile).count() == 0
