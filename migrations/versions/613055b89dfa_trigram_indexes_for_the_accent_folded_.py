"""trigram indexes for the accent-folded search on PostgreSQL

Revision ID: 613055b89dfa
Revises: 21704ea1db01
Create Date: 2026-11-24 04:08:23.145916

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '613055b89dfa'
down_revision = '21704ea1db01'
branch_labels = None
depends_on = None


# The search matches every folded word anywhere in ``search_text`` (LIKE '%mot%').
# On PostgreSQL a trigram GIN index serves those LIKEs instead of a scan; SQLite scans.
TABLES = ("offers", "hosts", "users", "good_practices")


def upgrade():
    # These trigram indexes were replaced by the full-text ones (c1d8e2f4a9b7), which drops
    # them: a database migrated from here on never needs the pg_trgm extension (nor the right
    # to create it). Databases migrated before keep what they had until c1d8e2f4a9b7.
    return


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
