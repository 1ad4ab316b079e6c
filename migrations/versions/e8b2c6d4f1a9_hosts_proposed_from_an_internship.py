"""hosts proposed from an internship form: checked by the secretariat

A student whose host is not in the directory proposes it from the internship form; the host
is created unchecked (``checked`` false, ``proposed_by_id``), the secretariat checks it, and
the convention is not validated before. Existing hosts are checked.

Revision ID: e8b2c6d4f1a9
Revises: a7d3e9c1f5b2
Create Date: 2026-11-29 15:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e8b2c6d4f1a9'
down_revision = 'a7d3e9c1f5b2'
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMNs: SQLite then keeps the table, and its full-text search triggers
    op.add_column('hosts', sa.Column('checked', sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.add_column('hosts', sa.Column('proposed_by_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('hosts') as batch:
        batch.drop_column('proposed_by_id')
        batch.drop_column('checked')
