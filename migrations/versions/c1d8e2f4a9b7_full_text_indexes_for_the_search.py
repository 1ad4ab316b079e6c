"""full-text indexes for the search: FTS5 on SQLite, tsvector GIN on PostgreSQL

The search matches words by their beginning (``archiv`` finds "archivistique") through a
full-text index instead of scanning ``search_text`` with ``LIKE '%mot%'``. On PostgreSQL the
trigram indexes give way to GIN indexes on ``to_tsvector('simple', ...)`` of the words of
``search_text``; on SQLite
each searchable table gets an FTS5 table (external content) kept in step by triggers. Both
are outside the models: ``migrations/env.py`` tells autogenerate to leave them alone. An
offer's text now also holds its host's name, so that one index answers the offers' search.

Revision ID: c1d8e2f4a9b7
Revises: b503896cf79b
Create Date: 2026-11-24 11:20:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c1d8e2f4a9b7'
down_revision = 'b503896cf79b'
branch_labels = None
depends_on = None

TABLES = ("offers", "hosts", "users", "good_practices")


def _sqlite_has_fts5(bind) -> bool:
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except sa.exc.OperationalError:  # an SQLite built without FTS5: the search uses LIKE
        return False
    bind.exec_driver_sql("DROP TABLE temp.fts5_probe")
    return True


offers = sa.table("offers", sa.column("id", sa.Integer), sa.column("host_id", sa.Integer),
                  sa.column("search_text", sa.Text))
hosts = sa.table("hosts", sa.column("id", sa.Integer), sa.column("name", sa.String))


def _offers_hold_their_host_name(bind) -> None:
    """An offer's text now ends with its host's name (app/offers/models.py), so that one
    index answers a search for the host; the offers already there get it once."""
    from app.search import fold

    rows = bind.execute(sa.select(offers.c.id, offers.c.search_text, hosts.c.name)
                        .join(hosts, hosts.c.id == offers.c.host_id)).all()
    changes = [{"offer_id": r.id, "text": " ".join(filter(None, (r.search_text, fold(r.name))))}
               for r in rows]
    for start in range(0, len(changes), 5000):
        bind.execute(offers.update().where(offers.c.id == sa.bindparam("offer_id"))
                     .values(search_text=sa.bindparam("text")), changes[start:start + 5000])


def upgrade():
    bind = op.get_bind()
    _offers_hold_their_host_name(bind)
    if bind.dialect.name == "postgresql":
        for t in TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{t}_search_trgm")
            # the expression of app/search.py, word for word (only letters and digits)
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{t}_search_fts ON {t} USING gin "
                       "(to_tsvector('simple'::regconfig, regexp_replace(search_text, "
                       "'[^[:alnum:]]+', ' ', 'g')))")
    elif bind.dialect.name == "sqlite" and _sqlite_has_fts5(bind):
        for t in TABLES:
            op.execute(f"CREATE VIRTUAL TABLE {t}_fts USING fts5(search_text, content='{t}', "
                       "content_rowid='id')")
            op.execute(f"CREATE TRIGGER {t}_fts_insert AFTER INSERT ON {t} BEGIN "
                       f"INSERT INTO {t}_fts(rowid, search_text) "
                       "VALUES (new.id, new.search_text); END")
            op.execute(f"CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN "
                       f"INSERT INTO {t}_fts({t}_fts, rowid, search_text) "
                       "VALUES ('delete', old.id, old.search_text); END")
            op.execute(f"CREATE TRIGGER {t}_fts_update AFTER UPDATE OF search_text ON {t} "
                       f"BEGIN INSERT INTO {t}_fts({t}_fts, rowid, search_text) "
                       "VALUES ('delete', old.id, old.search_text); "
                       f"INSERT INTO {t}_fts(rowid, search_text) "
                       "VALUES (new.id, new.search_text); END")
            op.execute(f"INSERT INTO {t}_fts({t}_fts) VALUES ('rebuild')")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # back to scans: no trigram index (no pg_trgm)
        for t in TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{t}_search_fts")
    elif bind.dialect.name == "sqlite":
        for t in TABLES:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {t}_fts_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {t}_fts")
