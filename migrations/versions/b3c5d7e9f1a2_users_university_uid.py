"""users.uid: the university's login, shared by single sign-on and the directory sync

Revision ID: b3c5d7e9f1a2
Revises: e8b2c6d4f1a9
Create Date: 2026-12-07 01:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3c5d7e9f1a2'
down_revision = 'e8b2c6d4f1a9'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('uid', sa.String(length=64), nullable=True))
    op.create_index('ux_users_uid', 'users', ['uid'], unique=True)


def downgrade():
    op.drop_index('ux_users_uid', table_name='users')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('uid')
