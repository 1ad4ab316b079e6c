"""internships abroad: preparation checklist, mandatory items per year, advice per country,
country guides (moderated tips and keep-contact offers), the host country's pay rule

Revision ID: 7b3129e99eb6
Revises: e8b0d2f4a6c7
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7b3129e99eb6'
down_revision = 'e8b0d2f4a6c7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'abroad_preparations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('erasmus', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('passport_on', sa.Date(), nullable=True),
        sa.Column('insurance_file_id', sa.Integer(), nullable=True),
        sa.Column('liability_file_id', sa.Integer(), nullable=True),
        sa.Column('ariane_on', sa.Date(), nullable=True),
        sa.Column('contact_abroad', sa.String(length=300), nullable=True),
        sa.Column('contact_france', sa.String(length=300), nullable=True),
        sa.Column('departure_on', sa.Date(), nullable=True),
        sa.Column('return_on', sa.Date(), nullable=True),
        sa.Column('la_student_on', sa.Date(), nullable=True),
        sa.Column('la_school_on', sa.Date(), nullable=True),
        sa.Column('la_host_on', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['insurance_file_id'], ['stored_files.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['liability_file_id'], ['stored_files.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('internship_id'),
    )
    op.create_table(
        'abroad_year_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('academic_year_id', sa.Integer(), nullable=False),
        sa.Column('mandatory', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['academic_year_id'], ['academic_years.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('academic_year_id'),
    )
    op.create_table(
        'country_advice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=80), nullable=False),
        sa.Column('level', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('country'),
    )
    op.create_table(
        'country_tips',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=True),
        sa.Column('country', sa.String(length=80), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('contact', sa.String(length=300), nullable=True),
        sa.Column('moderator_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('moderation_comment', sa.Text(), nullable=True),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_country_tips_author_id', 'country_tips', ['author_id'])
    op.create_index('ix_country_tips_country', 'country_tips', ['country'])
    op.create_index('ix_country_tips_status', 'country_tips', ['status'])
    op.add_column('country_advice', sa.Column('pay_rule', sa.Text(), nullable=True))


def downgrade():
    op.drop_table('country_tips')
    op.drop_table('country_advice')
    op.drop_table('abroad_year_settings')
    op.drop_table('abroad_preparations')
