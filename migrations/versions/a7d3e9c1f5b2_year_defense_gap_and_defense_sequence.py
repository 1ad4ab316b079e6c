"""academic_years.defense_gap_days; defenses.sequence, jury_outdated, changed_at

A defence is held on or after its internship's end plus the year's gap (days). A published
defence that changes carries the next SEQUENCE of its calendar event; one whose student
changed tutor after publication is flagged until the secretariat sets its jury again.

Revision ID: a7d3e9c1f5b2
Revises: d7a3e9c5b1f4
Create Date: 2026-11-29 14:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3e9c1f5b2'
down_revision = 'd7a3e9c5b1f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("academic_years") as batch:
        batch.add_column(sa.Column("defense_gap_days", sa.Integer(), nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("defenses") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("jury_outdated", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("defenses") as batch:
        batch.drop_column("changed_at")
        batch.drop_column("jury_outdated")
        batch.drop_column("sequence")
    with op.batch_alter_table("academic_years") as batch:
        batch.drop_column("defense_gap_days")
