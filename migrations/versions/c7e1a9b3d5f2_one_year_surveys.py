"""one_year_surveys: « un an après », the questionnaire sent twelve months after an internship

Revision ID: c7e1a9b3d5f2
Revises: b3c5d7e9f1a2
Create Date: 2026-12-07 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7e1a9b3d5f2'
down_revision = 'b3c5d7e9f1a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'one_year_surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('respondent', sa.String(length=20), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('token_nonce', sa.String(length=32), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('changed', sa.Text(), nullable=True),
        sa.Column('inspired', sa.Text(), nullable=True),
        sa.Column('consent', sa.Boolean(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['practice_id'], ['good_practices.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('internship_id', 'respondent', name='uq_one_year_surveys_once'),
    )
    op.create_index('ix_one_year_surveys_internship_id', 'one_year_surveys', ['internship_id'])


def downgrade():
    op.drop_index('ix_one_year_surveys_internship_id', table_name='one_year_surveys')
    op.drop_table('one_year_surveys')
