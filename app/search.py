"""Accent- and case-insensitive search, the same way on SQLite and PostgreSQL.

Searchable records keep a ``search_text`` column holding their text folded by
:func:`fold` (lower case, no accents). A query is folded the same way and cut into words;
each word must begin a word of the record (``archiv`` finds "Archivistique", ``donnees``
finds "données"). A full-text index answers, so a search never reads the whole table:

- PostgreSQL: a GIN index on ``to_tsvector('simple', <search_text, words only>)``, queried
  with prefix terms (``archiv:*``);
- SQLite: an FTS5 table ``<table>_fts`` kept in step with ``search_text`` by triggers,
  queried with prefix phrases (``"archiv"*``).

Both are made by the migrations (``c1d8e2f4a9b7``, then ``index_statements`` for the
internships and applications); where they are missing (another database,
an SQLite without FTS5) each word is looked for anywhere with ``LIKE``, scanning the table.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import and_, bindparam, func, literal_column, select, table, text

SEARCHABLE = ("offers", "hosts", "users", "good_practices", "internships", "applications")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def terms(query: str | None, limit: int = 8) -> list[str]:
    """The folded words of ``query`` (letters and digits), at most ``limit``."""
    return _WORD.findall(fold(query))[:limit]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_fts_tables: dict[str, frozenset[str]] = {}


def _sqlite_fts(bind) -> frozenset[str]:
    """The searchable tables that have their FTS5 index on this SQLite database."""
    key = str(bind.engine.url)
    if key not in _fts_tables:
        with bind.engine.connect() as conn:
            names = conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' "
                "ESCAPE '\\'")).scalars()
            _fts_tables[key] = frozenset(n[:-4] for n in names if n[:-4] in SEARCHABLE)
    return _fts_tables[key]


def _table_of(column):
    return column.property.columns[0].table if hasattr(column, "property") else column.table


def _words_clause(column, words: list[str], dialect: str, indexed: frozenset[str], key=None):
    """``column`` (a ``search_text``) has a word beginning with each of ``words``.

    With a full-text index this is ``<key> IN (<the ids the index gives>)``, ``key`` being
    ``<table>.id`` or a foreign key to it: the database asks the index once and probes the
    answer, where an expression per row would have it compute every row's document."""
    tbl = _table_of(column)
    key = tbl.c.id if key is None else key
    if dialect == "postgresql" and tbl.name in SEARCHABLE:
        # Constants, not parameters: the expression must be the index's, word for word.
        # Only letters and digits reach the parser, which would otherwise take an email, an
        # address or a <tag> as one token (or none), unlike SQLite's FTS5.
        simple = literal_column("'simple'::regconfig")
        words_only = func.regexp_replace(column, literal_column("'[^[:alnum:]]+'"),
                                         literal_column("' '"), literal_column("'g'"))
        query = " & ".join(f"{word}:*" for word in words)
        hit = func.to_tsvector(simple, words_only).op("@@")(
            func.to_tsquery(simple, bindparam(None, query, unique=True)))
        if _broad(select(tbl.c.id).where(hit)):
            # Found in more than BROAD rows: test each row as the list's own index brings it
            # (a word in one row of three gives a page after some sixty rows), rather than
            # gathering the 100,000 rows the index names (0.3 s) before ordering them.
            return hit if key is tbl.c.id else key.in_(select(tbl.c.id).where(hit))
        # OFFSET 0 keeps the subquery whole: the planner, which cannot tell how many rows a
        # prefix matches, would otherwise walk the list's index and compute the document of
        # every row until it has a page (0.6 s for a word found twice in 50,000 offers).
        return key.in_(select(tbl.c.id).where(hit).offset(0))
    if dialect == "sqlite" and tbl.name in indexed:
        query = " ".join(f'"{word}"*' for word in words)  # FTS5: words side by side, AND
        fts = table(f"{tbl.name}_fts")
        found = select(literal_column("rowid")).select_from(fts).where(
            literal_column(f"{tbl.name}_fts").op("MATCH")(bindparam(None, query, unique=True)))
        if key is not tbl.c.id and _broad(found):
            # Another table's list (conventions by their internship): SQLite would look up
            # its rows for each of the 50,000 internships found, then sort them; "+ 0" keeps
            # it on the list's own index, testing each row against the ids found.
            return (key + 0).in_(found)
        return key.in_(found)
    return and_(*[column.like(f"%{_escape_like(word)}%", escape="\\") for word in words])


BROAD = 2000  # rows: past this a search is broad (PostgreSQL then reads it another way)


def _broad(found) -> bool:
    """Whether ``found`` (the ids a full-text index gives) holds more than ``BROAD`` rows: a
    count the index stops after ``BROAD + 1`` rows (a few milliseconds)."""
    from app.extensions import db

    probe = found.limit(BROAD + 1).subquery()
    return db.session.execute(select(func.count()).select_from(probe)).scalar_one() > BROAD


def sqlite_has_fts5(bind) -> bool:
    """Whether this SQLite was built with FTS5 (without it the search scans with LIKE)."""
    from sqlalchemy.exc import OperationalError

    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except OperationalError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.fts5_probe")
    return True


def index_statements(dialect: str, table: str) -> list[str]:
    """The DDL of ``table``'s full-text index, for the migrations: a GIN index on the
    expression that ``_words_clause`` queries (PostgreSQL), or an FTS5 table kept in step with
    ``search_text`` by triggers and filled from the rows already there (SQLite)."""
    if dialect == "postgresql":
        # the expression of _words_clause, word for word (only letters and digits)
        return [f"CREATE INDEX IF NOT EXISTS ix_{table}_search_fts ON {table} USING gin "
                "(to_tsvector('simple'::regconfig, regexp_replace(search_text, "
                "'[^[:alnum:]]+', ' ', 'g')))"]
    t = table
    return [
        f"CREATE VIRTUAL TABLE {t}_fts USING fts5(search_text, content='{t}', "
        "content_rowid='id')",
        f"CREATE TRIGGER {t}_fts_insert AFTER INSERT ON {t} BEGIN "
        f"INSERT INTO {t}_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN "
        f"INSERT INTO {t}_fts({t}_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {t}_fts_update AFTER UPDATE OF search_text ON {t} "
        f"BEGIN INSERT INTO {t}_fts({t}_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {t}_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {t}_fts({t}_fts) VALUES ('rebuild')",
    ]


def drop_index_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP INDEX IF EXISTS ix_{table}_search_fts"]
    return [f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}"
            for trigger in ("insert", "delete", "update")] + [f"DROP TABLE IF EXISTS {table}_fts"]


def add_search_text(op, table: str, rows) -> None:
    """For a migration: give ``table`` a ``search_text`` column, fill it from ``rows`` (each
    an id followed by the record's words, as its model's ``keep_search_text`` would), then
    make its full-text index."""
    import sqlalchemy as sa

    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="",
                                   nullable=False))
    bind = op.get_bind()
    target = sa.table(table, sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    changes = [{"row_id": r[0], "text": fold(" ".join(filter(None, r[1:])))}
               for r in bind.execute(rows)]
    for start in range(0, len(changes), 5000):
        bind.execute(target.update().where(target.c.id == sa.bindparam("row_id"))
                     .values(search_text=sa.bindparam("text")), changes[start:start + 5000])
    dialect = bind.dialect.name
    if dialect == "postgresql" or (dialect == "sqlite" and sqlite_has_fts5(bind)):
        for statement in index_statements(dialect, table):
            op.execute(statement)


def drop_search_text(op, table: str) -> None:
    """For a migration: undo ``add_search_text``."""
    for statement in drop_index_statements(op.get_bind().dialect.name, table):
        op.execute(statement)
    with op.batch_alter_table(table) as batch:
        batch.drop_column("search_text")


def is_search_index(name: str | None, type_: str) -> bool:
    """The full-text indexes made by the migrations for one database, outside the models:
    GIN indexes on PostgreSQL, FTS5 tables and their shadow tables on SQLite."""
    if not name:
        return False
    if type_ == "index":
        return name.endswith(("_search_trgm", "_search_fts"))
    return type_ == "table" and ("_fts_" in name or name.endswith("_fts"))


def matching(query: str | None, column, key=None):
    """A WHERE clause: each word of ``query`` begins a word of ``column`` (a ``search_text``);
    None when the query has no word. All the words go to its index in one question.

    ``key`` is the listed table's foreign key to ``column``'s table when the list is of
    another table (``Convention.internship_id`` for ``Internship.search_text``): the list is
    then filtered on its own column, with no join. A record whose search is about several
    tables holds their words in its own ``search_text`` (an application: its student, offer
    and host), so that one index answers instead of every row being tested."""
    words = terms(query)
    if not words:
        return None
    from app.extensions import db

    bind = db.session.get_bind()
    dialect = bind.dialect.name
    indexed = _sqlite_fts(bind) if dialect == "sqlite" else frozenset()
    return _words_clause(column, words, dialect, indexed, key)


def keep_search_text(model, text_of) -> None:
    """Keep ``model.search_text`` equal to ``fold(text_of(obj))`` on every insert and update."""
    from sqlalchemy import event

    model.__search_text_of__ = staticmethod(text_of)

    def refresh(mapper, connection, target):
        refresh_search_text(target)

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)


def refresh_search_text(obj) -> None:
    """Recompute ``obj.search_text`` now: for a text that holds another record's (an offer's
    holds its host's name), when that other record changes."""
    obj.search_text = fold(" ".join(filter(None, type(obj).__search_text_of__(obj))))
