"""budget: the student's budget for the internship (expected costs; shared with the tutor on
request)

Revision ID: b5e7a9c1d3f4
Revises: a4d6f8b0c2e3
Create Date: 2026-12-07 06:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5e7a9c1d3f4'
down_revision = 'a4d6f8b0c2e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'budget_plans',
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('shared_with_tutor', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('internship_id'),
    )
    op.create_table(
        'budget_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=True),
        sa.Column('amount', sa.Numeric(9, 2), nullable=False),
        sa.Column('timing', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['internship_id'], ['budget_plans.internship_id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_budget_lines_internship_id', 'budget_lines', ['internship_id'])


def downgrade():
    op.drop_table('budget_lines')
    op.drop_table('budget_plans')
