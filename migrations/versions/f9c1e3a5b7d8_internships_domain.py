"""internships.domain: the internship's own domain (from its offer, or declared)

Revision ID: f9c1e3a5b7d8
Revises: 7b3129e99eb6
Create Date: 2026-12-07 07:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f9c1e3a5b7d8'
down_revision = '7b3129e99eb6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('internships') as batch:
        batch.add_column(sa.Column('domain', sa.String(length=40), nullable=True))
    op.execute("UPDATE internships SET domain = (SELECT offers.domain FROM offers "
               "WHERE offers.id = internships.offer_id) WHERE offer_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('internships') as batch:
        batch.drop_column('domain')
