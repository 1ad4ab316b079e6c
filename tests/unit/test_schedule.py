"""The jobs' schedule: the latest slot at or before a moment, in Paris time."""
from __future__ import annotations

from datetime import UTC, datetime

from app.rules.schedule import JOBS, PARIS, due, latest_slot, next_slot, next_tick

EVAL, STATS, DIRECTORY, EXPORTS = JOBS


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_a_daily_job_is_due_from_its_local_hour_until_the_next_day():
    assert latest_slot(EVAL, paris(2026, 12, 7, 7, 5)) == paris(2026, 12, 7, 7, 0)
    assert latest_slot(EVAL, paris(2026, 12, 7, 7, 0)) == paris(2026, 12, 7, 7, 0)
    # before 7:00 the slot due is yesterday's
    assert latest_slot(EVAL, paris(2026, 12, 7, 6, 59)) == paris(2026, 12, 6, 7, 0)
    assert next_slot(EVAL, paris(2026, 12, 7, 6, 59)) == paris(2026, 12, 7, 7, 0)
    assert next_slot(EVAL, paris(2026, 12, 7, 7, 0)) == paris(2026, 12, 8, 7, 0)


def test_seven_oclock_stays_seven_across_the_change_of_hour():
    summer = latest_slot(EVAL, paris(2027, 3, 28, 12, 0))  # the day clocks go forward
    winter = latest_slot(EVAL, paris(2027, 3, 27, 12, 0))
    assert summer.astimezone(UTC).hour == 5 and winter.astimezone(UTC).hour == 6
    assert summer.astimezone(PARIS).hour == winter.astimezone(PARIS).hour == 7


def test_the_statistics_have_one_slot_every_five_minutes():
    at = datetime(2026, 12, 7, 6, 42, 10, tzinfo=UTC)
    assert latest_slot(STATS, at) == datetime(2026, 12, 7, 6, 40, tzinfo=UTC)
    assert next_slot(STATS, at) == datetime(2026, 12, 7, 6, 45, tzinfo=UTC)
    assert latest_slot(STATS, at.replace(tzinfo=None)) == latest_slot(STATS, at)  # naive: UTC


def test_the_directory_sync_is_due_only_when_its_command_exists():
    at = paris(2026, 12, 7, 8, 0)
    assert [job.name for job, _ in due(at)] == ["evaluations", "statistics", "exports"]
    assert [job.name for job, _ in due(at, commands={"sync-directory"})] == [
        "evaluations", "statistics", "directory", "exports"]


def test_the_next_tick_is_the_earliest_next_slot():
    assert next_tick(paris(2026, 12, 7, 6, 58)) == paris(2026, 12, 7, 7, 0)  # stats and eval
    assert next_tick(paris(2026, 12, 7, 7, 10)) == paris(2026, 12, 7, 7, 15)
