"""hosts.foreign_id: the registry or VAT number of a host abroad, in place of a SIRET

Revision ID: c6f8b0d2e4a5
Revises: b5e7a9c1d3f4
Create Date: 2026-12-07 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c6f8b0d2e4a5'
down_revision = 'b5e7a9c1d3f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hosts') as batch:
        batch.add_column(sa.Column('foreign_id', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('hosts') as batch:
        batch.drop_column('foreign_id')
