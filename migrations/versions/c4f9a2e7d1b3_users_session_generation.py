"""users.session_generation: sessions the server can end

Every session carries the generation of its user at login; a password change, a
deactivation, a logout or « Se déconnecter de tous les appareils » adds one to it, and the
sessions that carry an older number are refused at their next request.

Revision ID: c4f9a2e7d1b3
Revises: c4f1a8e2d6b3
Create Date: 2026-11-27 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4f9a2e7d1b3'
down_revision = 'c4f1a8e2d6b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
