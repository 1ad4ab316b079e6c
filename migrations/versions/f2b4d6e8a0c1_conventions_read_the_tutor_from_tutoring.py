"""conventions read the academic tutor from tutoring: conventions.academic_tutor_id dropped

The tutor was written twice: tutoring's open assignment of the student's year, and a copy on
the convention that tutoring, the convention page and the approval each kept up to date. The
assignment is now the one record (the convention reads it through the internship; what a
validated convention states stays in its frozen terms).

Before the column goes, a tutor named only on a convention (a teacher who approved the
subject before any assignment, or one chosen on the convention page) becomes the student's
open assignment of that year, as the convention said; where both exist, the assignment is
kept, as the tutor board already showed it. A downgrade puts the column back, filled from
the open assignments.

Revision ID: f2b4d6e8a0c1
Revises: e4b7a1c9d2f6
Create Date: 2026-12-07 13:50:00

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = 'f2b4d6e8a0c1'
down_revision = 'e4b7a1c9d2f6'
branch_labels = None
depends_on = None

FK = "fk_conventions_academic_tutor_id_users"

assignments = sa.table(
    "tutor_assignments", sa.column("id", sa.Integer), sa.column("student_id", sa.Integer),
    sa.column("teacher_id", sa.Integer), sa.column("academic_year_id", sa.Integer),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("ended_at", sa.DateTime(timezone=True)), sa.column("end_reason", sa.String))
internships = sa.table(
    "internships", sa.column("id", sa.Integer), sa.column("student_id", sa.Integer),
    sa.column("academic_year_id", sa.Integer), sa.column("status", sa.String))
conventions = sa.table(
    "conventions", sa.column("id", sa.Integer), sa.column("internship_id", sa.Integer),
    sa.column("academic_tutor_id", sa.Integer))


def _open_assignment(student_id, year_id):
    return sa.select(assignments.c.teacher_id).where(
        assignments.c.student_id == student_id, assignments.c.academic_year_id == year_id,
        assignments.c.ended_at.is_(None))


def upgrade():
    bind = op.get_bind()
    named = bind.execute(
        sa.select(internships.c.student_id, internships.c.academic_year_id,
                  conventions.c.academic_tutor_id)
        .join(internships, internships.c.id == conventions.c.internship_id)
        .where(conventions.c.academic_tutor_id.is_not(None),
               internships.c.status != "cancelled")
        .order_by(conventions.c.id)).all()
    now = datetime.now(timezone.utc)
    given = set()
    for student_id, year_id, teacher_id in named:
        if (student_id, year_id) in given or bind.execute(
                _open_assignment(student_id, year_id)).first() is not None:
            continue
        bind.execute(assignments.insert().values(
            student_id=student_id, teacher_id=teacher_id, academic_year_id=year_id,
            started_at=now))
        given.add((student_id, year_id))
    with op.batch_alter_table("conventions") as batch:
        batch.drop_constraint(FK, type_="foreignkey")
        batch.drop_column("academic_tutor_id")


def downgrade():
    with op.batch_alter_table("conventions") as batch:
        batch.add_column(sa.Column("academic_tutor_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(FK, "users", ["academic_tutor_id"], ["id"])
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(conventions.c.id, internships.c.student_id, internships.c.academic_year_id)
        .join(internships, internships.c.id == conventions.c.internship_id)).all()
    for convention_id, student_id, year_id in rows:
        teacher_id = bind.execute(_open_assignment(student_id, year_id)).scalar()
        if teacher_id is not None:
            bind.execute(conventions.update().where(conventions.c.id == convention_id)
                         .values(academic_tutor_id=teacher_id))
