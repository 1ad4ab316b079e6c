"""Background exports: ``start`` records the request and hands it to the RQ worker (with
``REDIS_URL``) or to a thread of the serving process; ``produce`` writes the file, counting
its rows as it goes (the page polls ``done_rows``); ``clean`` deletes the files older than
``EXPORT_KEEP_DAYS`` (a nightly job: they hold personal data)."""
from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import utcnow
from app.exports.models import ExportJob
from app.extensions import db

JOB = "app.exports.services.run_job"
PROGRESS_EVERY = 500  # rows between two progress updates

# kind -> (params -> (headers, rows, total)), named by a dotted path and imported when used
# (the lists' views import this module: no import of theirs here)
Builder = Callable[[dict], tuple[Sequence[str], Iterable[Sequence], int]]
KINDS: dict[str, str | Builder] = {
    "hosts": "app.hosts.routes:export_rows",
    "users": "app.accounts.routes:users_rows",
    "applications": "app.applications.routes:export_rows",
    "conventions": "app.conventions.routes:export_rows",
    "internships": "app.internships.cohort_routes:export_rows",
    "offers": "app.offers.routes:export_rows",
}
_threads: list[threading.Thread] = []  # the in-process ones (the tests join them)


def builder(kind: str) -> Builder:
    target = KINDS[kind]
    if isinstance(target, str):
        module, name = target.split(":")
        target = getattr(importlib.import_module(module), name)
    return target


def count(stmt) -> int:
    return db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())
                              ).scalar_one()


def is_large(total: int) -> bool:
    return total > int(current_app.config.get("EXPORT_BACKGROUND_ROWS", 3000))


def path_of(job: ExportJob) -> Path:
    return Path(current_app.instance_path) / "exports" / f"{job.id}.{job.fmt}"


def start(user, kind: str, fmt: str, filename: str, params: dict, total: int) -> ExportJob:
    job = ExportJob(user_id=user.id, kind=kind, fmt=fmt, filename=filename,
                    params=json.dumps(params), total_rows=total, status="queued")
    db.session.add(job)
    db.session.commit()
    if current_app.config.get("REDIS_URL"):
        from app.notifications.outbox import rq_queue

        rq_queue().enqueue(JOB, job.id, job_timeout=3600, result_ttl=0,
                           failure_ttl=7 * 86400, description=f"Export {kind}")
    else:
        app = current_app._get_current_object()

        def work() -> None:
            with app.app_context():
                produce(job_id)

        job_id = job.id
        thread = threading.Thread(target=work, name=f"export-{job_id}", daemon=True)
        _threads.append(thread)
        thread.start()
    return job


def _update(job_id: int, **values) -> None:
    with Session(db.engine) as session:
        session.query(ExportJob).filter_by(id=job_id).update(values)
        session.commit()


def produce(job_id: int) -> None:
    from app.exports.formats import csv_body, xlsx_body

    job = db.session.get(ExportJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return
    kind, fmt, filename, params = job.kind, job.fmt, job.filename, json.loads(job.params)
    target = path_of(job)
    _update(job_id, status="running")
    try:
        headers, rows, total = builder(kind)(params)

        def counted():
            n = 0
            for n, row in enumerate(rows, 1):
                if n % PROGRESS_EVERY == 0:
                    _update(job_id, done_rows=n)
                yield row
            _update(job_id, done_rows=n, total_rows=max(n, total))

        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            target.write_bytes(xlsx_body(filename, headers, counted()))
        else:
            target.write_text(csv_body(headers, counted()), encoding="utf-8", newline="")
    except Exception as err:
        db.session.rollback()
        current_app.logger.exception("Export #%d (%s) failed", job_id, kind)
        _update(job_id, status="error", error=f"{type(err).__name__}"[:200],
                finished_at=utcnow())
        return
    db.session.rollback()
    _update(job_id, status="done", finished_at=utcnow())
    current_app.logger.info("Export #%d (%s, %s) done", job_id, kind, fmt)


def run_job(job_id: int) -> None:
    """The RQ job."""
    from app.notifications import outbox

    if has_app_context():
        return produce(job_id)
    if outbox._job_app is None:
        from app import create_app

        outbox._job_app = create_app()
    with outbox._job_app.app_context():
        return produce(job_id)


def own(job_id: int, user) -> ExportJob | None:
    """The export ``job_id`` of ``user``; None for anyone else's (a 404 for the view)."""
    db.session.expire_all()
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != user.id:
        return None
    return job


def clean(now: datetime) -> int:
    """Delete the exports made more than ``EXPORT_KEEP_DAYS`` ago, their files with them (a
    file already gone is no matter); how many."""
    limit = now - timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    old = list(db.session.execute(
        select(ExportJob).where(ExportJob.created_at < limit)).scalars())
    for job in old:
        path_of(job).unlink(missing_ok=True)
        db.session.delete(job)
    db.session.commit()
    return len(old)
