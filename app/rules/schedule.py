"""The schedule of the background jobs (pure): which slot of which job is due at a moment.

A job runs once per *slot*: daily at a local time (Europe/Paris, so 07:00 stays 07:00 across
the change of hour), or every N minutes. ``due(now)`` gives, for each job, the latest slot
at or before ``now``; the runner records a slot in ``job_runs`` (unique per job and slot)
before running it, so a slot already taken (by another worker, the CLI or a previous tick)
is never run twice, and a slot missed while nothing ran is made up once at the next tick.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def local_date(moment: datetime) -> date:
    """The day, in the department's time, of a moment the database keeps in UTC (without its
    zone on SQLite)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS).date()


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    daily_at: tuple[int, int] | None = None  # (hour, minute), local time
    every_minutes: int | None = None  # or every N minutes (N divides a day)
    needs_command: str | None = None  # runs only when this Flask command exists


JOBS: tuple[Job, ...] = (
    Job("evaluations", "Ouverture des évaluations et relances", daily_at=(7, 0)),
    # the page shows figures at most FIGURES_MAX_AGE_SECONDS (10 min) old: counted ahead
    Job("statistics", "Actualisation des statistiques", every_minutes=5),
    Job("directory", "Synchronisation avec l’annuaire", daily_at=(6, 0),
        needs_command="sync-directory"),
    Job("exports", "Suppression des exports anciens", daily_at=(3, 0)),
)
LABELS = {job.name: job.label for job in JOBS}


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def latest_slot(job: Job, now: datetime) -> datetime:
    """The latest slot of ``job`` at or before ``now``, in UTC."""
    now = _aware(now)
    if job.every_minutes:
        step = job.every_minutes * 60
        seconds = int(now.timestamp()) // step * step
        return datetime.fromtimestamp(seconds, UTC)
    assert job.daily_at is not None
    local = now.astimezone(PARIS)
    hour, minute = job.daily_at
    slot = datetime(local.year, local.month, local.day, hour, minute, tzinfo=PARIS)
    if slot > local:
        day = local.date() - timedelta(days=1)
        slot = datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
    return slot.astimezone(UTC)


def next_slot(job: Job, now: datetime) -> datetime:
    """The first slot of ``job`` strictly after ``now``, in UTC."""
    now = _aware(now)
    if job.every_minutes:
        return latest_slot(job, now) + timedelta(minutes=job.every_minutes)
    hour, minute = job.daily_at  # type: ignore[misc]
    day = latest_slot(job, now).astimezone(PARIS).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=PARIS).astimezone(UTC)


def due(now: datetime, jobs: tuple[Job, ...] = JOBS,
        commands: frozenset[str] | set[str] | None = None) -> list[tuple[Job, datetime]]:
    """For each job that can run (its command exists, when it needs one), its latest slot."""
    return [(job, latest_slot(job, now)) for job in jobs
            if not job.needs_command or (commands is not None and job.needs_command in commands)]


def next_tick(now: datetime, jobs: tuple[Job, ...] = JOBS) -> datetime:
    """When the worker should look again: the earliest next slot of any job."""
    return min(next_slot(job, now) for job in jobs)
