"""Walk every route of the URL map as every role: nobody reaches what is not theirs, and
nothing answers a server error."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest

from tests.conftest import PDF, login

# Endpoints open without an account.
PUBLIC = {"accounts.login", "gratification.simulator", "gratification.api", "static",
          "defenses.feed", "evaluations.by_link"}
# Endpoints that show one student's own things: another student must never get them.
PRIVATE_TO_OWNER = {
    "applications.show", "applications.cv", "internships.show", "internships.edit",
    "internships.attestation", "conventions.show", "conventions.as_pdf",
    "conventions.signed_pdf", "tutoring.log", "evaluations.answer", "tracks.apprenticeship",
}


@pytest.fixture
def world(make, db, app):
    """Objects of one student (the owner), and the ids to fill every URL with."""
    from app.applications import services as applications
    from app.conventions import services as conventions
    from app.evaluations import services as evaluations
    from app.internships import services as internships
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    years.ensure_default_rates()
    year = years.create_year(years.YearData(start_year=2025))
    owner = make.user("student", last_name="Proprietaire")
    teacher = make.user("teacher")
    host = make.host(headcount=30)
    offer = make.offer(host=host)
    internship, _ = internships.create_internship(owner, internships.InternshipData(
        host_id=host.id, subject="S", start_date=date(2026, 4, 8), end_date=date(2026, 6, 30),
        host_tutor_email="t@example.org", objectives=["Un objectif"]))
    db.session.add(TutorAssignment(student_id=owner.id, teacher_id=teacher.id,
                                   academic_year_id=year.id))
    db.session.commit()
    with app.test_request_context():
        application = applications.apply(owner, offer, "Motivée", PDF, "cv.pdf", date.today())
        convention = conventions.create(internship, owner)
        evaluations.open_evaluations(internship, date.today())
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
PRIVATE_TO_TUTOR = {"tutoring.log", "feedback.debrief", "evaluations.answer"}


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


def test_every_get_route_for_every_role(app, make, world):
    owner, ids = world
    people = {
        "anonyme": None,
        "autre étudiant": make.user("student"),
        "enseignant non tuteur": make.user("teacher"),
        "secrétariat": make.user("secretariat"),
        "admin": make.user("admin"),
        "propriétaire": owner,
    }
    clients = {name: _as(app, user) for name, user in people.items()}
    checked = refused = 0
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
            if rule.startswith("/admin") and user.role != "admin":
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
    assert checked > 300
    assert refused > 50  # the role checks above were exercised, not skipped


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
