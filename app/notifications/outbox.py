"""The outbox: emails are rows written in the action's transaction, sent after it commits.

Writing: ``add`` (through ``mail.queue``) adds a row to the caller's session and notes it
in ``session.info``; nothing is sent, nothing is committed.

Dispatch: a SQLAlchemy ``after_commit`` listener on the app's session. It was chosen over
Flask's ``after_request`` because it follows the transaction, not the request: it fires
only when the rows really committed (never after a rollback), exactly once per commit,
and also for commits made outside any request (the CLI's reminders, the worker, a
service called from a script). With ``REDIS_URL`` set it enqueues an RQ job on the app's
queue (``RQ_QUEUE``) and the request returns at once; without it the rows are sent
in-process right after the commit (the embedded default of ``make run``: no service
needed, and the tests stay synchronous). If Redis cannot be reached, or the mail server
is down, the action has committed anyway: its mails wait in the outbox for the next
dispatch, the worker's retry or ``flask --app wsgi send-outbox``.

Sending: ``send_pending`` works on its own session (its own connection), never the
caller's. Each row is taken by a conditional UPDATE (unsent, not claimed by another
sender, due, under the attempts limit) that sets a lease (``claimed_until``) and counts
the attempt, and commits that claim before talking to the mail server; of two senders
(two workers, a worker and the CLI) only one UPDATE matches, on SQLite as on PostgreSQL,
so a row is sent once. A failure records the error and schedules the next attempt with a
growing delay (``OUTBOX_RETRY_SECONDS`` × 5ⁿ); after ``OUTBOX_MAX_ATTEMPTS`` the row is
left for a person to look at (``send-outbox --all`` tries it again). A sender that dies
mid-way leaves its lease to expire, and the row is sent by another: delivery is at least
once, never silently lost.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, or_, select, update
from sqlalchemy.orm import Session

from app.accounts.models import utcnow
from app.extensions import db
from app.notifications.models import OutboxMail

_QUEUED = "outbox_queued"  # key in session.info: the rows this transaction added
JOB = "app.notifications.outbox.run_job"
LEASE = timedelta(minutes=5)  # far above one SMTP exchange (MAIL_TIMEOUT)
JOB_BATCH = 200  # rows per RQ job; a full batch enqueues the next job
IN_PROCESS_EXTRA = 20  # due retries sent along with a commit's own mails, in-process


def add(session: Session, to: str, subject: str, body: str) -> OutboxMail:
    row = OutboxMail(recipient=to[:320], subject=subject[:300], body=body, attempts=0,
                     next_attempt_at=utcnow())
    session.add(row)
    session.info.setdefault(_QUEUED, []).append(row)
    return row


# ------------------------------------------------------------------ dispatch after commit

@event.listens_for(db.session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer transaction may still fail
        return
    rows = session.info.pop(_QUEUED, None)
    if not rows:
        return
    # The rows are expired by the commit; their identity needs no query (and the session
    # may not emit SQL here). A row of a rolled-back savepoint has none.
    ids = [key.identity[0] for key in map(inspect, rows) if key.identity]
    if ids:
        dispatch(ids)


@event.listens_for(db.session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_QUEUED, None)


def dispatch(ids: list[int]) -> None:
    """Send the rows of ``ids`` (just committed): through the RQ worker when ``REDIS_URL``
    is set, in-process otherwise. Never raises: the action has committed, and what cannot
    be sent now waits in the outbox."""
    logger = current_app.logger
    try:
        if current_app.config.get("REDIS_URL"):
            enqueue()
        else:
            send_pending(first=ids, limit=IN_PROCESS_EXTRA)
    except Exception:  # noqa: BLE001  (Redis or the database unreachable: the rows wait)
        logger.exception("Outbox: %d email(s) committed but not dispatched now; they wait "
                         "in the outbox (send-outbox or the worker will send them)", len(ids))


# ------------------------------------------------------------------ sending

@dataclass
class Report:
    sent: int = 0
    failed: int = 0  # attempts that failed this time (retried later or given up)
    given_up: int = 0  # of the failed, those that reached the attempts limit
    skipped: int = 0  # taken by another sender, or no longer pending
    retry_at: datetime | None = None  # the earliest next attempt of a failed row
    candidates: int = 0


def _retry_delay(attempts: int) -> timedelta:
    base = int(current_app.config.get("OUTBOX_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 5 ** max(attempts - 1, 0))


def _claimable(now: datetime, everything: bool, max_attempts: int) -> list:
    conditions = [OutboxMail.sent_at.is_(None),
                  or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now)]
    if not everything:
        conditions += [OutboxMail.next_attempt_at <= now, OutboxMail.attempts < max_attempts]
    return conditions


def send_pending(*, first: Iterable[int] = (), limit: int | None = None,
                 everything: bool = False) -> Report:
    """Send the rows of ``first``, then up to ``limit`` other due rows (all when None);
    ``everything`` also takes the rows waiting for a retry or given up."""
    cfg = current_app.config
    max_attempts = int(cfg.get("OUTBOX_MAX_ATTEMPTS", 5))
    report = Report()
    with Session(db.engine) as session:
        now = utcnow()
        first = list(first)
        others = (select(OutboxMail.id)
                  .where(*_claimable(now, everything, max_attempts))
                  .order_by(OutboxMail.next_attempt_at, OutboxMail.id))
        if first:
            others = others.where(OutboxMail.id.not_in(first))
        if limit is not None:
            others = others.limit(limit)
        candidates = first + list(session.scalars(others))
        session.rollback()
        report.candidates = len(candidates)
        for row_id in candidates:
            _send_one(session, row_id, everything, max_attempts, report)
    return report


def _send_one(session: Session, row_id: int, everything: bool, max_attempts: int,
              report: Report) -> None:
    from app.notifications import mail

    now = utcnow()
    claimed = session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == row_id, *_claimable(now, everything, max_attempts))
        .values(claimed_until=now + LEASE, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        session.rollback()
        report.skipped += 1
        return
    row = session.execute(
        select(OutboxMail.recipient, OutboxMail.subject, OutboxMail.body, OutboxMail.attempts)
        .where(OutboxMail.id == row_id)).one()
    session.commit()  # the claim holds before the mail server is called
    try:
        mail.deliver(row.recipient, row.subject, row.body)
    except Exception as err:  # noqa: BLE001  (any failure: recorded, the next rows go on)
        error = str(err)[:1000] or type(err).__name__
        later = utcnow() + _retry_delay(row.attempts)
        session.execute(update(OutboxMail).where(OutboxMail.id == row_id)
                        .values(claimed_until=None, last_error=error, next_attempt_at=later)
                        .execution_options(synchronize_session=False))
        session.commit()
        report.failed += 1
        if row.attempts >= max_attempts:
            report.given_up += 1
            current_app.logger.error(
                "Outbox: email #%d to %s not sent after %d attempts, given up: %s "
                "(send-outbox --all tries again)", row_id, row.recipient, row.attempts, error)
        else:
            report.retry_at = min(filter(None, (report.retry_at, later)))
            current_app.logger.warning(
                "Outbox: email #%d to %s not sent (attempt %d of %d): %s; next attempt at "
                "%s", row_id, row.recipient, row.attempts, max_attempts, error,
                later.isoformat(timespec="seconds"))
        return
    session.execute(update(OutboxMail).where(OutboxMail.id == row_id)
                    .values(sent_at=utcnow(), claimed_until=None)
                    .execution_options(synchronize_session=False))
    session.commit()
    report.sent += 1


# ------------------------------------------------------------------ RQ

def redis_connection():
    """The app's Redis client (``REDIS_URL``), with short timeouts: a Redis that does not
    answer must not hold a request."""
    from redis import Redis

    url = current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("outbox_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return clients[url]


def rq_queue():
    from rq import Queue

    return Queue(current_app.config.get("RQ_QUEUE") or "intranet",
                 connection=redis_connection())


def enqueue(at: datetime | None = None):
    """Put a sending job on the app's queue (at ``at``, for a retry: the worker's
    scheduler starts it then)."""
    queue = rq_queue()
    options = dict(job_timeout=600, result_ttl=0, failure_ttl=7 * 86400,
                   description="Envoi des courriels en attente")
    if at is not None:
        return queue.enqueue_at(at, JOB, **options)
    return queue.enqueue(JOB, **options)


_job_app = None


def run_job() -> dict:
    """The RQ job: send the due rows, then enqueue what follows (the next batch, the next
    retry). Runs in the app's context when the worker has one (``flask --app wsgi
    worker``), else in the context of an app made from the environment (``rq worker``)."""
    global _job_app

    if has_app_context():
        return _run_job()
    if _job_app is None:
        from app import create_app

        _job_app = create_app()
    with _job_app.app_context():
        return _run_job()


def _run_job() -> dict:
    report = send_pending(limit=JOB_BATCH)
    if report.candidates >= JOB_BATCH:
        enqueue()
    if report.retry_at is not None:
        enqueue(at=report.retry_at)
    current_app.logger.info("Outbox job: %d sent, %d failed, %d given up, %d taken by another "
                            "sender", report.sent, report.failed, report.given_up,
                            report.skipped)
    return {"sent": report.sent, "failed": report.failed, "given_up": report.given_up}
