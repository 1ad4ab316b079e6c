"""Records that two people can edit at once (a ``version_id_col``): a stale write is refused
with a clear message (``StaleEdit``), never silently lost. No request, no Flask: services use it.

- ``check_version(obj, version, what)`` before changing anything: the version the form was
  shown with (its hidden ``version`` field) must still be the record's.
- ``commit_versioned(what)`` instead of ``db.session.commit()``: someone who saved in between
  (SQLAlchemy's ``StaleDataError`` on the UPDATE) rolls this write back and raises ``StaleEdit``.
  ``with versioned(what):`` does the same around a flush or commit of one's own.

``what`` names the record in the message (« cette convention »).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from app.errors import StaleEdit
from app.extensions import db


def check_version(obj, version: int | None, what: str | None = None) -> None:
    """Raise ``StaleEdit`` unless ``version`` is ``obj``'s current ``version_id``."""
    if version != obj.version_id:
        raise StaleEdit(what)


@contextmanager
def versioned(what: str | None = None) -> Iterator[None]:
    """A record changed meanwhile by someone else (``StaleDataError`` on a flush or commit of
    the block) rolls the session back and raises ``StaleEdit``."""
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit(what) from None


def commit_versioned(what: str | None = None) -> None:
    """Commit; a record changed meanwhile by someone else rolls back and raises ``StaleEdit``."""
    with versioned(what):
        db.session.commit()
