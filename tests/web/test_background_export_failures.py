"""A background export that fails says so on its page instead of polling for ever, its
progress is counted as it goes, and a job already finished or unknown is not produced
again (app/exports/services.py ``produce``)."""
from __future__ import annotations

from app.exports import services
from app.exports.models import ExportJob
from app.extensions import db
from tests.conftest import text
from tests.web.test_background_exports import _join, _start


def test_a_failed_export_says_so(large, as_role, monkeypatch):
    def broken(params):
        raise RuntimeError("disque plein")

    monkeypatch.setitem(services.KINDS, "hosts", broken)
    staff = as_role("secretariat")
    location = _start(staff)
    _join()
    db.session.expire_all()
    job = db.session.query(ExportJob).one()
    assert (job.status, job.error) == ("error", "RuntimeError")
    page = text(staff.get(location))
    assert "Erreur : le fichier n’a pas pu être préparé." in page
    assert "Relancez l’export depuis la liste." in page
    assert "every 2s" not in page and "Télécharger" not in page


def test_progress_is_counted_and_a_finished_job_is_not_made_again(large, as_role,
                                                                   monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    staff = as_role("secretariat")
    _start(staff)
    _join()
    db.session.expire_all()
    job = db.session.query(ExportJob).one()
    assert (job.status, job.done_rows) == ("done", 5)
    finished = job.finished_at
    services.produce(job.id)          # already done: nothing happens
    services.produce(999999)          # unknown: nothing happens
    db.session.expire_all()
    assert db.session.get(ExportJob, job.id).finished_at == finished
