"""The schema comes from the migrations: migrating an empty database to head gives the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_migrated_schema_matches_the_models(app):
    # The session database was built by ``flask db upgrade`` (see conftest.py).
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
        assert context.get_current_revision() is not None
    assert diff == []
