"""figures_snapshots: the year's statistics as last computed, read by the statistics page

Revision ID: d7a9c1e3f5b6
Revises: c6f8b0d2e4a5
Create Date: 2026-12-07 07:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7a9c1e3f5b6'
down_revision = 'c6f8b0d2e4a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'figures_snapshots',
        sa.Column('academic_year_id', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('computed_for', sa.Date(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['academic_year_id'], ['academic_years.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('academic_year_id'),
    )


def downgrade():
    op.drop_table('figures_snapshots')
