"""The rows of a picker over a long list (hosts, students), read by the services that offer
them: the chosen rows first, then the list's first rows or what a search finds. The web side
(app/web/picker.py) puts them in a form's select and answers the search as one types."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select

from app.extensions import db

PICKER_LIMIT = 200
SEARCH_LIMIT = 50


def student_label(row) -> str:
    """A student in a picker: "Last First (gr. A)" from a row with those columns."""
    return f"{row.last_name} {row.first_name}" + (
        f" (gr. {row.group_name})" if row.group_name else "")


def picker_rows(stmt: Select, key, label: Callable, selected: list[int | None],
                clause=None) -> list[tuple[int, str]]:
    """``(id, label)`` of the ``selected`` rows of ``stmt`` (in its order), then its first
    ``PICKER_LIMIT`` rows, or its first ``SEARCH_LIMIT`` rows found by ``clause``. ``stmt``
    selects ``key`` first and whatever ``label`` reads."""
    wanted = [s for s in selected if s]
    chosen = {row[0]: row for row in db.session.execute(stmt.where(key.in_(wanted)))} \
        if wanted else {}
    out = [(row[0], label(row)) for row in chosen.values()]
    listed = stmt.where(clause).limit(SEARCH_LIMIT) if clause is not None \
        else stmt.limit(PICKER_LIMIT)
    for row in db.session.execute(listed):
        if row[0] not in chosen:
            out.append((row[0], label(row)))
    return out
