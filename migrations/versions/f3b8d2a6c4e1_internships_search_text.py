"""internships' search text and full-text index: the convention queue searches one index

A search of the convention queue (or of the internships) looked for each word in the
student's text or the host's: the database had to test every convention of the list, some
100 ms at university scale even for a name found nowhere. An internship now holds its own
search text (the student's name and email, the host's name and city, the subject), kept by
the model and refreshed when its host is renamed, with a full-text index like the offers':
a convention is found through its internship's id.

Revision ID: f3b8d2a6c4e1
Revises: e5a1c7d3b9f2
Create Date: 2026-11-25 14:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f3b8d2a6c4e1'
down_revision = 'e5a1c7d3b9f2'
branch_labels = None
depends_on = None

internships = sa.table("internships", sa.column("id", sa.Integer),
                      sa.column("student_id", sa.Integer), sa.column("host_id", sa.Integer),
                      sa.column("subject", sa.String))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("first_name", sa.String),
                 sa.column("last_name", sa.String), sa.column("email", sa.String))
hosts = sa.table("hosts", sa.column("id", sa.Integer), sa.column("name", sa.String),
                 sa.column("city", sa.String))


def upgrade():
    from app.search import add_search_text

    # the words of app/internships/models.py, for the internships already there
    add_search_text(op, "internships", sa.select(
        internships.c.id, users.c.first_name, users.c.last_name, users.c.email, hosts.c.name,
        hosts.c.city, internships.c.subject)
        .join(users, users.c.id == internships.c.student_id)
        .outerjoin(hosts, hosts.c.id == internships.c.host_id))


def downgrade():
    from app.search import drop_search_text

    drop_search_text(op, "internships")
