"""job_runs: the slots of the scheduled jobs, one row per job and slot

The worker (or ``flask --app wsgi run-due-jobs``) writes a row before it runs a job's slot;
the unique (job, scheduled_for) lets only one of two workers take the same slot.

Revision ID: e4b7a1c9d2f6
Revises: b3c5d7e9f1a2
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e4b7a1c9d2f6'
down_revision = 'b3c5d7e9f1a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "scheduled_for", name="uq_job_runs_job_scheduled_for"),
    )
    op.create_index("ix_job_runs_started_at", "job_runs", ["started_at"], unique=False)


def downgrade():
    op.drop_index("ix_job_runs_started_at", table_name="job_runs")
    op.drop_table("job_runs")
