"""grants: mobility grant programmes, their rates per group of countries, applications and
payments

Revision ID: a4d6f8b0c2e3
Revises: c7e1a9b3d5f2
Create Date: 2026-12-07 06:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4d6f8b0c2e3'
down_revision = 'c7e1a9b3d5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'grant_programmes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('academic_year_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('funder', sa.String(length=20), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('max_months', sa.Integer(), nullable=True),
        sa.Column('first_part_percent', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['academic_year_id'], ['academic_years.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('academic_year_id', 'name', name='uq_grant_programmes_name'),
    )
    op.create_index('ix_grant_programmes_academic_year_id', 'grant_programmes',
                    ['academic_year_id'])
    op.create_table(
        'grant_rates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('group_name', sa.String(length=80), nullable=False),
        sa.Column('countries', sa.Text(), nullable=False),
        sa.Column('monthly_amount', sa.Numeric(8, 2), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['grant_programmes.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_grant_rates_programme_id', 'grant_rates', ['programme_id'])
    op.create_table(
        'grant_applications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('motivation', sa.Text(), nullable=True),
        sa.Column('requested_amount', sa.Numeric(9, 2), nullable=False),
        sa.Column('amount', sa.Numeric(9, 2), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['programme_id'], ['grant_programmes.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('internship_id', 'programme_id', name='uq_grant_applications_once'),
    )
    op.create_index('ix_grant_applications_internship_id', 'grant_applications',
                    ['internship_id'])
    op.create_index('ix_grant_applications_programme_id', 'grant_applications',
                    ['programme_id'])
    op.create_index('ix_grant_applications_status', 'grant_applications', ['status'])
    op.create_table(
        'grant_payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('amount', sa.Numeric(9, 2), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_grant_payments_application_id', 'grant_payments', ['application_id'])


def downgrade():
    op.drop_table('grant_payments')
    op.drop_table('grant_applications')
    op.drop_table('grant_rates')
    op.drop_table('grant_programmes')
