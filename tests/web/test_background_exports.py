"""Exports of more than EXPORT_BACKGROUND_ROWS rows: produced in the background (a thread
without Redis, the RQ worker with it), a page with the progress polled every 2 s, a
download link for the requester only."""
from __future__ import annotations

import csv
import io
import re

from app.exports import services
from tests.conftest import text
from tests.notifications.test_outbox import _work, rq_mode  # noqa: F401  (fixture)


def _ask(b, path: str):
    """A large export: its link shows what it will do and starts nothing; its button (a
    POST with the CSRF token) starts it, and leads to its page."""
    from app.exports.models import ExportJob
    from app.extensions import db

    before = db.session.query(ExportJob).count()
    page = text(b.get(path))
    assert "Le fichier sera préparé en arrière-plan" in page, path
    assert db.session.query(ExportJob).count() == before     # a GET writes nothing
    resp = b.post(path)
    assert resp.status_code in (302, 303), (path, resp.status_code)
    return resp


def _start(b) -> str:
    return _ask(b, "/organismes/export.csv").headers["Location"]


def _join():
    for thread in list(services._threads):
        thread.join(10)
    services._threads.clear()


def _download_rows(b, page):
    [link] = re.findall(r'href="(/exports/\d+/fichier)"', page)
    resp = b.get(link)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))


def test_without_redis_a_large_export_is_made_in_a_thread(large, as_role):
    staff = as_role("secretariat")
    location = _start(staff)
    _join()
    page = text(staff.get(location))
    assert "Le fichier est prêt (5 lignes)." in page and "Télécharger organismes.csv" in page
    fragment = staff.client.get(location, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="export-status"' in fragment and "every 2s" not in fragment  # polling stops
    assert "<html" not in fragment
    html = staff.client.get(location).get_data(as_text=True)
    rows = _download_rows(staff, html)
    assert rows[0][:2] == ["Nom", "SIRET"] and len(rows) == 6
    assert sorted(r[0] for r in rows[1:]) == [f"Archives {i}" for i in range(5)]
    # Another staff member sees neither the page nor the file
    other = as_role("secretariat")
    assert other.get(location).status_code == 404
    assert other.get(location + "/fichier").status_code == 404


def test_a_small_export_is_still_immediate(app, make, as_role, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 3)
    make.host(name="Archives seules")
    resp = as_role("secretariat").get("/organismes/export.csv")
    assert resp.status_code == 200 and "Archives seules" in resp.get_data(as_text=True)


def test_with_redis_the_worker_makes_the_file_and_the_page_polls(large, as_role,
                                                               rq_mode):  # noqa: F811
    staff = as_role("secretariat")
    location = _start(staff)
    assert rq_mode.count == 1 and not services._threads
    html = staff.client.get(location).get_data(as_text=True)
    assert 'data-hx-trigger="every 2s"' in html and 'role="status"' in html
    assert "En attente de préparation (5 lignes)." in text(staff.get(location))
    assert "/fichier" not in html and staff.get(location + "/fichier").status_code == 404
    _work(rq_mode)
    html = staff.client.get(location).get_data(as_text=True)
    assert "Le fichier est prêt (5 lignes)." in html and "every 2s" not in html
    assert len(_download_rows(staff, html)) == 6


def test_the_users_list_too(app, make, as_role, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 3)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    for i in range(4):
        make.user("student", last_name=f"Martin{i}")
    admin = as_role("admin")
    resp = _ask(admin, "/admin/utilisateurs/export.csv?role=student")
    _join()
    html = admin.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Le fichier est prêt (4 lignes)." in html
    rows = _download_rows(admin, html)
    assert rows[0][0] == "Nom" and sorted(r[0] for r in rows[1:]) == [
        f"Martin{i}" for i in range(4)]


def test_a_large_xlsx_export_too(large, as_role):
    from openpyxl import load_workbook

    staff = as_role("secretariat")
    resp = _ask(staff, "/organismes/export.xlsx")
    _join()
    html = staff.client.get(resp.headers["Location"]).get_data(as_text=True)
    [link] = re.findall(r'href="(/exports/\d+/fichier)"', html)
    file = staff.get(link)
    assert file.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename=organismes.xlsx' in file.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(file.data)).active
    assert [c.value for c in next(sheet.iter_rows())][:2] == ["Nom", "SIRET"]
    assert sheet.max_row == 6


def test_the_largest_lists_export_in_the_background_too(app, make, db, as_role, monkeypatch,
                                                         tmp_path):
    """Applications (300,000 at a university) and conventions (150,000): over the threshold,
    the same background export, with the list's own filters."""
    from datetime import date

    from app.applications.models import Application
    from app.conventions.models import Convention
    from app.internships import services as internships
    from app.years import services as years

    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 3)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    years.ensure_default_rates()
    year = years.current_year(date.today())
    from app.files.models import StoredFile

    offer = make.offer(title="Inventaire du fonds Dupont")
    cv = StoredFile(filename="cv.pdf", content_type="application/pdf", size=3,
                    sha256="0" * 64, data=b"%PDF")
    db.session.add(cv)
    db.session.flush()
    for n in range(4):
        student = make.user("student", last_name=f"Candidat{n}")
        db.session.add(Application(offer_id=offer.id, student_id=student.id, message="M",
                                   cv_id=cv.id, status="sent"))
        i, _ = internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="S", start_date=year.earliest_start,
            end_date=year.earliest_start.replace(month=7, day=1)))
        db.session.add(Convention(internship=i, status="submitted"))
    db.session.commit()
    staff = as_role("secretariat")
    for n in range(4):
        make.offer(title=f"Récolement {n}", host=offer.host)
    resp = _ask(staff, "/offres/export.csv?q=recolement")  # the list's own search, folded
    _join()
    page = staff.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Le fichier est prêt (4 lignes)." in page
    assert sorted(r[1] for r in _download_rows(staff, page)[1:]) == [
        f"Récolement {n}" for n in range(4)]
    for path, first_row in (("/candidatures/export.csv", "Date"),
                            (f"/stages/export.csv?year={year.start_year}", "Nom"),
                            (f"/conventions/export.csv?status=submitted&year={year.start_year}",
                             "Nom")):
        resp = _ask(staff, path)
        _join()
        page = staff.client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Le fichier est prêt (4 lignes)." in page, path
        rows = _download_rows(staff, page)
        assert rows[0][0] == first_row and len(rows) == 5
        name = rows[0].index("Nom")
        assert sorted(r[name] for r in rows[1:]) == [f"Candidat{n}" for n in range(4)]


def test_the_nightly_job_deletes_the_exports_of_last_week(large, as_role, db):
    """An export's file holds personal data: the nightly job deletes it after
    EXPORT_KEEP_DAYS (7) days, with its row; the page of a deleted export is gone too."""
    from datetime import timedelta

    from app.accounts.models import utcnow
    from app.exports.models import ExportJob

    desk = as_role("secretariat")
    old_page, recent_page = _start(desk), _start(desk)
    _join()
    old, recent = db.session.query(ExportJob).order_by(ExportJob.id).all()
    old.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    files = services.path_of(old), services.path_of(recent)
    assert all(f.exists() for f in files)

    assert services.clean(utcnow()) == 1
    assert not files[0].exists() and files[1].exists()
    assert desk.get(old_page).status_code == 404
    assert desk.get(recent_page).status_code == 200


def test_a_large_export_is_started_only_by_its_own_button(large, as_role, db):
    """A link on another site (an image, a prefetch) cannot make the intranet write a job and
    a file: the GET shows the button, a POST without the CSRF token is refused."""
    from app.exports.models import ExportJob

    staff = as_role("secretariat")
    body = text(staff.get("/organismes/export.csv?q=archives"))
    assert "Cet export compte 5 lignes" in body
    assert '<form method="post" action="/organismes/export.csv?q=archives">' in body
    assert "Préparer le fichier CSV" in body
    assert staff.client.post("/organismes/export.csv").status_code == 400
    assert db.session.query(ExportJob).count() == 0
