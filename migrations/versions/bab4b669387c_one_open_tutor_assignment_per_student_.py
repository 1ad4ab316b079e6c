"""one open tutor assignment per student and year, enforced by the database

A student has one academic tutor a year. The rule was checked in Python only, so two
coordinators assigning the same waiting student at the same instant both passed and left
two open assignments (``ended_at`` unset). A partial unique index on
``(student_id, academic_year_id) WHERE ended_at IS NULL`` now refuses the second one, on
SQLite and on PostgreSQL alike.

Existing duplicates are closed first, as a coordinator would have done by hand: of a
student's open assignments of a year, the one kept is the teacher named as academic tutor
on the convention of that year's internship if one of them is; otherwise the latest one
(the one the student's page and the follow-up log already showed). The others are ended
now, with a reason the follow-up log shows, so the history keeps who was assigned and
when; nothing is deleted. A downgrade drops the index and leaves the closed rows closed.

Revision ID: bab4b669387c
Revises: b7e2d4f6a8c1
Create Date: 2026-11-26 10:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'bab4b669387c'
down_revision = 'b7e2d4f6a8c1'
branch_labels = None
depends_on = None

INDEX = "ux_tutor_assignments_one_open"
OPEN = "ended_at IS NULL"
REASON = "Affectation en double, close au profit de l’affectation gardée"

assignments = sa.table(
    "tutor_assignments", sa.column("id", sa.Integer), sa.column("student_id", sa.Integer),
    sa.column("teacher_id", sa.Integer), sa.column("academic_year_id", sa.Integer),
    sa.column("ended_at", sa.DateTime(timezone=True)), sa.column("end_reason", sa.String))
internships = sa.table(
    "internships", sa.column("id", sa.Integer), sa.column("student_id", sa.Integer),
    sa.column("academic_year_id", sa.Integer), sa.column("status", sa.String))
conventions = sa.table(
    "conventions", sa.column("internship_id", sa.Integer),
    sa.column("academic_tutor_id", sa.Integer))


def _close_duplicates(bind) -> None:
    doubled = bind.execute(
        sa.select(assignments.c.student_id, assignments.c.academic_year_id)
        .where(assignments.c.ended_at.is_(None))
        .group_by(assignments.c.student_id, assignments.c.academic_year_id)
        .having(sa.func.count() > 1)).all()
    now = datetime.now(timezone.utc)
    for student_id, year_id in doubled:
        rows = bind.execute(
            sa.select(assignments.c.id, assignments.c.teacher_id)
            .where(assignments.c.student_id == student_id,
                   assignments.c.academic_year_id == year_id, assignments.c.ended_at.is_(None))
            .order_by(assignments.c.id.desc())).all()
        named = set(bind.execute(
            sa.select(conventions.c.academic_tutor_id)
            .join(internships, internships.c.id == conventions.c.internship_id)
            .where(internships.c.student_id == student_id,
                   internships.c.academic_year_id == year_id,
                   internships.c.status != "cancelled",
                   conventions.c.academic_tutor_id.is_not(None))).scalars())
        kept = next((r.id for r in rows if r.teacher_id in named), rows[0].id)
        bind.execute(
            assignments.update()
            .where(assignments.c.id.in_([r.id for r in rows if r.id != kept]))
            .values(ended_at=now, end_reason=REASON))


def upgrade():
    _close_duplicates(op.get_bind())
    op.create_index(INDEX, "tutor_assignments", ["student_id", "academic_year_id"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade():
    op.drop_index(INDEX, table_name="tutor_assignments")
