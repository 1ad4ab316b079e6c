"""cas_sessions: the sessions opened by the CAS single sign-on, by service ticket

The CAS's single logout names the ticket; its row is deleted and the session carrying it ends.

Revision ID: c4a9e2f7b1d6
Revises: f9c1e3a5b7d8
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a9e2f7b1d6'
down_revision = 'f9c1e3a5b7d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cas_sessions',
        sa.Column('ticket', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('ticket'),
    )
    op.create_index('ix_cas_sessions_user_id', 'cas_sessions', ['user_id'])


def downgrade():
    op.drop_index('ix_cas_sessions_user_id', table_name='cas_sessions')
    op.drop_table('cas_sessions')
