"""applications' search text and full-text index: the staff's search asks one index

The staff's search of applications looked for each word in the student's text or the
offer's: the database had to test every one of the 300,000 applications of ten years. An
application now holds its own search text (the student's name and email, the offer's title
and its host's name), kept by the model and refreshed when the offer is retitled or moved to
another host, or its host renamed, with a full-text index like the offers'.

Revision ID: a9c4e6f1d2b7
Revises: f3b8d2a6c4e1
Create Date: 2026-11-25 14:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a9c4e6f1d2b7'
down_revision = 'f3b8d2a6c4e1'
branch_labels = None
depends_on = None

applications = sa.table("applications", sa.column("id", sa.Integer),
                        sa.column("student_id", sa.Integer), sa.column("offer_id", sa.Integer))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("first_name", sa.String),
                 sa.column("last_name", sa.String), sa.column("email", sa.String))
offers = sa.table("offers", sa.column("id", sa.Integer), sa.column("title", sa.String),
                  sa.column("host_id", sa.Integer))
hosts = sa.table("hosts", sa.column("id", sa.Integer), sa.column("name", sa.String))


def upgrade():
    from app.search import add_search_text

    # the words of app/applications/models.py, for the applications already there
    add_search_text(op, "applications", sa.select(
        applications.c.id, users.c.first_name, users.c.last_name, users.c.email,
        offers.c.title, hosts.c.name)
        .join(users, users.c.id == applications.c.student_id)
        .join(offers, offers.c.id == applications.c.offer_id)
        .outerjoin(hosts, hosts.c.id == offers.c.host_id))


def downgrade():
    from app.search import drop_search_text

    drop_search_text(op, "applications")
