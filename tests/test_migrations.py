"""The schema comes from the migrations: migrating an empty database to head gives the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.search import is_search_index


def test_migrated_schema_matches_the_models(app):
    # The session database was built by ``flask db upgrade`` (see conftest.py).
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            # the search's full-text indexes are made by a migration only
            "include_object": lambda obj, name, type_, *a: not is_search_index(name, type_),
        })
        diff = compare_metadata(context, db.metadata)
        assert context.get_current_revision() is not None
    assert diff == []


def test_a_new_database_needs_no_postgresql_extension(app):
    """The trigram indexes were replaced by full-text ones: migrating a new database asks for
    no extension (and so for no right to create one)."""
    import pytest
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL extensions")
    with db.engine.connect() as conn:
        extensions = set(conn.execute(text("SELECT extname FROM pg_extension")).scalars())
    assert extensions <= {"plpgsql"}
