"""Running the scheduled jobs' due slots.

``run_due`` asks the schedule (``app/rules/schedule.py``) which slot of each job is due,
takes each slot by INSERTing its ``job_runs`` row in a session of its own and committing it
(the unique (job, scheduled_for) refuses the second of two workers: it skips the slot),
then runs the job and records its outcome and message. A failing job is recorded
(``error``) and logged; the next jobs go on. The same function serves the RQ tick
(``tick_job``), ``flask --app wsgi run-due-jobs`` and the in-process ticker used without
``REDIS_URL``.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import utcnow
from app.extensions import db
from app.jobs.models import JobRun
from app.plurals import count_text
from app.rules import schedule

TICK = "app.jobs.services.tick_job"
TICK_ID = "intranet-jobs-tick-{:%Y%m%dT%H%M}"  # per minute: the workers' chains merge into one
MAX_TICK = timedelta(minutes=10)  # the tick looks again at least this often


def _paris_today(now: datetime) -> date:
    return schedule.local_date(now)


def _evaluations(now: datetime) -> str:
    """The day's mailings after the internships: the evaluations' links and reminders, and
    the « un an après » questionnaires due that day."""
    from app.evaluations.services import send_reminders
    from app.oneyear.services import send_due

    n = send_reminders(_paris_today(now), current_app.config["EVALUATION_REMINDER_DAYS"])
    later = send_due(_paris_today(now))
    message = count_text("%(num)d relance envoyée", "%(num)d relances envoyées", n)
    if later:
        message += count_text(" ; %(num)d questionnaire « un an après »",
                              " ; %(num)d questionnaires « un an après »", later)
    return message


def _statistics(now: datetime) -> str:
    """The running years' figures counted ahead of the statistics page (which reads them)."""
    from app.figures.services import refresh_running
    from app.offers.services import domains

    done = refresh_running(_paris_today(now), domains())
    return "statistiques recomptées : " + ", ".join(
        f"{year.label} ("
        + count_text("%(num)d stage", "%(num)d stages", kept.figures.internships) + ")"
        for year, kept in done)


def _directory(now: datetime) -> str:
    import click

    command = current_app.cli.get_command(click.Context(current_app.cli), "sync-directory")
    if command is None:
        return "pas de commande sync-directory"
    click.Context(command).invoke(command)
    return "synchronisation faite"


def _exports(now: datetime) -> str:
    from app.exports.services import clean

    n = clean(now)
    if not n:
        return _("aucun export ancien")
    return count_text("%(num)d export ancien supprimé", "%(num)d exports anciens supprimés", n)


RUNNERS: dict[str, Callable[[datetime], str]] = {
    "evaluations": _evaluations,
    "statistics": _statistics,
    "directory": _directory,
    "exports": _exports,
}


@dataclass
class Outcome:
    job: str
    scheduled_for: datetime
    outcome: str  # ok, error, skipped (the slot was taken by another)
    message: str = ""


def _commands() -> set[str]:
    import click

    names = set(current_app.cli.list_commands(click.Context(current_app.cli)))
    if not current_app.config.get("LDAP_URL"):  # no directory to read: nothing to sync
        names.discard("sync-directory")
    return names


def _claim(job: str, slot: datetime) -> int | None:
    with Session(db.engine) as session:
        row = JobRun(job=job, scheduled_for=slot, started_at=utcnow(), outcome="running")
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return None
        return row.id


def _finish(run_id: int, outcome: str, message: str) -> None:
    with Session(db.engine) as session:
        row = session.get(JobRun, run_id)
        row.finished_at, row.outcome, row.message = utcnow(), outcome, message[:2000]
        session.commit()


def run_due(now: datetime | None = None) -> list[Outcome]:
    """Run every job's due slot not yet taken; what each did."""
    now = now or utcnow()
    outcomes = []
    for job, slot in schedule.due(now, commands=_commands()):
        exists = db.session.execute(select(JobRun.id).where(
            JobRun.job == job.name, JobRun.scheduled_for == slot)).first()
        db.session.rollback()
        run_id = None if exists else _claim(job.name, slot)
        if run_id is None:
            outcomes.append(Outcome(job.name, slot, "skipped"))
            continue
        started = time.monotonic()
        try:
            message = RUNNERS[job.name](now)
        except Exception as err:
            db.session.rollback()
            message = f"{type(err).__name__}: {err}"
            current_app.logger.exception("Job %s (slot %s) failed after %.1f s: %s", job.name,
                          slot.isoformat(timespec="minutes"), time.monotonic() - started,
                          message)
            _finish(run_id, "error", message)
            outcomes.append(Outcome(job.name, slot, "error", message))
            continue
        current_app.logger.info("Job %s (slot %s) done in %.1f s: %s", job.name,
                 slot.isoformat(timespec="minutes"), time.monotonic() - started, message)
        _finish(run_id, "ok", message)
        outcomes.append(Outcome(job.name, slot, "ok", message))
    return outcomes


def recent(limit: int = 100) -> list[JobRun]:
    return list(db.session.scalars(
        select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)))


# ------------------------------------------------------------------ RQ tick

def schedule_tick(queue, now: datetime | None = None) -> None:
    """Put the (single) tick on the queue at the next slot, at most ``MAX_TICK`` away; the
    worker's scheduler starts it then. The job id is made of its minute: two workers that
    schedule the same next tick schedule one job, so their chains merge."""
    now = now or utcnow()
    at = min(schedule.next_tick(now), now + MAX_TICK)
    queue.enqueue_at(at, TICK, job_id=TICK_ID.format(at), job_timeout=3600, result_ttl=0,
                     failure_ttl=7 * 86400, description="Tâches planifiées")


def tick_job() -> int:
    """The RQ job: run the due slots, then schedule the next tick."""
    from app.notifications import outbox

    def work() -> int:
        outcomes = run_due()
        schedule_tick(outbox.rq_queue())
        return sum(o.outcome != "skipped" for o in outcomes)

    if has_app_context():
        return work()
    if outbox._job_app is None:
        from app import create_app

        outbox._job_app = create_app()
    with outbox._job_app.app_context():
        return work()


# ------------------------------------------------------------------ in-process, no Redis

_ticker_started = False
_ticker_lock = threading.Lock()


def start_in_process_ticker(app: Flask, interval: float = 60.0,
                            first_delay: float = 30.0) -> bool:
    """Without ``REDIS_URL``: a daemon thread of the serving process that runs the due slots
    every ``interval`` seconds (each process of a gunicorn may run one: the unique slot
    keeps each slot to one of them). Started at the first request, never for a CLI command;
    the first tick waits ``first_delay`` (a short-lived process, a script's test client, runs
    none)."""
    global _ticker_started
    with _ticker_lock:
        if _ticker_started:
            return False
        _ticker_started = True

    def loop() -> None:
        time.sleep(first_delay)
        while True:
            try:
                with app.app_context():
                    run_due()
            except Exception:
                current_app.logger.exception("Scheduled jobs: the in-process tick failed")
            time.sleep(interval)

    threading.Thread(target=loop, name="jobs-ticker", daemon=True).start()
    return True


def run_worker(burst: bool = False) -> None:
    """The RQ worker on the app's queue, with its scheduler (the retries and the ticks);
    before it starts, a job for the emails that waited while no worker ran, and a tick for
    the jobs' due slots."""
    from rq import Worker

    from app.notifications import outbox

    queue = outbox.rq_queue()
    outbox.enqueue()
    schedule_tick(queue, now=utcnow() - timedelta(minutes=10))  # a tick now: the due slots
    # The worker forks a process per job: let none inherit the parent's connections.
    db.session.remove()
    db.engine.dispose()
    Worker([queue], connection=queue.connection).work(with_scheduler=True, burst=burst)
