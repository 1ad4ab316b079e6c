"""outbox: emails written in the transaction of the action, sent after it commits

An action's emails used to be sent inside the request, before its commit: a failed
commit still sent them, a slow mail server slowed the request, and a crash between two
sends lost the rest. They are now rows of ``outbox``, added in the action's transaction
and sent after its commit (by the RQ worker when ``REDIS_URL`` is set, in-process
otherwise), with attempts, the last error and the next attempt kept for retries. A
partial index covers the rows still to send.

Revision ID: d7a3e9c5b1f4
Revises: c4f9a2e7d1b3
Create Date: 2026-11-28 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7a3e9c5b1f4'
down_revision = 'c4f9a2e7d1b3'
branch_labels = None
depends_on = None

PENDING = "sent_at IS NULL"


def upgrade():
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_pending", "outbox", ["next_attempt_at"], unique=False,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))


def downgrade():
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
