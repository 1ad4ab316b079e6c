"""Emails go through the outbox: written in the action's transaction, sent after it commits.

A rolled-back action sends nothing and leaves nothing; a committed one's mail arrives; a
mail server that fails keeps the row for a retry that ``send-outbox`` (or the worker)
makes later; two senders at once send each mail once; with ``REDIS_URL`` the request only
enqueues a job, and the RQ worker sends (against the real Redis at 127.0.0.1:6379).
"""
from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import utcnow
from app.applications.models import Application
from app.notifications import outbox
from app.notifications.models import Notification, OutboxMail
from app.notifications.services import notify
from tests.applications.test_applications import _application
from tests.conftest import _free_port
from tests.races import at_once, on_postgres, widened

REDIS = "redis://127.0.0.1:6379/0"


def _rows(db):
    db.session.expire_all()
    return db.session.query(OutboxMail).order_by(OutboxMail.id).all()


def _closed_port() -> int:
    return _free_port()  # nothing listens there: the connection is refused at once


def test_a_rolled_back_action_sends_nothing_and_leaves_no_row(as_role, make, pdf, db, smtp,
                                                              app):
    student = make.user("student", email="lea@test-iut.fr")
    a = _application(make, pdf, student=student)
    smtp.messages.clear()
    staff = as_role("secretariat")

    def dropped(conn):  # the database connection drops as the action commits
        raise ConnectionResetError("connexion perdue")

    sa.event.listen(db.engine, "commit", dropped)
    try:
        resp = staff.post(f"/candidatures/{a.id}/statut",
                          {"status": "interview", "comment": "Entretien mardi 10 h",
                           "version": a.version_id})
    finally:
        sa.event.remove(db.engine, "commit", dropped)
    assert resp.status_code == 500
    db.session.rollback()
    assert smtp.messages == []
    assert db.session.query(OutboxMail).filter_by(recipient="lea@test-iut.fr").count() == 0
    assert db.session.get(Application, a.id).status == "sent"
    assert db.session.query(Notification).filter_by(user_id=student.id).count() == 0
    # The same in a service: queued, then rolled back
    notify([student], "Rien ne part.", "/candidatures", email_subject="Annulé")
    db.session.rollback()
    assert smtp.messages == [] and not [r for r in _rows(db) if r.subject == "Annulé"]


def test_a_committed_action_mail_leaves_after_the_commit(make, db, smtp):
    student = make.user("student", email="lea@test-iut.fr", first_name="Léa")
    notify([student], "Votre convention est signée.", "/conventions/1",
           email_subject="Convention signée")
    db.session.flush()
    assert smtp.messages == []  # queued in the transaction, not sent
    db.session.commit()
    [message] = smtp.to("lea@test-iut.fr")
    assert message["subject"] == "Convention signée"
    assert "Bonjour Léa" in message["body"] and "Votre convention est signée." in message["body"]
    [row] = _rows(db)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
    assert row.claimed_until is None


def test_a_failing_mail_server_keeps_the_mail_for_a_retry(make, db, smtp, app, caplog):
    student = make.user("student", email="lea@test-iut.fr")
    app.config["MAIL_PORT"], port = _closed_port(), app.config["MAIL_PORT"]
    notify([student], "Entretien mardi.", None, email_subject="Entretien")
    db.session.commit()  # the action commits, whatever the mail server does
    app.config["MAIL_PORT"] = port
    assert db.session.query(Notification).filter_by(user_id=student.id).count() == 1
    [row] = _rows(db)
    assert row.sent_at is None and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at.replace(tzinfo=None) > (
        utcnow() + timedelta(seconds=50)).replace(tzinfo=None)  # one minute later
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-outbox"])
    assert "0 courriel envoyé" in result.output  # not due yet
    assert smtp.messages == []
    # A minute later (cron runs send-outbox), the server answers again
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 0 and "1 courriel envoyé, 0 en échec." in result.output
    assert len(smtp.to("lea@test-iut.fr")) == 1
    [row] = _rows(db)
    assert row.sent_at is not None and row.attempts == 2
    assert runner.invoke(args=["send-outbox", "--all"]).output.startswith("0 courriel")
    assert len(smtp.messages) == 1


def test_retries_grow_then_stop_and_send_outbox_all_flushes(make, db, smtp, app):
    student = make.user("student", email="lea@test-iut.fr")
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], _closed_port()
    runner = app.test_cli_runner()
    try:
        notify([student], "Soutenance jeudi.", None, email_subject="Soutenance")
        db.session.commit()
        delays = []
        for _ in range(4):
            [row] = _rows(db)
            delays.append(row.next_attempt_at.replace(tzinfo=None)
                          - utcnow().replace(tzinfo=None))
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            result = runner.invoke(args=["send-outbox"])
            assert result.exit_code == 1 and "1 en échec" in result.output
        assert "abandonné" in result.output  # the fifth attempt was the last
        [row] = _rows(db)
        assert row.attempts == 5 and row.sent_at is None
        assert [round(d.total_seconds() / 60) for d in delays] == [1, 5, 25, 125]
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert runner.invoke(args=["send-outbox"]).output.startswith("0 courriel")
    finally:
        app.config["MAIL_PORT"] = port
    result = runner.invoke(args=["send-outbox", "--all"])
    assert "1 courriel envoyé" in result.output
    assert len(smtp.to("lea@test-iut.fr")) == 1


def _pending(db, n: int) -> None:
    """``n`` unsent rows, committed without dispatch (as after an outage)."""
    now = utcnow()
    db.session.execute(sa.insert(OutboxMail), [
        dict(recipient=f"r{i}@example.org", subject=f"Message {i}", body="Bonjour.",
             created_at=now, attempts=0, next_attempt_at=now) for i in range(n)])
    db.session.commit()


def test_a_row_claimed_by_another_sender_is_left_to_it(make, db, smtp, app):
    _pending(db, 3)
    first, second, third = _rows(db)
    first.claimed_until = utcnow() + timedelta(minutes=4)  # another sender has it
    second.claimed_until = utcnow() - timedelta(minutes=1)  # a sender died: its lease ended
    db.session.commit()
    report = outbox.send_pending()
    assert (report.sent, report.skipped) == (2, 0)
    assert sorted(m["to"][0] for m in smtp.messages) == ["r1@example.org", "r2@example.org"]
    # the same rows again: nothing more is sent
    assert outbox.send_pending(everything=True).sent == 0
    assert len(smtp.messages) == 2


@on_postgres
def test_two_senders_at_once_send_each_mail_once(app, db, smtp):
    _pending(db, 12)

    def sender():
        with app.app_context():
            return outbox.send_pending()

    with widened(db.engine, "outbox", seconds=0.05):
        reports = at_once(sender, sender)
    assert sum(r.sent for r in reports) == 12
    assert all(r.failed == 0 for r in reports)
    received = sorted(m["to"][0] for m in smtp.messages)
    assert received == sorted(f"r{i}@example.org" for i in range(12))  # each once
    assert all(r.sent_at is not None and r.attempts == 1 for r in _rows(db))


def test_without_redis_reachable_the_action_commits_and_the_mail_waits(make, db, smtp, app):
    student = make.user("student", email="lea@test-iut.fr")
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{_closed_port()}/0"
    try:
        notify([student], "Entretien mardi.", None, email_subject="Entretien")
        db.session.commit()
    finally:
        app.config["REDIS_URL"] = ""
    assert db.session.query(Notification).filter_by(user_id=student.id).count() == 1
    [row] = _rows(db)
    assert row.sent_at is None and row.attempts == 0 and smtp.messages == []
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert "1 courriel envoyé" in result.output
    assert len(smtp.to("lea@test-iut.fr")) == 1


# ------------------------------------------------------------------ RQ on the real Redis

@pytest.fixture
def rq_mode(app):
    """The app dispatches to RQ on the local Redis, on a queue of this test's own."""
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    name = f"test-outbox-{uuid.uuid4().hex[:10]}"
    saved = app.config["REDIS_URL"], app.config["RQ_QUEUE"]
    app.config["REDIS_URL"], app.config["RQ_QUEUE"] = REDIS, name
    queue = outbox.rq_queue()
    try:
        yield queue
    finally:
        app.config["REDIS_URL"], app.config["RQ_QUEUE"] = saved
        store = queue.connection
        jobs = set(queue.job_ids)
        for registry in (queue.scheduled_job_registry, queue.failed_job_registry,
                         queue.finished_job_registry, queue.started_job_registry,
                         queue.deferred_job_registry):
            jobs.update(registry.get_job_ids())
        for job in jobs:
            for key in store.scan_iter(f"rq:*{job}*"):
                store.delete(key)
        for key in store.scan_iter("rq:worker:*"):  # the burst workers' records
            if store.hget(key, "queues") == name.encode():
                store.srem("rq:workers", key)
                store.delete(key)
        for key in store.scan_iter(f"rq:*{name}*"):
            store.delete(key)
        store.srem("rq:queues", queue.key)
        store.close()


def _work(queue) -> None:
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_with_redis_the_request_enqueues_and_the_worker_sends(rq_mode, make, db, smtp):
    student = make.user("student", email="lea@test-iut.fr")
    notify([student], "Votre candidature avance.", None, email_subject="Candidature")
    db.session.commit()
    assert smtp.messages == [] and rq_mode.count == 1  # the request only enqueued a job
    [row] = _rows(db)
    assert row.sent_at is None
    _work(rq_mode)
    assert len(smtp.to("lea@test-iut.fr")) == 1
    [row] = _rows(db)
    assert row.sent_at is not None and row.attempts == 1
    assert rq_mode.count == 0 and rq_mode.failed_job_registry.count == 0


def test_with_redis_a_failure_schedules_the_retry_on_the_queue(rq_mode, make, db, smtp, app):
    student = make.user("student", email="lea@test-iut.fr")
    notify([student], "Soutenance jeudi.", None, email_subject="Soutenance")
    db.session.commit()
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], _closed_port()
    try:
        _work(rq_mode)
    finally:
        app.config["MAIL_PORT"] = port
    [row] = _rows(db)
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert rq_mode.failed_job_registry.count == 0  # the job did its work: the row failed
    [job_id] = rq_mode.scheduled_job_registry.get_job_ids()  # the worker's scheduler runs it
    job = rq_mode.fetch_job(job_id)
    assert job.func_name == outbox.JOB
    # Its time come, the scheduled job sends the mail
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    rq_mode.scheduled_job_registry.remove(job)
    rq_mode.enqueue_job(job)
    _work(rq_mode)
    assert len(smtp.to("lea@test-iut.fr")) == 1
