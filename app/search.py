"""Accent- and case-insensitive search, the same way on SQLite and PostgreSQL.

Searchable records keep a ``search_text`` column holding their text folded by
:func:`fold` (lower case, no accents). A query is folded the same way and each of its
words must appear. Kept behind this module so that a full-text index can replace it.
"""
from __future__ import annotations

import unicodedata

from sqlalchemy import and_, or_


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def terms(query: str | None, limit: int = 8) -> list[str]:
    return [t for t in fold(query).split() if t][:limit]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching(query: str | None, *columns):
    """A WHERE clause: every word of ``query`` appears in one of ``columns``; None if empty."""
    words = terms(query)
    if not words:
        return None
    clauses = []
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        clauses.append(or_(*[col.like(pattern, escape="\\") for col in columns]))
    return and_(*clauses)


def keep_search_text(model, text_of) -> None:
    """Keep ``model.search_text`` equal to ``fold(text_of(obj))`` on every insert and update."""
    from sqlalchemy import event

    def refresh(mapper, connection, target):
        target.search_text = fold(" ".join(filter(None, text_of(target))))

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)
