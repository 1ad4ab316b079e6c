"""conventions.academic_year_id: the internship's year on the convention, so that the queue
counts and lists one year from one index; internships by year and start

Revision ID: e8b0d2f4a6c7
Revises: d7a9c1e3f5b6
Create Date: 2026-12-07 07:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e8b0d2f4a6c7'
down_revision = 'd7a9c1e3f5b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conventions') as batch:
        batch.add_column(sa.Column('academic_year_id', sa.Integer(), nullable=True))
    # NULL only for a convention without an internship (never made by the intranet)
    op.execute("UPDATE conventions SET academic_year_id = (SELECT internships.academic_year_id "
               "FROM internships WHERE internships.id = conventions.internship_id)")
    with op.batch_alter_table('conventions') as batch:
        batch.create_foreign_key('fk_conventions_academic_year_id_academic_years',
                                 'academic_years', ['academic_year_id'], ['id'])
        batch.create_index('ix_conventions_year_status',
                           ['academic_year_id', 'status', 'submitted_at', 'id'])
        batch.create_index('ix_conventions_status_year', ['status', 'academic_year_id'])
    op.create_index('ix_internships_year_start', 'internships', ['academic_year_id', 'start_date'])
    op.create_index('ix_internships_year_status_end', 'internships',
                    ['academic_year_id', 'status', 'end_date'])


def downgrade():
    op.drop_index('ix_internships_year_status_end', table_name='internships')
    op.drop_index('ix_internships_year_start', table_name='internships')
    with op.batch_alter_table('conventions') as batch:
        batch.drop_index('ix_conventions_status_year')
        batch.drop_index('ix_conventions_year_status')
        batch.drop_constraint('fk_conventions_academic_year_id_academic_years',
                              type_='foreignkey')
        batch.drop_column('academic_year_id')
