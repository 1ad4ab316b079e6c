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
                      sa.column("subject", sa.String), sa.column("search_text", sa.Text))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("first_name", sa.String),
                 sa.column("last_name", sa.String), sa.column("email", sa.String))
hosts = sa.table("hosts", sa.column("id", sa.Integer), sa.column("name", sa.String),
                 sa.column("city", sa.String))
BATCH = 5000


def _fill(bind) -> None:
    """The text of the internships already there, as the model writes it."""
    from app.search import fold

    rows = bind.execute(
        sa.select(internships.c.id, internships.c.subject, users.c.first_name,
                  users.c.last_name, users.c.email, hosts.c.name, hosts.c.city)
        .join(users, users.c.id == internships.c.student_id)
        .outerjoin(hosts, hosts.c.id == internships.c.host_id)).all()
    changes = [{"internship_id": r.id, "text": fold(" ".join(filter(None, (
        r.first_name, r.last_name, r.email, r.name, r.city, r.subject))))} for r in rows]
    for start in range(0, len(changes), BATCH):
        bind.execute(internships.update()
                     .where(internships.c.id == sa.bindparam("internship_id"))
                     .values(search_text=sa.bindparam("text")), changes[start:start + BATCH])


def upgrade():
    from app.search import index_statements, sqlite_has_fts5

    with op.batch_alter_table("internships") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="",
                                   nullable=False))
    bind = op.get_bind()
    _fill(bind)
    if bind.dialect.name == "postgresql" or (bind.dialect.name == "sqlite"
                                             and sqlite_has_fts5(bind)):
        for statement in index_statements(bind.dialect.name, "internships"):
            op.execute(statement)


def downgrade():
    from app.search import drop_index_statements

    bind = op.get_bind()
    for statement in drop_index_statements(bind.dialect.name, "internships"):
        op.execute(statement)
    with op.batch_alter_table("internships") as batch:
        batch.drop_column("search_text")
