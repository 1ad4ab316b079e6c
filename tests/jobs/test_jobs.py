"""Scheduled jobs: each due slot runs once, whoever asks (two workers, the CLI, the tick);
the admin sees the runs; failures are recorded and logged; the RQ tick on the real Redis."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import click
import pytest
import time_machine

from app.jobs import services
from app.jobs.models import JobRun
from app.rules.schedule import PARIS
from tests.conftest import text
from tests.notifications.test_outbox import _work, rq_mode  # noqa: F401  (fixture)
from tests.races import at_once, on_postgres, widened

MONDAY_0705 = datetime(2026, 12, 7, 7, 5, tzinfo=PARIS)


def _runs(db):
    db.session.expire_all()
    return db.session.query(JobRun).order_by(JobRun.job).all()


@pytest.fixture
def info_log(app, caplog, monkeypatch):
    # Alembic's logging set-up (the migrations ran in this process) disabled the app's logger
    monkeypatch.setattr(app.logger, "disabled", False)
    caplog.set_level(logging.INFO, logger=app.logger.name)
    return caplog


def test_the_due_slots_run_once_and_the_admin_sees_them(app, db, as_role, info_log):
    caplog = info_log
    with time_machine.travel(MONDAY_0705, tick=False):
        outcomes = services.run_due()
        assert {(o.job, o.outcome) for o in outcomes} == {("evaluations", "ok"),
                                                           ("statistics", "ok"),
                                                           ("exports", "ok")}
        again = services.run_due()  # the same slots: taken already
        assert {o.outcome for o in again} == {"skipped"}
    runs = _runs(db)
    assert [(r.job, r.outcome) for r in runs] == [("evaluations", "ok"), ("exports", "ok"),
                                                  ("statistics", "ok")]
    evaluations = runs[0]
    assert evaluations.scheduled_for.astimezone(PARIS).hour == 7
    assert evaluations.message == "0 relance envoyée" and evaluations.finished_at
    assert "Job evaluations (slot 2026-12-07T06:00+00:00) done" in caplog.text
    # the statistics job counted the running year ahead of its page
    from app.figures.models import FiguresSnapshot

    assert db.session.query(FiguresSnapshot).count() >= 1
    assert runs[2].message.startswith("statistiques recomptées : 2026-2027")
    assert runs[1].message == "aucun export ancien"
    # Five minutes later only the statistics have a new slot
    with time_machine.travel(MONDAY_0705 + timedelta(minutes=5), tick=False):
        assert [o.job for o in services.run_due() if o.outcome == "ok"] == ["statistics"]

    admin = as_role("admin")
    page = text(admin.get("/admin/taches/"))
    assert "Tâches planifiées" in page and "Ouverture des évaluations et relances" in page
    assert "réussie" in page and "0 relance envoyée" in page
    assert "7 décembre 2026 à 07:00" in page  # the slot, in Paris time
    assert as_role("secretariat").get("/admin/taches/").status_code == 403


def test_a_failing_job_is_recorded_and_logged_and_the_others_run(app, db, monkeypatch,
                                                                  info_log):
    caplog = info_log
    def broken(now):
        raise RuntimeError("base des évaluations indisponible")

    monkeypatch.setitem(services.RUNNERS, "evaluations", broken)
    with time_machine.travel(MONDAY_0705, tick=False):
        outcomes = services.run_due()
    assert {(o.job, o.outcome) for o in outcomes} == {("evaluations", "error"),
                                                       ("statistics", "ok"), ("exports", "ok")}
    failed = _runs(db)[0]
    assert failed.outcome == "error" and "indisponible" in failed.message
    assert "Job evaluations (slot 2026-12-07T06:00+00:00) failed" in caplog.text


def test_the_cli_runs_the_due_jobs(app, db):
    runner = app.test_cli_runner()
    with time_machine.travel(MONDAY_0705, tick=False):
        first = runner.invoke(args=["run-due-jobs"])
        second = runner.invoke(args=["run-due-jobs"])
    assert first.exit_code == 0, first.output
    assert "evaluations : réussie — 0 relance envoyée" in first.output
    assert "Aucune tâche à lancer." in second.output


def test_the_directory_sync_runs_when_a_directory_is_set(app, db, monkeypatch):
    calls = []

    @click.command("sync-directory")
    @click.option("--dry-run", is_flag=True)
    def sync(dry_run):
        calls.append(dry_run)

    with time_machine.travel(MONDAY_0705, tick=False):  # no LDAP_URL: not due
        assert "directory" not in {o.job for o in services.run_due()}
    monkeypatch.setitem(app.config, "LDAP_URL", "ldap://127.0.0.1:1")
    monkeypatch.setitem(app.cli.commands, "sync-directory", sync)  # restored afterwards
    with time_machine.travel(MONDAY_0705 + timedelta(days=1), tick=False):
        outcomes = services.run_due()
    assert ("directory", "ok") in {(o.job, o.outcome) for o in outcomes}
    assert calls == [False]  # run for real, not as a dry run


@on_postgres
def test_two_workers_at_once_run_each_slot_once(app, db):
    def worker():
        with app.app_context():
            return services.run_due(datetime(2026, 12, 7, 6, 5, tzinfo=UTC))

    with widened(db.engine, "job_runs", seconds=0.2):
        first, second = at_once(worker, worker)
    done = [o.job for o in first + second if o.outcome == "ok"]
    assert sorted(done) == ["evaluations", "exports", "statistics"]  # each slot by one
    assert sum(o.outcome == "skipped" for o in first + second) == 3
    assert len(_runs(db)) == 3


# ------------------------------------------------------------------ the tick on the real Redis

def test_the_worker_tick_runs_the_due_jobs_and_schedules_the_next(rq_mode, app, db):  # noqa: F811
    started = datetime.now(UTC) - timedelta(minutes=10)
    services.schedule_tick(rq_mode, now=started)
    services.schedule_tick(rq_mode, now=started)  # a second worker starting: the same job
    registry = rq_mode.scheduled_job_registry
    [tick] = registry.get_job_ids()
    job = rq_mode.fetch_job(tick)
    assert job.func_name == services.TICK
    registry.remove(job)
    rq_mode.enqueue_job(job)  # its time come (the worker's scheduler does this)
    _work(rq_mode)
    runs = _runs(db)
    assert {r.job for r in runs} == {"evaluations", "statistics", "exports"}
    assert all(r.outcome == "ok" for r in runs)
    [following] = registry.get_job_ids()  # the next tick waits
    at = registry.connection.zscore(registry.key, following)
    assert following != tick and at > datetime.now(UTC).timestamp()
    assert rq_mode.failed_job_registry.count == 0


@pytest.fixture
def _no_ticker_yet(monkeypatch):
    monkeypatch.setattr(services, "_ticker_started", False)


def test_without_redis_the_serving_process_ticks_in_a_thread(app, db, monkeypatch,
                                                              _no_ticker_yet):
    import threading

    ran = threading.Event()
    monkeypatch.setattr(services, "run_due", lambda: ran.set())
    assert services.start_in_process_ticker(app, interval=3600, first_delay=0)
    assert not services.start_in_process_ticker(app)  # one per process
    assert ran.wait(5)
