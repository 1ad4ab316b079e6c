"""users by name: the tutor board's pages

The tutor board lists the year's tutees by name, fifty at a time. Walking the users along
``(last_name, first_name, id)`` and checking each one's internship and tutor stops after the
page's rows, where the former union of interns and apprentices sorted all of the year's
tutees for every page.

Revision ID: b7e2d4f6a8c1
Revises: a9c4e6f1d2b7
Create Date: 2026-11-25 16:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2d4f6a8c1'
down_revision = 'a9c4e6f1d2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_users_name", "users", ["last_name", "first_name", "id"])


def downgrade():
    op.drop_index("ix_users_name", table_name="users")
